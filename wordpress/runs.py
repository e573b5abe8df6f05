"""Imports started in the admin run after the commit, in a background thread of the process that
took the upload, writing their progress to their ``ImportRun`` row every second.

``WXR_IMPORT_IN_BACKGROUND=0`` runs them in the request instead (the tests: a test's
transaction never commits). A run cut off by a restart of its process stays "running"; starting
it again is safe, as every import is (items are keyed by their WordPress id). Exports too large
for an upload (MAX_WXR_UPLOAD_MB) and imports with uploads go through ``manage.py import_wxr``.
"""

import logging
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from wordpress import types
from wordpress.importer import Importer, parse_translations
from wordpress.models import ImportRun
from wordpress.wxr import WxrError

logger = logging.getLogger(__name__)
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wxr-import")
_running = []


def start_after_commit(run):
    def start():
        if settings.WXR_IMPORT_IN_BACKGROUND:
            _running.append(_executor.submit(_in_thread, run.pk))
        else:
            execute(run.pk)

    transaction.on_commit(start, robust=True)


def wait():
    """Until every started run has ended (commands and tests)."""
    while _running:
        _running.pop(0).result()


def _in_thread(pk):
    close_old_connections()
    try:
        execute(pk)
    finally:
        connections.close_all()


def text_of(stored):
    with stored.open("rb") as handle:
        return handle.read().decode("utf-8-sig")


def execute(pk):
    run = ImportRun.objects.get(pk=pk)
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
    importer = Importer(run.edition, None, run.old_host, run.old_prefix, progress, links, mapping)
    try:
        report = importer.run(run.export, dry_run=run.dry_run)
    except WxrError as error:
        state, text = ImportRun.State.FAILED, str(error)
    except Exception:  # the run's row must say it ended; the traceback goes to the log
        logger.exception("WordPress import %s failed", pk)
        state, text = ImportRun.State.FAILED, "failed: see the server's log"
    else:
        state, text = ImportRun.State.DONE, "\n".join(report.lines())
    ImportRun.objects.filter(pk=pk).update(
        state=state,
        report=text,
        items=importer.report.csv_text() if importer.report.rows else "",
        finished_at=timezone.now(),
    )
