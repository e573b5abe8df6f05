from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """About Us and other pages, Contact us messages, and the site's settings."""

    name = "nejat.pages"
    label = "pages"
    verbose_name = _("Pages and settings")
