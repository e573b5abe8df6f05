"""The content API (#39): every edition's public items as JSON, lists with cursors and filters,
nothing that readers cannot see, bad parameters answered with a 400 that names them."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from nejat.models import set_edition_tags
from nejat.publishing import Status
from tests.helpers.api import get, ids

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture(autouse=True)
def no_limit(settings):
    """These tests ask more than a client may (test_api_caching.py checks the limit)."""
    settings.API_RATE_LIMIT = "100000/m"


def test_a_cursor_walks_the_whole_list_and_a_publication_meanwhile_shifts_nothing(
    article_factory,
):
    now = timezone.now()
    articles = [article_factory(publish_at=now - timedelta(hours=n)) for n in range(1, 8)]
    same_time = [article_factory(publish_at=now - timedelta(hours=9)) for _ in range(3)]
    expected = [a.pk for a in articles] + sorted((a.pk for a in same_time), reverse=True)
    _response, page = get("/api/v1/articles/", limit=3)
    walked = ids(page)
    article_factory(publish_at=now - timedelta(minutes=5))  # published while a client pages
    while page["next"]:
        response, page = get(page["next"])
        assert response.status_code == 200
        walked += ids(page)
    assert walked == expected


def test_filters_by_category_tag_author_and_dates(article_factory, category_factory):
    now = timezone.now()
    politics = category_factory(name_en="Politics", slug_en="politics")
    first = article_factory(category=politics, author_en="Sara Writer",
                            publish_at=now - timedelta(days=3))  # fmt: skip
    second = article_factory(publish_at=now - timedelta(days=1))
    set_edition_tags(second, {"en": ["water"]})
    assert ids(get("/api/v1/articles/", category=politics.pk)[1]) == [first.pk]
    assert ids(get("/api/v1/articles/", tagged="water")[1]) == [second.pk]
    assert ids(get("/api/v1/articles/", author="sara-writer")[1]) == [first.pk]
    two_days_ago = (now - timedelta(days=2)).isoformat()
    assert ids(get("/api/v1/articles/", published_after=two_days_ago)[1]) == [second.pk]
    assert ids(get("/api/v1/articles/", published_before=two_days_ago)[1]) == [first.pk]
    response, answer = get("/api/v1/articles/", category=10**6)
    assert response.status_code == 400 and answer["errors"][0]["parameter"] == "category"


def test_a_sync_gives_what_changed_since_oldest_first_a_scheduled_item_when_it_came_out(
    article_factory, time_machine
):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    old = article_factory(publish_at=now - timedelta(days=5))
    scheduled = article_factory(publish_at=now + timedelta(hours=1))  # saved now, out later
    time_machine.move_to(now + timedelta(minutes=30), tick=False)
    since = timezone.now()
    time_machine.move_to(now + timedelta(minutes=40), tick=False)
    old.lead_en = "Corrected"
    old.save()
    response, page = get("/api/v1/articles/", updated_since=since.isoformat())
    assert ids(page) == [old.pk] and page["items"][0]["lead"] == "Corrected"
    assert "fwd=bypass" in response["Cache-Status"] or "Cache-Status" not in response
    time_machine.move_to(now + timedelta(hours=2), tick=False)  # the scheduled one is out
    assert ids(get("/api/v1/articles/", updated_since=since.isoformat())[1]) == [
        old.pk, scheduled.pk,
    ]  # fmt: skip


def test_sparse_fields(article_factory):
    article_factory()
    _response, page = get("/api/v1/articles/", fields="title,url")
    assert set(page["items"][0]) == {"id", "type", "title", "url"}


@pytest.mark.parametrize(
    ("address", "params", "parameter"),
    [
        ("/api/v1/articles/", {"limit": "0"}, "limit"),
        ("/api/v1/articles/", {"limit": "many"}, "limit"),
        ("/api/v1/articles/", {"cursor": "not-a-cursor"}, "cursor"),
        ("/api/v1/articles/", {"fields": "title,secret"}, "fields"),
        ("/api/v1/articles/", {"published_after": "yesterday"}, "published_after"),
        ("/api/v1/articles/", {"tagged": "a\x00b"}, "tagged"),
        ("/api/v1/articles/", {"author": "a\x00b"}, "author"),
        ("/api/v1/articles/", {"cursor": "WyJb" * 100}, "cursor"),
        ("/api/v1/oembed/", {"url": "/", "maxwidth": "1" + "0" * 400}, "maxwidth"),
        ("/api/v1/removed/", {}, "since"),
        ("/api/v1/search/", {"q": ""}, "q"),
        ("/api/v1/oembed/", {}, "url"),
    ],
)
def test_a_bad_parameter_gets_a_400_that_names_it(article_factory, address, params, parameter):
    article_factory()
    response, answer = get(address, **params)
    assert response.status_code == 400
    assert parameter in [error["parameter"] for error in answer["errors"]] and answer["detail"]


def test_an_item_not_public_here_is_a_json_404(article_factory):
    article = article_factory(title_fa="فقط فارسی", title_en="")
    response, answer = get(f"/api/v1/articles/{article.pk}/")
    assert response.status_code == 404 and answer["detail"]
    assert get(f"/fa/api/v1/articles/{article.pk}/")[0].status_code == 200
    assert get("/api/v1/no-such-thing/")[0].status_code == 404


def test_a_list_costs_the_same_queries_for_five_items_or_fifty(
    article_factory, django_assert_num_queries
):
    for n in range(50):
        set_edition_tags(article_factory(), {"en": [f"tag {n % 7}"]})
    for limit in (5, 50):
        with django_assert_num_queries(2):  # the articles with their categories; their tags
            assert len(get("/api/v1/articles/", limit=limit)[1]["items"]) == limit


def test_search_finds_in_the_edition_and_nothing_readers_cannot_see(article_factory):
    article_factory(title_en="Water for the mountain villages")
    article_factory(title_en="Something else")
    article_factory(title_en="Water, a draft", status=Status.DRAFT)
    article_factory(title_en="Water, tomorrow", publish_at=timezone.now() + timedelta(days=1))
    article_factory(title_en="Water, deleted").move_to_trash()
    article_factory(title_en="", title_fa="آب", lead_fa="water")
    _response, page = get("/api/v1/search/", q="water")
    assert page["count"] == 1 and page["items"][0]["title"].startswith("Water for")
    assert Article.objects.count() == 6


def test_a_client_mirrors_an_edition_incrementally(article_factory, time_machine):
    """What a partner's script does (docs/api/index.md): a full sync, then from time to time
    what changed and what was removed since it last asked. Its copy is the edition's."""
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    kept = [article_factory(title_fa=f"خبر {n}") for n in range(5)]
    mirror, last = {}, None

    def sync():
        nonlocal last
        asked_at = timezone.now()
        since = (last or start - timedelta(days=365)).isoformat()
        address, params = "/fa/api/v1/articles/", {"updated_since": since, "limit": 2}
        while address:
            page = get(address, **params)[1]
            mirror.update({item["id"]: item for item in page["items"]})
            address, params = page["next"], {}
        address, params = "/fa/api/v1/removed/", {"since": since}
        while address:
            page = get(address, **params)[1]
            for gone in page["items"]:
                mirror.pop(gone["id"], None)
            address, params = page["next"], {}
        last = asked_at

    sync()
    assert set(mirror) == {a.pk for a in kept}
    time_machine.move_to(start + timedelta(minutes=10), tick=False)
    kept[0].title_fa = "خبر اصلاح شده"
    kept[0].save()
    kept[1].move_to_trash()
    kept[2].title_fa = ""  # no longer in the Persian edition
    kept[2].save()
    new = article_factory(title_fa="خبر تازه")
    scheduled = article_factory(title_fa="خبر بعدی", publish_at=start + timedelta(minutes=30))
    sync()
    time_machine.move_to(start + timedelta(minutes=40), tick=False)  # the scheduled one is out
    sync()
    everything = get("/fa/api/v1/articles/", limit=100)[1]["items"]
    assert mirror == {item["id"]: item for item in everything}
    assert {kept[0].pk, new.pk, scheduled.pk} <= set(mirror)
    assert mirror[kept[0].pk]["title"] == "خبر اصلاح شده"


def test_the_documentation_page_uses_the_site_s_own_files_only():
    page = Client().get("/fa/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/static/") for source in sources), sources
    assert "/fa/api/v1/schema/" in html


def test_tags_of_drafts_stay_unknown_and_an_unknown_slug_finds_nothing(article_factory):
    set_edition_tags(article_factory(), {"en": ["water"]})
    set_edition_tags(article_factory(status=Status.DRAFT), {"en": ["resignation"]})
    assert [tag["slug"] for tag in get("/api/v1/tags/")[1]] == ["water"]
    for slug in ("resignation", "no-such-tag"):  # the same answer: nothing tells them apart
        response, page = get("/api/v1/articles/", tagged=slug)
        assert response.status_code == 200 and page["items"] == []


def test_odd_but_valid_input_is_answered(article_factory, category_factory):
    only_english = category_factory(name_en="Local", slug_en="local", name_fa="", slug_fa="")
    article = article_factory(title_fa="خبر", category=only_english)
    response, page = get("/fa/api/v1/articles/")
    assert response.status_code == 200 and page["items"][0]["category"] is None
    assert get("/api/v1/articles/")[1]["items"][0]["category"]["slug"] == "local"
    far = get("/api/v1/articles/", published_after="2020-01-01T00:00:00+20:00")
    assert far[0].status_code == 200 and ids(far[1]) == [article.pk]
    assert get("/api/v1/oembed/", url="http://[")[0].status_code == 404
