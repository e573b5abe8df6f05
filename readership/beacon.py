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
"""

import functools
import re
import time
import unicodedata
from urllib.parse import urlsplit

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_POST

from nejat.editions import edition_codes
from nejat.security.antispam.forms import client_ip, from_this_site_only
from readership import visitors
from readership.flushing import parse_item
from readership.tally import Beacon, tally

ITEM = re.compile(r"[a-z_]+\.[a-z_]+:[0-9]{1,18}")
DOMAIN = re.compile(r"[a-z0-9.-]{1,100}")
SPACES = re.compile(r"\s+")
NOTHING = 204
CHECKED_FOR_SECONDS = 60
_public = {}  # {(edition, item): (public?, when checked)}, this process's


@require_POST
@from_this_site_only
def hit(request):
    try:
        beacon = read(request)
    except BadBeacon as error:
        return HttpResponseBadRequest(str(error))
    if beacon is not None:
        tally().add(beacon)
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
    return Beacon(
        day=day,
        edition=edition,
        item=item,
        referrer=referring_domain(data.get("r", ""), request.get_host()),
        search=search_words(data.get("s", "")),
        visitor=visitors.visitor_hash(day, edition, client_ip(request), browser),
    )


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
