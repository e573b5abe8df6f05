"""Most read: each edition's most viewed articles of the last seven days, in every page's
sidebar. A job ranks them every ten minutes (``refresh``) and keeps the list (``MostRead``);
the sidebar's fragment reads the list, and its cache tag (``tag(edition)``) changes only when
the list does, so a ranking that stays the same forgets nothing. Pages are not forgotten
either way: the fragment is a late one (``nejat.delivery.late_fragments``), put into kept pages
when they are served."""

import functools
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import translation

from articles.models import Article
from nejat.editions import edition_codes
from nejat.publishing.cache_tags import changed, shows
from nejat.templatetags.fragments import render_ahead
from readership import visitors
from readership.models import DailyViews, MostRead

DAYS = 7
FRAGMENT = "most-read"  # templates/base.html: {% shared_fragment "most-read" late %}
TEMPLATE = "includes/most_read.html"


def tag(edition):
    return f"readership:most-read:{edition}"


def refresh():
    """Rank each edition again; ``{edition: ids}`` of those whose list changed, whose sidebar
    fragment is rendered here, not by the next reader's request."""
    changes = {}
    kept = dict(MostRead.objects.values_list("edition", "articles"))
    for edition in edition_codes():
        ids = ranking(edition)
        if kept.get(edition, []) != ids:
            MostRead.objects.update_or_create(edition=edition, defaults={"articles": ids})
            changed(tag(edition))
            changes[edition] = ids
            # Once the change is known (``changed`` makes it so on commit, first).
            transaction.on_commit(functools.partial(render_sidebar, edition), robust=True)
    return changes


def render_sidebar(edition):
    with translation.override(edition):
        render_ahead(FRAGMENT, lambda: sidebar(articles(edition)))


def sidebar(articles):
    """The fragment as every page's sidebar shows it (``{% most_read %}``)."""
    return render_to_string(TEMPLATE, {"articles": articles})


def ranking(edition, count=None):
    """The ids of the edition's public articles most viewed in the last ``DAYS`` days."""
    count = count or settings.READERSHIP["MOST_READ_COUNT"]
    since = visitors.today() - timedelta(days=DAYS - 1)
    top = (
        DailyViews.objects.filter(
            edition=edition,
            content_type=ContentType.objects.get_for_model(Article),
            day__gte=since,
        )
        .values("object_id")
        .annotate(total=Sum("views"))
        .order_by("-total", "-object_id")
        .values_list("object_id", flat=True)[: count * 3]  # room for some that went since
    )
    top = list(top)
    public = set(Article.objects.public(edition).filter(pk__in=top).values_list("pk", flat=True))
    return [pk for pk in top if pk in public][:count]


def articles(edition):
    """The list the sidebar shows, as the last refresh ranked it."""
    shows(tag(edition))
    ids = MostRead.objects.filter(edition=edition).values_list("articles", flat=True).first()
    found = Article.objects.public(edition).defer("comment_count").in_bulk(ids or [])
    return [found[pk] for pk in ids or [] if pk in found]
