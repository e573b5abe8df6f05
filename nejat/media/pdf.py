"""Reading PDFs (PDFium, through pypdfium2): the checks of uploaded PDFs and first-page covers.

An uploaded PDF is untrusted: a crafted one (form XObjects nested eight deep, ten at each
level) makes PDFium draw its first page for ever. So the work runs in a process of its own
(``nejat.media.pdf_worker``) with a CPU-time and a memory limit and a wall-clock timeout
(``PDF_SECONDS``, ``PDF_MEMORY_MB``); when it runs out the upload is refused with a clear form
error, within seconds, and no web worker is ever blocked. A check also draws a small first page,
so what would hang the cover is refused before it is saved. Separate processes need no lock:
PDFium, not thread-safe, never runs in the web server's threads.
"""

import os
import subprocess
import sys

from django.conf import settings
from django.core.files.base import ContentFile

PROBLEM_EXIT = 3  # as nejat.media.pdf_worker says
KNOWN_PROBLEMS = {"encrypted", "corrupt", "empty", "active"}


class PdfProblem(Exception):
    """Why a file was refused: ``encrypted``, ``corrupt``, ``empty`` or ``too_complex``."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def pdf_source(file):
    """What PDFium reads: a large upload's temporary path, else the bytes (position kept at 0).

    ``file`` is an upload, or a model's ``FieldFile`` holding a new upload or a stored file.
    """
    if getattr(file, "_committed", False):  # already in storage: read it from there
        with file.open("rb") as stored:
            return stored.read()
    raw = getattr(file, "file", file)
    if hasattr(raw, "temporary_file_path"):
        return raw.temporary_file_path()
    raw.seek(0)
    data = raw.read()
    raw.seek(0)
    return data


def in_worker(command, source, *arguments):
    """Run ``nejat.media.pdf_worker`` on ``source`` (a path or bytes); its standard output."""
    path = [source] if isinstance(source, str) else []
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "NEJAT_PDF_CPU_SECONDS": str(settings.PDF_SECONDS),
        "NEJAT_PDF_MEMORY_MB": str(settings.PDF_MEMORY_MB),
    }
    try:
        done = subprocess.run(  # noqa: S603 - our own module, arguments we made
            [sys.executable, "-m", "nejat.media.pdf_worker", command, *arguments, *path],
            input=None if path else source,
            capture_output=True,
            timeout=settings.PDF_SECONDS,
            cwd=settings.BASE_DIR,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PdfProblem("too_complex") from None
    if done.returncode == PROBLEM_EXIT:
        said = done.stderr.decode(errors="replace").strip().splitlines()
        raise PdfProblem(said[-1] if said and said[-1] in KNOWN_PROBLEMS else "corrupt")
    if done.returncode != 0:  # killed by its CPU limit, or out of memory
        raise PdfProblem("too_complex")
    return done.stdout


def check_pdf(source):
    """Raise ``PdfProblem`` unless the file opens unencrypted and its first page draws."""
    in_worker("check", source)


def first_page_cover(source, name, width=800):
    """The first page as a JPEG ``width`` pixels wide (at most twice as tall), for a cover."""
    return ContentFile(in_worker("cover", source, str(width)), name=name)
