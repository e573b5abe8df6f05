"""The PDF work, in a process of its own (``nejat.media.pdf`` starts it): an untrusted PDF may hang
PDFium or fill memory, so this process has limits on CPU time and memory, and its parent a
wall-clock timeout; nothing here can block a web worker or hold a lock for everyone.

    python -m nejat.media.pdf_worker check  [PATH]          exit 0, or 3 with the problem on stderr
    python -m nejat.media.pdf_worker cover WIDTH [PATH]     the first page as JPEG on stdout

The PDF is read from PATH, else from stdin. No Django here: only PDFium, pypdf and Pillow.

A PDF that can act, not only be read, is refused (``active``): JavaScript, actions that launch
programs, submit forms or import data, embedded files, XFA forms and rich media, wherever they
sit (every object is looked at, those packed in object streams too). Served from our own
origin, such a file would run in the reader's PDF viewer.
"""

import io
import logging
import os
import resource
import sys
from pathlib import Path

PROBLEM_EXIT = 3


def limit_resources():
    cpu = int(os.environ.get("NEJAT_PDF_CPU_SECONDS", "10"))
    memory = int(os.environ.get("NEJAT_PDF_MEMORY_MB", "1024")) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


class Problem(Exception):
    pass


ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute",
                  "/GoToE", "/Rendition"}  # fmt: skip
ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFile", "/EmbeddedFiles", "/XFA", "/RichMedia"}


def refuse_active_content(source):
    """Raise ``Problem("active")`` if any object of the PDF is a script, an active action or
    an embedded file (module docstring)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    def active(value, depth=0):
        if depth > 32:  # direct objects nest this deep only in crafted files
            return True
        if isinstance(value, DictionaryObject):
            if ACTIVE_KEYS.intersection(value) or value.get("/S") in ACTIVE_ACTIONS:
                return True
            if value.get("/Subtype") in {"/FileAttachment", "/RichMedia", "/Movie", "/Sound"}:
                return True
            return any(active(item, depth + 1) for item in value.values())
        if isinstance(value, ArrayObject):
            return any(active(item, depth + 1) for item in value)
        return False

    try:
        reader = PdfReader(source if isinstance(source, str) else io.BytesIO(source))
        numbers = {(number, 0) for number in reader.xref_objStm}  # packed in object streams
        for generation, entries in reader.xref.items():
            numbers.update((number, generation) for number in entries)
        for number, generation in sorted(numbers):
            if active(reader.get_object(IndirectObject(number, generation, reader))):
                raise Problem("active")
    except PyPdfError:
        # A damaged table of objects PDFium repairs but pypdf does not read: look at the raw
        # bytes, unless objects hide in compressed object streams, where they cannot be seen.
        raw = source if isinstance(source, bytes) else Path(source).read_bytes()
        if b"/ObjStm" in raw:
            raise Problem("corrupt") from None
        if any(name.encode() in raw for name in ACTIVE_KEYS | ACTIVE_ACTIONS):
            raise Problem("active") from None


def open_document(source):
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        document = pdfium.PdfDocument(source)
    except pdfium.PdfiumError as error:
        needs_password = error.err_code in {pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY}
        raise Problem("encrypted" if needs_password else "corrupt") from error
    # -1: no security handler. Anything else is encrypted, even with an empty password.
    if pdfium_c.FPDF_GetSecurityHandlerRevision(document) != -1:
        raise Problem("encrypted")
    if len(document) == 0:
        raise Problem("empty")
    return document


def first_page(document, width):
    """The first page drawn ``width`` pixels wide (at most twice as tall), as RGB."""
    import pypdfium2 as pdfium

    try:
        page = document[0]
    except pdfium.PdfiumError as error:
        raise Problem("corrupt") from error
    page_width, page_height = page.get_size()
    scale = min(width / page_width, 2 * width / page_height)
    return page.render(scale=scale, may_draw_forms=True).to_pil().convert("RGB")


def main(arguments):
    limit_resources()
    logging.disable(logging.WARNING)  # pypdf's notes on repaired files: not a problem's name
    command, rest = arguments[0], arguments[1:]
    width = int(rest.pop(0)) if command == "cover" else 120  # a check draws a thumbnail
    source = rest[0] if rest else sys.stdin.buffer.read()
    try:
        image = first_page(open_document(source), width)
        if command == "check":
            refuse_active_content(source)
    except Problem as problem:
        sys.stderr.write(str(problem))
        return PROBLEM_EXIT
    if command == "cover":
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
        sys.stdout.buffer.write(buffer.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
