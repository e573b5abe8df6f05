from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from nejat.editions import current_edition, is_rtl


def site(request):
    """The edition and site-wide settings every template needs; no database query."""
    code = current_edition()
    return {
        "edition": code,
        "direction": "rtl" if is_rtl(code) else "ltr",
        # The default name is in the catalogues; a SITE_NAME from the environment is shown as is.
        "site_name": _(settings.SITE_NAME),
        "copyright_first_year": settings.COPYRIGHT_FIRST_YEAR,
        "social_links": settings.SOCIAL_LINKS,
    }


DEFAULT_SITE_NAME = gettext_noop("NEJAT Society")
