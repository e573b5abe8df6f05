"""Reading PDFs with PDFium (pypdfium2): the checks of uploaded PDFs and first-page covers.

PDFium is not thread-safe, not even across different documents, so every call into it holds one
process-wide lock; a threaded server then renders one PDF at a time.
"""

import io
import threading
from contextlib import contextmanager

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from django.core.files.base import ContentFile

_pdfium = threading.Lock()


class PdfProblem(Exception):
    """Why PDFium refused a file: ``encrypted``, ``corrupt`` or ``empty``."""

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


@contextmanager
def open_pdf(source):
    with _pdfium:
        try:
            document = pdfium.PdfDocument(source)
        except pdfium.PdfiumError as error:
            needs_password = error.err_code in {
                pdfium_c.FPDF_ERR_PASSWORD,
                pdfium_c.FPDF_ERR_SECURITY,
            }
            raise PdfProblem("encrypted" if needs_password else "corrupt") from error
        try:
            yield document
        finally:
            document.close()


def check_pdf(source):
    """Raise ``PdfProblem`` unless PDFium opens the file unencrypted and reads its first page."""
    with open_pdf(source) as document:
        # -1: no security handler. Anything else is encrypted, even with an empty password.
        if pdfium_c.FPDF_GetSecurityHandlerRevision(document) != -1:
            raise PdfProblem("encrypted")
        if len(document) == 0:
            raise PdfProblem("empty")
        try:
            document[0].close()
        except pdfium.PdfiumError as error:
            raise PdfProblem("corrupt") from error


def first_page_cover(source, name, width=800):
    """The first page as a JPEG ``width`` pixels wide (at most twice as tall), for a cover."""
    with open_pdf(source) as document:
        page = document[0]
        try:
            page_width, page_height = page.get_size()
            scale = min(width / page_width, 2 * width / page_height)
            image = page.render(scale=scale, may_draw_forms=True).to_pil().convert("RGB")
        finally:
            page.close()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue(), name=name)
