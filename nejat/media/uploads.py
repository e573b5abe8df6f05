"""Uploaded files leave storage once nothing refers to them: recorded after the commit, deleted
by a later sweep.

When a row's file is replaced or cleared, or the row is deleted, the old file (with the
renditions its manifest lists) is recorded as a ``StaleUpload`` once the transaction commits (a
rollback records nothing). ``manage.py sweep_uploads`` deletes the records older than
``UPLOAD_SWEEP_AFTER_HOURS``, each only if nothing names the file then: no file column of any
row, no rich-text body that links or shows it (an editor may have pasted its address), and no
place registered with ``keep_files_referenced_by(check)`` (later: revisions, the media library).
Deciding at sweep time, well after the commit, also sees what other transactions committed
meanwhile. ``make run`` sweeps at every start; a production host runs it daily.

Works for every model with a ``FileField``, whoever saves it (the admin, an import, the shell);
``nejat.apps`` connects the signals. All file fields use the default storage, except the
private ones (``nejat.editorial.autosave.models.PrivateStorage``), which delete their own files.
"""

import logging
from datetime import timedelta
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from nejat.media.richtext import RichTextField

logger = logging.getLogger(__name__)


class StaleUpload(models.Model):
    """A stored file that a row replaced or dropped; ``sweep()`` deletes it later with its
    renditions, if nothing names it by then."""

    name = models.CharField(max_length=500)
    renditions = models.JSONField(default=list)
    recorded_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.name


_extra_references = []


def keep_files_referenced_by(check):
    """Register ``check(name) -> bool``: True keeps the stored file ``name``."""
    _extra_references.append(check)


def file_fields(model):
    """The model's file fields on the default storage (a private one looks after its own)."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.FileField) and not getattr(f.storage, "private", False)
    ]


def rendition_names(manifest):
    return [name for kind in ("webp", "fallback") for _width, name in manifest.get(kind) or []]


def _manifest_field(field):
    return getattr(field, "renditions_field", None)


def _stored(instance, field):
    """``(name, renditions manifest)`` of ``field`` as ``instance`` holds it now."""
    manifest_field = _manifest_field(field)
    manifest = getattr(instance, manifest_field, None) if manifest_field else None
    return getattr(instance, field.attname).name or "", manifest or {}


# --- Is a file still named somewhere? -------------------------------------------------------------


def is_referenced(name):
    """Does a file column, a rich-text body or a registered place still name ``name``?"""
    for model in apps.get_models():
        for field in file_fields(model):
            if model._base_manager.filter(**{field.attname: name}).exists():
                return True
        texts = [f.attname for f in model._meta.concrete_fields if isinstance(f, RichTextField)]
        if texts:
            spellings = {name, quote(name)}  # bodies hold addresses, percent-encoded or not
            mentions = Q()
            for column in texts:
                for spelling in spellings:
                    mentions |= Q(**{f"{column}__contains": spelling})
            if model._base_manager.filter(mentions).exists():
                return True
    return any(check(name) for check in _extra_references)


# --- Recording, after the commit ------------------------------------------------------------------


def forget_after_commit(name, manifest):
    """Record the stored file ``name`` (and its renditions) as possibly unused once the
    transaction commits. For code that changes file columns with ``update()``."""
    if not name:
        return
    renditions = rendition_names(manifest or {})
    transaction.on_commit(
        lambda: StaleUpload.objects.create(name=name, renditions=renditions), robust=True
    )


def _remember_stored_files(sender, instance, raw=False, **kwargs):
    fields = file_fields(sender)
    if raw or not fields or instance._state.adding or instance.pk is None:
        return
    columns = [f.attname for f in fields] + [
        _manifest_field(f) for f in fields if _manifest_field(f)
    ]
    row = sender._base_manager.filter(pk=instance.pk).values(*columns).first() or {}
    instance._stored_files = {
        field.attname: (row.get(field.attname) or "", row.get(_manifest_field(field)) or {})
        for field in fields
    }


def _forget_replaced_files(sender, instance, raw=False, **kwargs):
    before = instance.__dict__.pop("_stored_files", None)
    if raw or not before:
        return
    for field in file_fields(sender):
        old_name, old_manifest = before[field.attname]
        if old_name and old_name != _stored(instance, field)[0]:
            forget_after_commit(old_name, old_manifest)


def _forget_deleted_files(sender, instance, **kwargs):
    for field in file_fields(sender):
        forget_after_commit(*_stored(instance, field))


def connect_signals():
    """Called once by ``NejatConfig.ready()``."""
    pre_save.connect(_remember_stored_files, dispatch_uid="nejat.media.uploads.remember")
    post_save.connect(_forget_replaced_files, dispatch_uid="nejat.media.uploads.replaced")
    post_delete.connect(_forget_deleted_files, dispatch_uid="nejat.media.uploads.deleted")


# --- The sweep ------------------------------------------------------------------------------------


def sweep(older_than=None):
    """Delete the recorded files that nothing names any more: ``(deleted, kept)`` counts."""
    if older_than is None:
        older_than = timedelta(hours=settings.UPLOAD_SWEEP_AFTER_HOURS)
    deleted = kept = 0
    for record in StaleUpload.objects.filter(recorded_at__lte=timezone.now() - older_than):
        if is_referenced(record.name) or any(map(is_referenced, record.renditions)):
            kept += 1
        else:
            for name in (record.name, *record.renditions):
                try:
                    default_storage.delete(name)
                except OSError:  # already gone, or refused: nothing else depends on it
                    logger.warning("Could not delete the unused file %s", name)
            deleted += 1
        record.delete()
    return deleted, kept
