"""Replaced and deleted uploads leave storage after the commit, unless still referred to."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from media_gallery.models import Gallery, Photo, refresh_gallery
from nejat.demo_files import demo_image, demo_pdf
from nejat.images import Picture
from nejat.publishing import Status
from nejat.uploads import rendition_names

pytestmark = pytest.mark.django_db


def jpeg(seed):
    return SimpleUploadedFile(f"photo{seed}.jpg", demo_image(seed).read(), "image/jpeg")


def stored_files(picture: Picture):
    return [picture.file.name, *rendition_names(picture.manifest)]


def exist(names):
    return [default_storage.exists(name) for name in names]


def test_a_replaced_image_and_its_renditions_go_after_the_commit(
    article_factory, django_capture_on_commit_callbacks
):
    article = article_factory(featured_image=jpeg(1))
    old = stored_files(article.featured_image_picture)
    assert len(old) == 1 + 2 * 3 and all(exist(old))  # original, WebP and JPEG at 3 widths
    with django_capture_on_commit_callbacks() as on_commit:
        article = Article.objects.get(pk=article.pk)
        article.featured_image = jpeg(2)
        article.save()
    assert all(exist(old)), "deleted before the commit"
    for callback in on_commit:
        callback()
    assert not any(exist(old))
    assert all(exist(stored_files(Article.objects.get(pk=article.pk).featured_image_picture)))


def test_an_unchanged_save_keeps_the_files(article_factory, django_capture_on_commit_callbacks):
    article = article_factory(
        featured_image=jpeg(3), pdf=SimpleUploadedFile("a.pdf", demo_pdf().read())
    )
    kept = [*stored_files(article.featured_image_picture), article.pdf.name]
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=article.pk).save()
    assert all(exist(kept))


def test_clearing_and_deleting_remove_files(article_factory, django_capture_on_commit_callbacks):
    article = article_factory(
        featured_image=jpeg(4), pdf=SimpleUploadedFile("a.pdf", demo_pdf().read())
    )
    image = stored_files(article.featured_image_picture)
    pdf = article.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        article.featured_image = None
        article.save()
    assert not any(exist(image)) and default_storage.exists(pdf)
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert not default_storage.exists(pdf)


def test_a_file_still_named_by_another_row_stays(django_capture_on_commit_callbacks):
    gallery = Gallery.objects.create(title_en="Album", status=Status.PUBLISHED)
    first = Photo.objects.create(gallery=gallery, position=1, image=jpeg(5))
    Photo.objects.create(gallery=gallery, position=2, image=jpeg(6))
    refresh_gallery(gallery)
    files = stored_files(first.image_picture)
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()  # still the gallery's cover
    assert all(exist(files))
    with django_capture_on_commit_callbacks(execute=True):
        refresh_gallery(gallery)  # the second photo becomes the cover: nothing names it now
    assert Gallery.objects.get(pk=gallery.pk).cover.name != files[0]
    assert not any(exist(files))
