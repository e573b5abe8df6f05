"""The media room's background work, on the job queue (``nejat.ops.jobs``): the renditions of
each stored image, and the daily sweep of files no row names any more."""

import logging

from django.apps import apps
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from nejat.media import renditions, uploads

logger = logging.getLogger(__name__)


@app.task(queue="media", retry=RetryStrategy(max_attempts=5, exponential_wait=3))
def encode_renditions(label, pk, field_name):
    """Encode one image's renditions if they are still pending (a job run twice finds nothing
    to do the second time). A file that cannot be encoded is marked failed, not retried."""
    try:
        return renditions.make_pending(apps.get_model(label), pk, field_name)
    except renditions.ENCODING_ERRORS:
        logger.exception("Renditions of %s %s failed", label, pk)
        return False


def queue_renditions(model, pk, field_name):
    """Enqueue the renditions of ``model`` row ``pk``'s image, in the current transaction: the
    job commits with the image, or neither does."""
    encode_renditions.defer(label=model._meta.label, pk=pk, field_name=field_name)


@app.periodic(cron="41 3 * * *")
@app.task(queue="maintenance", queueing_lock="sweep_uploads")
def sweep_uploads(timestamp):
    """Files replaced or dropped a day ago or more, and named by no row, are deleted."""
    return uploads.sweep()
