"""Editions are languages: "which editions are there, and is this one RTL?" is answered here."""

from django.conf import settings
from django.utils import translation
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
