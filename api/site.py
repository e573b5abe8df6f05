"""The API itself (django-ninja, decision record 0009): its OpenAPI schema at ``schema/``, its
documentation page at ``docs/`` (Swagger UI, served from the site's own static files), and
answers to what goes wrong: a 400 that names the parameter, a JSON 404, a 429 with
``Retry-After`` for a client over ``API_RATE_LIMIT``. Nothing here needs a key: every reader may
read what the public pages show.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.throttling import BaseThrottle

from api.answers import BadRequest, error
from nejat.security.antispam.forms import over_the_limit

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

DESCRIPTION = """\
What readers of this edition can see, as JSON: published items only, never a draft, a scheduled
or a deleted one. The edition is the address's: `/api/v1/` is English, `/fa/api/v1/` Persian,
`/ar/api/v1/` Arabic, `/sq/api/v1/` Albanian. Lists give `next`, the address of the next page;
`updated_since` turns a list into a sync of what changed, and `removed/` names what left.
No key is needed; each address may make `API_RATE_LIMIT` requests a minute that are not answered
from the cache.
"""


class PerAddress(BaseThrottle):
    """``API_RATE_LIMIT`` ("300/m") per client address, counted as the site's forms count it
    (``over_the_limit``: in Redis with ``REDIS_URL``, so across app servers)."""

    def allow_request(self, request):
        number, seconds = limit()
        return not over_the_limit(request, "api", number, seconds)

    def wait(self):
        return limit()[1]  # at most: the window began with the address's first request


def limit():
    """(requests, seconds) of ``API_RATE_LIMIT``."""
    number, period = settings.API_RATE_LIMIT.split("/")
    return int(number), PERIODS[period[0]]


api = NinjaAPI(
    title="Nejat content API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/schema/",
    docs=Swagger(),
    docs_url="/docs/",
    throttle=[PerAddress()],
)


@api.exception_handler(BadRequest)
def bad_request(request, exc):
    return error(400, exc.detail, exc.data()["errors"])


@api.exception_handler(ValidationError)
def invalid(request, exc):
    """A parameter of the wrong type or out of range: 400, each named (ninja's default: 422)."""
    errors = [
        {"parameter": str(problem["loc"][-1]), "message": problem["msg"]} for problem in exc.errors
    ]
    names = ", ".join(sorted({problem["parameter"] for problem in errors}))
    return error(400, f"Check these parameters: {names}.", errors)


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def not_found(request, exc):
    return error(404, "Nothing public has this address in this edition.")


@api.exception_handler(Throttled)
def throttled(request, exc):
    seconds = max(int(exc.wait or 1), 1)
    return error(429, f"Too many requests: try again in {seconds} s.",
                 headers={"Retry-After": str(seconds)})  # fmt: skip


@api.exception_handler(HttpError)
def http_error(request, exc):
    return error(exc.status_code, str(exc))
