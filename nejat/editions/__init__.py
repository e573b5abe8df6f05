"""Editions: the four languages of the site. Which editions there are and which are right to
left, their names and separators, text normalised as each script writes it, slugs, digits
(``admin_digits``), the Solar Hijri calendar of the Persian edition (``solar_dates``) and
Django's date formats per language (``formats``).

Neighbours: the lowest room; every other one uses it, it uses none.
"""

import functools
import re

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


def separator(code):
    """What stands between the parts of a line ("Recent changes · Scheduled"): a middle dot in
    Latin script; a bar in Persian and Arabic, where a dot beside their digits reads as a
    zero (۰). The admin's scripts choose by the page's direction (writing-aids.js and
    link-dialog.js in static/js/admin/)."""
    return " | " if is_rtl(code) else " · "


# A list an editor types (tags) is split at the comma of any keyboard: "," and the Arabic "،" of a
# Persian or Arabic one, and its "؛" (where ";" sits).
LIST_SEPARATORS = re.compile("[,،؛]")


def list_separator(code):
    """What stands between the items of a list in edition ``code`` ("تهران، آب"): the Arabic
    comma in Persian and Arabic, where a Latin one is a foreign mark; a list shown back for
    editing (tags) reads as its editor typed it, and is split again at either."""
    return "، " if is_rtl(code) else ", "


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


@functools.cache
def normalization_table(code):
    """The one table of how text is matched in edition ``code`` (a ``str.translate`` table).

    It is the single source of ``normalize()`` here and of the SQL function
    ``nejat_normalize_<code>()`` that the search columns use (``nejat.publishing.search``), so
    Python and PostgreSQL cannot disagree: one spelling of each letter, ASCII digits, no short
    vowels.
    """
    table = {**ASCII_DIGITS, **ARABIC_MARKS}
    table.update({"fa": TO_PERSIAN_LETTERS, "ar": TO_ARABIC_LETTERS}.get(code, {}))
    return table


# In an address or a search, a zero-width non-joiner separates words as a space does
# (PostgreSQL's parser would keep "کتاب‌خانه" one word); in a tag's name it is kept as typed.
WORD_SEPARATORS = {ord(ZWNJ): " "}


@functools.cache
def search_table(code):
    """``normalization_table(code)`` plus the word separators: for slugs and full-text search.
    Both ``search_text()`` and the SQL function ``nejat_normalize_<code>()`` are built from it."""
    return {**normalization_table(code), **WORD_SEPARATORS}


def normalize(text, code):
    """Text as it is matched in edition ``code`` (tags). Never what is displayed."""
    return (text or "").translate(normalization_table(code))


def search_text(text, code):
    """Text as search and addresses match it: lower case, ``normalize()``d, words apart.
    (Lowered first, as the SQL function does, so a mapping never misses a capital.)"""
    return (text or "").lower().translate(search_table(code))


def local_digits(text, code):
    """Digits as the edition writes them: Persian digits in the Persian edition."""
    return str(text).translate(PERSIAN_DIGITS) if code == "fa" else str(text)


def edition_slugify(text, code):
    """A slug in the language's own script; a zero-width non-joiner separates like a space."""
    return slugify(search_text(text, code), allow_unicode=True)
