"""The caches in front of the app: nginx's proxy cache on each server, and a CDN. They keep the
pages the page cache keeps, and are told to forget exactly the pages whose cache tags changed
(docs/development/page-cache.md, docs/decisions/0006-cache-tags.md).

- **nginx** (deploy/nginx/nejat.conf) keeps a page only when the app says so with
  ``X-Accel-Expires``, which it sends when ``PAGE_CACHE_NGINX_PURGE_URLS`` names the caches:
  for a fresh kept page, and only under the page's one address (nginx's cache key, which it
  sends in ``X-Front-Cache-Key``, must be the page's clean address, spelt as the site's links
  spell it: ``?utm_source=…``, another order of the parameters or another spelling of the path
  is answered by the app, never kept twice).
- **Where each kept page is**: each page kept is recorded with its tags (``FrontCachedPage``)
  when it is rendered, the late fragments it holds as ``fragment:<key>`` tags, and each late
  fragment with its own tags (``FrontCachedFragment``), which change as it is rendered again.
- **Telling them**: a change of tags records them in ``PendingPurge`` in its transaction and
  defers one ``purge_front_caches`` job with it. The job takes the pending tags, sends each nginx
  a ``PURGE`` of every address that shows them, a CDN the tags (``PAGE_CACHE_PURGE_TAGS_URL``),
  and ``PAGE_CACHE_PURGE_URLS`` a purge of everything; tried again while one refuses. It purges
  once more ``PAGE_CACHE_RENDER_SECONDS`` later: a page rendered before the change and still on
  its way to nginx when the first purge arrived is forgotten then.
"""

import http.client
import json
import logging
import urllib.parse
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import connection, models
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from nejat.delivery.addresses import kept_query

logger = logging.getLogger(__name__)
FRAGMENT = "fragment:"


class FrontCachedPage(models.Model):
    """A page the caches in front may keep: its address as nginx's cache key spells it, and the
    tags it showed when it was last rendered."""

    key = models.TextField(primary_key=True)
    tags = ArrayField(models.CharField(max_length=200))
    kept_at = models.DateTimeField()

    class Meta:
        app_label = "nejat"
        db_table = "nejat_front_cached_page"
        indexes = [GinIndex(fields=["tags"], name="nejat_front_page_tags")]

    def __str__(self):
        return self.key


class FrontCachedFragment(models.Model):
    """A late fragment (``nejat.delivery.late_fragments``) and the tags it shows now."""

    key = models.CharField(max_length=200, primary_key=True)
    tags = ArrayField(models.CharField(max_length=200))

    class Meta:
        app_label = "nejat"
        db_table = "nejat_front_cached_fragment"

    def __str__(self):
        return self.key


class PendingPurge(models.Model):
    """A tag changed whose pages the caches in front have not yet been told to forget."""

    tag = models.CharField(max_length=200, primary_key=True)

    class Meta:
        app_label = "nejat"
        db_table = "nejat_front_purge"

    def __str__(self):
        return self.tag


def nginx_in_front():
    return bool(settings.PAGE_CACHE_NGINX_PURGE_URLS)


def purging():
    return bool(
        settings.PAGE_CACHE_NGINX_PURGE_URLS
        or settings.PAGE_CACHE_PURGE_TAGS_URL
        or settings.PAGE_CACHE_PURGE_URLS
    )


# --- Which pages nginx may keep -----------------------------------------------------------------


def page_address(environ, path):
    """nginx's cache key for the page at ``path`` (decoded) under its clean address
    (``$host$request_uri``): the host without its port, the path as the site's own links spell
    it (``iri_to_uri``: a Persian slug percent-encoded in capitals), and the query parameters
    some view reads, in their one order."""
    host = environ.get("HTTP_HOST", "").rsplit(":", 1)[0].lower()
    query = kept_query(environ.get("QUERY_STRING", ""))
    return f"{host}{iri_to_uri(path)}{'?' if query else ''}{query}"


def asked_by_its_address(environ, path):
    """Whether nginx is in front and asks for this page by its clean address (nginx's key, in a
    header of its own: ASCII, as the request line was)."""
    said = environ.get("HTTP_X_FRONT_CACHE_KEY")
    return bool(said) and nginx_in_front() and said == page_address(environ, path)


def rendered(environ, path, entry, snapshot, fragment_keys):
    """Record a page just rendered and kept (``entry``, its rendering begun at ``snapshot``), and
    say whether nginx may keep it: asked by its address, and none of its tags changed since
    (read from the table, not this process's memory, after the record is saved: a change
    committed since is either seen here or finds the record and purges the page)."""
    tags = sorted(entry["tags"])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO nejat_front_cached_page (key, tags, kept_at) VALUES (%s, %s, now())"
            " ON CONFLICT (key) DO UPDATE SET tags = EXCLUDED.tags, kept_at = EXCLUDED.kept_at",
            [page_address(environ, path), [*tags, *(FRAGMENT + key for key in fragment_keys)]],
        )
        if not asked_by_its_address(environ, path):
            return False
        cursor.execute(
            "SELECT NOT EXISTS (SELECT FROM nejat_cache_tag JOIN unnest(%s::text[], %s::bigint[])"
            " AS seen (tag, version) USING (tag) WHERE nejat_cache_tag.version > seen.version)",
            [tags, [snapshot.versions.get(tag, 0) for tag in tags]],
        )
        return cursor.fetchone()[0]


def fragment_rendered(key, tags):
    """Record the tags a late fragment shows now (rendered again)."""
    FrontCachedFragment.objects.update_or_create(key=key, defaults={"tags": sorted(tags)})


# --- Telling them (the job: ``nejat.delivery.jobs.purge_front_caches``) ------------------------


def record_pending(tags):
    """The tags whose pages the caches in front are to forget, in the current transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO nejat_front_purge (tag) SELECT unnest(%s::text[]) ORDER BY 1"
            " ON CONFLICT DO NOTHING",
            [sorted(tags)],
        )


def take_pending():
    """The pending tags, taken (in the current transaction: they are pending again if it rolls
    back); those another job is taking are left to it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM nejat_front_purge WHERE tag IN (SELECT tag FROM"
            " nejat_front_purge FOR UPDATE SKIP LOCKED) RETURNING tag"
        )
        return sorted(tag for (tag,) in cursor.fetchall())


def purge(tags, everything):
    """Tell every cache in front to forget what shows ``tags`` (and ``everything``: a purge of
    all to ``PAGE_CACHE_PURGE_URLS``). The caches that refused, if any."""
    failed = purge_nginx(addresses_showing(tags)) + purge_cdn(tags)
    return failed + (purge_everything() if everything else [])


class PurgeFailed(Exception):
    """A cache in front did not take the purge (the job is tried again)."""


def addresses_showing(tags):
    """The keys of the pages that show ``tags``, themselves or in a late fragment."""
    if not nginx_in_front():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT key FROM nejat_front_cached_page WHERE tags && (%s::varchar[] || ARRAY("
            "  SELECT %s || key FROM nejat_front_cached_fragment WHERE tags && %s::varchar[]"
            ")::varchar[]) ORDER BY key",
            [tags, FRAGMENT, tags],
        )
        return [key for (key,) in cursor.fetchall()]


def purge_nginx(keys):
    """A ``PURGE`` of each address to each nginx (one connection each); a page it does not keep
    is fine (404). The nginx that failed, if any."""
    failed = []
    for base in settings.PAGE_CACHE_NGINX_PURGE_URLS if keys else ():
        target = urllib.parse.urlsplit(base)
        conn = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=5)
        try:
            for key in keys:
                host, slash, address = key.partition("/")
                conn.request("PURGE", slash + address, headers={"Host": host})
                response = conn.getresponse()
                response.read()
                if response.status not in (200, 404):
                    raise OSError(f"{response.status} for {key}")
        except OSError as error:
            logger.warning("Purging nginx at %s failed: %s", base, error)
            failed.append(base)
        finally:
            conn.close()
    return failed


def purge_cdn(tags):
    """The tags, to a CDN that purges by tag (Cloudflare's ``{"tags": […]}`` with a token)."""
    url = settings.PAGE_CACHE_PURGE_TAGS_URL
    if not url:
        return []
    headers = {"Content-Type": "application/json"}
    if settings.PAGE_CACHE_PURGE_TAGS_TOKEN:
        headers["Authorization"] = f"Bearer {settings.PAGE_CACHE_PURGE_TAGS_TOKEN}"
    for start in range(0, len(tags), 30):  # (Cloudflare takes 30 tags a call)
        body = json.dumps({"tags": tags[start : start + 30]}).encode()
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10):  # noqa: S310 - our own setting
                pass
        except OSError as error:
            logger.warning("Purging the CDN's tags at %s failed: %s", url, error)
            return [url]
    return []


def purge_everything():
    """A ``PURGE`` to each of ``PAGE_CACHE_PURGE_URLS`` (a cache that only forgets all)."""
    failed = []
    for url in settings.PAGE_CACHE_PURGE_URLS:
        request = urllib.request.Request(url, method="PURGE")  # noqa: S310 - our own setting
        try:
            with urllib.request.urlopen(request, timeout=5):  # noqa: S310
                pass
        except OSError as error:
            logger.warning("Purging the cache at %s failed: %s", url, error)
            failed.append(url)
    return failed


def forget_old():
    """Forget the records of pages no cache in front can still keep (older than a page's life)."""
    older = timezone.now() - timedelta(seconds=settings.PAGE_CACHE_SECONDS + 300)
    return FrontCachedPage.objects.filter(kept_at__lt=older).delete()[0]
