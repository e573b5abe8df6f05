"""Uploaded files leave storage once nothing refers to them.

When a row's file is replaced or cleared, or the row is deleted, the old file and the renditions
its manifest lists are deleted after the transaction commits (a rollback keeps them), unless
another row still names the file: a gallery's cover is its first photo's image, and later a
revision or the media library may hold on to a file. Such places join with
``keep_files_referenced_by(callable)``: ``callable(name) -> bool``.

Works for every model with a ``FileField``, whoever saves it (the admin, an import, the shell);
``nejat.apps`` connects the signals.
"""

import logging

from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save

logger = logging.getLogger(__name__)
_extra_references = []


def keep_files_referenced_by(check):
    """Register ``check(name) -> bool``: True keeps the stored file ``name``."""
    _extra_references.append(check)


def file_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _manifest_field(field):
    return getattr(field, "renditions_field", None)


def _stored(instance, field):
    """``(name, renditions manifest)`` of ``field`` as ``instance`` holds it now."""
    manifest_field = _manifest_field(field)
    manifest = getattr(instance, manifest_field, None) if manifest_field else None
    return getattr(instance, field.attname).name or "", manifest or {}


def is_referenced(name):
    """Does any row of any model still name the stored file ``name``?"""
    for model in apps.get_models():
        for field in file_fields(model):
            if model._base_manager.filter(**{field.attname: name}).exists():
                return True
    return any(check(name) for check in _extra_references)


def rendition_names(manifest):
    return [name for kind in ("webp", "fallback") for _width, name in manifest.get(kind) or []]


def delete_if_unreferenced(storage, name, manifest):
    if not name or is_referenced(name):
        return
    for stored in (name, *rendition_names(manifest)):
        try:
            storage.delete(stored)
        except OSError:  # already gone, or the storage refused: nothing else depends on it
            logger.warning("Could not delete the unused file %s", stored)


def forget_after_commit(field, name, manifest):
    """Delete the stored file ``name`` of ``field`` (and its renditions) once the transaction
    commits, if no row names it then. For code that changes file columns with ``update()``."""
    storage = field.storage
    transaction.on_commit(lambda: delete_if_unreferenced(storage, name, manifest), robust=True)


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
            forget_after_commit(field, old_name, old_manifest)


def _forget_deleted_files(sender, instance, **kwargs):
    for field in file_fields(sender):
        name, manifest = _stored(instance, field)
        if name:
            forget_after_commit(field, name, manifest)


def connect_signals():
    """Called once by ``NejatConfig.ready()``."""
    pre_save.connect(_remember_stored_files, dispatch_uid="nejat.uploads.remember")
    post_save.connect(_forget_replaced_files, dispatch_uid="nejat.uploads.replaced")
    post_delete.connect(_forget_deleted_files, dispatch_uid="nejat.uploads.deleted")
