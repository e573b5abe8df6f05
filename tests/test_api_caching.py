"""The content API's answers are kept like pages (tags, ETag, 304, Cache-Status), readable from
any site's script, and limited per client where the cache does not answer."""

import pytest
from django.test import Client

from tests.helpers import wsgi

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 3600


def test_a_list_is_kept_until_what_it_shows_changes_and_answers_304(
    article_factory, django_capture_on_commit_callbacks
):
    article = article_factory(title_en="First words")
    client = Client()
    first = client.get("/api/v1/articles/")
    kept = client.get("/api/v1/articles/")
    assert kept["Cache-Status"] == "nejat; hit" and kept.content == first.content
    assert kept["Access-Control-Allow-Origin"] == "*"  # from the kept copy too
    again = client.get(
        "/api/v1/articles/",
        headers={"If-None-Match": kept["ETag"], "Origin": "https://partner.example"},
    )
    assert again.status_code == 304 and again["Access-Control-Allow-Origin"] == "*"
    # Through the WSGI door, as the server answers a reader who asks again: the same.
    door = wsgi.call("GET", "/api/v1/articles/")
    assert door.status_code == 200 and door.headers["Cache-Status"] == "nejat; hit"
    assert door.headers["Access-Control-Allow-Origin"] == "*" and door.content == first.content
    article.title_en = "Second words"
    with django_capture_on_commit_callbacks(execute=True):  # (as the save's commit does)
        article.save()
    fresh = client.get("/api/v1/articles/")
    assert fresh["Cache-Status"] != "nejat; hit" and b"Second words" in fresh.content
    detail = client.get(f"/api/v1/articles/{article.pk}/")
    assert b"Second words" in detail.content


def test_a_parameter_no_address_reads_is_the_same_copy(article_factory):
    for _ in range(4):
        article_factory()
    client = Client()
    client.get("/api/v1/articles/", {"limit": 1})
    tracked = client.get("/api/v1/articles/", {"limit": 1, "utm_source": "x"}, follow=True)
    assert tracked.json()["items"] and tracked.redirect_chain == []
    assert tracked["Cache-Status"] == "nejat; hit"
    # And a first request with such a parameter leaves it out of the kept answer's links.
    client.get("/api/v1/articles/", {"limit": 3, "utm_source": "junk"})
    kept = client.get("/api/v1/articles/", {"limit": 3})
    assert kept["Cache-Status"] == "nejat; hit" and b"junk" not in kept.content
    other = client.get("/api/v1/articles/", {"limit": 2})
    assert other["Cache-Status"] != "nejat; hit"  # a parameter it reads: a copy of its own


def test_a_script_elsewhere_may_read_it(article_factory):
    article_factory()
    preflight = Client().options(
        "/fa/api/v1/articles/",
        headers={"Origin": "https://partner.example", "Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": "if-none-match"},
    )  # fmt: skip
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    answer = Client().get("/api/v1/articles/", headers={"Origin": "https://partner.example"})
    assert (
        answer["Access-Control-Allow-Origin"] == "*"
        and "ETag" in answer["Access-Control-Expose-Headers"]
    )
    assert Client().post("/api/v1/articles/").status_code == 405  # reading only


def test_a_client_over_the_limit_gets_a_429_but_kept_answers_still(article_factory, settings):
    settings.API_RATE_LIMIT = "3/m"
    article = article_factory()
    client = Client()
    for limit in (1, 2, 3):  # three answers the cache does not have
        assert client.get("/api/v1/articles/", {"limit": limit}).status_code == 200
    over = client.get(f"/api/v1/articles/{article.pk}/")
    assert over.status_code == 429 and int(over["Retry-After"]) > 0
    assert "Too many requests" in over.json()["detail"]
    assert client.get("/api/v1/articles/", {"limit": 1}).status_code == 200  # kept: no count
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.get(f"/api/v1/articles/{article.pk}/").status_code == 200


def test_authors_are_never_stale(article_factory, django_capture_on_commit_callbacks):
    article = article_factory(author_en="Sara Writer")
    client = Client()
    assert client.get("/api/v1/authors/").json()[0]["name"] == "Sara Writer"
    article.author_en = "Sara Q. Writer"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert client.get("/api/v1/authors/").json()[0]["name"] == "Sara Q. Writer"
