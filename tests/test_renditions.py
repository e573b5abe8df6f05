"""Renditions are encoded by a job of the queue, off the request; pages show a sized
placeholder until a worker has made them."""

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from articles.models import Article
from media_gallery.models import Gallery
from nejat.media import renditions
from nejat.ops.demo_files import demo_image
from nejat.ops.jobs import run_queued_jobs
from tests.helpers.forms import admin_gallery_form
from tests.helpers.media import make_zip


def jpeg(seed, size=(1200, 800)):
    return SimpleUploadedFile(f"p{seed}.jpg", demo_image(seed, size=size).read(), "image/jpeg")


@pytest.fixture
def in_background(settings):
    settings.RENDITIONS_IN_BACKGROUND = True
    yield
    run_queued_jobs(["media"])


@pytest.fixture
def held_queue(monkeypatch):
    """The background jobs wait until the test lets them go."""
    go = threading.Event()
    make = renditions.make_pending

    def held(*args):
        assert go.wait(timeout=30)
        return make(*args)

    monkeypatch.setattr(renditions, "make_pending", held)
    yield go
    go.set()


@pytest.mark.django_db(transaction=True)  # a worker reads committed rows only
def test_an_image_is_stored_at_once_and_encoded_after_the_commit(
    in_background, held_queue, article_factory
):
    article = article_factory(featured_image=jpeg(1))
    saved = Article.objects.get(pk=article.pk)
    picture = saved.featured_image_picture
    assert picture.pending and (picture.width, picture.height) == (1200, 800)
    html = Client().get(saved.url_in("en")).content.decode()
    assert 'class="image-pending"' in html and 'width="1200" height="800"' in html

    saved.title_en = "Saved again while the encoding waits"
    saved.save()  # writes the pending manifest it read: the job is queued again
    held_queue.set()
    run_queued_jobs(["media"])
    picture = Article.objects.get(pk=article.pk).featured_image_picture
    assert not picture.pending and picture.has_renditions
    assert picture.srcset("webp").count("w,") == 3  # 320, 640, 960, 1200


@pytest.mark.django_db(transaction=True)
def test_a_zip_of_photos_answers_before_the_encoding(in_background, superuser_client):
    photos = make_zip([(f"{n}.jpg", demo_image(n, size=(800, 600)).read()) for n in range(6)])
    response = superuser_client.post(
        "/admin/media_gallery/gallery/add/",
        admin_gallery_form(title_en="Many photos", photos_zip=SimpleUploadedFile("a.zip", photos)),
    )
    assert response.status_code == 302
    gallery = Gallery.objects.get()
    assert gallery.photo_count == 6
    run_queued_jobs(["media"])
    gallery.refresh_from_db()
    assert all(photo.image_picture.has_renditions for photo in gallery.photos.all())
    assert gallery.card_image().has_renditions  # the cover, a copy of the first photo's manifest


@pytest.mark.django_db
def test_what_a_stopped_process_left_pending_is_made_by_the_command(settings, article_factory):
    settings.RENDITIONS_IN_BACKGROUND = True  # in a test transaction, on_commit never comes
    article = article_factory(featured_image=jpeg(2, size=(700, 500)))
    assert Article.objects.get(pk=article.pk).featured_image_picture.pending
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    assert "for 1 image(s); 0 failed" in out.getvalue()
    assert Article.objects.get(pk=article.pk).featured_image_picture.has_renditions


@pytest.mark.django_db
def test_an_image_that_cannot_be_encoded_is_shown_as_it_is(settings, article_factory):
    settings.RENDITIONS_IN_BACKGROUND = True
    article = article_factory(featured_image=jpeg(3, size=(640, 480)))
    name = Article.objects.get(pk=article.pk).featured_image.name
    with open(settings.MEDIA_ROOT / name, "wb") as damaged:  # the stored file got damaged
        damaged.write(b"not an image any more")
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    assert "for 0 image(s); 1 failed" in out.getvalue()
    picture = Article.objects.get(pk=article.pk).featured_image_picture
    assert not picture.pending and picture.manifest["failed"]
    html = Client().get(article.url_in("en")).content.decode()
    assert f'src="{picture.best_url}"' in html  # the original, not a placeholder forever
    call_command("make_renditions", stdout=out)  # not tried again at every start
