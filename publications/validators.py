"""ISBN checks: ISBN-10 and ISBN-13 with their check digits, typed with or without hyphens.

Small enough to keep here: the ISBN libraries on PyPI either look books up online or no longer
follow Django's releases.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from nejat.editions import ASCII_DIGITS


def normalize_isbn(value):
    """Digits only (and a final X), whatever the keyboard: "978-۶۰۰ 1" becomes "9786001"."""
    return re.sub(r"[\s\-‐‑–]", "", (value or "").translate(ASCII_DIGITS)).upper()


def isbn_is_valid(value):
    isbn = normalize_isbn(value)
    if re.fullmatch(r"\d{9}[\dX]", isbn):
        digits = [10 if char == "X" else int(char) for char in isbn]
        return sum((10 - i) * d for i, d in enumerate(digits)) % 11 == 0
    if re.fullmatch(r"97[89]\d{10}", isbn):
        return sum((3 if i % 2 else 1) * int(d) for i, d in enumerate(isbn)) % 10 == 0
    return False


def validate_isbn(value):
    if value and not isbn_is_valid(value):
        raise ValidationError(
            _("This is not a valid ISBN-10 or ISBN-13: check the digits and the check digit."),
            code="invalid_isbn",
        )
