"""Upload checks by content, not by file name."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from nejat.media.pdf import PdfProblem, check_pdf, pdf_source


def is_new_upload(value):
    """True for a file the editor has just sent; False for one already in storage.

    Every upload validator asks this first. A stored file was checked when it was uploaded; on
    an edit the form puts it back on the instance unchanged, and reading it again would cost a
    download (on S3), fail on a closed handle, or raise when the file has gone missing.
    """
    return bool(value) and not getattr(value, "_committed", False)


def validate_pdf(upload):
    """Refuse anything but a complete, readable, unencrypted PDF within the size limit.

    Checked by content, not by name: the first bytes, the end-of-file marker a cut-off upload
    lacks, and PDFium opening the document and its first page. A file already in storage was
    checked when it was uploaded and is not read again.
    """
    if not is_new_upload(upload):
        return
    FileExtensionValidator(["pdf"])(upload)
    limit = settings.MAX_PDF_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("The PDF is larger than %(limit)s MB."), params={"limit": settings.MAX_PDF_UPLOAD_MB}
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(max(upload.size - 1024, 0))
    tail = upload.read(1024)
    upload.seek(position)
    if b"%PDF-" not in head:
        raise ValidationError(_("This file is not a PDF."), code="not_pdf")
    if b"%%EOF" not in tail:
        raise ValidationError(
            _("This PDF is incomplete: it may have been cut off. Please upload it again."),
            code="pdf_truncated",
        )
    try:
        check_pdf(pdf_source(upload))
    except PdfProblem as problem:
        raise ValidationError(PDF_PROBLEMS[problem.reason], code=f"pdf_{problem.reason}") from None


PDF_PROBLEMS = {
    "encrypted": _(
        "This PDF is encrypted or protected by a password. Please upload a copy without "
        "protection, so that every reader can open it."
    ),
    "corrupt": _("This PDF is damaged and cannot be read. Please export it again."),
    "empty": _("This PDF has no pages."),
    "active": _(
        "This PDF contains scripts, actions that start programs, attached files or interactive "
        "forms. Please export it again as a plain PDF (for example, printed to a new PDF)."
    ),
    "too_complex": _(
        "This PDF could not be processed: drawing its first page took too long or needed too "
        "much memory. Please export it again (for example, printed to a new PDF)."
    ),
}
