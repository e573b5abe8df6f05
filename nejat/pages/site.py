"""The site-wide context every page shows (name, social links, About Us and footer pages).

Kept per edition with the tags of what it read (``nejat.publishing.cache_tags``), so that no page
pays a query for it and any change of the settings or of a page shows at once, on every page
that shows it.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from nejat.delivery.lifetime import cache_lifetime
from nejat.editions import localized_field
from nejat.pages.models import Page, SiteSettings
from nejat.publishing.cache_tags import remembered

CACHE_KEY = "nejat:site:v3:{code}"


def site_context(code):
    key = CACHE_KEY.format(code=code)
    return remembered(key, lambda: _build(code), cache_lifetime(settings.SITE_CACHE_SECONDS))


def _build(code):
    row = SiteSettings.load()
    pages = Page.objects.public(code).exclude(placement=Page.Placement.NONE)
    with translation.override(code):
        linked = [(page.placement, page.title, page.get_absolute_url()) for page in pages]
        return {
            # An edition without its own name shows the default name in its language.
            "site_name": getattr(row, localized_field("site_name", code))
            or gettext(settings.SITE_NAME),
            "site_description": getattr(row, localized_field("description", code))
            or gettext(settings.SITE_DESCRIPTION),
            "copyright_first_year": row.copyright_first_year,
            "social_links": row.social_links(),
            "about_url": next(
                (url for kind, _t, url in linked if kind == Page.Placement.ABOUT), ""
            ),
            "footer_pages": [
                (title, url) for kind, title, url in linked if kind == Page.Placement.FOOTER
            ],
        }
