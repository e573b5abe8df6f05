"""The import's background work, on the job queue (``nejat.ops.jobs``): an export a superuser
uploaded in the admin is imported by a worker (wordpress/runs.py), never by the web process
that took the upload. One import runs at a time for the whole site (a lock), and the import of
a worker that died is run again by another: items are keyed by their WordPress id, so what the
first attempt imported is found unchanged and nothing is duplicated."""

from procrastinate.contrib.django import app

from wordpress import runs

LOCK = "wordpress-import"


def start(run):
    """Queue ``run`` in the current transaction: the job commits with the uploaded run."""
    import_export.configure(lock=LOCK).defer(pk=run.pk)


@app.task(queue="imports")
def import_export(pk):
    return runs.execute(pk)
