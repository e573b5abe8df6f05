"""What readers read (#38): a beacon from a kept page counts once; bots, staff, DNT and pages
that are not public count nothing; no cookie, no address kept; the flush counts every beacon
exactly once, with Redis or without it."""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from prometheus_client import REGISTRY

from readership import beacon, flushing, tally, visitors
from readership.models import (
    DailyReferrer,
    DailyViews,
    DailyVisitors,
    EmptySearch,
    Flush,
    Hit,
    Salt,
    Visitor,
)
from tests.conftest import browser_like_client
from tests.helpers import wsgi
from tests.helpers.services import free_port

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

PHONE = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"  # noqa: E501
LAPTOP = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CRAWLER = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 3600


@pytest.fixture(autouse=True)
def table_tally(settings):
    """Without Redis, unless a test gives it one."""
    settings.READERSHIP = {**settings.READERSHIP, "REDIS_URL": ""}
    tally.tally.cache_clear()
    beacon._public.clear()
    beacon._this_minute.clear()
    visitors._salt.clear()
    yield
    tally.tally.cache_clear()


@pytest.fixture
def story(article_factory):
    return article_factory(title_en="A story readers share", title_fa="داستانی که می‌خوانند")


def beacon_of(page):
    """What the site's script sends for ``page``: its body's data attributes."""
    body = re.search(rb"<body([^>]*)>", page.content).group(1).decode()
    attributes = dict(re.findall(r'data-([a-z]+)="([^"]*)"', body))
    lang = re.search(rb'<html lang="([a-z]+)"', page.content).group(1).decode()
    return attributes.pop("hit"), {"e": lang, "i": attributes.get("item", ""),
                                   "s": attributes.get("search", "")}  # fmt: skip


def send(client, to, data, browser=PHONE, **headers):
    """A beacon as the site's server takes it: the WSGI application's own door answers a
    reader's (``readership.beacon.serve_beacons``); it leaves the rest to Django. With the
    client's Origin, address and cookies (an editor's session)."""
    cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    environ = {**client.defaults, **({"HTTP_COOKIE": cookies} if cookies else {})}
    body = urlencode(data).encode()
    return wsgi.call("POST", to, body, environ=environ, User_Agent=browser, **headers)


def views_of(item=None):
    if item is None:
        return sum(DailyViews.objects.values_list("views", flat=True))
    content_type = ContentType.objects.get_for_model(item)
    rows = DailyViews.objects.filter(content_type=content_type, object_id=item.pk)
    return sum(rows.values_list("views", flat=True))


def test_a_beacon_from_a_kept_page_counts_once(story):
    reader = browser_like_client()
    first = reader.get(story.url_in("en"))
    kept = reader.get(story.url_in("en"))
    assert kept["Cache-Status"] == "nejat; hit" and kept.content == first.content
    to, data = beacon_of(kept)
    assert to == "/hit/" and data == {"e": "en", "i": f"articles.article:{story.pk}", "s": ""}
    answer = send(reader, to, data)
    assert answer.status_code == 204 and not kept.cookies
    assert answer.headers == {"Cache-Control": "no-store"}  # the door's answer: no cookie
    assert flushing.flush()["views"] == 1
    assert views_of(story) == 1
    (day,) = DailyViews.objects.all()
    assert (day.day, day.edition) == (visitors.today(), "en")
    assert flushing.flush()["views"] == 0 and views_of(story) == 1  # nothing counted twice


def test_visitors_are_counted_once_a_day_by_a_hash_that_keeps_no_address(story):
    reader = browser_like_client(REMOTE_ADDR="203.0.113.7")
    to, data = beacon_of(reader.get(story.url_in("fa")))
    for _ in range(3):
        send(reader, to, data)  # the same reader three times
    send(reader, to, data, browser=LAPTOP)  # another browser at the same address
    send(browser_like_client(REMOTE_ADDR="198.51.100.9"), to, data)
    flushing.flush()
    assert views_of(story) == 5
    assert DailyVisitors.objects.get(edition="fa").visitors == 3
    # Nothing stored holds the address or the browser.
    with connection.cursor() as cursor:
        for model in (Hit, Visitor, Salt, DailyViews, DailyVisitors, DailyReferrer, EmptySearch):
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608
            stored = repr(cursor.fetchall())
            assert "203.0.113" not in stored and "Android" not in stored, model


def test_bots_staff_dnt_and_pages_that_are_not_public_count_nothing(story, editor_client,
                                                                    article_factory):  # fmt: skip
    reader = browser_like_client()
    to, data = beacon_of(reader.get(story.url_in("en")))
    assert send(reader, to, data, browser=CRAWLER).status_code == 204
    assert send(reader, to, data, DNT="1").status_code == 204
    assert send(reader, to, data, **{"Sec-GPC": "1"}).status_code == 204
    editor_client.get(story.url_in("en"))
    assert send(editor_client, to, data).status_code == 204
    draft = article_factory(title_en="Not yet", status="draft")
    send(reader, to, {**data, "i": f"articles.article:{draft.pk}"})
    send(reader, to, {**data, "i": f"articles.article:{story.pk}", "e": "sq"})  # no Albanian
    send(reader, to, {**data, "i": "auth.user:1"})  # not something readers read
    assert flushing.flush() == {"views": 0, "left out": 0, "visitors": 0}
    # Public when its beacon came, in the trash by the flush: the flush leaves it out.
    send(reader, to, data)
    story.move_to_trash()
    assert flushing.flush() == {"views": 0, "left out": 1, "visitors": 1}
    assert not DailyViews.objects.exists()


def test_a_beacon_from_elsewhere_or_malformed_gets_a_clear_4xx(story):
    reader = browser_like_client()
    to, data = beacon_of(reader.get(story.url_in("en")))
    assert Client().get(to).status_code == 405
    elsewhere = Client(headers={"Origin": "https://elsewhere.example"})
    assert send(elsewhere, to, data).status_code == 403
    for wrong in ({**data, "e": "xx"}, {**data, "i": "<script>"}, {"i": data["i"]}):
        answer = send(reader, to, wrong)
        assert answer.status_code == 400 and b"edition" in answer.content
    assert not Hit.objects.exists()


def test_referring_sites_are_kept_by_domain_and_this_site_is_not_one(story):
    reader = browser_like_client()
    to, data = beacon_of(reader.get(story.url_in("en")))
    send(reader, to, {**data, "r": "www.News.example"})
    send(reader, to, {**data, "r": "news.example"})
    send(reader, to, {**data, "r": "testserver"})
    send(reader, to, {**data, "r": "not a domain/"})
    flushing.flush()
    assert list(DailyReferrer.objects.values_list("domain", "views")) == [("news.example", 2)]


def test_a_search_that_found_nothing_is_kept_for_the_editors(story):
    reader = browser_like_client()
    found = reader.get("/search/?q=story")
    assert beacon_of(found)[1]["s"] == ""
    empty = reader.get("/search/?q=Solar+%20Eclipse")
    to, data = beacon_of(empty)
    assert data["s"] == "Solar Eclipse"
    send(reader, to, data)
    send(reader, to, {**data, "s": "solar   eclipse"})
    flushing.flush()
    assert list(EmptySearch.objects.values_list("query", "searches")) == [("solar eclipse", 2)]


def test_the_day_s_hashes_and_salt_are_forgotten_once_the_day_is_counted(story, time_machine):
    reader = browser_like_client()
    to, data = beacon_of(reader.get(story.url_in("en")))
    send(reader, to, data)
    flushing.flush()
    first_day = visitors.today()
    assert Visitor.objects.filter(day=first_day).exists() and Salt.objects.exists()
    time_machine.move_to(timezone_now() + timedelta(days=2), tick=False)
    send(reader, to, data)
    flushing.flush()
    assert not Visitor.objects.filter(day=first_day).exists()
    assert set(Salt.objects.values_list("day", flat=True)) == {visitors.today()}
    assert DailyVisitors.objects.get(day=first_day).visitors == 1  # its count stays


def timezone_now():
    from django.utils import timezone

    return timezone.now()


@pytest.mark.parametrize("with_redis", [False, True], ids=["postgresql", "redis"])
def test_the_flush_counts_every_beacon_exactly_once(story, settings, request, with_redis):
    if with_redis:
        settings.READERSHIP = {**settings.READERSHIP, "REDIS_URL": request.getfixturevalue(
            "redis_url")}  # fmt: skip
        tally.tally.cache_clear()
    day = visitors.today()
    item = f"articles.article:{story.pk}"
    for n in range(500):
        tally.tally().add(tally.Beacon(day, "en", item if n % 5 else "", "news.example", "",
                                       n.to_bytes(16, "big")))  # fmt: skip
    assert flushing.flush() == {"views": 500, "left out": 0, "visitors": 500}
    assert views_of(story) == 400 and views_of() == 500
    assert DailyReferrer.objects.get().views == 500
    assert flushing.flush()["views"] == 0


def test_a_redis_batch_counted_but_not_deleted_is_not_counted_again(story, settings, redis_url):
    settings.READERSHIP = {**settings.READERSHIP, "REDIS_URL": redis_url}
    tally.tally.cache_clear()
    redis = tally.tally()
    beacon = tally.Beacon(visitors.today(), "en", f"articles.article:{story.pk}", "", "", b"1")
    for _ in range(3):
        redis.add(beacon)
    # A flush that stopped before deleting its batch (as if killed after its commit) …
    original = redis.done
    redis.done = lambda taken: None
    assert flushing.flush()["views"] == 3
    redis.done = original
    assert redis.redis.keys("readership:batch:*")
    redis.add(beacon)
    assert flushing.flush()["views"] == 1  # … is only deleted by the next one
    assert views_of(story) == 4 and not redis.redis.keys("readership:batch:*")
    # A batch renamed but never counted (killed before its commit) is counted next time.
    redis.add(beacon)
    redis.take()  # (read, and its Flush row rolled back with the test's savepoint below)
    Flush.objects.all().delete()
    assert flushing.flush()["views"] == 1 and views_of(story) == 5


def test_most_read_lists_the_week_s_most_read_articles_beside_every_page(
    article_factory, settings, django_capture_on_commit_callbacks
):
    settings.SITE_CACHE_SECONDS = 3600
    first, second, third = (article_factory(title_en=f"Story {n}") for n in (1, 2, 3))
    reader = browser_like_client()
    home = reader.get("/")
    assert b"Most read" not in home.content  # nothing read yet: no empty box
    for article, times in ((first, 1), (second, 3), (third, 2)):
        to, data = beacon_of(reader.get(article.url_in("en")))
        for _ in range(times):
            send(reader, to, data)
    flushing.flush()
    from readership import most_read

    with django_capture_on_commit_callbacks(execute=True):  # (as the job's commit does)
        assert most_read.refresh() == {"en": [second.pk, third.pk, first.pk]}
    assert most_read.refresh() == {}  # the same ranking: nothing changes, nothing forgotten
    for address in ("/", first.url_in("en")):  # both kept before: still kept, a new sidebar
        answer = reader.get(address)
        page = answer.content.decode()
        box = page[page.index("Most read") :]
        assert box.index("Story 2") < box.index("Story 3") < box.index("Story 1"), address
        # The job rendered the sidebar's list: no reader's request renders it, or its page.
        assert answer["Cache-Status"] == "nejat; hit", address
    with django_capture_on_commit_callbacks(execute=True):
        third.move_to_trash()
        assert most_read.refresh() == {"en": [second.pk, first.pk]}
    page = reader.get("/").content.decode()
    assert "Story 3" not in page[page.index("Most read") :]


def test_with_the_beacon_off_pages_carry_none_and_nothing_is_counted(story, settings):
    settings.READERSHIP = {**settings.READERSHIP, "BEACON": False}
    settings.PAGE_CACHE_SECONDS = 0
    reader = browser_like_client()
    page = reader.get(story.url_in("en"))
    assert b"data-hit" not in page.content
    send(reader, "/hit/", {"e": "en", "i": f"articles.article:{story.pk}"})
    assert flushing.flush()["views"] == 0


def test_a_reader_s_beacon_costs_one_insert_or_no_query_with_redis(
    story, settings, redis_url, django_assert_num_queries
):
    reader = browser_like_client()
    to, data = beacon_of(reader.get(story.url_in("en")))
    send(reader, to, data)  # the day's salt and the item's being public, checked once a minute
    with django_assert_num_queries(1):
        assert send(reader, to, data).status_code == 204
    settings.READERSHIP = {**settings.READERSHIP, "REDIS_URL": redis_url}
    tally.tally.cache_clear()
    with django_assert_num_queries(0):
        assert send(reader, to, data).status_code == 204
    assert flushing.flush()["views"] == 1  # Redis's
    settings.READERSHIP = {**settings.READERSHIP, "REDIS_URL": ""}
    tally.tally.cache_clear()
    assert flushing.flush()["views"] == 2  # the table's


def test_with_redis_away_a_beacon_gets_a_503_and_a_line_in_the_log(story, settings, caplog):
    reader = browser_like_client()
    to, data = beacon_of(reader.get(story.url_in("en")))
    settings.READERSHIP = {**settings.READERSHIP, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    tally.tally.cache_clear()
    answer = send(reader, to, data)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
    assert "A beacon was not counted" in caplog.text


def test_a_visitor_s_beacons_over_the_minute_s_limit_are_not_counted(story, settings,
                                                                      time_machine):  # fmt: skip
    settings.READERSHIP = {**settings.READERSHIP, "BEACONS_PER_MINUTE": 3}
    time_machine.move_to(timezone_now(), tick=False)  # one minute throughout
    reader = browser_like_client()
    to, data = beacon_of(reader.get(story.url_in("en")))
    before = REGISTRY.get_sample_value("nejat_beacons_over_the_limit_total")
    for _ in range(5):
        assert send(reader, to, data).status_code == 204  # the same answer: nothing to learn
    send(browser_like_client(REMOTE_ADDR="198.51.100.9"), to, data)  # another reader's
    assert flushing.flush()["views"] == 4
    assert REGISTRY.get_sample_value("nejat_beacons_over_the_limit_total") == before + 2
    time_machine.move_to(timezone_now() + timedelta(minutes=1), tick=False)
    send(reader, to, data)  # the next minute: counted again
    assert flushing.flush()["views"] == 1
