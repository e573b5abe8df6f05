"""Every path that writes or reads media, on an S3 bucket (MEDIA_STORAGE=s3).

The store is moto's S3 server on a loopback port (tests/helpers/services.py), reached with the
same boto3 client as production. Each test checks the objects in the bucket, what the bucket
serves over HTTP (type, caching) and that nothing was written to the local disk.
"""

import urllib.request
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article
from media_gallery.models import Gallery, Video
from nejat.media.uploads import rendition_names, sweep
from nejat.ops.jobs import run_queued_jobs
from publications.models import Newsletter
from tests.helpers.forms import admin_gallery_form, newsletter_form
from tests.helpers.media import (
    DEMO_VIDEO,
    jpeg_with_exif,
    linked_video,
    make_zip,
    png,
    save_article,
    upload,
)
from tests.helpers.services import bucket_keys

pytestmark = [pytest.mark.django_db, pytest.mark.processes]  # an S3 server; no dates
YEAR = "public, max-age=31536000, immutable"
DAY = "public, max-age=86400"


def fetch(url):
    """What a reader's browser gets from the bucket: status, headers, body."""
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        return response.status, response.headers, response.read()


def picture_names(picture):
    return {picture.file.name, *rendition_names(picture.manifest)}


@pytest.fixture
def local_disk(settings):
    """Fails the test if anything was written under MEDIA_ROOT (a .path or open() on media)."""
    yield
    root = settings.MEDIA_ROOT
    written = [str(p) for p in root.rglob("*") if p.is_file()] if root.exists() else []
    assert written == [], "media written to the local disk"


def test_an_image_goes_to_the_bucket_with_its_renditions(s3_media, local_disk):
    endpoint, bucket = s3_media
    article = save_article(jpeg_with_exif(size=(1600, 900)))
    picture = article.featured_image_picture
    names = picture_names(picture)
    assert len(names) == 1 + 4 * 2  # the original, WebP and JPEG at four widths
    assert names <= bucket_keys(endpoint, bucket)
    assert picture.srcset("webp").startswith(f"{endpoint}/{bucket}/")

    for name in names:
        status, headers, body = fetch(default_storage.url(name))
        expected_type = "image/webp" if name.endswith(".webp") else "image/jpeg"
        expected_caching = DAY if name == picture.file.name else YEAR
        assert (status, headers["Content-Type"]) == (200, expected_type), name
        assert headers["Cache-Control"] == expected_caching, name
        with Image.open(ContentFile(body)) as image:
            assert not image.getexif(), f"{name} keeps the camera's EXIF"


def test_pages_link_to_the_bucket(s3_media, client):
    endpoint, bucket = s3_media
    article = save_article(jpeg_with_exif())
    article.status = "published"
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'src="{endpoint}/{bucket}/' in html and "/media-files/" not in html


def test_gallery_photos_and_a_zip_uploaded_through_the_admin(s3_media, local_disk, editor_client):
    endpoint, bucket = s3_media
    response = editor_client.post(
        "/admin/media_gallery/gallery/add/",
        admin_gallery_form(
            new_photos=[SimpleUploadedFile(f"p{n}.png", png(n), "image/png") for n in range(2)],
            photos_zip=SimpleUploadedFile("album.zip", make_zip([("z.png", png(5))])),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    gallery = Gallery.objects.get()
    photos = list(gallery.photos.all())
    assert len(photos) == 3 and gallery.cover
    stored = bucket_keys(endpoint, bucket)
    for photo in photos:
        assert picture_names(photo.image_picture) <= stored
        _status, headers, _body = fetch(photo.image.url)
        assert headers["Content-Type"] == "image/png"

    # Opened and saved again: nothing new is written, nothing is lost.
    page = editor_client.get(f"/admin/media_gallery/gallery/{gallery.pk}/change/")
    assert (
        page.status_code == 200 and photos[0].image_picture.thumbnail_url in page.content.decode()
    )
    assert bucket_keys(endpoint, bucket) == stored


@pytest.mark.django_db(transaction=True)  # the poster is fetched by a job (a worker's connection)
def test_an_uploaded_video_and_a_linked_videos_poster(
    s3_media, local_disk, editor_client, video_site, queued
):
    endpoint, bucket = s3_media
    response = editor_client.post(
        "/admin/media_gallery/video/add/",
        {
            "title_en": "Clip",
            "status": "published",
            "publish_at_0": "2024-05-01",
            "publish_at_1": "10:00:00",
            "video_file": SimpleUploadedFile("clip.mp4", DEMO_VIDEO.read_bytes()),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    uploaded = Video.objects.get()
    status, headers, body = fetch(uploaded.video_file.url)
    assert (status, headers["Content-Type"]) == (200, "video/mp4")
    assert body == DEMO_VIDEO.read_bytes()

    linked = linked_video(title_en="Linked talk")
    run_queued_jobs(["media"])  # the poster, then its renditions
    linked.refresh_from_db()
    assert linked.poster_picture.has_renditions
    assert picture_names(linked.poster_picture) <= bucket_keys(endpoint, bucket)


def test_a_pdf_and_the_cover_made_from_its_first_page(s3_media, local_disk, editor_client):
    from publications import demo

    endpoint, bucket = s3_media
    response = editor_client.post(
        "/admin/publications/newsletter/add/",
        newsletter_form(
            title_en="Autumn issue",
            pdf=upload(demo.picture_pdf(4, "No. 82", "no-82.pdf").read(), "no-82.pdf"),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    issue = Newsletter.objects.get()
    assert issue.cover_from_pdf and issue.pdf_size > 0
    _status, headers, _body = fetch(issue.pdf.url)
    assert headers["Content-Type"] == "application/pdf"
    assert {issue.pdf.name, *picture_names(issue.cover_picture)} <= bucket_keys(endpoint, bucket)

    # Saved again from the stored PDF (read back from the bucket, not from a local path).
    issue.title_en = "Autumn issue, corrected"
    issue.save()
    assert Newsletter.objects.get().cover.name == issue.cover.name


def test_replaced_and_deleted_files_leave_the_bucket(
    s3_media, local_disk, django_capture_on_commit_callbacks
):
    endpoint, bucket = s3_media
    article = save_article(jpeg_with_exif())
    with django_capture_on_commit_callbacks(execute=True):
        article = Article.objects.get(pk=article.pk)
        article.featured_image = SimpleUploadedFile("second.png", png(9))
        article.save()
    second = picture_names(article.featured_image_picture)
    assert sweep(timedelta(0)) == (1, 0)
    assert bucket_keys(endpoint, bucket) == second

    with django_capture_on_commit_callbacks(execute=True):
        article.delete_forever()
    assert sweep(timedelta(0)) == (1, 0)
    assert bucket_keys(endpoint, bucket) == set()


def test_a_name_a_bucket_would_serve_as_a_page_is_served_as_a_download(s3_media):
    for name, data in (("notes.html", b"<script>alert(1)</script>"), ("x.svg", b"<svg/>")):
        stored = default_storage.save(f"attacks/{name}", ContentFile(data))
        _status, headers, _body = fetch(default_storage.url(stored))
        assert headers["Content-Type"] == "application/octet-stream", name
        assert headers["Content-Disposition"] == "attachment", name


def test_ready_only_when_the_bucket_answers(s3_media, settings, client):
    assert client.get("/readyz").status_code == 200
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {
                **settings.STORAGES["default"]["OPTIONS"],
                "endpoint_url": "http://127.0.0.1:9",
            },
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503 and "media" in response.content.decode()
