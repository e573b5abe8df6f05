from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AntispamConfig(AppConfig):
    """Spam defences shared by every form the public posts (contact messages, comments)."""

    name = "nejat.security.antispam"
    label = "antispam"
    verbose_name = _("Spam defences")
