from django.conf import settings

from nejat.editions import current_edition, is_rtl


def site(request):
    """The edition and site-wide settings every template needs; no database query."""
    code = current_edition()
    return {
        "edition": code,
        "direction": "rtl" if is_rtl(code) else "ltr",
        "site_name": settings.SITE_NAME,
        "copyright_first_year": settings.COPYRIGHT_FIRST_YEAR,
        "social_links": settings.SOCIAL_LINKS,
    }
