"""The address a kept page is kept under: only what tells pages apart.

A view declares the query parameters it reads (``reads_query``: an item's ``share``, ``reply``
and ``comment``, search's ``q``; a paginated view reads its ``page`` without saying so). A kept
page's key holds the scheme, the host, the decoded path and, of the query string, only
parameters some view reads, in one order: ``?utm_source=…`` or ``?x=1`` is the page without
them, served from the same copy, so random query strings cost neither a render nor memory. A
parameter that some view reads but this address's view does not (``/articles/1/slug/?page=7``)
is answered with a redirect to the address without it (``page_cache.PageCacheMiddleware``),
never rendered and kept again and again.

The names are collected when the views' modules are imported: the first key computed loads
the URLs (and with them every view) before it reads them.
"""

from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.urls import get_resolver

from nejat.publishing.search import clean_query

READ_BY_SOME_VIEW = {"page"}  # (every paginated view reads it: query_parameters_of)
# Parameters whose spellings make the same page: search words, as the search reads and shows
# them (one space between words, at most MAX_QUERY_LENGTH).
NORMALISED = {"q": clean_query}
_views_loaded = False


def load_views():
    global _views_loaded
    get_resolver().url_patterns  # noqa: B018 - importing every view's module is the point
    _views_loaded = True


def reads_query(*names):
    """Class decorator (or call it with a function view): the view reads these parameters."""

    def declare(view):
        view.query_parameters = frozenset(getattr(view, "query_parameters", ())) | set(names)
        READ_BY_SOME_VIEW.update(names)
        return view

    return declare


def read_everywhere(*names):
    """Parameters a middleware reads on any address (WordPress's ``?p=123``): kept in the key,
    so the request reaches it; a view that does not read them still answers without them."""
    READ_BY_SOME_VIEW.update(names)


def query_parameters_of(match):
    """The parameters the resolved view (``request.resolver_match``) reads: those it declares,
    and its page number when it is paginated (Django's ``paginate_by`` reads ``page_kwarg``)."""
    func = match.func
    view = getattr(func, "view_class", func)
    declared = getattr(view, "query_parameters", frozenset())
    if getattr(view, "paginate_by", None):
        declared = declared | {getattr(view, "page_kwarg", "page")}
    return declared


def kept_query(query_string):
    """The part of a query string that tells pages apart, in one order."""
    if not query_string:
        return ""
    if not _views_loaded:
        load_views()
    pairs = parse_qsl(query_string, keep_blank_values=True)
    kept = ((k, NORMALISED.get(k, str)(v)) for k, v in pairs if k in READ_BY_SOME_VIEW)
    return urlencode(sorted(kept))


def request_path(environ):
    """The path exactly as ``WSGIRequest.path`` decodes it from a raw WSGI environ, so that
    both doors compute one key for a Persian or Arabic address (the server hands PATH_INFO
    over as Latin-1 text; Django replaces it in ``request.META`` with the decoded path)."""
    path_info = get_path_info(environ) or "/"
    return "{}/{}".format(get_script_name(environ).rstrip("/"), path_info.replace("/", "", 1))


def scheme(environ):
    """As ``HttpRequest.scheme`` (written again here: the WSGI door has no request): behind a
    TLS proxy, its X-Forwarded-Proto."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure = settings.SECURE_PROXY_SSL_HEADER
        if header in environ:
            return "https" if environ[header].split(",")[0].strip() == secure else "http"
    return environ.get("wsgi.url_scheme", "http")


def page_key(environ, path):
    """The cache key of the page at ``path`` (decoded: ``request.path``)."""
    return "nejat:page:{}:{}:{}?{}".format(
        scheme(environ),
        environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
        path,
        kept_query(environ.get("QUERY_STRING", "")),
    )


def unread_parameters(request):
    """Parameters of this request that some view reads but its own view does not."""
    if request.resolver_match is None or not request.GET:
        return set()
    return (set(request.GET) & READ_BY_SOME_VIEW) - query_parameters_of(request.resolver_match)
