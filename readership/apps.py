from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadershipConfig(AppConfig):
    """What readers read, counted without cookies or addresses: the beacon, the tally between
    flushes, the daily counts, "Most read", related articles and the admin's charts
    (docs/operations/readership.md)."""

    name = "readership"
    verbose_name = _("Readership")
    default_auto_field = "django.db.models.BigAutoField"
