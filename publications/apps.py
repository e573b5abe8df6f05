from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    """Books, Nejat Newsletter issues and Pars Brief digests."""

    name = "publications"
    verbose_name = _("Publications")
    sitemap_sections = ("publications:books", "publications:newsletter", "publications:pars_brief")
