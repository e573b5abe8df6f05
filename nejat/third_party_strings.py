"""Strings of the admin's libraries that ship no Persian, Arabic or Albanian catalogue (or an
incomplete one).

django-reversion-compare (the History's compare view) has none: its strings are named here, so
that `make messages` keeps them in our catalogues, where Django finds them first (LOCALE_PATHS).
Copied exactly, whitespace included, from its templates and code (version 0.19).

django-two-factor-auth and django-otp: the form labels and errors of two-step sign-in (our own
templates say the rest). Neither has Albanian, and their "token" reads oddly in Persian."""

from django.utils.translation import gettext_noop, ngettext_lazy

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

TWO_FACTOR = [
    gettext_noop("Token"),
    gettext_noop("Entered token is not valid."),
    gettext_noop("Yes, I am sure"),
    gettext_noop("Your session has timed out. Please login again."),
    gettext_noop("Please enter your OTP token."),
    gettext_noop("Invalid token. Please make sure you have entered it correctly."),
    gettext_noop("Verification of the token is currently disabled"),
    gettext_noop("Token generator"),
    ngettext_lazy(
        "Verification temporarily disabled because of %(failure_count)d failed attempt, please try again soon.",  # noqa: E501 - exactly as the library writes it
        "Verification temporarily disabled because of %(failure_count)d failed attempts, please try again soon.",  # noqa: E501 - exactly as the library writes it
        "failure_count",
    ),
]

# Django's admin leaves these untranslated in Persian (its catalogue has them empty).
DJANGO_ADMIN = [
    ngettext_lazy("Please correct the error below.", "Please correct the errors below.", "count"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Select this object for an action - {}"),
]
