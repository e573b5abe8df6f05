"""An untrusted PDF cannot hang a worker: PDFium runs in a process of its own with limits
(nejat/media/pdf.py), and what it cannot draw in time is refused with a clear form error."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from nejat.media.pdf import first_page_cover
from nejat.media.validators import validate_pdf
from nejat.ops.demo_files import demo_pdf


def nested_xobject_pdf(levels=8, fan_out=10):
    """A 2 KB PDF whose first page draws a form XObject that draws ``fan_out`` copies of the
    next, ``levels`` deep: 10⁸ little squares, which PDFium would draw for hours."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
        b"/Resources << /XObject << /X0 5 0 R >> >> /Contents 4 0 R >>",
        None,  # the page's content, below
    ]
    page = b"/X0 Do"
    objects[3] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(page), page)
    for level in range(levels):
        number = 5 + level
        if level == levels - 1:
            content, resources = b"0 0 1 1 re f", b""
        else:
            names = b" ".join(b"/X%d %d 0 R" % (i, number + 1) for i in range(fan_out))
            content = b" ".join(b"/X%d Do" % i for i in range(fan_out))
            resources = b"/Resources << /XObject << %s >> >>" % names
        objects.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 200 200] %s /Length %d >>\n"
            b"stream\n%s\nendstream" % (resources, len(content), content)
        )
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_a_pdf_that_would_draw_for_ever_is_refused_within_seconds(settings):
    settings.PDF_SECONDS = 5
    bomb = nested_xobject_pdf()
    assert len(bomb) < 4096
    started = time.monotonic()
    with pytest.raises(ValidationError, match="could not be processed"):
        validate_pdf(SimpleUploadedFile("bomb.pdf", bomb, "application/pdf"))
    assert time.monotonic() - started < 10


def test_real_pdfs_are_checked_and_drawn_as_before():
    paper = demo_pdf("A real paper")
    validate_pdf(SimpleUploadedFile("paper.pdf", paper.read(), "application/pdf"))
    paper.seek(0)
    cover = first_page_cover(paper.read(), "paper-cover.jpg")
    assert cover.read(3) == b"\xff\xd8\xff"  # a JPEG


def test_two_pdfs_at_once_do_not_wait_for_each_other(settings):
    """No lock across processes: a slow PDF does not hold up another upload's check."""
    import threading

    settings.PDF_SECONDS = 4
    refused = []

    def check_the_bomb():
        try:
            validate_pdf(SimpleUploadedFile("bomb.pdf", nested_xobject_pdf(), "application/pdf"))
        except ValidationError as error:
            refused.append(error)

    slow = threading.Thread(target=check_the_bomb)
    slow.start()
    time.sleep(0.5)
    started = time.monotonic()
    validate_pdf(SimpleUploadedFile("paper.pdf", demo_pdf("Quick").read(), "application/pdf"))
    assert time.monotonic() - started < 3  # answered while the bomb still runs
    slow.join()
    assert refused


def pdf_with(catalog_extra=b"", page_extra=b"", extra_objects=()):
    """A one-page PDF with ``catalog_extra`` in its catalog, ``page_extra`` in its page and more
    objects from number 5 on."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
        + page_extra
        + b" >>",
        b"<< /Length 12 >>\nstream\n0 0 1 1 re f\nendstream",
        *extra_objects,
    ]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@pytest.mark.parametrize(
    "pdf",
    [
        pdf_with(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        pdf_with(b"/OpenAction 5 0 R", extra_objects=[b"<< /S /Launch /F (calc.exe) >>"]),
        pdf_with(b"/Names << /JavaScript 5 0 R >>", extra_objects=[b"<< /Names [] >>"]),
        pdf_with(b"/Names << /EmbeddedFiles << /Names [] >> >>"),
        pdf_with(page_extra=b"/AA << /O << /S /JavaScript /JS (x) >> >>"),
        pdf_with(page_extra=b"/Annots [5 0 R]", extra_objects=[
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /SubmitForm >> >>"
        ]),
        pdf_with(b"/AcroForm << /Fields [] /XFA 5 0 R >>", extra_objects=[b"<< >>"]),
    ],
    ids=["open js", "launch", "js names", "attachments", "page action", "submit", "xfa"],
)  # fmt: skip
def test_pdfs_that_can_act_are_refused(pdf):
    with pytest.raises(ValidationError, match="contains scripts"):
        validate_pdf(SimpleUploadedFile("active.pdf", pdf, "application/pdf"))


def test_a_pdf_with_ordinary_links_is_accepted():
    link = (
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
        b"/A << /S /URI /URI (https://example.org) >> >>"
    )
    plain = pdf_with(page_extra=b"/Annots [5 0 R]", extra_objects=[link])
    validate_pdf(SimpleUploadedFile("plain.pdf", plain, "application/pdf"))
