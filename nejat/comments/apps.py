from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    """Readers' comments on any published item that allows them, and their moderation."""

    name = "nejat.comments"
    label = "comments"
    verbose_name = _("Comments")
