"""Whole pages for anonymous readers, cached, compressed and never stale.

- **What**: responses a view marks with ``share_with_readers()`` (public lists, published items,
  pages, the contact form), answered to GET/HEAD requests that carry no session or messages
  cookie. Staff (signed in: a session cookie) always get fresh pages and never fill the cache;
  search is never marked.
- **Key**: the content version (``nejat.publishing.content_version``), the scheme, the host, the
decoded
  path and the query string, computed once per request before the page is rendered. Every public
  change, from any path, bumps the version after its commit, so every page is fresh at once in
  every process (the version is shared through Redis or PostgreSQL; without ``REDIS_URL`` each
  process keeps its own pages, and ``make serve`` runs one).
- **Two tiers** with ``REDIS_URL``: a page is kept in Redis for every process, and each
  process also keeps a copy of the pages it answered in its own memory (the ``pages`` cache,
  ``PAGE_CACHE_LOCAL_ENTRIES``). Only the content version is asked of Redis for each request:
  ``make bench`` measured a page read whole from Redis at 3,300-3,700 requests/s against
  N from memory. The key holds the version, so a copy is never stale, only unused.
- **Lifetime**: ``PAGE_CACHE_SECONDS``, never past the next scheduled publication
  (``cache_lifetime()``), so a scheduled item appears at its minute.
- **Forms on cached pages** hold no per-reader secret: the public forms are checked by their
  Origin instead of a CSRF cookie (``nejat.security.antispam.forms.posted_from_this_site``), and
  their signed "shown at" time stays valid for a day, far longer than a page is kept.
- **Compressed once**: a kept page is stored with its gzip form, sent to every reader whose
  browser accepts it, so the app sends compressed HTML without nginx too. Only these pages:
  they are the same for every reader and carry no secret, which is what BREACH needs.
- **HTTP**: ``Cache-Control: public, max-age=0, s-maxage=…, stale-while-revalidate`` for a CDN or
  nginx in front, an ``ETag`` per encoding that answers ``304 Not Modified``, and no
  ``Set-Cookie``. ``PAGE_CACHE_PURGE_URLS`` are sent a PURGE request after each change commits
  (``nejat.publishing.public_changes.purge_frontend_caches``).
- **Two doors, one rule**: ``PageCacheMiddleware`` (first in ``MIDDLEWARE``, so the headers the
  other middleware add are kept too) stores pages and answers from the cache; the WSGI
  application (``config.wsgi``) is wrapped by ``serve_cached_pages``, which answers a kept page
  before Django builds a request at all (about a tenth of the CPU). Both use ``page_key`` and
  ``answer`` below.
"""

import functools
import gzip
import hashlib
import time
from http import HTTPStatus

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.db import DatabaseError
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.utils import translation
from django.utils.cache import cc_delim_re
from django.utils.http import parse_etags

from nejat.delivery.lifetime import cache_lifetime
from nejat.ops import metrics
from nejat.publishing.content_version import content_version

# The headers stored with a page and sent again with it: what it is (type, language) and the
# security headers the middleware add. An allow-list, so that nothing one reader's response
# carried (a cookie, a header some view sets for a user) is ever sent to the next reader;
# tests/test_page_cache.py checks that a kept page answers with every header the fresh one had.
KEPT_HEADERS = {
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
# Cache-Control directives with which a view says "this response is not for everybody".
NOT_SHARED = {"private", "no-store", "no-cache"}
# What a kept page varies on, as far as its key honours it: a reader with a session cookie is
# never answered from the cache (an editor's page differs: previews), and there is one body per
# encoding. A response that varies on anything else is not kept. LocaleMiddleware adds
# Accept-Language to the unprefixed (English) pages although it always takes LANGUAGE_CODE for
# them: the edition is in the path, so it is not passed on; it would split a CDN's cache per
# browser language for nothing.
VARY = "Cookie, Accept-Encoding"
VARY_HONOURED = {"cookie", "accept-encoding", "accept-language"}


def share_with_readers(response):
    """Mark a response as the same for every anonymous reader: the page cache may keep it."""
    response.shared_with_readers = True
    return response


def applies_to(environ):
    """A GET or HEAD from a reader without a session or messages cookie, cache on. Any cookie
    of those names (even an expired session) means a fresh page: never a stale one for staff."""
    if settings.PAGE_CACHE_SECONDS <= 0 or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    if environ.get("PATH_INFO", "").startswith(settings.STATIC_URL):
        return False  # WhiteNoise's files
    if environ.get("PATH_INFO") == metrics.PATH:
        return False  # for Prometheus, never kept (nejat/ops/metrics.py)
    cookies = environ.get("HTTP_COOKIE")
    if not cookies:
        return True
    names = parse_cookie(cookies)
    return settings.SESSION_COOKIE_NAME not in names and CookieStorage.cookie_name not in names


def request_path(environ):
    """The path exactly as ``WSGIRequest.path`` decodes it from a raw WSGI environ, so that
    both doors compute one key for a Persian or Arabic address (the server hands PATH_INFO
    over as Latin-1 text; Django replaces it in ``request.META`` with the decoded path)."""
    path_info = get_path_info(environ) or "/"
    return "{}/{}".format(get_script_name(environ).rstrip("/"), path_info.replace("/", "", 1))


def page_key(environ, path):
    """The cache key of the page at ``path`` (decoded: ``request.path``), computed once per
    request, before the page is rendered: an edit that commits during the render bumps the
    version, so the page rendered from the old content is stored where nobody looks."""
    return "nejat:page:{}:{}:{}:{}?{}".format(
        content_version(),
        scheme(environ),
        environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
        path,
        environ.get("QUERY_STRING", ""),
    )


def scheme(environ):
    """As ``HttpRequest.scheme`` (written again here: the WSGI door has no request): behind a
    TLS proxy, its X-Forwarded-Proto."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure = settings.SECURE_PROXY_SSL_HEADER
        if header in environ:
            return "https" if environ[header].split(",")[0].strip() == secure else "http"
    return environ.get("wsgi.url_scheme", "http")


def may_keep(response):
    """Marked for every reader by its view, a whole 200 page without cookies, not said to be
    private by a Cache-Control header, and varying on nothing the key leaves out."""
    directives = {
        directive.split("=")[0].strip().lower()
        for directive in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    varies_on = {header.strip().lower() for header in cc_delim_re.split(response.get("Vary", ""))}
    return (
        getattr(response, "shared_with_readers", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not directives & NOT_SHARED
        and varies_on - {""} <= VARY_HONOURED
    )


def kept_page(key):
    """The entry kept under ``key``: this process's copy, else the shared cache's (copied)."""
    local = local_pages()
    if local is not None and (entry := local.get(key)) is not None:
        return entry
    entry = cache.get(key)
    if entry is not None and local is not None:
        local.set(key, entry, max(int(entry["expires"] - time.time()), 1))
    return entry


def local_pages():
    """Each process's own copy of kept pages, when the cache is shared (``settings.CACHES``)."""
    return caches["pages"] if "pages" in settings.CACHES else None


def keep(key, response):
    """Store ``response`` under ``key`` for the next readers of the address; the entry, or
    None when the response may not be kept."""
    if not may_keep(response):
        return None
    lifetime = cache_lifetime(settings.PAGE_CACHE_SECONDS)
    content = response.content
    entry = {
        "content": content,
        "gzip": gzip.compress(content, compresslevel=6, mtime=0),
        "headers": [(h, v) for h, v in response.items() if h.lower() in KEPT_HEADERS],
        "etag": hashlib.md5(content, usedforsecurity=False).hexdigest(),
        "expires": time.time() + lifetime,
    }
    cache.set(key, entry, lifetime)
    if (local := local_pages()) is not None:
        local.set(key, entry, lifetime)
    return entry


def accepts_gzip(accept_encoding):
    """Whether an Accept-Encoding header admits gzip, by its quality values (RFC 9110 12.5.3):
    ``gzip;q=0`` refuses it, ``*`` admits it unless gzip is named."""
    qualities = {}
    for coding in accept_encoding.split(","):
        name, _, parameters = coding.partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.strip().partition("=")
            if key.lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        qualities[name.strip().lower()] = quality
    return qualities.get("gzip", qualities.get("*", 0.0)) > 0


def answer(environ, entry):
    """(status, headers, body) for a kept page: 304 when the reader has it, else the page,
    compressed when the browser accepts gzip; no body for HEAD."""
    compressed = accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))
    etag = f'"{entry["etag"]}{"-gz" if compressed else ""}"'
    remaining = max(int(entry["expires"] - time.time()), 0)
    headers = [
        ("ETag", etag),
        ("Vary", VARY),
        (
            "Cache-Control",
            f"public, max-age=0, s-maxage={remaining}, "
            f"stale-while-revalidate={settings.PAGE_CACHE_STALE_SECONDS}",
        ),
    ]
    # Weak comparison, as for GET (RFC 9110 13.1.2): nginx's gzip makes our ETag weak.
    known = [tag.removeprefix("W/") for tag in parse_etags(environ.get("HTTP_IF_NONE_MATCH", ""))]
    if etag in known or known == ["*"]:
        return HTTPStatus.NOT_MODIFIED, headers, b""
    body = entry["gzip"] if compressed else entry["content"]
    headers += entry["headers"]
    headers.append(("Content-Length", str(len(body))))
    if compressed:
        headers.append(("Content-Encoding", "gzip"))
    return HTTPStatus.OK, headers, b"" if environ["REQUEST_METHOD"] == "HEAD" else body


class PageCacheMiddleware:
    """Serves and stores whole pages for anonymous readers (see the module's docstring).
    First in ``MIDDLEWARE``: a page served from the cache costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not applies_to(request.META):
            return self.get_response(request)
        key = page_key(request.META, request.path)
        entry = kept_page(key)
        metrics.page_cache_lookup(hit=entry is not None)
        if entry is None:
            response = self.get_response(request)
            entry = keep(key, response)
            if entry is None:
                return response
        else:
            request.answered_from_page_cache = True  # no view: counted as "page_cache"
        status, headers, body = answer(request.META, entry)
        response = HttpResponse(body, status=status)
        for header, value in headers:
            response.headers[header] = value
        return response


def serve_cached_pages(application):
    """The WSGI application, answering kept pages itself: no request object, no middleware,
    no URL resolution for the reader who asks for a page someone asked for before."""

    def serve(environ, start_response):
        started = time.perf_counter()
        if applies_to(environ):
            try:
                entry = kept_page(page_key(environ, request_path(environ)))
            except DatabaseError:  # the version unknown: Django answers (its 503 page)
                entry = None
            if entry is not None:
                status, headers, body = answer(environ, entry)
                start_response(f"{status.value} {status.phrase}", headers)
                metrics.kept_page_served(environ["REQUEST_METHOD"], status.value, started)
                return [body]
        return application(environ, start_response)

    return serve


def cached_until_content_changes(view):
    """Cache a GET view's response per address, edition and content version, and mark it for
    the page cache (``nejat.delivery.page_cache``), which answers the next reader before the
    view."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET":
            return view(request, *args, **kwargs)
        version, language = content_version(), translation.get_language()
        # Feeds and sitemaps hold absolute addresses: the host and scheme belong in the key.
        address = request.build_absolute_uri()
        key = f"nejat:cached:{version}:{language}:{address}"
        from nejat.delivery.lifetime import cache_lifetime
        from nejat.delivery.page_cache import (
            share_with_readers,  # (both import each other's module)
        )

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
