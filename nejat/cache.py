"""Freshness: what is cached is keyed by a "content version" that every public change bumps.

Feeds, sitemaps and the site context (name, menus) are cached under the current version. One
mechanism bumps it: any save or delete of a model whose class says ``changes_public_pages =
True`` (every ``Publishable``, and the rows and settings pages show), and any change of its
many-to-many relations (tags), from any path: the admin, a bulk action, a command, the shell.
The bump happens **after the transaction commits**: a reader arriving between the bump and the
commit would otherwise re-cache the old page under the new version. Code that changes public
content with ``QuerySet.update()`` (no signals) calls ``content_changed_on_commit()`` itself.
``FEED_CACHE_SECONDS`` bounds how late a scheduled item can appear in a feed.

With Redis the version is asked for on every request a kept page answers, and that one round
trip was most of the cost of such a page (``make bench``: 6,500 pages/s with it). So each
process keeps the version in memory, and a thread of its own listens on a Redis channel where
every bump is announced; it reads the version again on each announcement. While it is not
listening (starting, Redis away) the version is asked of Redis as before.
"""

import functools
import logging
import os
import threading
import time
import urllib.request

import redis
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import translation

logger = logging.getLogger(__name__)
VERSION_KEY = "nejat:content-version"
VERSION_CHANNEL = "nejat:content-version-changed"
RECHECK_SECONDS = 10


def content_version():
    listener = version_listener()
    if listener is not None and (known := listener.version) is not None:
        return known
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def content_changed():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)
    if (listener := version_listener()) is not None:
        listener.announce()
    purge_frontend_caches()


class VersionListener:
    """The content version as this process knows it from Redis's announcements (module
    docstring). ``version`` is None while it does not listen."""

    def __init__(self, url):
        self.client = redis.Redis.from_url(url)
        self.version = None
        threading.Thread(target=self.listen, daemon=True, name="content-version").start()

    def listen(self):
        while True:
            try:
                with self.client.pubsub() as channel:
                    channel.subscribe(VERSION_CHANNEL)
                    while True:
                        # The subscription, an announcement, or a while without one: read the
                        # version again (subscribed first, so no announcement falls in between;
                        # and a channel that died in silence costs at most RECHECK_SECONDS).
                        channel.get_message(timeout=RECHECK_SECONDS)
                        self.version = cache.get_or_set(VERSION_KEY, 1, timeout=None)
            except (redis.RedisError, OSError):
                self.version = None
                time.sleep(1)

    def announce(self):
        """After a bump in this process: known here at once, and told to the others."""
        self.version = None  # until the announcement comes back
        try:
            self.client.publish(VERSION_CHANNEL, "changed")
        except (redis.RedisError, OSError):
            logger.warning("Announcing a new content version failed")


_listeners = {}
_listeners_lock = threading.Lock()


def version_listener():
    """This process's listener when the cache is Redis, else None (one process's memory)."""
    if not isinstance(caches["default"], RedisCache):
        return None
    url = settings.CACHES["default"]["LOCATION"]
    key = (os.getpid(), url)
    listener = _listeners.get(key)
    if listener is None:
        with _listeners_lock:
            listener = _listeners.get(key) or _listeners.setdefault(key, VersionListener(url))
    return listener


def purge_frontend_caches():
    """Tell the caches in front (nginx, a CDN) that every page changed: a PURGE request to each
    of ``PAGE_CACHE_PURGE_URLS``. A failure is logged, never raised."""
    for url in settings.PAGE_CACHE_PURGE_URLS:
        request = urllib.request.Request(url, method="PURGE")  # noqa: S310 - our own setting
        try:
            with urllib.request.urlopen(request, timeout=2):  # noqa: S310
                pass
        except OSError:
            logger.warning("Purging the cache at %s failed", url)


def content_changed_on_commit():
    """Bump the version once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(content_changed, robust=True)


def changes_public_pages(model):
    return getattr(model, "changes_public_pages", False)


def _saved_or_deleted(sender, **kwargs):
    if changes_public_pages(sender):
        content_changed_on_commit()


def _relation_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and changes_public_pages(type(instance)):
        content_changed_on_commit()


def connect_signals():
    """Called once by ``NejatConfig.ready()``."""
    post_save.connect(_saved_or_deleted, dispatch_uid="nejat.cache.saved")
    post_delete.connect(_saved_or_deleted, dispatch_uid="nejat.cache.deleted")
    m2m_changed.connect(_relation_changed, dispatch_uid="nejat.cache.relation")


def cached_until_content_changes(view):
    """Cache a GET view's response per address, edition and content version, and mark it for
    the page cache (``nejat.pagecache``), which answers the next reader before the view."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET":
            return view(request, *args, **kwargs)
        version, language = content_version(), translation.get_language()
        # Feeds and sitemaps hold absolute addresses: the host and scheme belong in the key.
        address = request.build_absolute_uri()
        key = f"nejat:cached:{version}:{language}:{address}"
        from nejat.pagecache import share_with_readers  # (both import each other's module)
        from nejat.publishing import cache_lifetime

        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            return share_with_readers(HttpResponse(content, content_type=content_type))
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200:
            entry = (response.content, response["Content-Type"])
            cache.set(key, entry, cache_lifetime(settings.FEED_CACHE_SECONDS))
            share_with_readers(response)  # the page cache keeps it whole, compressed too
        return response

    return wrapper
