"""Late fragments: a part every page of an edition shows (the sidebar's Recent Posts) is kept
on its own and put into each kept page when the page is served, not when it is rendered.

Kept inside each page, it would carry the tags of the latest articles into every page of the
edition, and each publication would forget them all. Instead a page rendered to be kept holds a
marker where the fragment goes (``{% shared_fragment "recent-posts" late %}``), and its entry is
kept in parts; serving it puts the fragment's current copy in each marker's place. The gzip
form is stitched from the parts' deflate streams (each ends with a full flush, so they follow
one another), with the CRC and length of the whole: no page is compressed per request.

A fragment whose copy is gone or stale makes its page stale: the page is rendered again, which
renders the fragment again (once, for every page of the edition).
"""

import contextlib
import contextvars
import hashlib
import re
import struct
import threading
import zlib

from django.conf import settings
from django.core.cache import cache, caches

from nejat.publishing.cache_tags import versions

MARKER = re.compile(rb"<!--nejat-late:([A-Za-z0-9:_.-]+)-->")
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time
LAST_BLOCK = b"\x03\x00"  # an empty final block

_allowed = contextvars.ContextVar("late_fragments", default=False)
EMPTY = {"bytes": b"", "deflated": b"", "etag": "gone"}


@contextlib.contextmanager
def allowing():
    """While a page that may be kept is rendered: late fragments leave a marker."""
    token = _allowed.set(True)
    try:
        yield
    finally:
        _allowed.reset(token)


def allowed():
    return _allowed.get()


def marker(key):
    return f"<!--nejat-late:{key}-->"


def deflated(data):
    """``data`` as a raw deflate stream that another can follow."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH)


def fragment(html):
    """What is kept of a fragment: its HTML, its bytes and their deflate stream, its ETag."""
    data = html.encode()
    return {
        "html": html,
        "bytes": data,
        "deflated": deflated(data),
        "etag": hashlib.md5(data, usedforsecurity=False).hexdigest()[:12],
    }


def split(content):
    """A page's parts: bytes (each with its deflate stream) and the keys of its fragments."""
    parts, start = [], 0
    for found in MARKER.finditer(content):
        parts.append((content[start : found.start()], deflated(content[start : found.start()])))
        parts.append(found[1].decode())
        start = found.end()
    parts.append((content[start:], deflated(content[start:])))
    return parts


def has_late(content):
    return MARKER.search(content) is not None


def current(key, fresh_only=True):
    """The kept fragment under ``key``: fresh, or (``fresh_only=False``) whatever is kept. This
    process's copy first (with Redis, ``pages``), as for pages: no round trip per page served."""
    snapshot = versions().current()
    local = caches["pages"] if "pages" in settings.CACHES else None
    mine = local.get(key) if local is not None else None
    if mine is not None and mine["sum"] == snapshot.sum(mine["tags"]):
        return mine["value"]
    entry = cache.get(key)
    if entry is not None and entry["sum"] == snapshot.sum(entry["tags"]):
        if local is not None:
            local.set(key, entry, settings.PAGE_CACHE_SECONDS)
        return entry["value"]
    stale = entry or mine
    return None if fresh_only or stale is None else stale["value"]


def fragment_tags(parts):
    """The tags of the late fragments a page kept in ``parts`` shows (as kept now)."""
    tags = set()
    for part in parts:
        if isinstance(part, str) and (entry := cache.get(part)) is not None:
            tags.update(entry["tags"])
    return tags


def assemble(parts, compressed, fresh_only=True, page_etag=None):
    """(body, etags) of a page kept in ``parts``; with ``fresh_only``, None when a fragment is
    stale or gone, else whatever is kept (a fragment gone is left out: a stale answer). The
    pages put together last are remembered by their ETags (``page_etag`` and the fragments'),
    so a page asked for again costs no CRC or copy."""
    pieces, etags = [], []
    for part in parts:
        if isinstance(part, str):
            kept = current(part, fresh_only) or (None if fresh_only else EMPTY)
            if kept is None:
                return None
            pieces.append((kept["bytes"], kept["deflated"]))
            etags.append(kept["etag"])
        else:
            pieces.append(part)
    memo = (page_etag, compressed, *etags) if page_etag else None
    if memo is not None and (body := _put_together.get(memo)) is not None:
        return body, etags
    body = put_together(pieces, compressed)
    if memo is not None:
        with _put_together_lock:  # (a web process's threads share it)
            if len(_put_together) >= PUT_TOGETHER_KEPT:
                _put_together.pop(next(iter(_put_together)))  # the oldest
            _put_together[memo] = body
    return body, etags


# Pages put together lately, by ETags (this process's; a few MB at most).
PUT_TOGETHER_KEPT = 200
_put_together = {}
_put_together_lock = threading.Lock()


def put_together(pieces, compressed):
    raw = [data for data, _deflate in pieces]
    if not compressed:
        return b"".join(raw)
    crc, size = 0, 0
    for data in raw:
        crc, size = zlib.crc32(data, crc), size + len(data)
    body = b"".join([GZIP_HEADER, *(d for _data, d in pieces), LAST_BLOCK])
    return body + struct.pack("<II", crc, size & 0xFFFFFFFF)


def fill(content):
    """``content`` with each marker replaced by its fragment (a page not kept after all)."""

    def fragment_html(found):
        kept = current(found[1].decode(), fresh_only=False)
        return kept["bytes"] if kept else b""

    return MARKER.sub(fragment_html, content)
