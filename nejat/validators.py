"""Upload checks by content, not by file name."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _


def validate_pdf(upload):
    """Refuse anything that is not a PDF by its first bytes, or that is over the size limit."""
    FileExtensionValidator(["pdf"])(upload)
    limit = settings.MAX_PDF_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("The PDF is larger than %(limit)s MB."), params={"limit": settings.MAX_PDF_UPLOAD_MB}
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(position)
    if b"%PDF-" not in head:
        raise ValidationError(_("This file is not a PDF."))


def validate_image_size(upload):
    limit = settings.MAX_IMAGE_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("The image is larger than %(limit)s MB."),
            params={"limit": settings.MAX_IMAGE_UPLOAD_MB},
        )
