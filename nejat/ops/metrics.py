"""What Prometheus reads at /metrics: requests per view, the page cache, the job queue and the
database's connections (docs/operations/monitoring.md; why prometheus-client and our own
middleware: docs/decisions/0005-metrics.md).

- **Requests**: ``MetricsMiddleware`` (second in ``MIDDLEWARE``, after the health checks)
  counts each request by view name (``request.resolver_match.view_name``), method and status,
  and times it per view. A page the page cache answers reaches no view: it is counted as
  ``view="page_cache"``, at whichever door answered it (``nejat.delivery.page_cache`` calls
  ``kept_page_served``); a request no view answered (an unknown address, a redirect of the
  middleware) as ``view="none"``.
- **Page cache**: hits and misses, one lookup per request whichever door made it.
- **Job queue and database**: read from PostgreSQL at each scrape (``nejat.ops.queue_metrics``),
  so they are right whichever process did the work.
- **Several processes**: ``manage.py serve --production`` gives granian's workers a fresh
  ``PROMETHEUS_MULTIPROC_DIR``; each writes its counters there and /metrics adds up every
  worker's, the dead ones' too (``mark_dead_processes`` drops only their live gauges). Without
  it (runserver, tests) the numbers are the process's own.
- **Who may read it**: an address in ``METRICS_ALLOW`` (default loopback), with
  ``Authorization: Bearer METRICS_TOKEN`` when that is set. Anyone else gets what any unknown
  address gets: the site's 404. Behind a proxy (``X-Forwarded-For``) the address is the one the
  nearest trusted proxy saw (``TRUSTED_PROXIES``); a forwarded request with no trusted proxy is
  refused, since the proxy's own loopback address says nothing of who asked.
"""

import functools
import hmac
import ipaddress
import os
import re
import tempfile
import time

from django.conf import settings
from django.http import HttpResponse
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, multiprocess
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import REGISTRY

from nejat.ops.queue_metrics import DatabaseCollector

PATH = "/metrics"
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")
# From a page the cache answers (0.1 ms) to a slow admin save.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

REQUESTS = Counter(
    "nejat_http_requests",
    "Requests answered, by view, method and status",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "nejat_http_request_duration_seconds",
    "Time to answer a request, by view",
    ["view"],
    buckets=BUCKETS,
)
PAGE_CACHE_HITS = Counter("nejat_page_cache_hits", "Requests answered with a kept page")
PAGE_CACHE_MISSES = Counter(
    "nejat_page_cache_misses", "Requests the page cache applied to that found no kept page"
)
WEB_PROCESSES = Gauge(
    "nejat_web_processes", "Web processes serving the site", multiprocess_mode="livesum"
)


def count(view, method, status, seconds):
    requests(view, method if method in METHODS else "other", status).inc()
    latency(view).observe(seconds)


# Each label set's child, looked up once per process: ``labels()`` costs as much as the count.
@functools.cache
def requests(view, method, status):
    return REQUESTS.labels(view, method, str(status))


@functools.cache
def latency(view):
    return LATENCY.labels(view)


def page_cache_lookup(hit):
    (PAGE_CACHE_HITS if hit else PAGE_CACHE_MISSES).inc()


def kept_page_served(method, status, started):
    """A page the WSGI door answered from the cache, ``started`` at ``time.perf_counter()``."""
    PAGE_CACHE_HITS.inc()
    count("page_cache", method, status, time.perf_counter() - started)


def view_name(request):
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name
    return "page_cache" if getattr(request, "answered_from_page_cache", False) else "none"


class MetricsMiddleware:
    """Answers /metrics to whom may read it, and counts and times every other request."""

    def __init__(self, get_response):
        self.get_response = get_response
        WEB_PROCESSES.set(1)

    def __call__(self, request):
        if request.path_info == PATH and request.method in ("GET", "HEAD") and may_read(request):
            return exposition(request)
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        count(view_name(request), request.method, response.status_code, seconds)
        return response


def client_address(request):
    """Who asked, as far as can be trusted; None when it cannot be told."""
    meta, proxies = request.META, settings.TRUSTED_PROXIES
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if proxies and len(hops) >= proxies:
        return hops[-proxies]
    if any(meta.get(header) for header in FORWARDING_HEADERS):
        return None  # through a proxy the settings do not name: the address is the proxy's
    return meta.get("REMOTE_ADDR")


def may_read(request):
    try:
        address = ipaddress.ip_address(client_address(request) or "")
    except ValueError:
        return False
    allowed = [ipaddress.ip_network(entry, strict=False) for entry in settings.METRICS_ALLOW]
    if not any(address in network for network in allowed):
        return False
    if not settings.METRICS_TOKEN:
        return True
    sent = request.headers.get("Authorization", "")
    expected = f"Bearer {settings.METRICS_TOKEN}"
    return hmac.compare_digest(sent.encode(), expected.encode())


def exposition(request):
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROCESS_DIR):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(ThisProcess())
    registry.register(DatabaseCollector())
    encoder, content_type = choose_encoder(request.headers.get("Accept", ""))
    response = HttpResponse(encoder(registry), content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


class ThisProcess:
    """This process's own metrics (no PROMETHEUS_MULTIPROC_DIR: runserver, tests)."""

    def collect(self):
        return REGISTRY.collect()


def fresh_directory():
    """An empty folder for the web workers' metric files (``manage.py serve --production``)."""
    return tempfile.mkdtemp(prefix="nejat-metrics-")


LIVE_GAUGE_FILE = re.compile(r"gauge_live\w+?_(\d+)\.db")


def mark_dead_processes(directory):
    """Forget the live gauges of workers that have exited (a worker granian started again has
    a new PID): their counters stay, so that totals never go back."""
    for name in os.listdir(directory):
        if (match := LIVE_GAUGE_FILE.fullmatch(name)) and not alive(int(match[1])):
            multiprocess.mark_process_dead(int(match[1]), directory)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
