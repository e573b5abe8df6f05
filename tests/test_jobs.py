"""Work that survives (#35): background work is a job of the queue (nejat/ops/jobs.py) that
commits with the change that needs it, a periodic job runs once per period however many workers
run, and the job of a worker killed mid-way is run again by another, its work done once."""

import os
import signal
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob
from procrastinate.periodic import PeriodicDeferrer

from articles.models import Article
from nejat.media.jobs import encode_renditions
from nejat.ops.demo_files import demo_image
from nejat.ops.jobs import run_queued_jobs, run_to_completion
from tests.helpers.jobs import requeue_stalled_now, start_worker, status_of, wait_for

ENCODE = encode_renditions.name


def jpeg(seed, size=(1200, 800)):
    return SimpleUploadedFile(f"j{seed}.jpg", demo_image(seed, size=size).read(), "image/jpeg")


@pytest.mark.django_db(transaction=True)
def test_a_job_commits_with_the_change_that_needs_it_or_not_at_all(
    queued, article_factory, superuser_client
):
    with pytest.raises(RuntimeError), transaction.atomic():
        article_factory(featured_image=jpeg(1))
        assert ProcrastinateJob.objects.filter(task_name=ENCODE).count() == 1  # in the change
        raise RuntimeError("the editor's save fails")
    assert not ProcrastinateJob.objects.exists()  # rolled back together

    article = article_factory(featured_image=jpeg(2))
    (job,) = ProcrastinateJob.objects.filter(task_name=ENCODE)
    assert job.status == "todo" and job.queue_name == "media"
    assert job.args == {
        "label": "articles.Article",
        "pk": article.pk,
        "field_name": "featured_image",
    }
    assert Article.objects.get(pk=article.pk).featured_image_picture.pending
    listed = superuser_client.get("/admin/procrastinate/procrastinatejob/").content.decode()
    assert ENCODE in listed  # staff see what is queued, running, failed
    run_queued_jobs(["media"])
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert Article.objects.get(pk=article.pk).featured_image_picture.has_renditions


@pytest.mark.django_db(transaction=True)
def test_two_workers_defer_each_periodic_job_once_per_period(queued):
    now = time.time()
    app.perform_import_paths()  # as a worker does at its start
    workers = [PeriodicDeferrer(registry=app.periodic_registry) for _ in range(2)]

    async def both_defer():
        # On a worker's connection, as `procrastinate worker` runs its deferrer.
        with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
            async with worker_app.open_async():
                for deferrer in workers:  # each worker's deferrer, at the same tick
                    await deferrer.defer_jobs(jobs_to_defer=deferrer.get_previous_tasks(at=now))

    run_to_completion(both_defer)
    minute_jobs = ProcrastinateJob.objects.filter(
        task_name="nejat.publishing.jobs.record_publications"
    )
    assert minute_jobs.count() == 1


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_is_run_again_and_done_once(queued, article_factory):
    article = article_factory(featured_image=jpeg(3, size=(5000, 3400)))  # seconds to encode
    (job,) = ProcrastinateJob.objects.filter(task_name=ENCODE)
    worker = start_worker("media")
    try:
        assert wait_for(lambda: status_of(job) == "doing")
        os.kill(worker.pid, signal.SIGKILL)  # mid-encoding: no chance to finish or say so
        worker.wait()
        assert ProcrastinateJob.objects.get(pk=job.pk).status == "doing"
        assert Article.objects.get(pk=article.pk).featured_image_picture.pending

        # The periodic check finds its worker silent (here at once, not after a minute).
        assert requeue_stalled_now() == 1
        worker = start_worker("media")  # another worker takes it
        assert wait_for(lambda: status_of(job) == "succeeded")
    finally:
        worker.kill()
        worker.wait()
    picture = Article.objects.get(pk=article.pk).featured_image_picture
    assert picture.has_renditions and not picture.pending
    stored = article.featured_image.storage
    folder, name = article.featured_image.name.rsplit("/", 1)
    made = [
        f for f in stored.listdir(f"{folder}/renditions")[1] if f.startswith(name.rsplit(".", 1)[0])
    ]
    assert len(made) == len(set(made)) == 8  # four widths, WebP and JPEG: each once


PERIODIC_JOBS = [
    "nejat.publishing.jobs.record_publications",
    "nejat.publishing.jobs.empty_the_trash",
    "nejat.media.jobs.sweep_uploads",
    "nejat.delivery.jobs.forget_old_front_cached_pages",
    "nejat.ops.jobs.clear_sessions",
    "nejat.ops.jobs.forget_old_jobs",
    "nejat.ops.jobs.retry_stalled_jobs",
    "nejat.ops.jobs.nightly_backup",
    "subscriptions.jobs.start_scheduled_mailings",
    "subscriptions.jobs.offer_weekly_digests",
    "readership.jobs.flush_readership",
    "readership.jobs.refresh_most_read",
    "articles.jobs.refresh_related",
]


@pytest.mark.django_db(transaction=True)
def test_every_periodic_job_runs_to_its_end_on_a_site(queued, article_factory, settings):
    settings.BACKUP_DIR = ""  # (the backup itself: tests/test_backup.py)
    app.perform_import_paths()
    periodic = {task.task.name for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic == set(PERIODIC_JOBS)  # each one below, and no other
    article_factory()
    for name in PERIODIC_JOBS:
        app.tasks[name].defer(timestamp=int(time.time()))  # as the periodic deferrer does
    run_queued_jobs(["maintenance", "media", "backups", "mailings"])
    outcome = dict(ProcrastinateJob.objects.values_list("task_name", "status"))
    # (and the related articles of the article just published: articles.jobs)
    assert outcome == dict.fromkeys([*PERIODIC_JOBS, "articles.jobs.suggest_related"], "succeeded")
