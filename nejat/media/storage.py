"""Uploads on any S3-compatible object store (``MEDIA_STORAGE=s3``; AWS, R2, Backblaze, MinIO).

Every piece of code reads and writes media through Django's storage API, so the only thing this
module adds to django-storages' ``S3Storage`` is what each object is sent with:

- ``Content-Type`` from the file's extension, and only for the types the site stores (images,
  PDF, video). Anything else goes out as ``application/octet-stream`` with
  ``Content-Disposition: attachment``, so that a bucket never serves HTML or SVG inline under a
  name an attacker chose. The browser's own claim about an upload is never used.
- ``Cache-Control``: a year and ``immutable`` for renditions (their names never change, as
  nginx and ``nejat.delivery.views.media_file`` say for the local disk); a day for the rest.

Settings (``config/settings.py``) select this class and pass it the bucket, the endpoint, the CDN
address and short network timeouts, so a slow store fails a request instead of hanging a worker.
"""

import mimetypes

from storages.backends.s3 import S3Storage

from nejat.media.renditions import RENDITION_CACHE_CONTROL, is_rendition

# What the site stores: the types an upload's content is checked against (nejat/media/validators.py,
# nejat/media/images.py, media_gallery/models.py) and the renditions' formats.
INLINE_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "application/pdf",
        "video/mp4",
        "video/webm",
    }
)
ONE_DAY = "public, max-age=86400"


def object_headers(name):
    """The headers an object named ``name`` is stored with (and served with by the bucket)."""
    content_type = mimetypes.guess_type(name)[0]
    headers = {"CacheControl": RENDITION_CACHE_CONTROL if is_rendition(name) else ONE_DAY}
    if content_type in INLINE_TYPES:
        headers["ContentType"] = content_type
    else:
        headers["ContentType"] = "application/octet-stream"
        headers["ContentDisposition"] = "attachment"
    return headers


class MediaStore(S3Storage):
    """django-storages' S3 backend with the headers of ``object_headers``."""

    def get_object_parameters(self, name):
        return {**super().get_object_parameters(name), **object_headers(name)}
