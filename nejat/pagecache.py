"""Whole pages for anonymous readers, cached, compressed and never stale.

- **What**: responses a view marks with ``share_with_readers()`` (public lists, published items,
  pages, the contact form), answered to GET/HEAD requests that carry no session or messages
  cookie. Staff (signed in: a session cookie) always get fresh pages and never fill the cache;
  search is never marked.
- **Key**: the content version (``nejat.cache``), the scheme, the host and the full path as the
  request carried them. Every public change, from any path, bumps the version after its commit,
  so every page is fresh at once in every process that shares the cache (Redis with
  ``REDIS_URL``).
- **Lifetime**: ``PAGE_CACHE_SECONDS``, never past the next scheduled publication
  (``cache_lifetime()``), so a scheduled item appears at its minute.
- **Forms on cached pages** hold no per-reader secret: the public forms are checked by their
  Origin instead of a CSRF cookie (``nejat.antispam.forms.posted_from_this_site``), and their
  signed "shown at" time stays valid for a day, far longer than a page is kept.
- **Compressed once**: a kept page is stored with its gzip form, sent to every reader whose
  browser accepts it, so the app sends compressed HTML without nginx too. Only these pages:
  they are the same for every reader and carry no secret, which is what BREACH needs.
- **HTTP**: ``Cache-Control: public, max-age=0, s-maxage=…, stale-while-revalidate`` for a CDN or
  nginx in front, an ``ETag`` per encoding that answers ``304 Not Modified``, and no
  ``Set-Cookie``. ``PAGE_CACHE_PURGE_URLS`` are sent a PURGE request after each change commits
  (``nejat.cache.purge_frontend_caches``).
- **Two doors, one rule**: ``PageCacheMiddleware`` (first in ``MIDDLEWARE``, so the headers the
  other middleware add are kept too) stores pages and answers from the cache; the WSGI
  application (``nejat.wsgi``) is wrapped by ``serve_cached_pages``, which answers a kept page
  before Django builds a request at all (about a tenth of the CPU). Both use ``page_key`` and
  ``answer`` below.
"""

import gzip
import hashlib
import re
import time
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from nejat.cache import content_version
from nejat.publishing import cache_lifetime

# Set per answer, or never kept: the rest of a page's headers (type, language, the security
# headers) are stored with it and sent again.
HEADERS_NOT_KEPT = {
    "cache-control",
    "content-encoding",
    "content-length",
    "etag",
    "expires",
    "last-modified",
    "set-cookie",
    "vary",
}
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


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
    cookies = environ.get("HTTP_COOKIE", "")
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def page_key(environ):
    return "nejat:page:{}:{}:{}:{}?{}".format(
        content_version(),
        scheme(environ),
        environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
        environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
    )


def scheme(environ):
    """As ``HttpRequest.scheme``: behind a TLS proxy, its X-Forwarded-Proto."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure = settings.SECURE_PROXY_SSL_HEADER
        if header in environ:
            return "https" if environ[header].split(",")[0].strip() == secure else "http"
    return environ.get("wsgi.url_scheme", "http")


def keep(environ, response):
    """Store ``response`` for the next readers of the address; the entry, or None when the
    response may not be kept."""
    if not (
        getattr(response, "shared_with_readers", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
    ):
        return None
    lifetime = cache_lifetime(settings.PAGE_CACHE_SECONDS)
    content = response.content
    digest = hashlib.md5(content, usedforsecurity=False).hexdigest()
    entry = {
        "content": content,
        "gzip": gzip.compress(content, compresslevel=6, mtime=0),
        "headers": [(h, v) for h, v in response.items() if h.lower() not in HEADERS_NOT_KEPT],
        "etag": digest,
        "expires": time.time() + lifetime,
    }
    cache.set(page_key(environ), entry, lifetime)
    return entry


def answer(environ, entry):
    """(status, headers, body) for a kept page: 304 when the reader has it, else the page,
    compressed when the browser accepts gzip; no body for HEAD."""
    compressed = bool(ACCEPTS_GZIP.search(environ.get("HTTP_ACCEPT_ENCODING", "")))
    etag = f'"{entry["etag"]}{"-gz" if compressed else ""}"'
    remaining = max(int(entry["expires"] - time.time()), 0)
    headers = [
        ("ETag", etag),
        # The edition is in the path; a signed-in editor's page differs (previews): Cookie.
        ("Vary", "Cookie, Accept-Encoding"),
        (
            "Cache-Control",
            f"public, max-age=0, s-maxage={remaining}, "
            f"stale-while-revalidate={settings.PAGE_CACHE_STALE_SECONDS}",
        ),
    ]
    if etag in environ.get("HTTP_IF_NONE_MATCH", "").replace("W/", "").split(", "):
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
        entry = cache.get(page_key(request.META))
        if entry is None:
            response = self.get_response(request)
            entry = keep(request.META, response)
            if entry is None:
                return response
        status, headers, body = answer(request.META, entry)
        response = HttpResponse(body, status=status)
        for header, value in headers:
            response.headers[header] = value
        return response


def serve_cached_pages(application):
    """The WSGI application, answering kept pages itself: no request object, no middleware,
    no URL resolution for the reader who asks for a page someone asked for before."""

    def serve(environ, start_response):
        if applies_to(environ):
            entry = cache.get(page_key(environ))
            if entry is not None:
                status, headers, body = answer(environ, entry)
                start_response(f"{status.value} {status.phrase}", headers)
                return [body]
        return application(environ, start_response)

    return serve
