from django.utils.translation import gettext_noop

from nejat.editions import current_edition, is_rtl
from nejat.pages.site import site_context


def site(request):
    """The edition and the site-wide settings every template needs (cached: no query)."""
    code = current_edition()
    return {
        "edition": code,
        "direction": "rtl" if is_rtl(code) else "ltr",
        **site_context(code),
    }


# The default SITE_NAME, so that the catalogues translate it for editions without their own name.
DEFAULT_SITE_NAME = gettext_noop("NEJAT Society")
DEFAULT_SITE_DESCRIPTION = gettext_noop(
    "News, reports and publications of the NEJAT Society in English, Arabic, Persian and Albanian."
)
