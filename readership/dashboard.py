"""What the admin's home shows editors (``{% readership_dashboard %}``) and each item's change
form (``{% views_sparkline %}``): views and visitors a day in each edition, the week's most
read articles, the sites readers came from, and the searches that found nothing. Six queries
for the home (``tests/test_readership_admin.py`` pins them), one for a sparkline."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import get_language_bidi, ngettext
from django.utils.translation import gettext as _

from articles.models import Article
from nejat.editions import edition_codes, edition_name
from readership import charts, visitors
from readership.models import DailyReferrer, DailyViews, DailyVisitors, EmptySearch

DAYS, WEEK, TOP = 30, 7, 10
PERMISSION = "readership.view_dailyviews"


def the_last(days):
    today = visitors.today()
    return [today - timedelta(days=days - 1 - n) for n in range(days)]


def home():
    days = the_last(DAYS)
    week = days[-WEEK]
    rtl = get_language_bidi()
    views = per_day(DailyViews, "views", days[0])
    people = per_day(DailyVisitors, "visitors", days[0])
    series = [(edition_name(code), [views.get((day, code), 0) for day in days])
              for code in edition_codes()]  # fmt: skip
    table = [(day, [(views.get((day, code), 0), people.get((day, code), 0))
                    for code in edition_codes()]) for day in reversed(days)]  # fmt: skip
    return {
        "chart": charts.line_chart(days, series, rtl=rtl,
                                   title=_("Views a day in each edition, last 30 days")),
        "legend": charts.legend(series),
        "editions": [edition_name(code) for code in edition_codes()],
        "table": table,
        "articles": with_bars(most_read_articles(week)),
        "referrers": with_bars(
            DailyReferrer.objects.filter(day__gte=week).values_list("domain")
            .annotate(total=Sum("views")).order_by("-total", "domain")[:TOP]
        ),
        "searches": with_bars(
            EmptySearch.objects.filter(day__gte=week).values_list("query", "edition")
            .annotate(total=Sum("searches")).order_by("-total", "query")[:TOP]
        ),
    }  # fmt: skip


def per_day(model, counted, since):
    rows = model.objects.filter(day__gte=since).values_list("day", "edition")
    return {(day, edition): total
            for day, edition, total in rows.annotate(Sum(counted)).order_by()}  # fmt: skip


def most_read_articles(since):
    """``[(title, edition, admin address, views)]`` of the week's most read articles."""
    top = list(
        DailyViews.objects.filter(day__gte=since,
                                  content_type=ContentType.objects.get_for_model(Article))
        .values_list("object_id", "edition").annotate(total=Sum("views"))
        .order_by("-total", "object_id")[:TOP]
    )  # fmt: skip
    found = Article.objects.in_bulk([pk for pk, _edition, _total in top])
    return [
        (found[pk].title_in(edition) or str(found[pk]), edition_name(edition),
         reverse("admin:articles_article_change", args=[pk]), total)
        for pk, edition, total in top if pk in found
    ]  # fmt: skip


def with_bars(rows):
    """Each row with a bar as long as its count (the last value) is of the first row's."""
    rows = list(rows)
    highest = rows[0][-1] if rows else 0
    return [(*row, charts.bar(row[-1], highest)) for row in rows]


def sparkline(item):
    """``(svg, words)`` of ``item``'s views in the last 30 days, or None before the first."""
    days = the_last(DAYS)
    rows = (
        DailyViews.objects.filter(
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            day__gte=days[0],
        )
        .values_list("day")
        .annotate(Sum("views"))
        .order_by()
    )
    views = dict(rows)
    if not views:
        return None
    total = sum(views.values())
    values = [views.get(day, 0) for day in days]
    title = ngettext("%(views)d view in the last 30 days", "%(views)d views in the last 30 days",
                     total) % {"views": total}  # fmt: skip
    return charts.sparkline(values, title=title, rtl=get_language_bidi()), title
