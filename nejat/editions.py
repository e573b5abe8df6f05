"""Editions are languages: "which editions are there, and is this one RTL?" is answered here."""

from django.conf import settings
from django.utils import translation
from django.utils.text import slugify
from modeltranslation.utils import build_localized_fieldname


def edition_codes():
    return [code for code, _name in settings.LANGUAGES]


def current_edition():
    """The active edition's code ("en", "ar", "fa", "sq"), never a regional variant."""
    code = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in edition_codes() else settings.LANGUAGE_CODE


def is_rtl(code):
    return code in settings.LANGUAGES_BIDI


def edition_name(code):
    """The edition's name as its own readers write it (the Editions menu shows these)."""
    return settings.EDITION_NAMES[code]


def localized_field(field, code):
    """``title`` in Persian is stored in ``title_fa``."""
    return build_localized_fieldname(field, code)


# --- Writing systems ------------------------------------------------------------------------------
# Persian and Arabic share a script but not every letter: the same word typed on an Arabic keyboard
# in a Persian text has ي/ك where Persian writes ی/ک. Digits come in three sets (0-9, ۰-۹, ٠-٩).
ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
TO_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
TO_ARABIC_LETTERS = str.maketrans({"ی": "ي", "ک": "ك"})
# Harakat (short-vowel marks), superscript alef and tatweel: optional in running text.
ARABIC_MARKS = dict.fromkeys([*range(0x064B, 0x0653), 0x0670, 0x0640])
ZWNJ = "\u200c"


def normalize(text, code):
    """Text as it is matched in edition ``code``: one spelling of each letter, ASCII digits.

    Used for slugs, tags and search, never for what is displayed.
    """
    text = (text or "").translate(ASCII_DIGITS).translate(ARABIC_MARKS)
    if code == "fa":
        text = text.translate(TO_PERSIAN_LETTERS)
    elif code == "ar":
        text = text.translate(TO_ARABIC_LETTERS)
    return text


def local_digits(text, code):
    """Digits as the edition writes them: Persian digits in the Persian edition."""
    return str(text).translate(PERSIAN_DIGITS) if code == "fa" else str(text)


def edition_slugify(text, code):
    """A slug in the language's own script; a zero-width non-joiner separates like a space."""
    return slugify(normalize(text, code).replace(ZWNJ, " "), allow_unicode=True)
