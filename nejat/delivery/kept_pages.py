"""Where kept pages live, and whether one is still fresh (``nejat.delivery.page_cache`` serves
them; docs/decisions/0006-cache-tags.md).

An entry is the page (and its gzip), the headers kept with it, its ETag, when it expires, the
tags of what it shows and the sum of their versions when its rendering began. It is **fresh**
while that sum is unchanged (``nejat.publishing.cache_tags``), **stale** once a tag changed. A
stale page is rendered again by one request at a time: the first takes the address's render
lock, and meanwhile the others get the stale copy, for at most ``PAGE_CACHE_RENDER_SECONDS``
(the lock's life), never longer.

With ``REDIS_URL`` an entry is kept in Redis for every process, and each process keeps a copy
of the pages it answered in its own memory (the ``pages`` cache); without it, in the process's
memory (``default``, local memory), which is then the only tier.
"""

import gzip
import hashlib
import time

from django.conf import settings
from django.core.cache import cache, caches

from nejat.delivery import late_fragments
from nejat.delivery.lifetime import cache_lifetime
from nejat.publishing.cache_tags import versions

# The headers stored with a page and sent again with it: what it is (type, language) and the
# security headers the middleware add. An allow-list, so that nothing one reader's response
# carried (a cookie, a header some view sets for a user) is ever sent to the next reader;
# tests/test_page_cache.py checks that a kept page answers with every header the fresh one had.
KEPT_HEADERS = {
    "access-control-allow-origin",  # the content API's answers (api/answers.py)
    "access-control-expose-headers",
    "content-language",
    "content-security-policy",
    "content-type",
    "cross-origin-opener-policy",
    "link",
    "permissions-policy",
    "referrer-policy",
    "strict-transport-security",
    "x-content-type-options",
    "x-frame-options",
    "x-robots-tag",
}


def local_pages():
    """Each process's own copy of kept pages, when the cache is shared (``settings.CACHES``)."""
    return caches["pages"] if "pages" in settings.CACHES else None


def is_fresh(entry, snapshot=None):
    return entry["sum"] == (snapshot or versions().current()).sum(entry["tags"])


def kept_page(key):
    """The entry kept under ``key``, fresh if there is a fresh one: this process's copy, else
    the shared cache's (copied here); else a stale one, else None."""
    snapshot = versions().current()
    local = local_pages()
    mine = local.get(key) if local is not None else None
    if mine is not None and is_fresh(mine, snapshot):
        return mine
    shared = cache.get(key)
    if shared is not None and is_fresh(shared, snapshot):
        if local is not None:
            local.set(key, shared, max(int(shared["expires"] - time.time()), 1))
        return shared
    return mine or shared


def keep(key, response, tags, snapshot):
    """Store ``response`` (a page that may be kept: ``page_cache.may_keep``) under ``key``
    with the ``tags`` it showed, as their versions were in ``snapshot`` when it began."""
    lifetime = cache_lifetime(settings.PAGE_CACHE_SECONDS)
    content = response.content
    late = late_fragments.has_late(content)  # kept in parts, put together when served
    entry = {
        "content": None if late else content,
        "gzip": None if late else gzip.compress(content, compresslevel=6, mtime=0),
        "parts": late_fragments.split(content) if late else None,
        "headers": [(h, v) for h, v in response.items() if h.lower() in KEPT_HEADERS],
        "etag": hashlib.md5(content, usedforsecurity=False).hexdigest(),
        "expires": time.time() + lifetime,
        "tags": tuple(sorted(tags)),
        "sum": snapshot.sum(tags),
    }
    cache.set(key, entry, lifetime)
    if (local := local_pages()) is not None:
        local.set(key, entry, lifetime)
    return entry


def lock_key(key):
    return "nejat:rendering:" + hashlib.md5(key.encode(), usedforsecurity=False).hexdigest()


def take_render_lock(key):
    """True for the one request that renders a stale page again; the lock lasts at most
    ``PAGE_CACHE_RENDER_SECONDS`` (a render that fails or dies lets the next one try)."""
    return cache.add(lock_key(key), 1, settings.PAGE_CACHE_RENDER_SECONDS)


def is_being_rendered(key):
    return cache.get(lock_key(key)) is not None


def release_render_lock(key):
    cache.delete(lock_key(key))
