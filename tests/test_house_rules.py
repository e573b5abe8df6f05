"""The rules that live in the models, not in the admin (issue "one rule, one place")."""

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from media_gallery.models import Gallery, Photo, refresh_gallery
from nejat.demo_files import demo_image
from nejat.images import Picture
from nejat.publishing import Publishable, Status

pytestmark = pytest.mark.django_db


def png(seed, size=(300, 200)):
    return SimpleUploadedFile(f"p{seed}.png", demo_image(seed, size=size, fmt="PNG").read())


def album(**titles):
    gallery = Gallery.objects.create(status=Status.PUBLISHED, **titles)
    for n in (1, 2):
        Photo.objects.create(gallery=gallery, position=n, image=png(n), caption_en=f"Cap {n}")
    refresh_gallery(gallery)
    gallery.refresh_from_db()
    return gallery


def test_photo_pages_of_a_gallery_without_a_slug_can_be_reached(client):
    gallery = album(title_en="!!!")  # punctuation only: no slug in English
    assert gallery.slug_en == ""
    second = gallery.photo_url(2, "en")
    assert second == f"/media/photos/{gallery.pk}/-/2/"
    page = client.get(second)
    assert page.status_code == 200 and "Cap 2" in page.content.decode()
    assert second in client.get(gallery.get_absolute_url()).content.decode()


def test_an_uploaded_gallery_cover_is_kept_when_photos_change():
    gallery = album(title_en="Album")
    assert gallery.cover_from_photos and gallery.cover.name == gallery.photos.first().image.name
    gallery.cover = png(9)
    gallery.save()
    refresh_gallery(gallery)
    gallery.refresh_from_db()
    assert not gallery.cover_from_photos and "p9" in gallery.cover.name
    gallery.cover = None
    gallery.save()
    refresh_gallery(gallery)
    gallery.refresh_from_db()
    assert gallery.cover.name == gallery.photos.first().image.name


def test_one_picture_object_reads_every_manifest():
    gallery = album(title_en="Album")
    photo = gallery.photos.first()
    picture = photo.image_picture
    assert isinstance(picture, Picture) and picture.has_renditions
    assert picture.best_url.endswith(".300w.png") and picture.thumbnail_url.endswith(".300w.png")
    assert "300w" in picture.srcset("webp") and (picture.width, picture.height) == (300, 200)
    assert gallery.card_image().best_url == picture.best_url
    assert not Picture(None, {}) and Picture(None, {}).best_url == ""


def test_every_publishable_type_names_its_card_image():
    """Lists, feeds, share cards and the admin's thumbnails all ask ``card_image()``."""
    for model in admin_site._registry:
        if issubclass(model, Publishable) and model._meta.model_name != "brief":
            assert model.card_image_field, model
            assert hasattr(model, f"{model.card_image_field}_picture"), model


def test_admin_thumbnails_of_photos_and_lists(editor_client):
    gallery = album(title_en="Album")
    listing = editor_client.get("/admin/media_gallery/gallery/").content.decode()
    assert gallery.card_image().thumbnail_url in listing
    change = editor_client.get(f"/admin/media_gallery/gallery/{gallery.pk}/change/")
    assert gallery.photos.first().image_picture.thumbnail_url in change.content.decode()
    assert Client().get(gallery.get_absolute_url()).status_code == 200


def test_one_preview_banner_on_every_type_of_page(editor_client):
    """Drafts of every public type show the same banner to staff."""
    from articles.models import Article
    from media_gallery.models import Video
    from nejat.pages.models import Page
    from publications.models import Book

    for model in (Article, Page, Gallery, Video, Book):
        draft = model.objects.create(title_en=f"Draft {model.__name__}", status=Status.DRAFT)
        html = editor_client.get(draft.get_absolute_url()).content.decode()
        assert html.count('class="preview-banner"') == 1, model
        assert "Preview: this is a draft. Readers cannot see this page." in html, model
