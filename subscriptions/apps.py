from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    """Readers' e-mail subscriptions to each edition's newsletter, digest and Pars Brief, and
    the mailings sent to them (docs/operations/subscriptions.md)."""

    name = "subscriptions"
    verbose_name = _("Subscriptions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from subscriptions import bounces, offering

        offering.connect_signals()
        bounces.connect_signals()
