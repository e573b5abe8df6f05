from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from media_gallery import jobs
from media_gallery.containers import NotAVideo, check_video
from media_gallery.embeds import parse_video_url
from nejat.comments.models import Commentable
from nejat.editions import current_edition, localized_field
from nejat.media.images import ResponsiveImageField, rendition_field
from nejat.media.jobs import queue_renditions
from nejat.media.richtext import RichTextField
from nejat.media.uploads import forget_after_commit
from nejat.media.validators import is_new_upload
from nejat.publishing import Publishable, PublishableQuerySet
from nejat.publishing.public_changes import PublicChangesQuerySet
from nejat.publishing.search import searchable


def validate_video(upload):
    """MP4 or WebM by their container's structure (``media_gallery.containers``), within the
    size limit."""
    if not is_new_upload(upload):
        return
    FileExtensionValidator(["mp4", "m4v", "webm"])(upload)
    if upload.size > settings.MAX_VIDEO_UPLOAD_MB * 1024 * 1024:
        raise ValidationError(
            _("The video is larger than %(limit)s MB."),
            params={"limit": settings.MAX_VIDEO_UPLOAD_MB},
        )
    try:
        check_video(upload, upload.size)
    except (NotAVideo, OSError):
        raise ValidationError(
            _("This file is not an MP4 or WebM video, or it is damaged."), code="not_a_video"
        ) from None
    finally:
        upload.seek(0)


class MediaItem(Publishable, Commentable):
    """What every media type shares: the publishing rules, comments and a rich-text body."""

    body = RichTextField(_("text"))

    objects = PublishableQuerySet.as_manager()

    class Meta(Publishable.Meta):
        abstract = True


@searchable(title="A", lead="B", body="C")
class Gallery(MediaItem):
    """A photo album: a cover and ordered photos."""

    cover = ResponsiveImageField(
        _("cover"),
        upload_to="galleries/covers/",
        blank=True,
        renditions_field="cover_renditions",
        help_text=_("Left empty, the first photo is the cover."),
    )
    cover_renditions = rendition_field()
    cover_from_photos = models.BooleanField(
        _("cover is the first photo"), default=True, editable=False
    )
    photo_count = models.PositiveIntegerField(default=0, editable=False)

    detail_url_name = "media_gallery:gallery"
    card_image_field = "cover"

    class Meta(MediaItem.Meta):
        verbose_name = _("photo gallery")
        verbose_name_plural = _("photo galleries")

    def save(self, *args, **kwargs):
        if is_new_upload(self.cover):
            self.cover_from_photos = False  # the editor's own cover; refresh_gallery keeps it
        elif not self.cover:
            self.cover_from_photos = True
        super().save(*args, **kwargs)
        if self.cover_from_photos:
            refresh_gallery(self)

    def photo_url(self, number, code=None):
        """The page of photo ``number`` (1-based) of this gallery, in edition ``code``."""
        code = code or current_edition()
        with translation.override(code):
            kwargs = {"pk": self.pk, "number": number}
            if slug := getattr(self, localized_field("slug", code)):
                kwargs["slug"] = slug
            return reverse("media_gallery:gallery_photo", kwargs=kwargs)

    def structured_data(self, ld):
        """schema.org ImageGallery with its photos (prefetched by the view)."""
        return {
            "@type": "ImageGallery",
            "name": self.title,
            "description": ld.description(self),
            "datePublished": self.publish_at,
            "inLanguage": ld.edition,
            "image": [ld.url(photo.image_picture.best_url) for photo in self.photos.all()],
        }

    def numbered_photos(self):
        """``(number, photo, page address)`` for each photo, in order (uses prefetched photos)."""
        return [
            (number, photo, self.photo_url(number))
            for number, photo in enumerate(self.photos.all(), start=1)
        ]


class Photo(models.Model):
    gallery = models.ForeignKey(Gallery, related_name="photos", on_delete=models.CASCADE)
    image = ResponsiveImageField(
        _("photo"), upload_to="galleries/%Y/%m/", renditions_field="renditions"
    )
    renditions = rendition_field()
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    alt = models.CharField(_("alt text"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)
    changes_public_pages = (
        True  # saving or deleting one refreshes cached pages (nejat.publishing.public_changes)
    )
    objects = PublicChangesQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.caption or self.image.name.rsplit("/", 1)[-1]


@searchable(title="A", lead="B", body="C")
class Video(MediaItem):
    """An uploaded video played by the browser, or a YouTube, Vimeo or Aparat link."""

    video_file = models.FileField(
        _("video file"),
        upload_to="videos/%Y/",
        blank=True,
        validators=[validate_video],
        help_text=_("MP4 or WebM. Or give a link below instead."),
    )
    embed_url = models.URLField(
        _("link on a video site"),
        blank=True,
        help_text=_("A YouTube, Vimeo or Aparat address."),
    )
    poster = ResponsiveImageField(
        _("poster image"),
        upload_to="videos/posters/",
        blank=True,
        renditions_field="poster_renditions",
    )
    poster_renditions = rendition_field()

    detail_url_name = "media_gallery:video"
    card_image_field = "poster"

    class Meta(MediaItem.Meta):
        verbose_name = _("video")
        verbose_name_plural = _("videos")

    def clean(self):
        super().clean()
        if bool(self.video_file) == bool(self.embed_url):
            raise ValidationError(_("Upload a video file or give a link, one of the two."))
        if self.embed_url and parse_video_url(self.embed_url) is None:
            raise ValidationError(
                {"embed_url": _("Only YouTube, Vimeo and Aparat links can be embedded.")}
            )

    @property
    def embed(self):
        return parse_video_url(self.embed_url) if self.embed_url else None

    def structured_data(self, ld):
        """schema.org VideoObject."""
        data = {
            "@type": "VideoObject",
            "name": self.title,
            "description": ld.description(self) or self.title,
            "uploadDate": self.publish_at,
            "inLanguage": ld.edition,
            "thumbnailUrl": [ld.image_url(self)] if self.poster else [],
        }
        if self.video_file:
            data["contentUrl"] = ld.url(self.video_file.url)
        elif self.embed:
            data["embedUrl"] = self.embed.player_url
        return data


@searchable(title="A", lead="B", body="C")
class Cartoon(MediaItem):
    image = ResponsiveImageField(
        _("drawing"), upload_to="cartoons/%Y/", renditions_field="image_renditions"
    )
    image_renditions = rendition_field()
    artist = models.CharField(_("artist"), max_length=200, blank=True)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    image_alt = models.CharField(_("image alt text"), max_length=300, blank=True)

    detail_url_name = "media_gallery:cartoon"
    card_image_field, card_alt_field = "image", "image_alt"

    class Meta(MediaItem.Meta):
        verbose_name = _("cartoon")
        verbose_name_plural = _("cartoons")


@searchable(title="A", lead="B", body="C")
class NewsPic(MediaItem):
    image = ResponsiveImageField(
        _("news photo"), upload_to="newspics/%Y/", renditions_field="image_renditions"
    )
    image_renditions = rendition_field()
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    image_alt = models.CharField(_("image alt text"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)

    detail_url_name = "media_gallery:newspic"
    card_image_field, card_alt_field = "image", "image_alt"

    class Meta(MediaItem.Meta):
        verbose_name = _("news picture")
        verbose_name_plural = _("news pictures")


def refresh_gallery(gallery):
    """Keep the photo count, and the cover when none was uploaded: the first photo's image.

    Runs whenever a photo is saved or deleted (the signals below), from any path, and when a
    gallery that shows its first photo as cover is saved.
    """
    gallery = Gallery.objects.filter(pk=gallery.pk).first()  # the caller's copy may be older
    if gallery is None:  # deleted with its photos
        return
    first = gallery.photos.first()
    fields = {"photo_count": gallery.photos.count()}
    if gallery.cover_from_photos or not gallery.cover:
        fields["cover"] = first.image.name if first else ""
        fields["cover_renditions"] = first.renditions if first else {}
        fields["cover_from_photos"] = True
        if gallery.cover and gallery.cover.name != fields["cover"]:
            # The old cover's photo may be gone: its file leaves once nothing names it.
            forget_after_commit(gallery.cover.name, gallery.cover_renditions)
    Gallery.objects.filter(pk=gallery.pk).update(**fields)
    if fields.get("cover_renditions", {}).get("pending"):
        queue_renditions(Gallery, gallery.pk, "cover")  # copied before they were made


@receiver([post_save, post_delete], sender=Photo, dispatch_uid="media_gallery.photo_changed")
def _photos_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_gallery(instance.gallery)


@receiver(post_save, sender=Video, dispatch_uid="media_gallery.video_poster")
def _fetch_a_poster_after_the_save(sender, instance, raw=False, **kwargs):
    """A linked video without a poster gets its site's thumbnail from a job that commits with
    the save (media_gallery/jobs.py): the save never waits for, or fails with, the video site."""
    embed = instance.embed if not raw and not instance.poster else None
    if embed and embed.provider in settings.VIDEO_OEMBED_ENDPOINTS:
        jobs.fetch_poster.defer(pk=instance.pk)
