"""The beacon: ``POST /hit/`` from the site's own script (``static/js/site.js``), once a page
has loaded, whether the page came from a cache or was rendered for the reader.

It sends the edition, the item the page shows (``data-item`` on the page's body, written by
``{% beacon %}``), the referring site's domain, and the query of a search that found nothing.
An item that readers of the edition cannot see (a draft's preview) counts nothing.
Counted in the tally (``readership.tally``), never in the page's own request, which a cache may
have answered. Nothing is counted (the answer is the same 204) for a browser that asks not to be
tracked (``DNT: 1``, ``Sec-GPC: 1``), a bot (crawlerdetect's list of user agents) or a signed-in
member of staff. No cookie is read or set for readers; the address and the browser only make
the day's visitor hash (``readership.visitors``).

**At the door**: a beacon comes with every page view, kept pages included, so it must cost
about what a kept page costs. ``serve_beacons`` wraps the WSGI application (``config.wsgi``) and
answers a reader's beacon with this same view, but before Django's middleware and URL
resolution: a quarter of the CPU. Whatever is not a plain reader's beacon (a session cookie,
a foreign origin, a malformed beacon, a database away) goes on to Django, which answers it as
it answers any request.
"""

import functools
import io
import logging
import re
import time
import unicodedata
from http import HTTPStatus
from urllib.parse import urlsplit

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseBadRequest
from django.http.cookie import parse_cookie
from django.urls import reverse
from django.views.decorators.http import require_POST
from prometheus_client import Counter

from nejat.editions import edition_codes
from nejat.ops import metrics
from nejat.security.antispam.forms import client_ip, from_this_site_only
from readership import visitors
from readership.flushing import parse_item
from readership.tally import Beacon, Unavailable, tally

ITEM = re.compile(r"[a-z_]+\.[a-z_]+:[0-9]{1,18}")
DOMAIN = re.compile(r"[a-z0-9.-]{1,100}")
SPACES = re.compile(r"\s+")
NOTHING = 204
LARGEST = 4096  # bytes: a beacon is some 100; anything larger goes the long way
CHECKED_FOR_SECONDS = 60
log = logging.getLogger(__name__)
_public = {}  # {(edition, item): (public?, when checked)}, this process's
_this_minute = {}  # {visitor: beacons this minute, "minute": which}, this process's
OVER_THE_LIMIT = Counter(
    "nejat_beacons_over_the_limit",
    "Beacons not counted: more from one visitor in a minute than READERSHIP_BEACONS_PER_MINUTE",
)


@require_POST
@from_this_site_only
def hit(request):
    try:
        beacon = read(request)
    except BadBeacon as error:
        return HttpResponseBadRequest(str(error))
    if beacon is not None:
        try:
            tally().add(beacon)
        except Unavailable as error:
            log.warning("A beacon was not counted: %s", error)
            return HttpResponse(status=503, headers={"Retry-After": "5"})
    return HttpResponse(status=NOTHING)  # counted or not: the same answer


class BadBeacon(ValueError):
    pass


def read(request):
    """The ``Beacon`` a request carries, or None when it is not to be counted."""
    if not counted(request):
        return None
    data = request.POST
    edition, item = data.get("e", ""), data.get("i", "")
    if edition not in edition_codes() or (item and not ITEM.fullmatch(item)):
        raise BadBeacon("A beacon needs an edition (e) and may name an item (i).")
    if item and not is_public(edition, item):
        return None  # a preview, or an address made up
    day = visitors.today()
    browser = request.headers.get("User-Agent", "")
    visitor = visitors.visitor_hash(day, edition, client_ip(request), browser)
    if over_the_limit(visitor):
        return None
    return Beacon(
        day=day,
        edition=edition,
        item=item,
        referrer=referring_domain(data.get("r", ""), request.get_host()),
        search=search_words(data.get("s", "")),
        visitor=visitor,
    )


def over_the_limit(visitor):
    """Whether ``visitor`` sent more than ``BEACONS_PER_MINUTE`` beacons this minute (to this
    process: counted in its memory, forgotten the next minute). Counted in the metrics, not
    told to the sender."""
    minute = int(time.time() // 60)
    if _this_minute.get("minute") != minute:
        _this_minute.clear()
        _this_minute["minute"] = minute
    sent = _this_minute[visitor] = _this_minute.get(visitor, 0) + 1
    if sent > settings.READERSHIP["BEACONS_PER_MINUTE"]:
        OVER_THE_LIMIT.inc()
        return True
    return False


def counted(request):
    if not settings.READERSHIP["BEACON"]:
        return False
    headers = request.headers
    if headers.get("DNT") == "1" or headers.get("Sec-GPC") == "1":
        return False
    if is_bot(headers.get("User-Agent", "")):
        return False
    # Readers have no session; a signed-in editor's own reading is not the readers'.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.user.is_staff


def is_public(edition, item):
    """Whether readers of ``edition`` see ``item``, asked again after a minute (the flush asks
    once more: ``flushing.public_only``)."""
    now = time.monotonic()
    known = _public.get((edition, item))
    if known is None or now - known[1] > CHECKED_FOR_SECONDS:
        model, pk = parse_item(item)
        public = model is not None and model.objects.public(edition).filter(pk=pk).exists()
        if len(_public) > 10_000:
            _public.clear()
        known = _public[edition, item] = (public, now)
    return known[0]


@functools.lru_cache(maxsize=4096)  # the same few hundred browsers, again and again
def is_bot(user_agent):
    return not user_agent or CrawlerDetect(user_agent=user_agent).isCrawler()


def referring_domain(address, own_host):
    """The domain of the page the reader came from, without ``www.``; "" for this site."""
    try:
        host = (urlsplit(address).hostname if "//" in address else address).lower()
    except (ValueError, AttributeError):
        return ""
    host = host.removeprefix("www.")
    if not DOMAIN.fullmatch(host) or host == own_host.split(":")[0].removeprefix("www."):
        return ""
    return host


def search_words(query):
    """A search as readers typed it, in one form: case and spacing folded, at most 100 long."""
    query = SPACES.sub(" ", unicodedata.normalize("NFKC", query)).strip().casefold()
    return query[:100]


def serve_beacons(application):
    """The WSGI application, answering readers' beacons itself (see the module's doc)."""
    path = None

    def serve(environ, start_response):
        nonlocal path
        path = path or reverse("readership_hit")
        if environ.get("PATH_INFO") != path or environ.get("REQUEST_METHOD") != "POST":
            return application(environ, start_response)
        started = time.perf_counter()
        body = at_the_door(environ)
        if body is None:
            return application(environ, start_response)
        status = HTTPStatus(NOTHING)
        start_response(f"{status.value} {status.phrase}", [("Cache-Control", "no-store")])
        metrics.count("readership_hit", "POST", NOTHING, time.perf_counter() - started)
        return [body]

    return serve


def at_the_door(environ):
    """The beacon answered (an empty body), or None for Django to answer, with the request's
    body put back for it to read."""
    cookies = environ.get("HTTP_COOKIE")
    if cookies and settings.SESSION_COOKIE_NAME in parse_cookie(cookies):
        return None  # staff, maybe: the session middleware knows
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 <= length <= LARGEST:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    try:
        response = hit(WSGIRequest(environ))
    except (DisallowedHost, DatabaseError):
        response = None
    environ["wsgi.input"] = io.BytesIO(body)
    return b"" if response is not None and response.status_code == NOTHING else None
