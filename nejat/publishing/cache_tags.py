"""Cache tags: what a kept page shows, so that a change forgets only the pages that show it
(docs/decisions/0006-cache-tags.md).

- **Reading tags**: while a page (or a fragment of one) is rendered inside ``collecting()``,
  whatever reads the site's data says what it read with ``shows()``: the querysets of the models
  that change public pages do it themselves (``PublicChangesQuerySet``), ``item:<model>:<pk>``
  for each row and ``list:<model>:<edition>`` for a list. A fragment collected inside a page adds
  its tags to the page's.
- **Changing tags**: ``changed()`` gives each tag a new version in ``CacheTag`` (the next value
  of a sequence, which only moves forward whatever rolls back or empties tables), in the current
  transaction, and announces the new versions with ``NOTIFY``: PostgreSQL delivers it when the
  transaction commits, to every process, and never for a change that rolled back.
- **Knowing the versions**: each process keeps them in memory (``versions()``), read once at
  start and kept current by a thread of its own that listens for the announcements (and reads
  the table again after a while without one). A change committed by this process is known here
  at once.
- **Freshness**: something kept with its tags stores the sum of their versions as they were when
  its rendering began (``Snapshot.sum``); it is fresh while that sum is still the same. A tag's
  version only grows, so an equal sum means no tag changed.
"""

import contextlib
import contextvars
import json
import logging
import os
import threading
import time

import psycopg
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models, transaction
from django.dispatch import Signal

from nejat.ops.db import connection_of_its_own

logger = logging.getLogger(__name__)
CHANNEL = "nejat_cache_tags"
RELOAD = "reload"  # an announcement too long for NOTIFY: read the whole table again
LONGEST_NOTICE = 7000  # bytes; PostgreSQL's limit is 8000
RECHECK_SECONDS = 30
FORGET_AFTER_SECONDS = 10


class CacheTag(models.Model):
    """When what a tag names last changed, as a version (``nejat_cache_tag_version``)."""

    tag = models.CharField(max_length=200, primary_key=True)
    version = models.BigIntegerField()

    class Meta:
        app_label = "nejat"
        db_table = "nejat_cache_tag"

    def __str__(self):
        return f"{self.tag} ({self.version})"


# The migration that makes the table makes the sequence too (nejat/migrations).
CREATE_SEQUENCE = "CREATE SEQUENCE nejat_cache_tag_version"
DROP_SEQUENCE = "DROP SEQUENCE nejat_cache_tag_version"


# --- Reading ------------------------------------------------------------------------------------

_collected = contextvars.ContextVar("cache_tags", default=None)


@contextlib.contextmanager
def collecting(into_outer=True):
    """Collect the tags of what is read inside the block (a set); on leaving, they are added to
    the block around it, if any (unless ``into_outer`` is false): a fragment's tags are its
    page's too."""
    outer = _collected.get()
    tags = set()
    token = _collected.set(tags)
    try:
        yield tags
    finally:
        _collected.reset(token)
        if outer is not None and into_outer:
            outer.update(tags)


def is_collecting():
    return _collected.get() is not None


_one_row = contextvars.ContextVar("cache_tags_one_row", default=False)


@contextlib.contextmanager
def one_row():
    """Reading one row by its key (``get()``): the row's tag, not its model's list."""
    token = _one_row.set(True)
    try:
        yield
    finally:
        _one_row.reset(token)


def reading_one_row():
    return _one_row.get()


def row_tags(row):
    """A row's tag, its counts' if they were read (``counted_fields``: a list that shows no
    count defers them), and the tags of the rows fetched with it (``select_related``) that
    change public pages."""
    model = type(row)
    yield item_tag(model, row.pk)
    if any(name in row.__dict__ for name in getattr(model, "counted_fields", ())):
        yield count_tag(model, row.pk)
    for related in row._state.fields_cache.values():
        if related is not None and getattr(related, "changes_public_pages", False):
            yield item_tag(type(related), related.pk)


def shows(*tags):
    """What is being rendered shows these (nothing happens outside ``collecting()``)."""
    collected = _collected.get()
    if collected is not None:
        collected.update(tags)


def item_tag(model, pk):
    return f"item:{model._meta.label_lower}:{pk}"


def count_tag(model, pk):
    """A row's counts (``counted_fields``: its approved comments), which a write of nothing else
    changes alone: the pages that show the row without its counts are not forgotten."""
    return f"count:{model._meta.label_lower}:{pk}"


def list_tag(model, code):
    return f"list:{model._meta.label_lower}:{code}"


def part_tag(model, code, part):
    """A part of an edition's list (``PublicChangesQuerySet.listed_in``: a category's articles),
    which a page that shows only that part carries instead of the whole list's tag."""
    return f"list:{model._meta.label_lower}:{code}:{part}"


def parts_tag(model, code):
    """Every part of an edition's list, changed by a change whose parts are not known (a
    bulk ``update()``): every page that shows a part carries it too."""
    return f"list:{model._meta.label_lower}:{code}:parts"


def list_tags(model, code, parts=None):
    """What a change to an edition's list changes: the whole list, and the ``parts`` it moved
    items in and out of (``None``: not known, so every part)."""
    yield list_tag(model, code)
    if parts is None:
        yield parts_tag(model, code)
    else:
        yield from (part_tag(model, code, part) for part in parts)


def remembered(key, build, lifetime, keeps=lambda value: True, tags_to_page=True, built=None):
    """What ``build()`` returns, kept under ``key`` with the tags of what it read for as long
    as none of them changes (at most ``lifetime`` seconds); its tags are added to the page
    being rendered (unless ``tags_to_page`` is false: a late fragment, put in when the page is
    served). ``keeps(value)`` says whether a value built may be kept; ``built(key, tags)``, if
    given, is told when one was."""
    entry = cache.get(key)
    if entry is not None and versions().current().sum(entry["tags"]) == entry["sum"]:
        if tags_to_page:
            shows(*entry["tags"])
        return entry["value"]
    snapshot = versions().current()  # before anything is read
    with collecting(into_outer=tags_to_page) as tags:
        value = build()
    if keeps(value):
        entry = {"value": value, "tags": tuple(sorted(tags)), "sum": snapshot.sum(tags)}
        cache.set(key, entry, lifetime)
        if built:
            built(key, entry["tags"])
    return value


# --- Changing -----------------------------------------------------------------------------------

UPSERT = """
    INSERT INTO nejat_cache_tag (tag, version)
    SELECT tag, nextval('nejat_cache_tag_version') FROM unnest(%s::text[]) tag ORDER BY tag
    ON CONFLICT (tag) DO UPDATE SET version = EXCLUDED.version
    RETURNING tag, version
"""


# Sent by ``changed()`` in the change's transaction, with ``tags``: for what keeps pages outside
# this process's reach (the caches in front: ``nejat.delivery.front_caches``).
tags_changed = Signal()


def changed(*tags):
    """Forget what shows ``tags``: in the current transaction (at once outside one)."""
    if not tags:
        return
    with connection.cursor() as cursor:
        cursor.execute(UPSERT, [sorted(set(tags))])  # one order: no deadlock between writers
        new = dict(cursor.fetchall())
        notice = json.dumps(new, separators=(",", ":"))
        notice = notice if len(notice) < LONGEST_NOTICE else RELOAD
        cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, notice])
    tags_changed.send(sender=CacheTag, tags=sorted(new))
    # Known here as soon as it commits (the announcement reaches this process a moment later).
    transaction.on_commit(lambda: versions().heard(new), robust=True)


# --- Knowing ------------------------------------------------------------------------------------


class Snapshot:
    """The versions at one moment (never changed: a change makes a new snapshot)."""

    def __init__(self, versions):
        self.versions = versions

    def sum(self, tags):
        return sum(self.versions.get(tag, 0) for tag in tags)


class Versions:
    """This process's knowledge of every tag's version, kept current by a listener thread."""

    def __init__(self):
        self.snapshot = None  # None while not listening: ``current()`` reads the table
        self.last_known = None
        self.lock = threading.Lock()
        self.ready = threading.Event()
        self.stopped = threading.Event()
        # A listener, not work of the application: it only hears of changes.
        self.thread = threading.Thread(target=self.run, daemon=True, name="cache-tags")
        self.thread.start()
        self.ready.wait(timeout=5)

    def current(self):
        """The versions now: from memory while listening, else read from the table; while the
        database is away, the last ones known (nothing can change while it is away)."""
        snapshot = self.snapshot
        if snapshot is not None:
            return snapshot
        try:
            with connection.cursor() as cursor:
                return Snapshot(read_all(cursor))
        except DatabaseError:
            if self.last_known is None:
                raise
            return self.last_known

    def heard(self, new):
        """Take in versions heard of or read; a version never goes back (a table emptied, as
        between tests, or an announcement overtaken by a read)."""
        with self.lock:
            if self.snapshot is None:
                return
            merged = dict(self.snapshot.versions)
            for tag, version in new.items():
                merged[tag] = max(version, merged.get(tag, 0))
            self.snapshot = Snapshot(merged)

    def run(self):
        failing_since = None
        while not self.stopped.is_set():
            try:
                self.listen()
            except (psycopg.Error, DatabaseError, OSError) as error:
                # A database restarting keeps what was known (it reconnects and reads the table
                # again); a listener that cannot listen for longer lets requests read the table.
                if failing_since is None:
                    logger.warning("Not hearing of changed cache tags: %s", error)
                failing_since = failing_since or time.monotonic()
                if time.monotonic() - failing_since > FORGET_AFTER_SECONDS:
                    self.forget()
                self.ready.set()
                self.stopped.wait(1)
            else:
                failing_since = None

    def listen(self):
        with connection_of_its_own() as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self.reload(conn)
            while not self.stopped.is_set():
                # (Read to its end before any query: the generator holds the connection.)
                notices = list(conn.notifies(timeout=RECHECK_SECONDS, stop_after=1))
                payload = notices[0].payload if notices else RELOAD
                if payload == RELOAD:  # too long to announce, or a while without a word
                    self.reload(conn)
                elif payload:  # ("": a wake-up, to stop)
                    self.heard(json.loads(payload))

    def reload(self, conn):
        with conn.cursor() as cursor:
            read = read_all(cursor)
        with self.lock:
            if self.snapshot is None:
                self.snapshot = Snapshot(read)
        self.heard(read)
        self.ready.set()

    def forget(self):
        with self.lock:
            self.last_known = self.snapshot or self.last_known
            self.snapshot = None

    def stop(self):
        self.stopped.set()
        if self.snapshot is not None:
            with contextlib.suppress(psycopg.Error), connection_of_its_own() as conn:
                conn.execute("SELECT pg_notify(%s, '')", [CHANNEL])
        self.thread.join(timeout=RECHECK_SECONDS + 5)


def read_all(cursor):
    cursor.execute("SELECT tag, version FROM nejat_cache_tag")
    return dict(cursor.fetchall())


_versions = {}
_versions_lock = threading.Lock()


def versions():
    """This process's versions (of the database that settings name)."""
    # (connections.settings, not the connection: no thread-local lookup on a kept page's path)
    key = (os.getpid(), connections.settings[DEFAULT_DB_ALIAS]["NAME"])
    known = _versions.get(key)
    if known is None:
        with _versions_lock:
            known = _versions.get(key)
            if known is None:
                known = _versions[key] = Versions()
    return known


def stop_listening():
    """Stop this process's listeners (tests, before their database is dropped)."""
    with _versions_lock:
        for known in _versions.values():
            known.stop()
        _versions.clear()
