"""Pictures, videos, PDFs and archives for the media tests, the content made of them, and a fake
video site that answers oEmbed (the ``video_site`` fixture in tests/conftest.py serves it)."""

import io
import json
import zipfile
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article
from media_gallery.models import Gallery, Photo, Video, refresh_gallery
from nejat.ops.demo_files import demo_image
from nejat.publishing import Status, fill_missing_slugs

DEMO_VIDEO = (
    Path(__file__).resolve().parents[2] / "media_gallery" / "demo_assets" / "demo-video.mp4"
)


def publish(model, **fields):
    item = model(status=Status.PUBLISHED, **fields)
    fill_missing_slugs(item)
    item.save()
    return item


def gallery_with_photos(count=3, **titles):
    gallery = publish(Gallery, **(titles or {"title_en": "Album"}))
    for n in range(1, count + 1):
        Photo.objects.create(
            gallery=gallery, position=n, image=demo_image(n), caption_en=f"Caption {n}"
        )
    refresh_gallery(gallery)
    gallery.refresh_from_db()
    return gallery


def png(seed):
    return demo_image(seed, size=(300, 200), fmt="PNG").read()


def make_zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def jpeg_with_exif(size=(1600, 900), orientation=None):
    """A JPEG carrying GPS and camera EXIF, optionally with an orientation tag."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))  # left half blue
    exif = Image.Exif()
    exif[0x010F] = "DemoCam"  # Make
    exif[0x8825] = {1: "N", 2: (35.0, 41.0, 0.0)}  # GPS IFD: latitude
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def save_article(data, name="photo.jpg"):
    # Assigned as the admin's form does; the field cleans and renders it when saving.
    article = Article(title_en="With picture", slug_en="with-picture")
    article.featured_image = SimpleUploadedFile(name, data)
    article.save()
    return article


def upload(data, name="issue.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type)


class FakeVideoSite(BaseHTTPRequestHandler):
    """oEmbed at /oembed naming /thumb.jpg; the server holds the thumbnail's bytes."""

    def do_GET(self):
        self.server.asked.append(self.path)
        path = urlsplit(self.path).path
        if path == "/oembed":
            thumbnail = f"http://127.0.0.1:{self.server.server_port}/thumb.jpg"
            self.answer(json.dumps({"type": "video", "thumbnail_url": thumbnail}).encode())
        elif path == "/thumb.jpg":
            self.answer(self.server.thumbnail, "image/jpeg")
        else:
            self.send_error(404)

    def answer(self, body, content_type="application/json"):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def linked_video(**fields):
    video = Video(status="published", title_en="Talk", embed_url="https://youtu.be/abcdefghijk")
    for name, value in fields.items():
        setattr(video, name, value)
    fill_missing_slugs(video)
    video.save()
    return video
