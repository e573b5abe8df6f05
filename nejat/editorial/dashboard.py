"""The admin home for editors: per edition, what was published this week, what is scheduled,
waiting for review or in draft, and what is missing a translation; comments waiting for
moderation. Counted in one query per content type (``tests/test_review.py`` pins them)."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nejat.comments.moderation import pending_count
from nejat.editions import edition_codes, edition_name, localized_field
from nejat.publishing import State, publishable_models, state_condition, user_can_publish

COLUMNS = (
    ("week", _("Published this week")),
    ("scheduled", _("Scheduled")),
    ("pending", _("Pending review")),
    ("drafts", _("Drafts")),
    ("missing", _("Missing a translation")),
)


def edition_counts(user):
    """``{"columns": [...], "rows": [(edition name, code, [counts in COLUMNS' order])]}`` over
    the content types ``user`` may publish; None when there are none."""
    models = [model for model in publishable_models() if user_can_publish(user, model)]
    if not models:
        return None
    now = timezone.now()
    totals = {}
    for model in models:
        aggregates = model.objects.aggregate(**counts_by_edition(now))
        for name, value in aggregates.items():
            totals[name] = totals.get(name, 0) + value
    rows = [
        (edition_name(code), code, [totals[f"{code}_{key}"] for key, _label in COLUMNS])
        for code in edition_codes()
    ]
    return {"columns": [label for _key, label in COLUMNS], "rows": rows}


def counts_by_edition(now):
    """The aggregate expressions of ``edition_counts``: one COUNT … FILTER per edition and
    column, so a content type costs one query."""
    live = state_condition(State.LIVE, now)
    expressions = {}
    for code in edition_codes():
        present = Q(**{f"{localized_field('title', code)}__gt": ""})
        states = {
            "week": present & live & Q(publish_at__gt=now - timedelta(7)),
            "scheduled": present & state_condition(State.SCHEDULED, now),
            "pending": present & state_condition(State.PENDING, now),
            "drafts": present & state_condition(State.DRAFT, now),
            # Read in another edition, not in this one.
            "missing": ~present & live,
        }
        for key, condition in states.items():
            expressions[f"{code}_{key}"] = Count("pk", filter=condition)
    return expressions


def comments_waiting(request):
    """(count, moderation queue address) of pending comments, for those who moderate them."""
    if not request.user.has_perm("comments.change_comment"):
        return None
    queue = reverse("admin:comments_comment_changelist")  # it opens on the pending ones
    return pending_count(request), queue
