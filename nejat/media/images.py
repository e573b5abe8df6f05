"""Responsive images for every content type: uploads checked by content, originals stripped of
EXIF metadata (orientation applied), and renditions at a few widths in WebP and the original's
format, made once when the image is saved. Pages read the renditions from a JSON manifest on the
model, so lists make no database query or storage check per image.
"""

import warnings
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from nejat.media.jobs import queue_renditions
from nejat.media.renditions import (
    encode,
    in_background,
    make_renditions,
    pending_manifest,
)
from nejat.media.validators import is_new_upload

# Pillow calls a phone's JPEG with a multi-picture block "MPO": it is stored as a JPEG.
ACCEPTED_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
SAVED_AS = {"MPO": "JPEG"}
KEPT_INFO = {"transparency", "dpi", "icc_profile"}


def validate_image(upload):
    """Refuse files that are not real images, unsupported formats and decompression bombs.

    Only new uploads are read (a stored image was checked when it came), and nothing but
    ``ValidationError`` leaves this function: a file that cannot even be read is "damaged".
    """
    if not is_new_upload(upload):
        return
    limit = settings.MAX_IMAGE_UPLOAD_MB * 1024 * 1024
    if upload.size and upload.size > limit:
        raise ValidationError(
            _("The image is larger than %(limit)s MB."),
            params={"limit": settings.MAX_IMAGE_UPLOAD_MB},
            code="too_large",
        )
    too_many_pixels = ValidationError(
        _("The image has too many pixels (at most %(limit)s million)."),
        params={"limit": settings.MAX_IMAGE_PIXELS // 1_000_000},
        code="too_many_pixels",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as image:
                image_format, (width, height) = image.format, image.size
                if width * height > settings.MAX_IMAGE_PIXELS:
                    raise too_many_pixels
                image.load()  # decodes every byte: a truncated file fails here
        upload.seek(0)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not a valid image, or it is damaged."), code="invalid"
        ) from None
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("Images must be JPEG, PNG, WebP or GIF."), code="unsupported_format"
        )


def clean_original(file):
    """The upload upright, without EXIF (camera, location) or other metadata, and named after
    its real format (a PNG uploaded as "x.html" is stored as "x.png")."""
    file.seek(0)
    with Image.open(file) as image:
        image_format = SAVED_AS.get(image.format, image.format)
        upright = ImageOps.exif_transpose(image)
        # Keep what the pixels need; drop EXIF, XMP, comments and the like.
        upright.info = {k: v for k, v in upright.info.items() if k in KEPT_INFO}
        name = f"{PurePosixPath(file.name).stem}.{ACCEPTED_FORMATS[image.format]}"
        return ContentFile(encode(upright, image_format), name=name)


class Picture:
    """An image as pages show it: the stored file, its renditions and the alt text.

    The only reader of the manifest ``make_renditions()`` writes (``{"width", "height", "type",
    "webp": [[width, name], ...], "fallback": [...], "largest_bytes"}``): templates, feeds, share
    cards, structured data and the admin's thumbnails all ask a ``Picture``. False when there is
    no image. Works from the stored manifest alone: no query, no storage access but ``url()``.
    """

    def __init__(self, file, manifest, alt=""):
        self.file, self.manifest, self.alt = file, manifest or {}, alt or ""

    def __bool__(self):
        return bool(self.file)

    def with_alt(self, alt):
        return Picture(self.file, self.manifest, alt)

    def _renditions(self, kind):
        return self.manifest.get(kind) or []

    def _url(self, name):
        return self.file.storage.url(name)

    @property
    def has_renditions(self):
        return bool(self._renditions("fallback"))

    @property
    def pending(self):
        """Stored, renditions not made yet (``nejat.media.renditions``): pages show a placeholder.
        (A file that could not be encoded is marked "failed" and shown as it is.)"""
        return bool(self.manifest.get("pending"))

    @property
    def best_url(self):
        """The largest rendition (what feeds and share cards offer), else the original."""
        if not self:
            return ""
        fallback = self._renditions("fallback")
        return self._url(fallback[-1][1]) if fallback else self.file.url

    @property
    def thumbnail_url(self):
        """The smallest rendition (the admin's lists), else the original."""
        if not self:
            return ""
        fallback = self._renditions("fallback")
        return self._url(fallback[0][1]) if fallback else self.file.url

    def renditions(self, kind="fallback"):
        """``[(width, url), ...]``, narrowest first, for ``kind`` "fallback" (JPEG/PNG, the
        original's kind: ``mime_type``) or "webp"; empty while they are being made."""
        return [(width, self._url(name)) for width, name in self._renditions(kind)]

    def srcset(self, kind="fallback"):
        """``url 320w, url 640w`` for ``kind`` "fallback" (JPEG/PNG) or "webp"."""
        return ", ".join(f"{url} {width}w" for width, url in self.renditions(kind))

    @property
    def width(self):
        return self.manifest.get("width")

    @property
    def height(self):
        return self.manifest.get("height")

    @property
    def focus_class(self):
        """``focus-25-75``: where a cropped picture keeps its focal point (site.css has the 25
        positions, in steps of 25%: a style attribute would need the CSP's unsafe-inline)."""
        x, y = self.manifest.get("focus") or (50, 50)
        return "" if (x, y) == (50, 50) else f"focus-{x}-{y}"

    @property
    def mime_type(self):
        return self.manifest.get("type", "image/jpeg")

    @property
    def best_bytes(self):
        return self.manifest.get("largest_bytes", 0)


class CheckedImageFormField(forms.ImageField):
    """Runs ``validate_image`` first, so a bomb or a wrong format gets its own clear message."""

    def to_python(self, data):
        if data not in self.empty_values and hasattr(data, "seek"):
            validate_image(data)
        return super().to_python(data)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def checked_upload(model_field, upload):
    """One image checked exactly as ``model_field`` checks it: the length of its name, its
    extension, then its content (``validate_image``); errors name the file."""
    try:
        upload = model_field.formfield().clean(upload)
        validate_image(upload)
    except ValidationError as error:
        raise ValidationError(f"{upload.name}: {' '.join(error.messages)}") from None
    return upload


class MultipleImagesField(forms.FileField):
    """Several images in one go (a gallery's photos, the media library's uploads), each checked
    as ``model_field`` checks one (``checked_upload``): one bad file refuses them all."""

    def __init__(self, model_field, *args, **kwargs):
        self.model_field = model_field
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return [checked_upload(self.model_field, upload) for upload in files]


class ResponsiveImageField(models.ImageField):
    """An image field that checks uploads, strips metadata and writes renditions on save.

    ``renditions_field`` names the JSONField that keeps the manifest.
    """

    def __init__(self, *args, renditions_field=None, **kwargs):
        self.renditions_field = renditions_field
        kwargs.setdefault("validators", [])
        kwargs["validators"] = [*kwargs["validators"], validate_image]
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["renditions_field"] = self.renditions_field
        kwargs["validators"] = [v for v in kwargs.get("validators", []) if v is not validate_image]
        if not kwargs["validators"]:
            del kwargs["validators"]
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedImageFormField, **kwargs})

    def contribute_to_class(self, cls, name, **kwargs):
        """``item.<name>_picture``: the image with its renditions, as a ``Picture``."""
        super().contribute_to_class(cls, name, **kwargs)
        manifest_field = self.renditions_field

        def picture(item):
            return Picture(getattr(item, name), getattr(item, manifest_field))

        setattr(cls, f"{name}_picture", property(picture))
        if not cls._meta.abstract:
            post_save.connect(
                self._queue_renditions, sender=cls, weak=False, dispatch_uid=(cls, name)
            )

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            cleaned = clean_original(file)
            file.save(cleaned.name, cleaned, save=False)
            self.update_dimension_fields(model_instance, force=True)
            if in_background():  # a job of the queue makes them; a placeholder until then
                setattr(model_instance, self.renditions_field, pending_manifest(cleaned))
            else:
                setattr(model_instance, self.renditions_field, make_renditions(file))
        elif getattr(file, "renditions", None) is not None:
            # An image already stored for another row (``nejat.editorial.autosave.sources``): shared
            # under its name, with its renditions.
            setattr(model_instance, self.renditions_field, file.renditions)
        elif not file:
            setattr(model_instance, self.renditions_field, {})
        return file

    def _queue_renditions(self, sender, instance, raw=False, **kwargs):
        """Enqueue, in the save's transaction, what this save left pending: a new upload, or a
        manifest still pending when the row was read (its job may have finished meanwhile: then
        the job finds nothing to do)."""
        if not raw and (getattr(instance, self.renditions_field) or {}).get("pending"):
            queue_renditions(sender, instance.pk, self.name)


def rendition_field(**kwargs):
    return models.JSONField(default=dict, blank=True, editable=False, **kwargs)
