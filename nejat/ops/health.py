"""What a load balancer asks: is this process alive (/healthz), and can it serve (/readyz)?

``HealthMiddleware`` answers both first, before anything else runs: no session, no redirect to
HTTPS, no host check (balancers ask by IP address), no page cache, no access-log line.

- ``/healthz`` touches nothing: a process that answers it is alive.
- ``/readyz`` checks the database, the cache and the media store, each in a thread of its own
  with READY_TIMEOUT_SECONDS, and answers 200 or 503 with what failed, as JSON.
"""

import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as CheckTimedOut

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connections
from django.http import HttpResponse, JsonResponse

READY_TIMEOUT_SECONDS = 2


def _database():
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connections["default"].close()  # this thread's own connection


def _cache():
    token = uuid.uuid4().hex
    cache.set("readyz", token, 30)
    if cache.get("readyz") != token:
        raise RuntimeError("the cache did not keep a value")


def _media():
    default_storage.exists("readyz")  # any answer will do: the store was reached


CHECKS = {"database": _database, "cache": _cache, "media": _media}


def readiness():
    """{check: "ok" or what went wrong}, every check bounded by READY_TIMEOUT_SECONDS."""
    pool = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="readyz")
    futures = {name: pool.submit(check) for name, check in CHECKS.items()}
    results = {}
    for name, future in futures.items():
        try:
            future.result(timeout=READY_TIMEOUT_SECONDS)
            results[name] = "ok"
        except CheckTimedOut:
            results[name] = f"no answer within {READY_TIMEOUT_SECONDS} s"
        except Exception as error:  # whatever broke, the balancer hears 503 and what
            results[name] = f"{type(error).__name__}: {error}"[:200]
    pool.shutdown(wait=False)  # a hung check does not hold the answer
    return results


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            response = HttpResponse("ok\n", content_type="text/plain")
        elif request.path == "/readyz":
            results = readiness()
            ready = all(result == "ok" for result in results.values())
            response = JsonResponse(results, status=200 if ready else 503)
        else:
            return self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response
