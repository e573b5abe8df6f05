"""The publishing room's background work, on the job queue (``nejat.ops.jobs``): a revision
for every scheduled item that went live, each minute, and the trash emptied each night."""

from procrastinate.contrib.django import app

from nejat.publishing import empty_trash
from nejat.publishing.revisions import record_scheduled_publications


@app.periodic(cron="* * * * *")
@app.task(queue="maintenance", queueing_lock="record_scheduled_publications")
def record_publications(timestamp):
    """Once a minute for the whole cluster (the rows are locked besides: never twice)."""
    return record_scheduled_publications()


@app.periodic(cron="11 3 * * *")
@app.task(queue="maintenance", queueing_lock="empty_trash")
def empty_the_trash(timestamp):
    """What has been in the trash ``TRASH_DAYS`` is deleted for good."""
    return empty_trash()
