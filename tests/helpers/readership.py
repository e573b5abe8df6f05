"""Counts as a month of readers leaves them, for the admin's charts (tests/test_readership_admin.py,
tests/e2e/test_readership_charts.py)."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType

from readership import visitors
from readership.models import DailyReferrer, DailyViews, DailyVisitors, EmptySearch


def a_month_of_readers(article, days=30):
    """Views a day in each edition, growing towards today; a referrer; a search in vain."""
    today = visitors.today()
    content_type = ContentType.objects.get_for_model(article)
    for back in range(days):
        day = today - timedelta(days=back)
        for n, edition in enumerate(("en", "fa", "ar", "sq")):
            views = (days - back) * (n + 1)
            DailyViews.objects.create(day=day, edition=edition, content_type=content_type,
                                      object_id=article.pk, views=views)  # fmt: skip
            DailyVisitors.objects.update_or_create(day=day, edition=edition,
                                                   defaults={"visitors": days - back})  # fmt: skip
    DailyReferrer.objects.get_or_create(day=today, edition="fa", domain="news.example", views=42)
    EmptySearch.objects.get_or_create(day=today, edition="fa", query="کسوف", searches=7)
