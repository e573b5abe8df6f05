"""What an editor typed or chose and has not saved yet. Never read by the public site."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DraftQuerySet(models.QuerySet):
    def of(self, user, model, object_id=None, new_item_key=""):
        """``user``'s draft of the item ``object_id`` of ``model``, or (``object_id`` None) of the
        new item written in the form whose key is ``new_item_key``."""
        return self.filter(
            user=user,
            content_type=ContentType.objects.get_for_model(model),
            object_id="" if object_id is None else str(object_id),
            new_item_key="" if object_id is not None else new_item_key,
        )

    def of_new_items(self, user, model):
        """``user``'s drafts of new items of ``model`` (one per form: two tabs, two drafts),
        newest first."""
        return self.filter(
            user=user, content_type=ContentType.objects.get_for_model(model), object_id=""
        ).order_by("-saved_at")

    def keep(self, user, model, object_id, data, new_item_key=""):
        self.update_or_create(
            user=user,
            content_type=ContentType.objects.get_for_model(model),
            object_id="" if object_id is None else str(object_id),
            new_item_key="" if object_id is not None else new_item_key,
            defaults={"data": data},
        )


class Draft(models.Model):
    """One editor's unsaved form for one item (or for a new item of a kind): the fields as the
    browser posts them, kept a few seconds after each change and when the page closes. The item
    itself is not touched; saving the form, or discarding the draft, deletes it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64, blank=True)  # "" for a new item
    # A new item's form has a key of its own, so that two tabs writing two new articles keep
    # two drafts ("" for an existing item).
    new_item_key = models.CharField(max_length=36, blank=True, default="")
    data = models.JSONField()  # {field name: [values]}, as request.POST.lists() gives them
    saved_at = models.DateTimeField(auto_now=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("unsaved draft")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id", "new_item_key"],
                name="one_draft_per_user_and_form",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.content_type} {self.object_id or '+'}"


def kept_upload_path(instance, filename):
    return f"kept-uploads/{instance.token}/{filename}"


class PrivateStorage(FileSystemStorage):
    """Files on the local disk under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT: no address serves
    them (``url()`` refuses), neither Django's media view nor nginx's /media-files/."""

    private = True  # nejat.media.uploads leaves these to their model

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return str(settings.PRIVATE_MEDIA_ROOT.resolve())

    @property
    def base_url(self):
        return None


private_storage = PrivateStorage()


def private_files():
    return private_storage


class KeptUploadQuerySet(models.QuerySet):
    def older_than(self, age):
        return self.filter(created_at__lt=timezone.now() - age)

    def delete(self):
        """Deletes the rows and their files."""
        for kept in self:
            kept.file.delete(save=False)
        return super().delete()


class KeptUpload(models.Model):
    """A file chosen in an admin form that came back with an error. The form shows it as kept
    and takes it again on the next try, so a 40 MB PDF is not chosen and sent twice. Only its
    uploader may claim it; `manage.py sweep_uploads` deletes those older than a day. Kept as
    uploaded (EXIF, GPS and all), so on private storage: nobody else can open it by address."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    file = models.FileField(upload_to=kept_upload_path, storage=private_files, max_length=300)
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = KeptUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("kept upload")

    def __str__(self):
        return self.name

    def delete(self, *args, **kwargs):
        self.file.delete(save=False)
        return super().delete(*args, **kwargs)
