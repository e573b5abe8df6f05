"""An import started in the admin, run by a job-queue worker (wordpress/jobs.py), writing its
progress to its ``ImportRun`` row every second and its report at the end.

A run cut off by a worker that died is run again from the start by another worker: the items
the first attempt imported are found unchanged (they are keyed by their WordPress id), and the
report says the run was resumed. Exports too large for an upload (MAX_WXR_UPLOAD_MB) and imports
with uploads go through ``manage.py import_wxr``.
"""

import logging
import time

from django.conf import settings
from django.utils import timezone

from wordpress import types
from wordpress.attachments import Fetcher
from wordpress.importer import Importer, parse_translations
from wordpress.models import ImportRun
from wordpress.wxr import WxrError

logger = logging.getLogger(__name__)

RESUMED = "Resumed after an interruption: what was imported before it is counted as unchanged."


def text_of(stored):
    with stored.open("rb") as handle:
        return handle.read().decode("utf-8-sig")


def execute(pk):
    run = ImportRun.objects.filter(pk=pk).first()
    if run is None or run.state in {ImportRun.State.DONE, ImportRun.State.FAILED}:
        return None  # deleted meanwhile, or finished (the job itself is run once more)
    resumed = run.state == ImportRun.State.RUNNING  # an attempt before this one was cut off
    ImportRun.objects.filter(pk=pk).update(state=ImportRun.State.RUNNING)
    last = [0.0]

    def progress(report, rate):
        if time.monotonic() - last[0] >= 1 or report.done == report.total:
            last[0] = time.monotonic()
            ImportRun.objects.filter(pk=pk).update(done=report.done, total=report.total)

    mapping = types.parse_mapping(text_of(run.mapping)) if run.mapping else None
    links = None
    if run.translations:
        toml = run.translations.name.lower().endswith(".toml")
        links = parse_translations(text_of(run.translations), toml=toml)
    fetcher = Fetcher(delay=settings.WXR_FETCH_DELAY) if run.fetch_attachments else None
    importer = Importer(
        run.edition, None, run.old_host, run.old_prefix, progress, links, mapping, fetcher=fetcher
    )
    try:
        report = importer.run(run.export, dry_run=run.dry_run)
    except WxrError as error:
        state, text = ImportRun.State.FAILED, str(error)
    except Exception:  # the run's row must say it ended; the traceback goes to the log
        logger.exception("WordPress import %s failed", pk)
        state, text = ImportRun.State.FAILED, "failed: see the server's log"
    else:
        state, text = ImportRun.State.DONE, "\n".join([*[RESUMED] * resumed, *report.lines()])
    ImportRun.objects.filter(pk=pk).update(
        state=state,
        report=text,
        items=importer.report.csv_text() if importer.report.rows else "",
        finished_at=timezone.now(),
    )
    return state
