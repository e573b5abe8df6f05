from django.apps import AppConfig


class NejatConfig(AppConfig):
    """The site shell: editions, publishing rules, home page, demo content and staff groups."""

    name = "nejat"
    verbose_name = "NEJAT"

    def ready(self):
        from nejat import cache

        cache.connect_signals()
