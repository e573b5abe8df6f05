"""The job queue in tests: an empty queue to start from, workers in processes of their own on
the test database, and the check that puts a dead worker's jobs back (at once, not after a
minute)."""

import os
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from procrastinate.contrib.django.models import ProcrastinateJob

from nejat.ops.jobs import requeue_stalled, run_to_completion, worker_app_without_periodic_jobs
from tests.helpers.servers import ROOT


@pytest.fixture
def queued(settings):
    """Renditions by the queue, which starts empty (Django's flush leaves procrastinate's
    tables, which it does not manage)."""
    settings.RENDITIONS_IN_BACKGROUND = True
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE procrastinate_jobs, procrastinate_events, procrastinate_periodic_defers,"
            " procrastinate_workers CASCADE"
        )


def worker_environment(**env):
    """A worker process on the test database and media (a worker elsewhere is given its
    DATABASE_URL and storage the same way)."""
    settings_dict = connection.settings_dict
    host = quote(settings_dict["HOST"], safe="")
    url = f"postgres://{settings_dict['USER']}@{host}/{settings_dict['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "1",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "RENDITIONS_IN_BACKGROUND": "1",
        **env,
    }


def start_worker(*queues, **env):
    command = [sys.executable, "manage.py", "procrastinate", "worker"]
    if queues:
        command += ["--queues", ",".join(queues)]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=worker_environment(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def status_of(job):
    return ProcrastinateJob.objects.get(pk=job.pk).status


def requeue_stalled_now():
    """The periodic check for silent workers, run now with no grace: how many jobs went back."""
    worker_app = worker_app_without_periodic_jobs()

    async def requeue():
        async with worker_app.open_async():
            return await requeue_stalled(worker_app.job_manager, 0)

    return run_to_completion(requeue)
