"""The API's answers: JSON, readable from any site's script (CORS), and kept by the page cache
(``nejat.delivery.page_cache``) like a page: with the tags of what it read, forgotten when one
changes, with an ``ETag`` that answers 304 and a ``Cache-Status``.

A sync (a list asked with ``updated_since``) is not kept: its answer depends on the clock and on
changes its tags cannot name (an item saved since, which it did not show), and each client asks
with its own time anyway.
"""

import json
import re

from django.http import HttpResponse

from nejat.delivery.page_cache import share_with_readers

# Any site's script may read the API (GET only: nothing here changes anything). Set on every
# answer, not only on those to a request with an Origin, so that the kept copy serves both.
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Cache-Status, Retry-After",
}
PREFLIGHT = {
    **CORS,
    "Access-Control-Allow-Methods": "GET",
    "Access-Control-Allow-Headers": "Accept, If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}
API_PATH = re.compile(r"^/(?:[a-z]{2}/)?api/")
# "<" in a title must not end a script that holds the JSON, nor look like a late fragment's
# marker (nejat.delivery.late_fragments) in a kept answer.
ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))


class BadRequest(ValueError):
    """A request the API cannot answer as asked: a 400 that names the parameter."""

    def __init__(self, detail, parameter=None):
        super().__init__(detail)
        self.detail, self.parameter = detail, parameter

    def data(self):
        errors = [{"parameter": self.parameter, "message": self.detail}] if self.parameter else []
        return {"detail": self.detail, "errors": errors}


def json_response(data, status=200, shared=False, headers=None):
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in ESCAPES:  # (str.replace: a tenth of str.translate's time here)
        text = text.replace(character, escaped)
    response = HttpResponse(
        text, status=status, content_type="application/json", headers={**CORS, **(headers or {})}
    )
    return share_with_readers(response) if shared else response


def answer(data, shared=True):
    """A 200 for every reader: kept unless ``shared`` is false."""
    return json_response(data, shared=shared)


def error(status, detail, errors=(), headers=None):
    return json_response({"detail": detail, "errors": list(errors)}, status, headers=headers)


class PreflightMiddleware:
    """A browser asks before a script on another site sends a request with headers of its own
    (``If-None-Match``): the API says yes, for reading. (django-cors-headers would do it, but it
    adds ``Vary: Origin`` to every answer, which the page cache rightly refuses to keep; with
    ``*`` for every origin, the answer varies on nothing.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "OPTIONS"
            and "Access-Control-Request-Method" in request.headers
            and API_PATH.match(request.path_info)
        ):
            return HttpResponse(status=204, headers=PREFLIGHT)
        return self.get_response(request)
