"""The production server (`manage.py serve --production`, two granian workers, Redis) as an
operator watches it (docs/operations/monitoring.md): /metrics adds up both workers' counts and
keeps a dead worker's, errors reach a Sentry server with the request's id, and LOG_FORMAT=json
writes lines a log store can parse."""

import gzip
import http.server
import json
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime

import psutil
import pytest

from tests.helpers.metrics import samples, value
from tests.helpers.servers import ROOT, environment_for, start, wait_for_home
from tests.helpers.services import free_port, running_redis
from tests.helpers.sites import site_folder

pytestmark = pytest.mark.processes  # not again in the far zones (the dates are UTC stamps)

TOKEN = "a-scrape-token-for-tests"
SCRAPE = {"Authorization": f"Bearer {TOKEN}"}


def get(port, path, **headers):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except urllib.error.URLError:  # no worker listening for a moment
        return None, ""


class FakeSentry(http.server.ThreadingHTTPServer):
    """Sentry's ingest endpoint on loopback: keeps the envelopes it is sent."""

    def __init__(self):
        self.envelopes = []

        class Ingest(http.server.BaseHTTPRequestHandler):
            def do_POST(handler):
                body = handler.rfile.read(int(handler.headers["Content-Length"]))
                if handler.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                self.envelopes.append((handler.path, body))
                handler.send_response(200)
                handler.end_headers()

            def log_message(handler, *args):
                pass

        super().__init__(("127.0.0.1", 0), Ingest)


@pytest.fixture(scope="module")
def sentry():
    server = FakeSentry()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def site(built_site, sentry, tmp_path_factory):
    var, port = site_folder(), free_port()
    subprocess.run([shutil.which("cp") or "/bin/cp", "-a", f"{built_site}/.", str(var)], check=True)
    with running_redis(tmp_path_factory.mktemp("redis")) as redis_url:
        server = start(
            var,
            port,
            workers=2,
            REDIS_URL=redis_url,
            METRICS_TOKEN=TOKEN,
            SENTRY_DSN=f"http://public-key@127.0.0.1:{sentry.server_port}/1",
            SENTRY_RELEASE="nejat@test-release",
            LOG_FORMAT="json",
        )
        try:
            wait_for_home(port, server)
            yield {"port": port, "var": var, "process": server}
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
            shutil.rmtree(var, ignore_errors=True)


def scrape(port):
    status, text = get(port, "/metrics", **SCRAPE)
    assert status == 200, status
    return samples(text)


def web_workers(site):
    """granian's worker processes (the children of the granian process that serve started)."""
    (granian,) = [
        child
        for child in psutil.Process(site["process"].pid).children()
        if "granian" in " ".join(child.cmdline())
    ]
    return granian.children()


def until(check, seconds=60):
    deadline = time.monotonic() + seconds
    while not (result := check()):
        assert time.monotonic() < deadline, f"not so within {seconds} s"
        time.sleep(0.2)
    return result


def test_both_workers_counts_add_up_and_a_dead_workers_stay(site):
    port = site["port"]
    assert get(port, "/metrics")[0] == 404  # the token is asked for
    before = scrape(port)
    assert value(before, "nejat_web_processes") == 2
    for _ in range(20):
        assert get(port, "/")[0] == 200
    for _ in range(10):
        assert get(port, "/no-such-page/")[0] == 404
    served = scrape(port)

    def grew(found, name, **labels):
        return value(found, name, **labels) - value(before, name, **labels)

    hits = grew(served, "nejat_page_cache_hits_total")
    misses = grew(served, "nejat_page_cache_misses_total")
    assert hits + misses == 30 and hits >= 18  # each worker renders the home page at most once
    assert (
        grew(served, "nejat_http_requests_total", view="page_cache", method="GET", status="200")
        == hits
    )
    assert grew(served, "nejat_http_requests_total", view="home", method="GET", status="200") == (
        20 - hits
    )
    assert grew(served, "nejat_http_requests_total", view="none", method="GET", status="404") == 10

    # Both workers killed, one after the other: what they counted is still counted, and the
    # workers granian starts again count on from there, alive twice and not four times.
    for worker in web_workers(site):
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        until(lambda: len(web_workers(site)) == 2)
    until(lambda: get(port, "/metrics", **SCRAPE)[0] == 200)
    until(lambda: value(scrape(port), "nejat_web_processes") == 2)
    for _ in range(5):
        assert get(port, "/no-such-page/")[0] == 404
    after = scrape(port)
    assert grew(after, "nejat_http_requests_total", view="none", method="GET", status="404") == 15
    assert grew(after, "nejat_http_request_duration_seconds_count", view="none") == 15
    until(lambda: value(scrape(port), "nejat_web_processes") == 2, seconds=10)  # the dead forgotten
    assert value(after, "nejat_database_up") == 1
    assert value(after, "nejat_jobs_waiting", default=None, queue="media") is not None


def shell(var, code):
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment_for(var),
        check=True,
        capture_output=True,
        timeout=120,
    )


def envelope_items(body):
    lines = body.split(b"\n")
    items = [json.loads(line) for line in lines[1:] if line.strip()]
    return list(zip(items[::2], items[1::2], strict=False))


def test_an_error_reaches_sentry_with_the_request_id_and_no_personal_data(site, sentry):
    """A release whose sessions table is missing: a signed-in request fails (500)."""
    rename = (
        "from django.db import connection;"
        "connection.cursor().execute('ALTER TABLE {} RENAME TO {}')"
    )
    shell(site["var"], rename.format("django_session", "django_session_gone"))
    try:
        status, page = get(
            site["port"],
            "/admin/",
            Cookie="sessionid=a-secret-session-value",
            **{"X-Request-ID": "sentry-check-0001"},
        )
    finally:
        shell(site["var"], rename.format("django_session_gone", "django_session"))
    assert status == 500 and "sentry-check-0001" in page

    def event():
        for path, body in sentry.envelopes:
            for header, payload in envelope_items(body):
                if header.get("type") == "event" and payload.get("tags", {}).get("request_id"):
                    return path, body, payload
        return None

    path, body, payload = until(event, seconds=10)
    assert path == "/api/1/envelope/"
    assert payload["tags"]["request_id"] == "sentry-check-0001"
    assert {value["type"] for value in payload["exception"]["values"]} & {"ProgrammingError"}
    assert payload["environment"] == "production" and payload["release"] == "nejat@test-release"
    assert b"a-secret-session-value" not in body and "user" not in payload


def test_json_log_lines_with_the_access_fields(site):
    get(site["port"], "/no-such-page/?json=1", **{"X-Request-ID": "json-check-0001"})
    log = site["var"] / "serve.log"

    def access_line():
        lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
        found = [line for line in lines if line["request_id"] == "json-check-0001"]
        return len(found) == 2 and (lines, found)

    lines, found = until(access_line, seconds=10)
    (warning,) = [line for line in found if line["logger"] == "django.request"]
    assert warning["level"] == "WARNING" and warning["message"] == "Not Found: /no-such-page/"
    (line,) = [line for line in found if line["logger"] == "nejat.requests"]
    assert line["logger"] == "nejat.requests" and line["level"] == "INFO"
    assert line["method"] == "GET" and line["path"] == "/no-such-page/?json=1"
    assert line["status"] == 404 and line["edition"] == "en" and line["ms"] > 0
    assert line["message"].startswith("GET /no-such-page/?json=1 404 ")
    assert datetime.fromisoformat(line["time"]).utcoffset().total_seconds() == 0
    assert {"time", "level", "logger", "message", "request_id"} <= set(lines[0])
