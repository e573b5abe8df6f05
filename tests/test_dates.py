"""What each date on the site means (docs/development/time-zones.md), whatever TIME_ZONE is.

An instant is stored in UTC. Wherever a reader or a search engine sees a date alone (the date
under a title, a month archive), it is the date in the site's zone, ``TIME_ZONE``; wherever the
format allows a full timestamp (feeds, sitemaps, JSON-LD, ``<time datetime>``), the timestamp is
written with its offset. The tests build their moments in a pinned zone, never from UTC's date.
"""

import json
import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles.models import Article

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
TEHRAN = "Asia/Tehran"


@pytest.fixture
def tehran(settings):
    settings.TIME_ZONE = TEHRAN
    return timezone.get_default_timezone()


def at_utc(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def listed(response):
    """The page's own list, without the Recent Posts sidebar."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_a_month_archive_holds_what_was_published_in_that_month_in_the_site_zone(
    tehran, article_factory
):
    # 23:00 UTC on 30 April is 02:30 on 1 May in Tehran: a May article for its readers.
    late = article_factory(title_en="Late on the last day", publish_at=at_utc(2024, 4, 30, 23))
    early = article_factory(title_en="Early in April", publish_at=at_utc(2024, 4, 30, 20))
    reader = Client()
    may = listed(reader.get("/articles/2024/05/"))
    april = listed(reader.get("/articles/2024/04/"))
    assert "Late on the last day" in may and "Late on the last day" not in april
    assert "Early in April" in april and "Early in April" not in may
    assert late.month_url() == "/articles/2024/05/" and early.month_url() == "/articles/2024/04/"
    page = reader.get(late.url_in("en")).content.decode()
    assert "May 1, 2024 - 02:30" in page
    assert 'datetime="2024-05-01T02:30:00+03:30"' in page


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Tirane"])
def test_scheduled_at_midnight_appears_at_midnight_in_the_site_zone(
    settings, article_factory, zone
):
    settings.TIME_ZONE = zone
    midnight = timezone.make_aware(datetime(2025, 1, 1))
    article = article_factory(title_en="New year piece", publish_at=midnight)
    with time_machine.travel(midnight - timedelta(seconds=1), tick=False):
        assert not Article.objects.public("en").filter(pk=article.pk).exists()
        assert Client().get(article.url_in("en")).status_code == 404
    with time_machine.travel(midnight, tick=False):
        assert Article.objects.public("en").filter(pk=article.pk).exists()
        assert Client().get(article.url_in("en")).status_code == 200


def test_feeds_carry_full_timestamps_with_their_offset(tehran, article_factory):
    article = article_factory(title_en="Feed piece", publish_at=at_utc(2024, 4, 30, 23))
    rss = Client().get("/feed/").content.decode()
    published = re.search(r"<pubDate>([^<]+)</pubDate>", rss).group(1)
    assert parsedate_to_datetime(published) == article.publish_at


def test_json_ld_timestamps_carry_their_offset(tehran, article_factory):
    article = article_factory(title_en="Structured", publish_at=at_utc(2024, 4, 30, 23))
    html = Client().get(article.url_in("en")).content.decode()
    data = json.loads(re.search(r'application/ld\+json">(.+?)</script>', html).group(1))
    assert datetime.fromisoformat(data["datePublished"]) == article.publish_at
    assert datetime.fromisoformat(data["dateModified"]).tzinfo is not None
