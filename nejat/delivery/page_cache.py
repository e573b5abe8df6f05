"""Whole pages for anonymous readers, cached, compressed, and forgotten only when what they
show changes (docs/decisions/0006-cache-tags.md).

- **What**: responses a view marks with ``share_with_readers()`` (public lists, published items,
  pages, search results, the contact form), answered to GET/HEAD requests that carry no session
  or messages cookie. Staff (signed in: a session cookie) always get fresh pages and never fill
  the cache.
- **Key**: the address, with only the query parameters some view reads
  (``nejat.delivery.addresses``).
- **Freshness**: while a page is rendered, what it reads says so (``nejat.publishing.cache_tags``:
  each item, each edition's list, the site's settings); the page is kept with those tags, and a
  change forgets exactly the pages that show it, in every process, when it commits. A page whose
  tags changed is rendered again by one request while the others get the previous copy for at
  most ``PAGE_CACHE_RENDER_SECONDS`` (``nejat.delivery.kept_pages``).
- **Lifetime**: ``PAGE_CACHE_SECONDS``, never past the next scheduled publication
  (``cache_lifetime()``), so a scheduled item appears at its minute.
- **Forms on cached pages** hold no per-reader secret: the public forms are checked by their
  Origin instead of a CSRF cookie (``nejat.security.antispam.forms.posted_from_this_site``), and
  their signed "shown at" time stays valid for a day, far longer than a page is kept.
- **Compressed once**: a kept page is stored with its gzip form, sent to every reader whose
  browser accepts it, so the app sends compressed HTML without nginx too. Only these pages:
  they are the same for every reader and carry no secret, which is what BREACH needs.
- **HTTP**: ``Cache-Control: public, max-age=0, s-maxage=…, stale-while-revalidate`` for a CDN or
  nginx in front, an ``ETag`` per encoding that answers ``304 Not Modified``, no ``Set-Cookie``,
  and ``Cache-Status`` (RFC 9211) on every answer: ``hit``, ``fwd=uri-miss`` or ``fwd=stale``
  (rendered and stored), a stale copy served while another request renders it
  (``hit; detail=stale``) or while the database is away (``hit; detail=stale-if-error``), or
  ``fwd=bypass`` with the reason.
- **Two doors, one rule**: ``PageCacheMiddleware`` (first in ``MIDDLEWARE``, so the headers the
  other middleware add are kept too) stores pages and answers from the cache; the WSGI
  application (``config.wsgi``) is wrapped by ``serve_cached_pages``, which answers a kept page
  before Django builds a request at all (about a tenth of the CPU). Both use ``page_key`` and
  ``answer`` below.
"""

import functools
import time
from http import HTTPStatus

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.http.cookie import parse_cookie
from django.utils import translation
from django.utils.cache import cc_delim_re
from django.utils.http import parse_etags

from nejat.delivery import front_caches, late_fragments
from nejat.delivery.addresses import page_key, request_path, unread_parameters
from nejat.delivery.kept_pages import (
    is_being_rendered,
    is_fresh,
    keep,
    kept_page,
    release_render_lock,
    take_render_lock,
)
from nejat.delivery.lifetime import cache_lifetime
from nejat.ops import metrics
from nejat.publishing.cache_tags import collecting, remembered, versions

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
CORS = "access-control-"


def share_with_readers(response):
    """Mark a response as the same for every anonymous reader: the page cache may keep it."""
    response.shared_with_readers = True
    return response


def bypass_reason(environ):
    """Why the page cache does not answer this request (RFC 9211's ``detail``), or None: it
    answers a GET or HEAD from a reader without a session or messages cookie, cache on. Any
    cookie of those names (even an expired session) means a fresh page: never a stale one for
    staff."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return "off"
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return "method"
    path = environ.get("PATH_INFO", "")
    if path.startswith(settings.STATIC_URL) or path == metrics.PATH:
        return "not-a-page"  # WhiteNoise's files; Prometheus's (never kept: nejat/ops/metrics.py)
    cookies = environ.get("HTTP_COOKIE")
    if cookies:
        names = parse_cookie(cookies)
        if settings.SESSION_COOKIE_NAME in names or CookieStorage.cookie_name in names:
            return "signed-in"
    return None


def applies_to(environ):
    return bypass_reason(environ) is None


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


def answer(environ, entry, status="hit", fresh_fragments=True, front=False):
    """(status, headers, body) for a kept page: 304 when the reader has it, else the page,
    compressed when the browser accepts gzip; no body for HEAD. ``status``: its Cache-Status.
    None when a late fragment of the page is not kept fresh (``fresh_fragments``) or at all:
    the page is to be rendered again. ``front``: whether nginx in front may keep it (a fresh page
    asked for by its address: ``front_caches``)."""
    compressed = accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))
    if entry.get("parts"):
        made = late_fragments.assemble(
            entry["parts"], compressed, fresh_fragments, page_etag=entry["etag"]
        )
        if made is None:
            return None
        body, etags = made
        etag = f'"{entry["etag"]}.{".".join(etags)}{"-gz" if compressed else ""}"'
    else:
        body = entry["gzip"] if compressed else entry["content"]
        etag = f'"{entry["etag"]}{"-gz" if compressed else ""}"'
    remaining = max(int(entry["expires"] - time.time()), 0)
    headers = [
        ("ETag", etag),
        ("Vary", VARY),
        ("Cache-Status", f"nejat; {status}"),
        (
            "Cache-Control",
            f"public, max-age=0, s-maxage={remaining}, "
            f"stale-while-revalidate={settings.PAGE_CACHE_STALE_SECONDS}",
        ),
    ]
    if front_caches.nginx_in_front():
        headers.append(("X-Accel-Expires", str(remaining) if front else "0"))
    if settings.PAGE_CACHE_TAG_HEADERS:  # for a CDN that purges by tag
        tags = sorted({*entry["tags"], *late_fragments.fragment_tags(entry.get("parts") or ())})
        headers += [("Surrogate-Key", " ".join(tags)), ("Cache-Tag", ",".join(tags))]
    # Weak comparison, as for GET (RFC 9110 13.1.2): nginx's gzip makes our ETag weak.
    known = [tag.removeprefix("W/") for tag in parse_etags(environ.get("HTTP_IF_NONE_MATCH", ""))]
    if etag in known or known == ["*"]:
        # A script on another site reads a 304 only with these (the content API's answers).
        cors = [(name, value) for name, value in entry["headers"] if name.lower().startswith(CORS)]
        return HTTPStatus.NOT_MODIFIED, headers + cors, b""
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
        if (reason := bypass_reason(request.META)) is not None:
            response = self.get_response(request)
            response.headers.setdefault("Cache-Status", f"nejat; fwd=bypass; detail={reason}")
            return response
        key = page_key(request.META, request.path)
        entry = kept_page(key)
        kept = None
        if entry and is_fresh(entry):
            front = front_caches.asked_by_its_address(request.META, request.path)
            kept = as_response(request, entry, "hit", front=front)
        metrics.page_cache_lookup(hit=kept is not None)
        if kept is not None:
            request.answered_from_page_cache = True  # no view: counted as "page_cache"
            return kept
        locked = entry is not None and take_render_lock(key)
        if entry is not None and not locked:
            # Another request renders it meanwhile: the previous copy.
            request.answered_from_page_cache = True
            return as_response(request, entry, "hit; detail=stale", stale=True)
        try:
            response = self.render(request, key, "fwd=stale" if entry else "fwd=uri-miss")
        except DatabaseError:
            if entry is None:
                raise  # (Django's answer: the 503 page)
            response = None
        finally:
            if locked:
                release_render_lock(key)
        unavailable = response is None or response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
        if entry is not None and unavailable:
            # The database is away: the previous copy rather than an error (RFC 5861's
            # stale-if-error), until the page can be rendered again.
            request.answered_from_page_cache = True
            return as_response(request, entry, "hit; detail=stale-if-error", stale=True)
        return response

    def render(self, request, key, status):
        snapshot = versions().current()  # before the view reads anything
        with collecting() as tags, late_fragments.allowing():
            response = self.get_response(request)
        not_kept = not may_keep(response) or unread_parameters(request)
        if not_kept and not response.streaming and late_fragments.has_late(response.content):
            response.content = late_fragments.fill(response.content)
        if (unread := unread_parameters(request)) and response.status_code == 200:
            # A parameter this view does not read: the address without it, kept once.
            query = request.GET.copy()
            for name in unread:
                query.pop(name)
            clean = f"{request.path}?{query.urlencode()}" if query else request.path
            return HttpResponsePermanentRedirect(clean)
        if not may_keep(response):
            response.headers.setdefault("Cache-Status", "nejat; fwd=bypass; detail=not-shared")
            return response
        entry = keep(key, response, tags, snapshot)
        front = False
        if front_caches.nginx_in_front():
            fragments = [part for part in entry["parts"] or () if isinstance(part, str)]
            front = front_caches.rendered(request.META, request.path, entry, snapshot, fragments)
        # (Its fragments as just rendered, even if a change has already made them stale.)
        return as_response(request, entry, f"{status}; stored", stale=True, front=front)


def as_response(request, entry, status, stale=False, front=False):
    """The answer for a kept page; None when it cannot be put together fresh. With ``stale``,
    whatever is kept is used (a late fragment that is gone is left out): never None."""
    answered = answer(request.META, entry, status, fresh_fragments=not stale, front=front)
    if answered is None:
        return None
    code, headers, body = answered
    response = HttpResponse(body, status=code)
    for header, value in headers:
        response.headers[header] = value
    return response


def serve_cached_pages(application):
    """The WSGI application, answering kept pages itself: no request object, no middleware,
    no URL resolution for the reader who asks for a page someone asked for before (or for a
    page being rendered again by another request: the previous copy)."""

    def serve(environ, start_response):
        started = time.perf_counter()
        if applies_to(environ):
            try:
                path = request_path(environ)
                key = page_key(environ, path)
                entry = kept_page(key)
            except DatabaseError:  # the versions unknown: Django answers (its 503 page)
                entry = None
            answered = None
            if entry is not None and is_fresh(entry):
                front = front_caches.asked_by_its_address(environ, path)
                answered = answer(environ, entry, "hit", front=front)
            if entry is not None and answered is None and is_being_rendered(key):
                answered = answer(environ, entry, "hit; detail=stale", fresh_fragments=False)
            if answered is not None:  # (else Django renders it, and keeps it)
                code, headers, body = answered
                start_response(f"{code.value} {code.phrase}", headers)
                metrics.kept_page_served(environ["REQUEST_METHOD"], code.value, started)
                return [body]
        return application(environ, start_response)

    return serve


def cached_until_content_changes(view):
    """Keep a GET view's answer per address and edition, with the tags of what it read
    (``nejat.publishing.cache_tags``), and mark it for the page cache, which answers the next
    reader before the view. For feeds and sitemaps, whose queries are the costly part."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET":
            return view(request, *args, **kwargs)

        def build():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code != 200:
                return response  # (not kept)
            return (response.content, response["Content-Type"])

        # Feeds and sitemaps hold absolute addresses: the host and scheme belong in the key.
        key = f"nejat:cached:{translation.get_language()}:{request.build_absolute_uri()}"
        lifetime = cache_lifetime(settings.FEED_CACHE_SECONDS)
        kept = remembered(key, build, lifetime, keeps=lambda value: isinstance(value, tuple))
        if not isinstance(kept, tuple):
            return kept
        content, content_type = kept
        # The page cache keeps it whole, compressed too.
        return share_with_readers(HttpResponse(content, content_type=content_type))

    return wrapper
