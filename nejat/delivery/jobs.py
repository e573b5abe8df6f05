"""The delivery room's background work, on the job queue (``nejat.ops.jobs``): telling the
caches in front what changed (``nejat.delivery.front_caches``), and forgetting where pages were
kept once no cache can still keep them."""

from django.conf import settings
from django.db import connection, transaction
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from nejat.delivery import front_caches


def purge_with_change(tags, **kwargs):
    """(``cache_tags.tags_changed``) Record the tags to purge and defer one job per transaction
    to purge them: both commit with the change, or neither."""
    if not front_caches.purging():
        return
    front_caches.record_pending(tags)
    if not connection.in_atomic_block:
        purge_front_caches.defer()
        return
    job = getattr(connection, "nejat_front_purge_job", None)
    if job is not None and ProcrastinateJob.objects.filter(pk=job, status="todo").exists():
        return  # (deferred earlier in this transaction, and not rolled back)
    connection.nejat_front_purge_job = job = purge_front_caches.defer()

    def committed():  # the next transaction defers its own
        if getattr(connection, "nejat_front_purge_job", None) == job:
            connection.nejat_front_purge_job = None

    transaction.on_commit(committed)


@app.task(queue="delivery", retry=RetryStrategy(max_attempts=6, exponential_wait=2))
def purge_front_caches(tags=None):
    """Purge what shows the pending tags (or ``tags``: the second purge) from the caches in
    front. When one refuses, the others are still told and the job is tried again (2 s, 4 s,
    8 s, … about two minutes in all), with the tags still pending."""
    with transaction.atomic():
        first = tags is None
        tags = front_caches.take_pending() if first else tags
        if not tags:
            return
        if failed := front_caches.purge(tags, everything=first):
            raise front_caches.PurgeFailed(", ".join(failed))
        if first and (front_caches.nginx_in_front() or settings.PAGE_CACHE_PURGE_TAGS_URL):
            # Again once a page rendered before the change has surely reached nginx.
            later = {"seconds": settings.PAGE_CACHE_RENDER_SECONDS}
            purge_front_caches.configure(schedule_in=later).defer(tags=tags)


@app.periodic(cron="37 * * * *")
@app.task(queue="maintenance", queueing_lock="forget_old_front_cached_pages")
def forget_old_front_cached_pages(timestamp):
    """Hourly: the records of pages kept longer ago than a page lives."""
    return front_caches.forget_old()
