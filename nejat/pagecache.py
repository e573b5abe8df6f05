"""Whole pages for anonymous readers, cached and never stale.

- **What**: responses a view marks with ``share_with_readers()`` (public lists, published items,
  pages, the contact form), answered to GET/HEAD requests that carry no session or messages
  cookie. Staff (signed in: a session cookie) always get fresh pages and never fill the cache;
  search is never marked.
- **Key**: the content version (``nejat.cache``), the host and the full path. Every public
  change, from any path, bumps the version after its commit, so every page is fresh at once in
  every process that shares the cache (Redis with ``REDIS_URL``).
- **Lifetime**: ``PAGE_CACHE_SECONDS``, never past the next scheduled publication
  (``cache_lifetime()``), so a scheduled item appears at its minute.
- **Forms on cached pages** hold no per-reader secret: the public forms are checked by their
  Origin instead of a CSRF cookie (``nejat.antispam.forms.posted_from_this_site``), and their
  signed "shown at" time stays valid for a day, far longer than a page is kept.
- **HTTP**: ``Cache-Control: public, max-age=0, s-maxage=…, stale-while-revalidate`` for a CDN or
  nginx in front, an ``ETag`` that answers ``304 Not Modified``, and no ``Set-Cookie``.
  ``PAGE_CACHE_PURGE_URLS`` are sent a PURGE request after each change commits
  (``nejat.cache.purge_frontend_caches``).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control

from nejat.cache import content_version
from nejat.publishing import cache_lifetime

HEADERS_KEPT = ("Content-Type", "Content-Language", "X-Frame-Options", "Link")


def share_with_readers(response):
    """Mark a response as the same for every anonymous reader: the page cache may keep it."""
    response.shared_with_readers = True
    return response


def reader_without_session(request):
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


class PageCacheMiddleware:
    """Serves and stores whole pages for anonymous readers (see the module's docstring).

    Placed before the session middleware: a page served from the cache costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.applies_to(request):
            return self.get_response(request)
        key = f"nejat:page:{content_version()}:{request.get_host()}:{request.get_full_path()}"
        entry = cache.get(key)
        if entry is None:
            response = self.get_response(request)
            if not self.can_keep(response):
                return response
            lifetime = cache_lifetime(settings.PAGE_CACHE_SECONDS)
            entry = {
                "content": response.content,
                "headers": {h: response[h] for h in HEADERS_KEPT if response.has_header(h)},
                "etag": f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"',
                "expires": timezone.now().timestamp() + lifetime,
            }
            cache.set(key, entry, lifetime)
        return self.answer(request, entry)

    @staticmethod
    def applies_to(request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and reader_without_session(request)
        )

    @staticmethod
    def can_keep(response):
        return (
            getattr(response, "shared_with_readers", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        )

    @staticmethod
    def answer(request, entry):
        remaining = max(int(entry["expires"] - timezone.now().timestamp()), 0)
        if request.headers.get("If-None-Match") == entry["etag"]:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(b"" if request.method == "HEAD" else entry["content"])
            for header, value in entry["headers"].items():
                response[header] = value
        response["ETag"] = entry["etag"]
        # The edition is in the path; a signed-in editor's page differs (previews): Cookie.
        response["Vary"] = "Cookie"
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=remaining,
            stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
        )
        return response
