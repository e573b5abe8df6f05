"""The editor's link dialog finds the site's own pages (nejat.editorial.link_search)."""

from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from nejat.publishing import Status
from publications.factories import BookFactory

pytestmark = pytest.mark.django_db


def search(client, q, edition="fa"):
    return client.get("/admin/link-search/", {"q": q, "edition": edition})


def test_pages_of_every_kind_are_found_as_typed_on_any_keyboard(editor_client, article_factory):
    article = article_factory(title_fa="باران در تهران", title_en="")
    book = BookFactory(title_fa="کتاب باران", title_en="")
    article_factory(title_fa="خبر دیگر", title_en="")
    answer = search(editor_client, "باران").json()["results"]
    assert {unquote(r["url"]) for r in answer} == {
        unquote(article.url_in("fa")),
        unquote(book.url_in("fa")),
    }
    assert all(r["url"].startswith("/fa/") for r in answer)  # paths: links survive a new domain
    # Typed with the Arabic ك: found as کتاب.
    assert [r["title"] for r in search(editor_client, "كتاب").json()["results"]] == ["کتاب باران"]


def test_only_the_edition_being_written_and_nothing_in_the_trash(editor_client, article_factory):
    article_factory(title_fa="", title_en="Rain in Tehran")
    gone = article_factory(title_fa="باران رفته", title_en="")
    gone.delete()  # to the trash
    assert search(editor_client, "باران").json()["results"] == []
    assert [r["title"] for r in search(editor_client, "Rain", "en").json()["results"]] == [
        "Rain in Tehran"
    ]


def test_drafts_are_found_and_said_not_public(editor_client, article_factory):
    article_factory(title_fa="پیش‌نویس باران", title_en="", status=Status.DRAFT)
    (found,) = search(editor_client, "باران").json()["results"]
    assert found["live"] is False


def test_who_may_search_and_what_is_refused(editor_client, article_factory):
    article_factory(title_fa="باران", title_en="")
    assert search(editor_client, "باران", edition="xx").status_code == 400
    assert search(editor_client, "").json() == {"results": []}
    client = Client()
    assert search(client, "باران").status_code == 302  # to sign in
    moderator = User.objects.create_user("mod", password="a-moderator-password", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    assert search(client, "باران").json()["results"] == []  # moderators see no articles


def test_a_contributor_finds_the_published_and_their_own_drafts_only(article_factory):
    writer = User.objects.create_user("writer", password="a-writer-password", is_staff=True)
    writer.groups.add(Group.objects.get(name="Contributors"))
    article_factory(title_fa="باران منتشر", title_en="")
    article_factory(title_fa="باران من", title_en="", status=Status.DRAFT, created_by=writer)
    article_factory(title_fa="باران دیگری", title_en="", status=Status.DRAFT)
    client = Client()
    client.force_login(writer)
    titles = {found["title"] for found in search(client, "باران").json()["results"]}
    assert titles == {"باران منتشر", "باران من"}


@pytest.mark.parametrize("typed", ['"باران', "'", 'باران"', "با\x00ران", '"باران"'])
def test_odd_quotes_and_nul_characters_are_searched_not_refused_with_an_error(
    editor_client, article_factory, typed
):
    article_factory(title_fa="باران", title_en="")
    assert search(editor_client, typed).status_code == 200
    for listing in ("/admin/articles/article/", "/admin/media_library/libraryimage/choose/"):
        assert editor_client.get(listing, {"q": typed}).status_code == 200
