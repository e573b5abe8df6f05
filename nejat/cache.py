"""Feeds and sitemaps are cached until content changes.

Every cached response is keyed with a "content version" kept in the cache; ``content_changed()``
(called by the admin whenever something public may have changed) bumps it, so the next request
builds fresh output. ``FEED_CACHE_SECONDS`` bounds how late a scheduled item can appear.
"""

import functools

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation

VERSION_KEY = "nejat:content-version"


def content_version():
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def content_changed():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def cached_until_content_changes(view):
    """Cache a GET view's response per address, edition and content version."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET":
            return view(request, *args, **kwargs)
        version, language = content_version(), translation.get_language()
        # Feeds and sitemaps hold absolute addresses: the host and scheme belong in the key.
        address = request.build_absolute_uri()
        key = f"nejat:cached:{version}:{language}:{address}"
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200:
            entry = (response.content, response["Content-Type"])
            cache.set(key, entry, settings.FEED_CACHE_SECONDS)
        return response

    return wrapper
