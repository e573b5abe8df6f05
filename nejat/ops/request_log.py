"""One log line per request, and an id that ties together every line a request writes.

Each request gets an id: the X-Request-ID the proxy sent when it looks like one, else a new one.
It goes back in the X-Request-ID header (and on the error page), and ``RequestIdFilter`` adds it
to every log line written while the request is handled: what a reader reports finds its lines.
The access line says method, path, status, milliseconds, edition and id (logger
``nejat.requests``; REQUEST_LOG=0 turns it off, e.g. when nginx logs the same), also as fields
of the record for JSON lines (``LOG_FORMAT=json``, ``nejat.ops.log_format``).
"""

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.utils.translation import get_language_from_path

logger = logging.getLogger("nejat.requests")
current_request_id = contextvars.ContextVar("request_id", default="-")
LOOKS_LIKE_AN_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get("X-Request-ID", "")
        request.request_id = sent if LOOKS_LIKE_AN_ID.fullmatch(sent) else uuid.uuid4().hex
        # Kept until the response is closed (request_finished): Django logs a 4xx or 5xx after
        # the middleware has returned, and that line must carry the id too.
        current_request_id.set(request.request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        if settings.REQUEST_LOG:
            fields = {
                "method": request.method,
                "path": request.get_full_path()[:500],
                "status": response.status_code,
                "ms": round((time.perf_counter() - started) * 1000, 1),
                "edition": get_language_from_path(request.path_info) or settings.LANGUAGE_CODE,
            }
            # The fields again, apart, for LOG_FORMAT=json (nejat/ops/log_format.py).
            logger.info(
                "%(method)s %(path)s %(status)s %(ms).1fms %(edition)s", fields, extra=fields
            )
        return response


@receiver(request_finished, dispatch_uid="nejat.ops.request_log.forget_the_id")
def _forget_the_id(sender, **kwargs):
    current_request_id.set("-")
