from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NejatConfig(AppConfig):
    """The site shell: editions, publishing rules, home page, demo content and staff groups."""

    name = "nejat"
    verbose_name = _("Tags")  # the only model of the shell the admin lists

    def ready(self):
        from nejat import cache, solar_dates, uploads

        cache.connect_signals()
        uploads.connect_signals()
        solar_dates.use_solar_named_formats()
