"""Review before publishing: a contributor writes and submits, an editor is told and publishes;
a reviewer without an account reads the piece by a signed link; a contributor is refused the
rest, however the request is made."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from media_gallery.models import Cartoon, Gallery, NewsPic, Video
from nejat.pages.models import Page
from nejat.publishing import Status, fill_missing_slugs
from publications.factories import BookFactory, BriefFactory, NewsletterFactory
from tests.conftest import _staff_in
from tests.helpers.forms import article_form, form_fields, save_again

pytestmark = pytest.mark.django_db


@pytest.fixture
def contributor(db):
    return _staff_in("Contributors", "contributor")


@pytest.fixture
def contributor_client(contributor):
    client = Client()
    client.force_login(contributor)
    return client


def admin_url(item, view="change"):
    meta = item._meta
    with translation.override("en"):  # the English admin, whatever a request left active
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[item.pk])


def preview_links(html):
    return re.findall(r'href="(/(?:[a-z]{2}/)?preview/[^"]+/)"', html)


@pytest.mark.dates
def test_a_contributors_piece_goes_through_review_to_publication(
    contributor_client, editor, editor_client, django_capture_on_commit_callbacks
):
    editor.email = "editor@example.org"
    editor.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = contributor_client.post(
            "/admin/articles/article/add/",
            article_form(title_fa="گزارش مشارکت‌کننده", body_fa="<p>متن پیش‌نویس.</p>",
                         status=Status.PENDING),
        )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    piece = Article.objects.get()
    assert piece.status == Status.PENDING and piece.created_by.username == "contributor"
    assert Client().get(piece.url_in("fa")).status_code == 404  # not public yet
    (told,) = mail.outbox
    assert told.to == ["editor@example.org"] and "گزارش مشارکت‌کننده" in told.subject
    assert admin_url(piece) in told.body

    home = editor_client.get("/admin/").content.decode()
    assert "Waiting for review" in home and admin_url(piece) in home

    # A reviewer without an account reads it by the link the change form shows.
    (link,) = preview_links(editor_client.get(admin_url(piece)).content.decode())
    shown = Client().get(link)
    assert shown.status_code == 200 and "متن پیش‌نویس." in shown.content.decode()
    assert shown["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in shown["Cache-Control"] and "s-maxage" not in shown["Cache-Control"]
    assert Client().get(link.replace("/preview/", "/preview/x")).status_code == 404  # forged
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        assert Client().get(link).status_code == 404  # expired

    # The contributor cannot publish it, not even with a crafted request.
    crafted = save_again(contributor_client, admin_url(piece), "article_form", status="published")
    assert crafted.status_code == 200 and "Select a valid choice" in crafted.content.decode()
    piece.refresh_from_db()
    assert piece.status == Status.PENDING

    assert save_again(editor_client, admin_url(piece), "article_form", status="published",
                      publish_at_0=timezone.localdate().isoformat(),
                      publish_at_1="00:00:00").status_code == 302  # fmt: skip
    piece.refresh_from_db()
    assert piece.is_published and Client().get(piece.url_in("fa")).status_code == 200
    # Published, it is the editors' now: the contributor may read it in the admin, not change it.
    assert contributor_client.post(admin_url(piece), {"title_fa": "دزدکی"}).status_code == 403


def published(model, **fields):
    item = model(status=Status.PUBLISHED, title_en=f"Someone else's {model.__name__}", **fields)
    fill_missing_slugs(item)
    item.save()
    return item


CONTENT = [
    lambda: published(Article),
    lambda: NewsletterFactory(status=Status.DRAFT, title_en="Someone else's Newsletter"),
    lambda: BriefFactory(status=Status.DRAFT, title_en="Someone else's Brief"),
    lambda: BookFactory(status=Status.DRAFT, title_en="Someone else's Book"),
    lambda: published(Gallery),
    lambda: published(Video, embed_url="https://youtu.be/abcdefghijk"),
    lambda: published(Cartoon),
    lambda: published(NewsPic),
]


@pytest.mark.parametrize("make", CONTENT)
def test_a_contributor_is_refused_other_peoples_items_and_publishing(
    contributor, contributor_client, make
):
    theirs = make()
    model, title = type(theirs), str(theirs)
    listing = contributor_client.get(reverse(f"admin:{theirs._meta.app_label}_"
                                             f"{theirs._meta.model_name}_changelist"))  # fmt: skip
    assert listing.status_code == 200 and title not in listing.content.decode()
    for view in ("change", "delete", "history"):
        refused = contributor_client.get(admin_url(theirs, view))
        assert refused.status_code in (302, 403, 404), view  # "doesn't exist" or forbidden
        assert title not in refused.content.decode(), view
    assert contributor_client.post(admin_url(theirs), {"title_en": "Mine now"}).status_code in (
        302, 403, 404,
    )  # fmt: skip
    assert contributor_client.post(admin_url(theirs, "delete"), {"post": "yes"}).status_code in (
        302, 403, 404,
    )  # fmt: skip
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    mine = make()
    type(mine).objects.filter(pk=mine.pk).update(created_by=contributor, status=Status.DRAFT)
    for action in ("publish", "move_to_trash", "delete_forever"):
        contributor_client.post(changelist, {"action": action, "_selected_action": [mine.pk]})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == Status.DRAFT and not mine.in_the_trash
    assert str(theirs) == title and not theirs.in_the_trash


def test_a_contributor_writes_no_pages_and_no_settings(contributor_client):
    page = published(Page)
    for url in ("/admin/pages/page/", "/admin/pages/page/add/", admin_url(page),
                "/admin/pages/sitesettings/"):  # fmt: skip
        assert contributor_client.get(url).status_code == 403, url


def test_a_contributor_previews_only_their_own_drafts_on_the_site(
    contributor, contributor_client, editor_client
):
    theirs = Article.objects.create(title_en="An editor's draft", status=Status.DRAFT)
    mine = Article.objects.create(title_en="My draft", status=Status.DRAFT, created_by=contributor)
    assert contributor_client.get(mine.url_in("en")).status_code == 200
    assert contributor_client.get(theirs.url_in("en")).status_code == 404
    assert editor_client.get(theirs.url_in("en")).status_code == 200


def test_the_review_link_is_offered_only_while_unpublished(editor_client):
    draft = Article.objects.create(title_en="Draft", title_fa="پیش‌نویس", status=Status.DRAFT)
    links = preview_links(editor_client.get(admin_url(draft)).content.decode())
    assert len(links) == 2 and any(link.startswith("/fa/preview/") for link in links)
    live = published(Article)
    assert preview_links(editor_client.get(admin_url(live)).content.decode()) == []
    fields = form_fields(editor_client.get(admin_url(draft)).content.decode(), "article_form")
    assert "review_link" not in fields  # read-only: nothing to post


@pytest.mark.dates
def test_the_admin_home_shows_the_editions_at_a_glance(
    editor, editor_client, moderator, article_factory, django_assert_num_queries
):
    from nejat.comments.models import Comment
    from nejat.editorial import dashboard
    from nejat.publishing import publishable_models
    from tests.conftest import comment_on

    now = timezone.now()
    article_factory(title_en="", title_fa="منتشر شده")  # an hour ago: this week, Persian only
    article_factory(title_en="English only")
    article_factory(title_en="Tomorrow", publish_at=now + timedelta(days=1))
    Article.objects.create(title_fa="در انتظار", status=Status.PENDING)
    Article.objects.create(title_sq="Skicë", status=Status.DRAFT)
    old = article_factory(title_en="Last month", publish_at=now - timedelta(days=30))
    comment_on(old, status=Comment.Status.PENDING)

    dashboard.edition_counts(editor)  # the editor's permissions, loaded once
    with django_assert_num_queries(len(publishable_models())):  # one per content type
        counts = dashboard.edition_counts(editor)
    by_edition = {code: numbers for _name, code, numbers in counts["rows"]}
    # published this week, scheduled, pending review, drafts, missing a translation
    assert by_edition["en"] == [1, 1, 0, 0, 1]
    assert by_edition["fa"] == [1, 0, 1, 0, 2]
    assert by_edition["sq"] == [0, 0, 0, 1, 3]
    home = editor_client.get("/admin/").content.decode()
    assert "The editions at a glance" in home and "Missing a translation" in home
    assert "Recent changes" in home
    assert "1 comment waiting for moderation" in home
    moderator_client = Client()
    moderator_client.force_login(moderator)
    moderator_home = moderator_client.get("/admin/").content.decode()
    assert "1 comment waiting for moderation" in moderator_home
    assert "The editions at a glance" not in moderator_home  # moderators publish nothing
