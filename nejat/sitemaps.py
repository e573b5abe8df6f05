"""/sitemap.xml: an index of one sitemap per content type, every published item in every edition
it exists in, with lastmod and xhtml:link alternates between its translations.

``lastmod`` is a full timestamp with its offset in the site's zone (``templates/sitemap.xml``),
so a search engine never reads a date that is a day off from the one readers see.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from nejat.editions import edition_codes
from nejat.search import searchable_models


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
    """The home page and the list pages, in every edition."""

    changefreq = "daily"
    sections = [
        "home",
        "articles:list",
        "media_gallery:photos",
        "media_gallery:videos",
        "media_gallery:cartoons",
        "media_gallery:newspics",
        "publications:books",
        "publications:newsletter",
        "publications:pars_brief",
    ]

    def items(self):
        return self.sections

    def get_languages_for_item(self, item):
        return edition_codes()

    def location(self, item):
        return reverse(item)


def sitemaps():
    maps = {"sections": SectionSitemap()}
    for model in searchable_models():
        maps[model._meta.model_name] = PublishedSitemap(model)
    return maps
