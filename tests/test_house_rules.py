"""The rules that live in the models, not in the admin (issue "one rule, one place")."""

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from media_gallery.models import Gallery, Photo, refresh_gallery
from nejat.media.images import Picture
from nejat.ops.demo_files import demo_image
from nejat.publishing import Publishable, Status
from tests.conftest import comment_on

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


PUBLIC_TYPES = [
    model
    for model in admin_site._registry
    if issubclass(model, Publishable) and model.detail_url_name
]


@pytest.mark.parametrize("model", PUBLIC_TYPES, ids=lambda model: model._meta.label)
def test_one_preview_banner_on_every_type_of_page(editor_client, model):
    """Drafts of every public type show the same banner to staff."""
    fields = {"title_en": f"Draft {model.__name__}", "status": Status.DRAFT}
    if "number" in {f.name for f in model._meta.fields}:
        fields["number"] = 7
    draft = model.objects.create(**fields)
    pages = [draft.get_absolute_url()]
    if model is Gallery:
        Photo.objects.create(gallery=draft, position=1, image=png(3))
        pages.append(draft.photo_url(1, "en"))
    for page in pages:
        html = editor_client.get(page).content.decode()
        assert html.count('class="preview-banner"') == 1, page
        assert "Preview: this is a draft. Readers cannot see this page." in html, page


def test_photos_added_and_removed_from_code_keep_count_and_cover():
    gallery = Gallery.objects.create(title_en="Album", status=Status.PUBLISHED)
    first = Photo.objects.create(gallery=gallery, position=1, image=png(1))
    second = Photo.objects.create(gallery=gallery, position=2, image=png(2))
    gallery.refresh_from_db()
    assert gallery.photo_count == 2 and gallery.cover.name == first.image.name
    first.delete()
    gallery.refresh_from_db()
    assert gallery.photo_count == 1 and gallery.cover.name == second.image.name


def test_isbn_is_stored_plain_whoever_saves():
    from publications.models import Book

    book = Book.objects.create(title_en="A book", isbn="978-0-306-40615-7")
    assert Book.objects.get(pk=book.pk).isbn == "9780306406157"


def test_a_comment_saved_from_code_counts():
    from articles.models import Article
    from nejat.comments.models import Comment

    article = Article.objects.create(title_en="Story", status=Status.PUBLISHED)
    comment = comment_on(article, status=Comment.Status.APPROVED)
    assert Article.objects.get(pk=article.pk).comment_count == 1
    comment.delete()
    assert Article.objects.get(pk=article.pk).comment_count == 0
