"""Strings of the admin's libraries that ship no Persian, Arabic or Albanian catalogue.

django-reversion-compare (the History's compare view) has none: its strings are named here, so
that `make messages` keeps them in our catalogues, where Django finds them first (LOCALE_PATHS).
Copied exactly, whitespace included, from its templates and code (version 0.19)."""

from django.utils.translation import gettext_noop

REVERSION_COMPARE = [
    gettext_noop("Compare %(name)s"),
    gettext_noop("Field didn't exist!"),
    gettext_noop("compare"),
    gettext_noop(
        "\n                Compare <strong>%(date1)s</strong> with <strong>%(date2)s</strong>:\n            "  # noqa: E501 - exactly as the library writes it
    ),
    gettext_noop("Go back to history list"),
    gettext_noop("Revert to this version"),
    gettext_noop("changed to:"),
    gettext_noop("time since that date:"),
    gettext_noop("add:"),
    gettext_noop("remove:"),
    gettext_noop("previous"),
    gettext_noop("next"),
    gettext_noop("There are no differences."),
    gettext_noop("Edit comment:"),
    gettext_noop("(no comment exists)"),
    gettext_noop("Note:"),
    gettext_noop(
        '\n        Fields/entries marked with <sup class="follow">*</sup> are not under reversion control.\n        It may be that not all marked information are correct.\n    '  # noqa: E501 - exactly as the library writes it
    ),
    gettext_noop(
        "\n    This is the fallback compare, because the normal compare can't be applied\n    between the two selected version:\n    "  # noqa: E501 - exactly as the library writes it
    ),
    gettext_noop("Revert to the old version will probably not work!"),
    gettext_noop("More info:"),
]
