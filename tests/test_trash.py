"""Deleting moves to the trash: gone from the site at once, 410 at its address, restorable with
everything it had for TRASH_DAYS, then deleted for good."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from media_gallery.models import Gallery, Photo
from nejat.comments.models import Comment
from nejat.models import set_edition_tags
from tests.conftest import comment_on
from tests.helpers.media import gallery_with_photos

pytestmark = pytest.mark.django_db


def admin_url(item, view):
    meta = item._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[item.pk])


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_a_deleted_gallery_waits_in_the_trash_and_comes_back_whole(editor_client):
    gallery = gallery_with_photos(3, title_en="Flood album", title_fa="آلبوم سیل")
    comment_on(gallery, status=Comment.Status.APPROVED, text="Thank you for these.")
    address, address_fa = gallery.url_in("en"), gallery.url_in("fa")
    assert Client().get(address).status_code == 200

    confirm = editor_client.get(admin_url(gallery, "delete"))
    assert "will be moved to the trash" in confirm.content.decode()
    response = editor_client.post(admin_url(gallery, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert "is in the trash" in editor_client.get(response.url).content.decode()

    gallery.refresh_from_db()  # nothing deleted: photos, comment and text are still there
    assert gallery.in_the_trash and Photo.objects.filter(gallery=gallery).count() == 3
    assert Comment.objects.for_item(gallery).count() == 1
    for path, says in ((address, "This page was removed"), (address_fa, "این صفحه برداشته شد")):
        gone = Client().get(path)  # gone from the site, for readers and staff alike
        assert gone.status_code == 410 and says in gone.content.decode()
        assert editor_client.get(path).status_code == 410
    assert "Flood album" not in Client().get("/media/photos/").content.decode()
    assert "Flood album" not in Client().get("/sitemap.xml").content.decode()
    assert "Flood album" not in Client().get("/search/?q=Flood").content.decode()
    listed = editor_client.get(changelist(Gallery)).content.decode()
    assert "Flood album" not in listed  # the list leaves the trash out
    assert "Flood album" in editor_client.get(changelist(Gallery) + "?state=trash").content.decode()

    editor_client.post(  # from the trash's list, as the editor sees it
        changelist(Gallery) + "?state=trash",
        {"action": "restore_from_trash", "_selected_action": [gallery.pk]},
    )
    gallery.refresh_from_db()
    assert not gallery.in_the_trash
    page = Client().get(address)
    assert page.status_code == 200 and "Thank you for these." in page.content.decode()
    assert Photo.objects.filter(gallery=gallery).count() == 3


def test_bulk_delete_goes_to_the_trash_and_emptying_deletes_for_good(
    editor_client, article_factory
):
    kept, binned = article_factory(title_en="Kept"), article_factory(title_en="Binned")
    set_edition_tags(binned, {"en": ["floods"]})
    comment_on(binned)
    actions = editor_client.get(changelist(Article)).content.decode()
    assert "delete_selected" not in actions and "move_to_trash" in actions
    editor_client.post(
        changelist(Article), {"action": "move_to_trash", "_selected_action": [binned.pk]}
    )
    assert Article.objects.in_trash().get() == binned
    assert Article.objects.public("en").get() == kept
    editor_client.post(  # "delete for good" touches only what is in the trash
        changelist(Article) + "?state=trash",
        {"action": "delete_forever", "_selected_action": [kept.pk, binned.pk]},
    )
    assert list(Article.objects.all()) == [kept]
    assert not Comment.objects.exists()  # the item's comments went with it


@pytest.mark.dates
def test_the_trash_is_emptied_after_its_days(article_factory, settings):
    settings.TRASH_DAYS = 30
    old, recent = article_factory(title_en="Old"), article_factory(title_en="Recent")
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=31)):
        old.delete()
    with time_machine.travel(now - timedelta(days=29)):
        recent.delete()
    call_command("empty_trash")
    assert not Article.objects.filter(pk=old.pk).exists()
    assert Article.objects.in_trash().get() == recent


def test_delete_from_code_goes_to_the_trash_too(article_factory):
    article = article_factory(title_en="From the shell")
    Article.objects.filter(pk=article.pk).delete()
    assert Article.objects.in_trash().get() == article
    article.refresh_from_db()
    article.delete_forever()
    assert not Article.objects.exists()
