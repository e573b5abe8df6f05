"""Freshness: what is cached is keyed by a "content version" that every public change bumps.

Feeds, sitemaps and the site context (name, menus) are cached under the current version
(``nejat.publishing.content_version``: shared by every process, with Redis or without). One
mechanism bumps it, for every model whose class says ``changes_public_pages = True`` (every
``Publishable``, and the rows and settings pages show), from any path: the admin, a bulk
action, a command, the shell:

- a save or delete of one, and any change of its many-to-many relations (tags): signals;
- ``QuerySet.update()``, ``bulk_create()`` and ``bulk_update()``, which send no signal: those
  models' managers are ``PublicChangesQuerySet`` managers, their base managers too
  (``tests/test_freshness.py`` checks every such model), so no caller has to remember.

The bump happens **after the transaction commits**: a reader arriving between the bump and the
commit would otherwise re-cache the old page under the new version. ``FEED_CACHE_SECONDS``
bounds how late a scheduled item can appear in a feed.
"""

import logging
import urllib.request

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from nejat.publishing.content_version import bump

logger = logging.getLogger(__name__)


def content_changed():
    """A new content version at once (``content_changed_on_commit`` in a transaction)."""
    bump()


@app.task(queue="delivery", retry=RetryStrategy(max_attempts=6, exponential_wait=2))
def purge_frontend_caches():
    """Tell the caches in front (nginx, a CDN) that every page changed: a PURGE request to each
    of ``PAGE_CACHE_PURGE_URLS``. A job, deferred with the change: when one fails, the others
    are still sent and the job is tried again (2 s, 4 s, 8 s, … about two minutes in all)."""
    failed = []
    for url in settings.PAGE_CACHE_PURGE_URLS:
        request = urllib.request.Request(url, method="PURGE")  # noqa: S310 - our own setting
        try:
            with urllib.request.urlopen(request, timeout=5):  # noqa: S310
                pass
        except OSError as error:
            logger.warning("Purging the cache at %s failed: %s", url, error)
            failed.append(url)
    if failed:
        raise PurgeFailed(", ".join(failed))


class PurgeFailed(Exception):
    """A cache in front did not take the purge (the job is tried again)."""


def purge_with_this_change(pending):
    """Defer one purge job in the current transaction: it commits with the change. Deferred
    again when the first one is gone (its transaction or savepoint rolled back)."""
    if not settings.PAGE_CACHE_PURGE_URLS:
        return
    job = pending.get("purge_job")
    if job is not None and ProcrastinateJob.objects.filter(pk=job, status="todo").exists():
        return
    pending["purge_job"] = purge_frontend_caches.defer()


def content_changed_on_commit():
    """Bump the version once the current transaction commits (at once outside a transaction);
    once per commit, however many changes it holds (an import's thousands of saves)."""
    connection = transaction.get_connection()
    pending = getattr(connection, "nejat_pending_bump", None)
    if pending is None or pending["done"]:
        # The bump due at the next commit: registered with each change, made by the first of
        # them to run (a savepoint rolled back takes its own registrations only).
        pending = connection.nejat_pending_bump = {"done": False}

    def bump_once():
        if not pending["done"]:
            pending["done"] = True
            content_changed()

    # robust: a store that is away (Redis, a full connection table) is logged, never turned
    # into an error page for a change that has already been saved.
    transaction.on_commit(bump_once, robust=True)
    purge_with_this_change(pending)  # (outside a transaction: after the bump)


def changes_public_pages(model):
    return getattr(model, "changes_public_pages", False)


class PublicChangesQuerySet(models.QuerySet):
    """The queryset of a model that changes public pages: writes that send no signal announce
    the change on commit as a save does (module docstring)."""

    def update(self, **kwargs):
        changed = super().update(**kwargs)
        if changed and changes_public_pages(self.model):
            content_changed_on_commit()
        return changed

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created and changes_public_pages(self.model):
            content_changed_on_commit()
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        changed = super().bulk_update(objs, fields, *args, **kwargs)
        if changed and changes_public_pages(self.model):
            content_changed_on_commit()
        return changed

    bulk_update.alters_data = True


def _saved_or_deleted(sender, **kwargs):
    if changes_public_pages(sender):
        content_changed_on_commit()


def _relation_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and changes_public_pages(type(instance)):
        content_changed_on_commit()


def connect_signals():
    """Called once by ``NejatConfig.ready()``."""
    post_save.connect(_saved_or_deleted, dispatch_uid="nejat.publishing.public_changes.saved")
    post_delete.connect(_saved_or_deleted, dispatch_uid="nejat.publishing.public_changes.deleted")
    m2m_changed.connect(_relation_changed, dispatch_uid="nejat.publishing.public_changes.relation")
