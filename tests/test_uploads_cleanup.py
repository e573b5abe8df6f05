"""Replaced and deleted uploads are recorded after the commit and swept once nothing names them."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from media_gallery.models import Gallery, Photo
from nejat.media.images import Picture
from nejat.media.uploads import rendition_names, sweep
from nejat.models import StaleUpload
from nejat.ops.demo_files import demo_image, demo_pdf
from nejat.publishing import Status

pytestmark = pytest.mark.django_db
NOW = timedelta(0)


def jpeg(seed):
    return SimpleUploadedFile(f"photo{seed}.jpg", demo_image(seed).read(), "image/jpeg")


def pdf():
    return SimpleUploadedFile("paper.pdf", demo_pdf().read(), "application/pdf")


def stored_files(picture: Picture):
    return [picture.file.name, *rendition_names(picture.manifest)]


def exist(names):
    return [default_storage.exists(name) for name in names]


def test_a_replaced_image_and_its_renditions_go_after_commit_and_sweep(
    article_factory, django_capture_on_commit_callbacks
):
    article = article_factory(featured_image=jpeg(1))
    old = stored_files(article.featured_image_picture)
    assert len(old) == 1 + 2 * 3 and all(exist(old))  # original, WebP and JPEG at 3 widths
    with django_capture_on_commit_callbacks() as on_commit:
        article = Article.objects.get(pk=article.pk)
        article.featured_image = jpeg(2)
        article.save()
    assert not StaleUpload.objects.exists(), "recorded before the commit"
    for callback in on_commit:
        callback()
    assert StaleUpload.objects.get().name == old[0]
    assert sweep() == (0, 0)  # younger than UPLOAD_SWEEP_AFTER_HOURS: left for later
    assert sweep(NOW) == (1, 0)
    assert not any(exist(old)) and not StaleUpload.objects.exists()
    assert all(exist(stored_files(Article.objects.get(pk=article.pk).featured_image_picture)))


def test_an_unchanged_save_records_nothing(article_factory, django_capture_on_commit_callbacks):
    article = article_factory(featured_image=jpeg(3), pdf=pdf())
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=article.pk).save()
    assert not StaleUpload.objects.exists()


def test_clearing_and_deleting_remove_files(article_factory, django_capture_on_commit_callbacks):
    article = article_factory(featured_image=jpeg(4), pdf=pdf())
    image, paper = stored_files(article.featured_image_picture), article.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        article.featured_image = None
        article.save()
    sweep(NOW)
    assert not any(exist(image)) and default_storage.exists(paper)
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()  # to the trash: its files wait with it, to be restored
    sweep(NOW)
    assert default_storage.exists(paper)
    with django_capture_on_commit_callbacks(execute=True):
        article.delete_forever()
    sweep(NOW)
    assert not default_storage.exists(paper)


def test_a_file_another_body_shows_stays(article_factory, django_capture_on_commit_callbacks):
    """An editor pasted the image's address into another article: deleting its first article
    must not break the second."""
    article = article_factory(featured_image=jpeg(5))
    files = stored_files(article.featured_image_picture)
    address = article.featured_image_picture.best_url
    article_factory(body_en=f'<p>As shown before:</p><img src="{address}" alt="">')
    with django_capture_on_commit_callbacks(execute=True):
        article.delete_forever()
    assert sweep(NOW) == (0, 1)
    assert all(exist(files))


def test_a_file_still_named_by_another_row_stays(
    article_factory, django_capture_on_commit_callbacks
):
    first = article_factory(featured_image=jpeg(6))
    files = stored_files(first.featured_image_picture)
    second = article_factory()
    Article.objects.filter(pk=second.pk).update(  # e.g. an importer reusing a stored file
        featured_image=first.featured_image.name,
        featured_image_renditions=first.featured_image_renditions,
    )
    with django_capture_on_commit_callbacks(execute=True):
        first.delete_forever()
    assert sweep(NOW) == (0, 1) and all(exist(files))


def test_deleting_a_gallerys_cover_photo(django_capture_on_commit_callbacks):
    gallery = Gallery.objects.create(title_en="Album", status=Status.PUBLISHED)
    first = Photo.objects.create(gallery=gallery, position=1, image=jpeg(7))
    Photo.objects.create(gallery=gallery, position=2, image=jpeg(8))
    files = stored_files(first.image_picture)
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()  # the second photo becomes the cover at once: nothing names it now
    assert Gallery.objects.get(pk=gallery.pk).cover.name != files[0]
    sweep(NOW)
    assert not any(exist(files))
