import tempfile
import zipfile
import zlib
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db.models import Max
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from media_gallery.models import Cartoon, Gallery, NewsPic, Photo, Video
from nejat.editions import edition_name, localized_field
from nejat.editorial.publishable_admin import PublishableAdminMixin, admin_thumbnail
from nejat.media.images import MultipleImagesField, checked_upload
from nejat.publishing.revisions import ConflictCheckedForm

MEDIA_FIELDSETS = (
    (None, {"fields": ("title", "slug", "lead", "body")}),
    PublishableAdminMixin.publishing_fieldset,
    (_("Comments"), {"fields": ("allow_comments",)}),
)


def clean_photo(upload):
    """One image checked exactly as a photo's own image field checks it."""
    return checked_upload(Photo._meta.get_field("image"), upload)


SPOOL_IN_MEMORY = 1024 * 1024
CHUNK = 64 * 1024


def images_from_zip(upload):
    """The images inside a ZIP, in name order; refuses the whole ZIP if anything is wrong."""
    try:
        return _images_from_zip(upload)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, OSError):
        # Damaged, encrypted, or packed with a method Python cannot read (Deflate64).
        raise ValidationError(
            _(
                "This ZIP cannot be read: it is damaged, protected by a password or packed "
                "in an unsupported way. Please make a new ZIP."
            )
        ) from None


def _images_from_zip(upload):
    if not zipfile.is_zipfile(upload):
        raise ValidationError(_("This file is not a ZIP archive."))
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        entries = sorted(
            (
                info
                for info in archive.infolist()
                if not info.is_dir()
                and not PurePosixPath(info.filename).name.startswith(".")
                and "__MACOSX" not in info.filename
            ),
            key=lambda info: info.filename,
        )
        if len(entries) > settings.MAX_ZIP_PHOTOS:
            raise ValidationError(
                _("The ZIP holds more than %(limit)s files."),
                params={"limit": settings.MAX_ZIP_PHOTOS},
            )
        if sum(info.file_size for info in entries) > settings.MAX_ZIP_UNPACKED_MB * 1024 * 1024:
            raise ValidationError(
                _("The ZIP unpacks to more than %(limit)s MB."),
                params={"limit": settings.MAX_ZIP_UNPACKED_MB},
            )
        return [clean_photo(unpacked(archive, info)) for info in entries]


def unpacked(archive, info):
    """A ZIP entry as a file, streamed into a spooled temporary file (memory up to 1 MB each,
    then disk), never read whole: a 450 MB entry is refused by its declared size before a byte
    is read; zipfile reads no further than the declared size (an entry that lies fails its
    checksum), and the copy stops at the image limit all the same."""
    limit = settings.MAX_IMAGE_UPLOAD_MB * 1024 * 1024
    too_large = ValidationError(
        "%(name)s: %(message)s",
        params={
            "name": info.filename,
            "message": _("The image is larger than %(limit)s MB.")
            % {"limit": settings.MAX_IMAGE_UPLOAD_MB},
        },
    )
    if info.file_size > limit:
        raise too_large
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - returned
    copied = 0
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            copied += len(chunk)
            if copied > limit:
                spooled.close()
                raise too_large
            spooled.write(chunk)
    spooled.seek(0)
    return File(spooled, name=PurePosixPath(info.filename).name)


class GalleryAdminForm(ConflictCheckedForm):
    new_photos = MultipleImagesField(
        Photo._meta.get_field("image"),
        label=_("Add photos"),
        required=False,
        help_text=_("Choose several images at once; they are added after the existing photos."),
    )
    photos_zip = forms.FileField(
        label=_("Add photos from a ZIP"),
        required=False,
        help_text=_("A ZIP of images, added in file-name order."),
    )

    def clean_photos_zip(self):
        upload = self.cleaned_data.get("photos_zip")
        return images_from_zip(upload) if upload else []


class PhotoInline(TranslationTabularInline):
    model = Photo
    extra = 0
    fields = ("thumbnail", "image", "caption", "alt", "credit", "position")
    readonly_fields = ("thumbnail",)
    ordering = ("position", "pk")

    @admin.display(description="")
    def thumbnail(self, photo):
        return admin_thumbnail(photo.image_picture, width=80, height=60)


@admin.register(Gallery)
class GalleryAdmin(PublishableAdminMixin, TabbedTranslationAdmin):
    form = GalleryAdminForm
    inlines = [PhotoInline]
    list_display = (
        "thumbnail",
        "__str__",
        "photo_count",
        "state",
        "publish_at",
        "edition_badges",
        "page_link",
    )
    list_display_links = ("thumbnail", "__str__")
    fieldsets = (
        MEDIA_FIELDSETS[0],
        (_("Photos"), {"fields": ("cover", "new_photos", "photos_zip")}),
        *MEDIA_FIELDSETS[1:],
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        gallery = form.instance
        uploads = form.cleaned_data.get("new_photos", []) + form.cleaned_data.get("photos_zip", [])
        position = (gallery.photos.aggregate(last=Max("position"))["last"] or 0) + 1
        for offset, upload in enumerate(uploads):
            # Assigned, not saved: the field strips metadata and makes renditions on save.
            Photo.objects.create(gallery=gallery, position=position + offset, image=upload)
        if uploads:
            count = len(uploads)
            self.message_user(
                request,
                ngettext("%(count)d photo added.", "%(count)d photos added.", count)
                % {"count": count},
                messages.SUCCESS,
            )
        self.ask_for_alt_text(request, gallery)

    def ask_for_alt_text(self, request, gallery):
        """Photos are not saved without alt text silently: in each edition the gallery has,
        say how many photos still need it."""
        for code in gallery.editions():
            missing = gallery.photos.exclude(**{f"{localized_field('alt', code)}__gt": ""})
            if count := missing.count():
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d photo has no alt text in %(edition)s: describe it for "
                        "readers who cannot see it.",
                        "%(count)d photos have no alt text in %(edition)s: describe them for "
                        "readers who cannot see them.",
                        count,
                    )
                    % {"count": count, "edition": edition_name(code)},
                    messages.WARNING,
                )


@admin.register(Video)
class VideoAdmin(PublishableAdminMixin, TabbedTranslationAdmin):
    list_display = (
        "thumbnail",
        "__str__",
        "source",
        "state",
        "publish_at",
        "edition_badges",
        "page_link",
    )
    list_display_links = ("thumbnail", "__str__")
    fieldsets = (
        MEDIA_FIELDSETS[0],
        (_("Video"), {"fields": ("video_file", "embed_url", "poster")}),
        *MEDIA_FIELDSETS[1:],
    )

    @admin.display(description=_("source"))
    def source(self, video):
        return video.embed.name if video.embed else _("uploaded file")


@admin.register(Cartoon)
class CartoonAdmin(PublishableAdminMixin, TabbedTranslationAdmin):
    list_display = (
        "thumbnail",
        "__str__",
        "artist",
        "state",
        "publish_at",
        "edition_badges",
        "page_link",
    )
    list_display_links = ("thumbnail", "__str__")
    fieldsets = (
        MEDIA_FIELDSETS[0],
        (_("Drawing"), {"fields": ("image", "image_alt", "caption", "artist")}),
        *MEDIA_FIELDSETS[1:],
    )


@admin.register(NewsPic)
class NewsPicAdmin(PublishableAdminMixin, TabbedTranslationAdmin):
    list_display = ("thumbnail", "__str__", "state", "publish_at", "edition_badges", "page_link")
    list_display_links = ("thumbnail", "__str__")
    fieldsets = (
        MEDIA_FIELDSETS[0],
        (_("Photo"), {"fields": ("image", "image_alt", "caption", "credit")}),
        *MEDIA_FIELDSETS[1:],
    )
