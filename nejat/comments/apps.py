from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    """Readers' comments on any published item that allows them, and their moderation."""

    name = "nejat.comments"
    label = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from nejat.comments.moderation import comment_saved_or_deleted, item_deleted

        post_save.connect(comment_saved_or_deleted, sender="comments.Comment")
        post_delete.connect(comment_saved_or_deleted, sender="comments.Comment")
        post_delete.connect(item_deleted, dispatch_uid="comments.item_deleted")
