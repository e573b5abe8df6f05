"""The job queue the site's background work runs on: procrastinate, in PostgreSQL
(docs/decisions/0004-job-queue.md).

A job is a row that commits with the change that needs it, or not at all (the tasks defer
through Django's connection, inside its transaction). Workers (``manage.py procrastinate
worker``; ``make run`` and ``make serve`` start one beside the web server) take jobs with a
lock, retry failed ones with back-off where the task says so, and send a heartbeat; the jobs of
a worker that stopped sending one are run again (``retry_stalled_jobs``). Periodic jobs are
deferred once per period for the whole cluster, however many workers run. Staff see queued,
running, failed and retried jobs in the admin (procrastinate's own pages, read-only).

Each room's background work is in its ``jobs.py`` (``PROCRASTINATE_IMPORT_PATHS``); this
module holds what concerns the queue itself.
"""

import asyncio
import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from procrastinate import App, RetryStrategy
from procrastinate.contrib.django import app

from nejat.ops import backup

logger = logging.getLogger(__name__)


@app.periodic(cron="* * * * * */15")  # (the sixth field: every 15 seconds)
@app.task(queue="maintenance", queueing_lock="retry_stalled_jobs", pass_context=True)
async def retry_stalled_jobs(context, timestamp):
    """Jobs a dead worker had taken go back to the queue (each one once, whoever runs this):
    a worker sends a heartbeat every 10 s; one silent for JOBS_STALLED_AFTER_SECONDS has died."""
    return await requeue_stalled(context.app.job_manager, settings.JOBS_STALLED_AFTER_SECONDS)


async def requeue_stalled(manager, seconds):
    """Put back in the queue the jobs of workers silent for ``seconds``; how many."""
    stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=seconds)
    for job in stalled:
        logger.warning("Job %s (%s) of a stopped worker runs again", job.id, job.task_name)
        await manager.retry_job(job)
    return len(stalled)


@app.periodic(cron="51 3 * * *")
@app.task(queue="maintenance", queueing_lock="forget_old_jobs", pass_context=True)
async def forget_old_jobs(context, timestamp):
    """Each night, the record of jobs that succeeded more than JOBS_KEEP_DAYS ago is deleted
    (the minute jobs alone leave thousands a day); failed ones are kept 90 days, to be read."""
    manager = context.app.job_manager
    await manager.delete_old_jobs(nb_hours=settings.JOBS_KEEP_DAYS * 24)
    await manager.delete_old_jobs(nb_hours=90 * 24, include_failed=True, include_cancelled=True)


@app.periodic(cron="23 * * * *")
@app.task(queue="maintenance", queueing_lock="clear_sessions")
def clear_sessions(timestamp):
    """Expired sessions are deleted every hour (Django's ``clearsessions``)."""
    call_command("clearsessions")


@app.periodic(cron="30 3 * * *")
@app.task(
    queue="backups", queueing_lock="nightly_backup", retry=RetryStrategy(max_attempts=2, wait=900)
)
def nightly_backup(timestamp):
    """At 03:30 UTC, when ``BACKUP_DIR`` is set: the database and every media file in one
    archive there (``nejat.ops.backup``); archives older than ``BACKUP_KEEP_DAYS`` are deleted
    after a backup succeeds. A failed backup is tried once more 15 minutes later."""
    if not settings.BACKUP_DIR:
        return None
    path, files = backup.write_backup(settings.BACKUP_DIR)
    pruned = backup.prune_backups(settings.BACKUP_DIR, settings.BACKUP_KEEP_DAYS)
    logger.info("Backed up to %s (%s media files); deleted %s", path, files, pruned or "none")
    return path.name


def run_queued_jobs(queues):
    """Run what ``queues`` hold now, in this process, then return (a command that must leave
    its work done, such as ``load_demo``; tests). Workers elsewhere may take some meanwhile."""
    worker_app = worker_app_without_periodic_jobs()

    async def drain():
        async with worker_app.open_async():
            await worker_app.run_worker_async(
                queues=queues,
                wait=False,
                install_signal_handlers=False,
                listen_notify=False,
                task_middleware=[closing_connections],
            )

    run_to_completion(drain)


def worker_app_without_periodic_jobs():
    """The site's tasks on a connection of their own (a worker's, not Django's), deferring no
    periodic job: a drain runs what is queued, the workers keep time."""
    app.perform_import_paths()  # every task of the site known, as a worker knows them
    worker_app = App(
        connector=app.connector.get_worker_connector(), worker_defaults=app.worker_defaults
    )
    worker_app.tasks = app.tasks
    return worker_app


def run_to_completion(coroutine_function):
    """``asyncio.run(coroutine_function())``, waited for. Where this thread already runs an event
    loop (a browser driven by Playwright's sync API in the same test process), the coroutine gets
    a loop of its own in a thread that is joined before returning."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine_function())
    outcome = {}

    def run():
        try:
            outcome["result"] = asyncio.run(coroutine_function())
        except BaseException as error:  # handed to the caller below
            outcome["error"] = error

    thread = threading.Thread(target=run, name="job-queue-drain")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


def closing_connections(call_next, context, worker):
    """Each job's database connections are closed after it: the worker's threads outlive a
    drain of the queue, and their connections would hold the database open."""
    try:
        return call_next()
    finally:
        connections.close_all()
