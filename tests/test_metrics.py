"""/metrics for Prometheus (nejat/ops/metrics.py, docs/operations/monitoring.md): who may read
it, what it counts per view and for the page cache, and the job queue and connections it reads
from PostgreSQL at each scrape. The production server's several processes, added up:
tests/test_monitoring_in_production.py."""

import os
import subprocess
import sys

import pytest
from django.db import connection, transaction
from django.test import Client

from nejat.delivery.page_cache import applies_to
from nejat.ops import metrics
from tests.helpers.metrics import samples, value

pytestmark = pytest.mark.django_db

SAME_ID = {"HTTP_X_REQUEST_ID": "metrics-test-0001"}


def scrape(**extra):
    response = Client(REMOTE_ADDR=extra.pop("REMOTE_ADDR", "127.0.0.1")).get("/metrics", **extra)
    assert response.status_code == 200, response.status_code
    return samples(response.content.decode())


def status_of(address="127.0.0.1", path="/metrics", **extra):
    return Client(REMOTE_ADDR=address).get(path, **extra).status_code


def test_read_from_loopback_and_refused_elsewhere_as_an_unknown_address(settings):
    response = Client(REMOTE_ADDR="::1").get("/metrics")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert b"# TYPE nejat_http_requests_total counter" in response.content

    refused = Client(REMOTE_ADDR="198.51.100.7").get("/metrics", **SAME_ID)
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "nejat.ops.metrics.MetricsMiddleware"
    ]
    unknown = Client(REMOTE_ADDR="198.51.100.7").get("/metrics", **SAME_ID)
    assert refused.status_code == unknown.status_code == 404
    assert refused.content == unknown.content and b"metrics_" not in refused.content


def test_never_under_an_edition_and_never_for_another_method(settings):
    assert status_of(path="/fa/metrics") == 404
    assert Client(REMOTE_ADDR="127.0.0.1").post("/metrics").status_code == 404


def test_a_token_when_set_and_the_addresses_allowed(settings):
    settings.METRICS_TOKEN = "scrape-secret-1"
    assert status_of() == 404
    assert status_of(HTTP_AUTHORIZATION="Bearer wrong") == 404
    assert status_of(HTTP_AUTHORIZATION="scrape-secret-1") == 404
    assert status_of(HTTP_AUTHORIZATION="Bearer scrape-secret-1") == 200
    settings.METRICS_ALLOW = ["10.0.0.0/8"]
    assert status_of(HTTP_AUTHORIZATION="Bearer scrape-secret-1") == 404  # loopback no longer
    assert status_of("10.1.2.3", HTTP_AUTHORIZATION="Bearer scrape-secret-1") == 200
    assert status_of("10.1.2.3") == 404


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(settings):
    """nginx on the same machine connects from loopback: its own address says nothing."""
    outsider = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    settings.TRUSTED_PROXIES = 0
    assert status_of(**outsider) == 404  # forwarded by a proxy the settings do not name
    assert status_of(HTTP_X_REAL_IP="127.0.0.1") == 404
    settings.TRUSTED_PROXIES = 1
    assert status_of(**outsider) == 404
    assert status_of(HTTP_X_FORWARDED_FOR="127.0.0.1, 203.0.113.9") == 404  # a forged first hop
    assert status_of("10.0.0.2", HTTP_X_FORWARDED_FOR="127.0.0.1") == 200  # a proxy's own scrape
    assert status_of("127.0.0.1", HTTP_X_FORWARDED_FOR="not an address") == 404


def test_a_wrong_allow_list_stops_the_site_at_start():
    started = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env={"DEBUG": "1", "METRICS_ALLOW": "127.0.0.1,localhost", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode != 0 and "METRICS_ALLOW" in started.stderr.splitlines()[-1]


def test_requests_are_counted_by_view_method_and_status(article_factory):
    article = article_factory(title_en="Counted", body_en="<p>Text.</p>")
    before = scrape()
    Client().get(article.url_in("en"))
    Client().get("/no-such-page/")
    Client().head("/")
    after = scrape()

    def grew(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert (
        grew("nejat_http_requests_total", view="articles:detail", method="GET", status="200") == 1
    )
    assert grew("nejat_http_requests_total", view="none", method="GET", status="404") == 1
    assert grew("nejat_http_requests_total", view="home", method="HEAD", status="200") == 1
    assert grew("nejat_http_request_duration_seconds_count", view="articles:detail") == 1
    assert grew("nejat_http_request_duration_seconds_bucket", view="home", le="+Inf") == 1
    assert value(after, "nejat_web_processes") == 1


def test_page_cache_hits_and_misses_and_metrics_never_kept(settings, article_factory):
    settings.PAGE_CACHE_SECONDS = 3600
    article = article_factory(title_en="Kept", body_en="<p>Text.</p>")
    before = scrape()
    for _ in range(3):
        assert Client().get(article.url_in("en")).status_code == 200
    after = scrape()
    assert (
        value(after, "nejat_page_cache_misses_total")
        - value(before, "nejat_page_cache_misses_total")
        == 1
    )
    assert (
        value(after, "nejat_page_cache_hits_total") - value(before, "nejat_page_cache_hits_total")
        == 2
    )
    served = {"method": "GET", "status": "200"}
    assert (
        value(after, "nejat_http_requests_total", view="page_cache", **served)
        - value(before, "nejat_http_requests_total", view="page_cache", **served)
        == 2
    )

    assert not applies_to({"REQUEST_METHOD": "GET", "PATH_INFO": metrics.PATH})
    Client().get("/no-such-page/")
    again = Client(REMOTE_ADDR="127.0.0.1").get("/metrics")
    assert "ETag" not in again and again["Cache-Control"] == "no-store"
    missing = {"view": "none", "method": "GET", "status": "404"}
    now = samples(again.content.decode())
    assert (
        value(now, "nejat_http_requests_total", **missing)
        - value(after, "nejat_http_requests_total", **missing)
        == 1
    )  # not a kept copy of the scrape before


@pytest.fixture
def no_jobs():
    """No job from the tests before (some commit theirs); rolled back with the test."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")


def jobs(*rows):
    """Jobs in procrastinate's table, moved through its states as a worker moves them (its
    triggers write the events); then the events' times set to ``minutes`` ago."""
    with connection.cursor() as cursor:
        for queue, states, minutes_ago, scheduled_minutes in rows:
            cursor.execute(
                "INSERT INTO procrastinate_jobs (queue_name, task_name, scheduled_at) VALUES "
                "(%s, 'test', now() + make_interval(mins => %s)) RETURNING id",
                [queue, scheduled_minutes],
            )
            (job,) = cursor.fetchone()
            for state in states:
                cursor.execute(
                    "UPDATE procrastinate_jobs SET status = %s WHERE id = %s", [state, job]
                )
            cursor.execute(
                "UPDATE procrastinate_events SET at = now() - make_interval(mins => %s) "
                "WHERE job_id = %s",
                [minutes_ago, job],
            )


@pytest.mark.dates
def test_the_queue_its_oldest_job_and_failures_from_the_database(no_jobs):
    """In one transaction now() stands still: the ages are exact."""
    jobs(
        ("media", [], 10, -60),  # deferred 10 minutes ago, due since an hour: waiting 10 min
        ("media", [], 2, None),
        ("media", [], 30, -5),  # deferred long ago for 5 minutes ago: waiting 5 min
        ("media", [], 0, 30),  # due in half an hour: not waiting yet
        ("media", ["doing"], 40, None),  # running
        ("maintenance", ["doing", "failed"], 1, None),
        ("maintenance", ["doing", "failed", "todo"], 3, None),  # failed, then retried: waiting
        ("reports", ["doing", "failed"], 1, None),
    )
    found = scrape()
    assert value(found, "nejat_database_up") == 1
    assert value(found, "nejat_jobs_waiting", queue="media") == 3
    assert value(found, "nejat_jobs_oldest_waiting_seconds", queue="media") == 600
    assert value(found, "nejat_jobs_waiting", queue="maintenance") == 1
    assert value(found, "nejat_jobs_oldest_waiting_seconds", queue="maintenance") == 180
    assert value(found, "nejat_jobs_failed_total", queue="maintenance") == 2
    assert value(found, "nejat_jobs_failed_total", queue="reports") == 1
    assert value(found, "nejat_jobs_waiting", queue="reports") == 0
    assert value(found, "nejat_jobs_failed_total", queue="media") == 0


def test_an_empty_queue_shows_zero_and_connections_by_state(no_jobs):
    found = scrape()
    assert value(found, "nejat_jobs_waiting", default=None, queue="media") == 0
    assert value(found, "nejat_jobs_oldest_waiting_seconds", default=None, queue="maintenance") == 0
    assert value(found, "nejat_database_connections", state="active") >= 1  # the scrape's own


class Undo(Exception):
    pass


def test_a_database_it_cannot_read_is_said_and_the_rest_still_shown():
    with pytest.raises(Undo), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE procrastinate_jobs RENAME TO procrastinate_jobs_gone")
        found = scrape()
        raise Undo  # the table back
    assert value(found, "nejat_database_up", default=None) == 0
    assert value(found, "nejat_jobs_waiting", default=None, queue="media") is None
    assert value(found, "nejat_web_processes") == 1


def test_a_dead_workers_live_gauge_is_forgotten_its_counters_kept(tmp_path):
    """What ``manage.py serve --production`` does each second with granian's workers' files."""
    worker = (
        "from prometheus_client import Counter, Gauge;"
        "Gauge('up', 'u', multiprocess_mode='livesum').set(1);"
        "Counter('served', 's').inc(3)"
    )
    environment = {metrics.MULTIPROCESS_DIR: str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", worker], env=environment, check=True)
    assert done.returncode == 0
    (live,) = tmp_path.glob("gauge_livesum_*.db")
    (counters,) = tmp_path.glob("counter_*.db")
    mine = tmp_path / f"gauge_livesum_{os.getpid()}.db"
    mine.write_bytes(live.read_bytes())  # a live process's: kept
    metrics.mark_dead_processes(tmp_path)
    assert not live.exists() and counters.exists() and mine.exists()
