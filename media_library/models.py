"""The media library: each image uploaded once, described once per language, used anywhere.

An image is a ``LibraryImage``: the picture (checked, stripped of metadata, with renditions like
every image of the site), a title, alt text and a caption per language, a credit and tags. It is
used by being inserted into a rich-text body (a ``<figure>`` showing one of its renditions) or
chosen for an image field (a copy of it is stored there). ``usages()`` says where it is used, and
an image still used cannot be deleted (``delete()`` refuses; the admin says where it is used).
"""

from pathlib import PurePosixPath
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from nejat.editions import edition_codes, localized_field
from nejat.media.images import ResponsiveImageField, rendition_field
from nejat.media.renditions import RENDITIONS_FOLDER, set_focus
from nejat.media.richtext import RichTextField


class LibraryTag(TagBase):
    class Meta:
        verbose_name = _("library tag")


class TaggedLibraryImage(TaggedItemBase):
    content_object = models.ForeignKey("LibraryImage", on_delete=models.CASCADE)
    tag = models.ForeignKey(LibraryTag, on_delete=models.CASCADE, related_name="images")


class ImageInUse(Exception):
    """Deleting an image that a page or an item still shows."""

    def __init__(self, image, usages):
        super().__init__(f"{image} is used by {len(usages)} item(s)")
        self.usages = usages


class LibraryImage(models.Model):
    image = ResponsiveImageField(
        _("image"),
        upload_to="library/%Y/%m/",
        renditions_field="renditions",
        width_field="width",
        height_field="height",
        max_length=200,
    )
    renditions = rendition_field()
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    file_size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    title = models.CharField(_("title"), max_length=200, blank=True)
    alt = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    focal_x = models.PositiveSmallIntegerField(
        _("focal point across (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    focal_y = models.PositiveSmallIntegerField(
        _("focal point down (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("Click the picture where it must stay in view when a card crops it."),
    )
    tags = TaggableManager(through=TaggedLibraryImage, blank=True, verbose_name=_("tags"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("library image")
        verbose_name_plural = _("library images")

    def __str__(self):
        return self.title or PurePosixPath(self.image.name).name

    def save(self, *args, **kwargs):
        """The title defaults to the file's name; the size is the stored original's."""
        if self.image and not self.image._committed:
            self.file_size = self.image.size
        if not self.title and self.image:
            self.title = PurePosixPath(self.image.name).stem.replace("-", " ").replace("_", " ")
        super().save(*args, **kwargs)
        if self.focus != (self.renditions or {}).get("focus"):
            set_focus(self.image.name, self.focus)  # here and wherever the image is used
            self.refresh_from_db(fields=["renditions"])

    @property
    def focus(self):
        """The focal point in steps of 25% (the positions cards know), None for the middle."""
        point = [round(self.focal_x / 25) * 25, round(self.focal_y / 25) * 25]
        return None if point == [50, 50] else point

    @property
    def picture(self):
        return self.image_picture

    def alt_in(self, code):
        return getattr(self, localized_field("alt", code)) or ""

    def missing_alt(self):
        """Codes of the editions this image has no alt text for."""
        return [code for code in edition_codes() if not self.alt_in(code)]

    def body_url(self):
        """The rendition a body shows: the widest up to 960 pixels (phones and the column)."""
        fallback = self.picture.manifest.get("fallback") or []
        fitting = [name for width, name in fallback if width <= 960] or [n for _w, n in fallback]
        return self.image.storage.url(fitting[-1]) if fitting else self.image.url

    def spellings(self):
        """How a body or a file column names this image: the original, or one of its renditions
        (by their common beginning), percent-encoded or not."""
        path = PurePosixPath(self.image.name)
        renditions = f"{path.parent / RENDITIONS_FOLDER / path.stem}."
        return {self.image.name, quote(self.image.name), renditions, quote(renditions)}

    def usages(self):
        """Every item (other than this image) whose image field or rich-text body uses it."""
        found = []
        names = self.spellings()
        for model in apps.get_models():
            if model is LibraryImage:
                continue
            condition = Q()
            for field in model._meta.concrete_fields:
                if isinstance(field, models.FileField):
                    condition |= Q(**{field.attname: self.image.name})
                elif isinstance(field, RichTextField):
                    for spelling in names:
                        condition |= Q(**{f"{field.attname}__contains": spelling})
            if condition:
                found += list(model._base_manager.filter(condition)[:50])
        return found

    def delete(self, *args, **kwargs):
        if usages := self.usages():
            raise ImageInUse(self, usages)
        return super().delete(*args, **kwargs)
