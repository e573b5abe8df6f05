"""Renditions are encoded by a job of the queue, off the editor's request.

A 200-photo ZIP would otherwise mean 1,600 encodings inside one admin request. When an image is
stored, its manifest holds only the original's size and ``"pending": True`` (pages show a sized
placeholder, ``Picture.pending``), and a job is enqueued in the same transaction
(``nejat.media.jobs``). A worker encodes the renditions and writes the finished manifest into
every row that names that file (a gallery's cover too), then refreshes cached pages.

``RENDITIONS_IN_BACKGROUND=0`` encodes on save instead, in the request (the tests' default).
``manage.py make_renditions`` makes whatever is pending, without the queue.
"""

import io
import logging
from pathlib import PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import get_image_dimensions
from PIL import Image

logger = logging.getLogger(__name__)

RENDITION_WIDTHS = (320, 640, 960, 1440)
# Renditions of a PNG stay PNG (transparency, drawings); everything else falls back to JPEG.
FALLBACK = {"PNG": ("PNG", "png", "image/png")}
DEFAULT_FALLBACK = ("JPEG", "jpg", "image/jpeg")
# Renditions are kept beside their original, in this folder; their names never change, so
# browsers and CDNs keep them for a year (as deploy/nginx/nejat.conf and nejat.media.storage).
RENDITIONS_FOLDER = "renditions"
RENDITION_CACHE_CONTROL = "public, max-age=31536000, immutable"


def responsive_fields(model):
    """The model's ``ResponsiveImageField``s (they name a ``renditions_field``)."""
    return [f for f in model._meta.concrete_fields if getattr(f, "renditions_field", None)]


def is_rendition(name):
    """Whether the stored file ``name`` is a rendition: cacheable for a year, unchanged."""
    return RENDITIONS_FOLDER in PurePosixPath(name).parent.parts


def encode(image, image_format):
    buffer = io.BytesIO()
    options = {"quality": 82, "optimize": True} if image_format in {"JPEG", "WEBP"} else {}
    if image_format == "JPEG" and image.mode not in {"RGB", "L"}:
        image = image.convert("RGB")
    image.save(buffer, image_format, **options)  # no exif= argument: metadata is dropped
    return buffer.getvalue()


def make_renditions(fieldfile):
    """Write the renditions of a saved image; return the manifest pages render from."""
    storage = fieldfile.storage
    path = PurePosixPath(fieldfile.name)
    with storage.open(fieldfile.name, "rb") as handle, Image.open(handle) as image:
        image.load()
        source_format = image.format
        width, height = image.size
        fallback_format, extension, mime = FALLBACK.get(source_format, DEFAULT_FALLBACK)
        manifest = {"width": width, "height": height, "type": mime, "webp": [], "fallback": []}
        widths = [w for w in RENDITION_WIDTHS if w < width] + [min(width, RENDITION_WIDTHS[-1])]
        for target in sorted(set(widths)):
            copy = image.copy()
            copy.thumbnail((target, target * height // width or 1), Image.Resampling.LANCZOS)
            for image_format, suffix, key in (
                ("WEBP", "webp", "webp"),
                (fallback_format, extension, "fallback"),
            ):
                name = str(path.parent / RENDITIONS_FOLDER / f"{path.stem}.{target}w.{suffix}")
                data = encode(copy, image_format)
                if storage.exists(name):  # made again (a retry): same name, fresh bytes
                    storage.delete(name)
                saved = storage.save(name, ContentFile(data))
                manifest[key].append([copy.width, saved])
        manifest["largest_bytes"] = len(data)  # the last fallback: the feeds' enclosure
    return manifest


def pending_manifest(image):
    """What pages know of an image whose renditions are not made yet: its size."""
    width, height = get_image_dimensions(image)
    return {"width": width, "height": height, "pending": True}


def in_background():
    return settings.RENDITIONS_IN_BACKGROUND


# What a damaged or vanished stored image raises while it is encoded.
ENCODING_ERRORS = (OSError, ValueError, SyntaxError, Image.DecompressionBombError)


def make_pending(model, pk, field_name):
    """Encode the renditions of one stored image if they are still pending; True if made.

    The finished manifest goes to every row naming the file, if one still does when the
    encoding ends (the row may have been given another image meanwhile: then the renditions
    just made are deleted again). A file that cannot be encoded is marked "failed": pages then
    show the original, and the error is raised for the caller to report.
    """
    row = model._base_manager.filter(pk=pk).first()
    field = model._meta.get_field(field_name)
    file = getattr(row, field.attname, None) if row else None
    manifest = (getattr(row, field.renditions_field) or {}) if row else {}
    if not file or not manifest.get("pending"):
        return False
    try:
        finished = make_renditions(file)
        if "focus" in manifest:  # chosen while the renditions were being made
            finished["focus"] = manifest["focus"]
    except ENCODING_ERRORS:
        share_manifest(file.name, {**manifest, "pending": False, "failed": True})
        raise
    if not share_manifest(file.name, finished):
        for _width, name in finished["webp"] + finished["fallback"]:
            file.storage.delete(name)
        return False
    # share_manifest's update() refreshed the pages that show it (nejat.publishing.public_changes)
    return True


def share_manifest(name, manifest):
    """Give every row that names the stored image ``name`` this manifest; how many rows."""
    updated = 0
    for model in apps.get_models():
        for field in responsive_fields(model):
            updated += model._base_manager.filter(**{field.attname: name}).update(
                **{field.renditions_field: manifest}
            )
    return updated


def set_focus(name, focus):
    """The point of the stored image ``name`` that crops keep in view, ``[x, y]`` in percent
    (None: the middle), for every row that names it: pages read it from the manifest."""
    for model in apps.get_models():
        for field in responsive_fields(model):
            for row in model._base_manager.filter(**{field.attname: name}):
                manifest = dict(getattr(row, field.renditions_field) or {})
                if focus is None:
                    manifest.pop("focus", None)
                else:
                    manifest["focus"] = list(focus)
                model._base_manager.filter(pk=row.pk).update(**{field.renditions_field: manifest})


def make_all_pending():
    """Every image whose renditions are still pending: ``(made, failed)`` counts."""
    made = failed = 0
    for model in apps.get_models():
        for field in responsive_fields(model):
            pending = model._base_manager.filter(**{f"{field.renditions_field}__pending": True})
            for pk in pending.values_list("pk", flat=True):
                try:
                    made += make_pending(model, pk, field.name)
                except ENCODING_ERRORS:
                    logger.exception("Renditions of %s %s failed", model._meta.label, pk)
                    failed += 1
    return made, failed
