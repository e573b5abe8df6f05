"""Strings of the admin's libraries that ship no Persian, Arabic or Albanian catalogue (or an
incomplete one).

django-two-factor-auth and django-otp: the form labels and errors of two-step sign-in (our own
templates say the rest). Neither has Albanian, and their "token" reads oddly in Persian."""

from django.utils.translation import gettext_noop, ngettext_lazy

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
