"""The content version: one number that every public change bumps, the same in every process.

Whatever is cached for readers is keyed by it (``nejat.publishing.public_changes``), so it must be
shared by every process of the site: web workers, ``manage.py`` commands, the shell, cron jobs.

- **Where it is kept**: in Redis when the cache is Redis (``REDIS_URL``); otherwise in a
  sequence of PostgreSQL (``nejat_content_version``), which every process reaches even on the
  embedded database. Each bump is announced on a channel: Redis's publish/subscribe, or PostgreSQL's
  ``NOTIFY`` (delivered when the bump commits).
- **How a process knows it**: asking the store on every request a kept page answers would cost
  a round trip per page (most of that page's cost, ``make bench``). So each process keeps the
  version in memory, and a thread of its own, with a connection of its own, listens on the
  channel and reads the version again on each announcement (and every ``RECHECK_SECONDS``, in
  case one was missed). A bump made in this process is known here at once.
- **While it does not listen** (starting, Redis away) the version is read from the store on
  each request. PostgreSQL's listener keeps the last version it read when the database goes
  away: nothing can change while it is away, and the version is read again on reconnecting.
"""

import logging
import os
import threading
import time

import psycopg
import redis
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, ProgrammingError, connection

from nejat.ops.db import connection_of_its_own

logger = logging.getLogger(__name__)
VERSION_KEY = "nejat:content-version"
VERSION_CHANNEL = "nejat:content-version-changed"  # Redis
NOTIFY_CHANNEL = "nejat_content_version"  # PostgreSQL
RECHECK_SECONDS = 10

# A sequence, not a row: it only moves forward, whatever rolls back or empties tables (a
# test's transaction, a test database flushed between tests), and costs no row lock.
READ_SQL = "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM nejat_content_version"
BUMP_SQL = (
    "SELECT version, pg_notify(%s, version::text) FROM nextval('nejat_content_version') version"
)
UNDEFINED_TABLE = "42P01"


def content_version():
    """The current version (an int), from memory when this process listens."""
    listener = version_listener()
    if listener.version is not None:
        return listener.version
    return listener.store.read()


def bump():
    """A new version, in the store, announced to every process and known here at once."""
    listener = version_listener()
    if (version := listener.store.bump()) is not None:
        listener.bumped(version)


class RedisStore:
    def __init__(self, url):
        self.client = redis.Redis.from_url(url)

    def read(self):
        return cache.get_or_set(VERSION_KEY, 1, timeout=None)

    def bump(self):
        try:
            version = cache.incr(VERSION_KEY)
        except ValueError:
            version = 2
            cache.set(VERSION_KEY, version, timeout=None)
        try:
            self.client.publish(VERSION_CHANNEL, str(version))
        except (redis.RedisError, OSError):
            logger.warning("Announcing a new content version failed")
        return version

    def listen(self, listener):
        try:
            with self.client.pubsub() as channel:
                channel.subscribe(VERSION_CHANNEL)
                while True:
                    # The subscription, an announcement, or a while without one: read the
                    # version again (subscribed first, so no announcement falls in between).
                    generation = listener.generation
                    channel.get_message(timeout=RECHECK_SECONDS)
                    listener.heard(self.read(), generation)
        except (redis.RedisError, OSError):
            listener.forget()  # asked of Redis on each request until it answers again
            raise


class PostgresStore:
    """The version in a sequence of the site's database, for every process, Redis or not."""

    def __init__(self):
        self.connected = False

    def connect(self):
        """A connection of the store's own (made when first needed: at a process's start the
        embedded database may still be starting)."""
        self.connected = True
        return connection_of_its_own()

    def read(self):
        with connection.cursor() as cursor:
            cursor.execute(READ_SQL)
            return cursor.fetchone()[0]

    def bump(self):
        """On Django's connection: bumps come after the change's commit
        (``nejat.publishing.public_changes``), and the sequence moves at once even inside a
        transaction (the announcement waits for its commit)."""
        try:
            with connection.cursor() as cursor:
                cursor.execute(BUMP_SQL, [NOTIFY_CHANNEL])
                return cursor.fetchone()[0]
        except ProgrammingError as error:
            # A data migration's change before the migration that makes the sequence: on a
            # database that old nothing has been cached under a version yet.
            if getattr(error.__cause__, "sqlstate", None) == UNDEFINED_TABLE:
                return None
            raise

    def listen(self, listener):
        with self.connect() as conn:
            conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
            while not listener.stopped.is_set():
                generation = listener.generation
                listener.heard(conn.execute(READ_SQL).fetchone()[0], generation)
                # (Read to its end: the generator holds the connection's lock until then.)
                list(conn.notifies(timeout=RECHECK_SECONDS, stop_after=1))

    def wake(self):
        """Wake the listener (to stop it) with an announcement of no new version."""
        if not self.connected:
            return
        with self.connect() as conn:
            conn.execute("SELECT pg_notify(%s, '')", [NOTIFY_CHANNEL])


class VersionListener:
    """The version as this process knows it. ``version`` is None while it is not known."""

    def __init__(self, store):
        self.store = store
        self.version = None
        self.generation = 0  # bumps made in this process, so a slower read never undoes one
        self.failing_since = None  # since when the listener cannot listen
        self.lock = threading.Lock()
        self.ready = threading.Event()  # read once, or failed to
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True, name="content-version")
        self.thread.start()
        # The first version comes from the listener's own connection: a process's first page
        # costs no query of its own, whichever page that is (query counts stay exact).
        self.ready.wait(timeout=5)

    def run(self):
        while not self.stopped.is_set():
            try:
                self.store.listen(self)
            except (redis.RedisError, psycopg.Error, DatabaseError, OSError):
                self.ready.set()
                # A database restarting keeps the last version (nothing changes meanwhile);
                # a listener that cannot connect for longer lets requests read the store.
                self.failing_since = self.failing_since or time.monotonic()
                if time.monotonic() - self.failing_since > RECHECK_SECONDS:
                    self.forget()
                self.stopped.wait(1)

    def heard(self, version, generation):
        with self.lock:
            if generation == self.generation:
                self.version = version
        self.failing_since = None
        self.ready.set()

    def bumped(self, version):
        """A bump made here; another process's later one may have been heard already."""
        with self.lock:
            self.generation += 1
            self.version = max(version, self.version or 0)

    def forget(self):
        with self.lock:
            self.version = None


_listeners = {}
_listeners_lock = threading.Lock()


def version_listener():
    """This process's listener for the store that settings name (Redis, or PostgreSQL)."""
    if isinstance(caches["default"], RedisCache):
        key = (os.getpid(), "redis", settings.CACHES["default"]["LOCATION"])
    else:
        key = (os.getpid(), "postgresql", connection.settings_dict["NAME"])
    listener = _listeners.get(key)
    if listener is None:
        with _listeners_lock:
            listener = _listeners.get(key)
            if listener is None:
                store = RedisStore(key[2]) if key[1] == "redis" else PostgresStore()
                listener = _listeners[key] = VersionListener(store)
    return listener


def stop_listeners():
    """Stop every listener of this process (tests, before their database is dropped)."""
    with _listeners_lock:
        for listener in _listeners.values():
            listener.stopped.set()
            if isinstance(listener.store, PostgresStore):
                listener.store.wake()
                listener.thread.join(timeout=RECHECK_SECONDS + 5)
        _listeners.clear()
