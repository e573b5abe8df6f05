from django.apps import AppConfig


class NejatConfig(AppConfig):
    """The site shell: editions, publishing rules, home page, demo content and staff groups."""

    name = "nejat"
    verbose_name = "NEJAT"

    def ready(self):
        from nejat import cache, uploads

        cache.connect_signals()
        uploads.connect_signals()
