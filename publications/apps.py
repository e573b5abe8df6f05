from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    """Books, Nejat Newsletter issues and Pars Brief digests (their models arrive with issue 4)."""

    name = "publications"
    verbose_name = _("Publications")
