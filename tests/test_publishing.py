"""The one "what may the public see" rule: published, due, and in the edition's language."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from articles.models import Article
from nejat.delivery.lifetime import next_scheduled_publication
from nejat.editorial.dashboard import edition_counts
from nejat.publishing import (
    State,
    Status,
    fill_missing_slugs,
    may_see,
    visible_to,
)
from nejat.publishing.schedule import scheduled_items
from tests.conftest import _staff_in

pytestmark = pytest.mark.django_db


def titles(queryset):
    return sorted(a.title_en or a.title_fa or a.title_ar for a in queryset)


@pytest.mark.dates
def test_published_excludes_drafts_and_scheduled(article_factory):
    article_factory(title_en="Live")
    article_factory(title_en="Draft", status=Status.DRAFT)
    article_factory(title_en="Scheduled", publish_at=timezone.now() + timedelta(days=1))
    assert titles(Article.objects.published()) == ["Live"]


@pytest.mark.dates
def test_scheduled_article_becomes_public_when_its_time_comes(article_factory):
    article = article_factory(title_en="Soon", publish_at=timezone.now() + timedelta(minutes=5))
    assert article.is_scheduled and not Article.objects.public("en").exists()
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert list(Article.objects.public("en")) == [article]


def test_in_edition_needs_a_title_in_that_language(article_factory):
    article_factory(title_en="English only")
    article_factory(title_en="", title_fa="فقط فارسی")
    article_factory(title_en="Both", title_fa="هر دو")
    assert titles(Article.objects.public("en")) == ["Both", "English only"]
    assert {a.title_fa for a in Article.objects.public("fa")} == {"فقط فارسی", "هر دو"}
    assert not Article.objects.public("ar").exists()


def test_in_edition_defaults_to_the_active_language(article_factory):
    article_factory(title_en="", title_sq="Vetëm shqip")
    with translation.override("sq"):
        assert Article.objects.in_edition().count() == 1
    with translation.override("en"):
        assert Article.objects.in_edition().count() == 0


def test_no_fallback_to_english_text_inside_another_edition(article_factory):
    article = article_factory(title_en="English title")
    with translation.override("fa"):
        assert article.title == ""


def test_slugs_are_made_per_language_in_their_own_script():
    article = Article(title_en="Hello World", title_fa="سلام دنیا", title_ar="مرحبا بالعالم")
    fill_missing_slugs(article)
    assert article.slug_en == "hello-world"
    assert article.slug_fa == "سلام-دنیا"
    assert article.slug_ar == "مرحبا-بالعالم"
    assert not article.slug_sq


def test_an_item_needs_a_title_in_at_least_one_language():
    with pytest.raises(ValidationError):
        Article(status=Status.PUBLISHED).clean()


def test_absolute_url_uses_the_edition_slug_and_falls_back_to_an_existing_edition(
    article_factory,
):
    article = article_factory(title_en="", title_fa="خبر تازه")
    with translation.override("en"):
        url = article.get_absolute_url()
    assert url.startswith(f"/fa/articles/{article.pk}/")
    assert "%D8%AE%D8%A8%D8%B1" in url  # "خبر", percent-encoded by reverse()


# --- One state rule ---------------------------------------------------------------------------


def item_in(state, author=None, code="en"):
    """An article in ``state`` (``State``), written by ``author``."""
    now = timezone.now()
    fields = {
        State.LIVE: {"status": Status.PUBLISHED, "publish_at": now - timedelta(hours=1)},
        State.SCHEDULED: {"status": Status.PUBLISHED, "publish_at": now + timedelta(hours=1)},
        State.PENDING: {"status": Status.PENDING},
        State.DRAFT: {"status": Status.DRAFT},
        # Published and due, but in the trash: the trash wins.
        State.TRASH: {"status": Status.PUBLISHED, "publish_at": now - timedelta(hours=1)},
    }[state]
    item = Article.objects.create(
        **{f"title_{code}": f"{state.label}"}, created_by=author, **fields
    )
    if state == State.TRASH:
        item.delete()
    return Article.objects.get(pk=item.pk)


@pytest.mark.dates
def test_every_state_is_one_rule_on_the_queryset_and_the_model():
    items = {state: item_in(state) for state in State}
    for state, item in items.items():
        assert item.state == state
        assert list(Article.objects.in_state(state)) == [item], state
        assert item.is_published == (state == State.LIVE)
        assert item.is_scheduled == (state == State.SCHEDULED)
        assert item.in_the_trash == (state == State.TRASH)
    assert list(Article.objects.published()) == [items[State.LIVE]]
    assert list(Article.objects.public("en")) == [items[State.LIVE]]
    assert list(Article.objects.scheduled()) == [items[State.SCHEDULED]]


@pytest.mark.dates
def test_the_trash_says_so_in_the_list_the_dashboard_the_agenda_and_the_cache(editor_client):
    trashed = item_in(State.TRASH)
    ahead = timezone.now() + timedelta(minutes=30)
    scheduled_then_trashed = Article.objects.create(
        title_en="Embargo pulled", status=Status.PUBLISHED, publish_at=ahead
    )
    scheduled_then_trashed.delete()
    listing = editor_client.get("/admin/articles/article/", {"state": "trash"})
    row = next(r for r in listing.content.decode().split("<tr") if trashed.title_en in r)
    assert "In the trash" in row and "Live" not in row
    editor = listing.wsgi_request.user
    counts = {code: cells for _name, code, cells in edition_counts(editor)["rows"]}
    assert counts["en"] == [0, 0, 0, 0, 0]  # nothing in the trash is counted
    assert scheduled_items(editor) == []
    assert next_scheduled_publication() == 0  # a pulled embargo does not shorten cache lifetimes


@pytest.mark.dates
def test_unpublish_is_a_model_method_beside_publish(editor_client):
    live = item_in(State.LIVE)
    live.unpublish()
    live.save()
    assert Article.objects.get(pk=live.pk).state == State.DRAFT
    again = item_in(State.LIVE)
    editor_client.post(
        "/admin/articles/article/", {"action": "unpublish", "_selected_action": [again.pk]}
    )
    assert Article.objects.get(pk=again.pk).state == State.DRAFT


def people():
    """Every kind of visitor: by name, the user (AnonymousUser for a stranger)."""
    reader = User.objects.create_user("reader", password="pw-for-tests-only")
    retired = _staff_in("Editors", "retired")
    retired.is_active = False
    retired.save()
    return {
        "stranger": AnonymousUser(),
        "reader": reader,
        "contributor": _staff_in("Contributors", "contributor"),
        "other contributor": _staff_in("Contributors", "other"),
        "moderator": _staff_in("Moderators", "moderator"),
        "editor": _staff_in("Editors", "editor"),
        "inactive editor": retired,
        "superuser": User.objects.create_superuser("root", password="pw-for-tests-only"),
    }


@pytest.mark.dates
def test_may_see_and_visible_to_agree_for_every_role_and_state():
    """The public pages ask ``may_see`` of one item, lists and link search ``visible_to``."""
    visitors = people()
    items = [
        item_in(state, author=author)
        for state in State
        for author in (None, visitors["contributor"])
    ]
    for name, user in visitors.items():
        listed = seen_by(user)
        for item in items:
            assert may_see(user, item) == (item.pk in listed), (name, item.state, item.created_by)
    # And what that means, for the record:
    live = [i.pk for i in items if i.state == State.LIVE]
    own = [i.pk for i in items if i.created_by == visitors["contributor"]]
    assert seen_by(visitors["stranger"]) == seen_by(visitors["moderator"]) == set(live)
    assert seen_by(visitors["contributor"]) == set(live) | set(own)
    assert seen_by(visitors["editor"]) == {item.pk for item in items}


def seen_by(user):
    return set(visible_to(user, Article.objects.all()).values_list("pk", flat=True))
