from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NejatConfig(AppConfig):
    """The core: the rooms every content app builds on (editions, publishing, media, delivery,
    editorial, security, ops; see the README's map), its tags and its staff groups."""

    name = "nejat"
    verbose_name = _("Tags")  # the only model of the shell the admin lists

    def ready(self):
        from nejat.delivery import jobs as delivery_jobs
        from nejat.editions import solar_dates
        from nejat.media import uploads
        from nejat.publishing import cache_tags, public_changes

        public_changes.connect_signals()
        cache_tags.tags_changed.connect(delivery_jobs.purge_with_change)
        uploads.connect_signals()
        solar_dates.use_solar_named_formats()
