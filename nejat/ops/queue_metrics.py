"""The job queue and the database as /metrics shows them (``nejat.ops.metrics``), read from
PostgreSQL at each scrape: right whichever process deferred, ran or failed the jobs.

Three queries: the waiting jobs per queue (``todo`` and due: a job scheduled for later is not
waiting yet) with the age of the oldest, measured from when it became due (its last
``deferred``, ``deferred_for_retry`` or ``retried`` event, or its ``scheduled_at`` if later);
the jobs that failed for good, per queue (their ``failed`` events: a counter, as long as
finished jobs are kept); and the connections to this database by state (``pg_stat_activity``).
With every app server reading the same tables, each reports the same queue: alert on ``max``.
"""

from django.db import DatabaseError, connection
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

WAITING = """
    SELECT job.queue_name, count(*),
           coalesce(max(extract(epoch FROM now() - greatest(job.scheduled_at, due.since))), 0)
    FROM procrastinate_jobs job
    LEFT JOIN LATERAL (
        SELECT max(event.at) AS since FROM procrastinate_events event
        WHERE event.job_id = job.id
          AND event.type IN ('deferred', 'deferred_for_retry', 'retried')
    ) due ON true
    WHERE job.status = 'todo' AND (job.scheduled_at IS NULL OR job.scheduled_at <= now())
    GROUP BY job.queue_name
"""
FAILED = """
    SELECT job.queue_name, count(*)
    FROM procrastinate_events event JOIN procrastinate_jobs job ON job.id = event.job_id
    WHERE event.type = 'failed'
    GROUP BY job.queue_name
"""
CONNECTIONS = """
    SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity
    WHERE datname = current_database() GROUP BY 1
"""


def known_queues():
    """The queues the site's tasks use, so that an empty one shows 0 rather than nothing."""
    from procrastinate.contrib.django import app

    return {task.queue for task in app.tasks.values()}


class DatabaseCollector:
    def collect(self):
        up = GaugeMetricFamily("nejat_database_up", "Whether /metrics could read the database")
        try:
            rows = [read(query) for query in (WAITING, FAILED, CONNECTIONS)]
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from queue_families(*rows)


def read(query):
    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchall()


def queue_families(waiting, failed, connections):
    queues = known_queues() | {row[0] for row in waiting} | {row[0] for row in failed}
    by_queue = dict.fromkeys(queues, (0, 0.0)) | {row[0]: row[1:] for row in waiting}
    failures = dict.fromkeys(queues, 0) | dict(failed)
    depth = GaugeMetricFamily("nejat_jobs_waiting", "Jobs due and not taken yet", labels=["queue"])
    oldest = GaugeMetricFamily(
        "nejat_jobs_oldest_waiting_seconds",
        "How long the oldest job due has waited for a worker",
        labels=["queue"],
    )
    failed_for_good = CounterMetricFamily(
        "nejat_jobs_failed", "Jobs that failed for good (no retry left)", labels=["queue"]
    )
    for queue in sorted(queues):
        depth.add_metric([queue], by_queue[queue][0])
        oldest.add_metric([queue], float(by_queue[queue][1]))
        failed_for_good.add_metric([queue], failures[queue])
    database = GaugeMetricFamily(
        "nejat_database_connections",
        "Connections to the site's database, by state (pg_stat_activity)",
        labels=["state"],
    )
    for state, number in connections:
        database.add_metric([state], number)
    return depth, oldest, failed_for_good, database
