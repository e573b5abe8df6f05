"""/sitemap.xml: an index of one sitemap per content type, every published item in every edition
it exists in, with lastmod and xhtml:link alternates between its translations.

``lastmod`` is a full timestamp with its offset in the site's zone (``templates/sitemap.xml``),
so a search engine never reads a date that is a day off from the one readers see.
"""

from django.apps import apps
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from nejat.editions import edition_codes
from nejat.publishing import Publishable


class EditionSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = 5000


class PublishedSitemap(EditionSitemap):
    """Published items of one content type, each in the editions that have its text."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def items(self):
        return self.model.objects.published().order_by("pk")

    def get_languages_for_item(self, item):
        return item.editions()

    def location(self, item):
        return item.get_absolute_url()

    def lastmod(self, item):
        return item.updated_at.replace(microsecond=0)

    def get_latest_lastmod(self):
        """For the index: one aggregate, not every item loaded (Django's default)."""
        latest = self.items().aggregate(latest=Max("updated_at"))["latest"]
        return latest and latest.replace(microsecond=0)


class SectionSitemap(EditionSitemap):
    """The home page and the list pages each app names (``sitemap_sections`` on its AppConfig),
    in every edition."""

    changefreq = "daily"

    def items(self):
        sections = ["home"]
        for app_config in apps.get_app_configs():
            sections += getattr(app_config, "sitemap_sections", ())
        return sections

    def get_languages_for_item(self, item):
        return edition_codes()

    def location(self, item):
        return reverse(item)


def sitemaps():
    """One sitemap for the sections, and one for each type of item with pages of its own."""
    maps = {"sections": SectionSitemap()}
    for model in sorted(apps.get_models(), key=lambda model: model._meta.label):
        if issubclass(model, Publishable) and model.detail_url_name:
            maps[model._meta.model_name] = PublishedSitemap(model)
    return maps
