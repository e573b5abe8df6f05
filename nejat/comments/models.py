import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from nejat.security.antispam.models import Submission

# Bidirectional controls can make a name or a comment rewrite the text around it.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def strip_bidi_controls(text):
    return BIDI_CONTROLS.sub("", text or "")


class Commentable(models.Model):
    """For content types that take comments: the switch, and the count lists show without a query.

    ``comment_count`` counts approved comments; ``nejat.comments.moderation`` keeps it.
    """

    allow_comments = models.BooleanField(_("allow comments"), default=True)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    # Written alone when a comment is approved or removed: pages that show the item without its
    # count (Recent Posts) keep it (``nejat.publishing.cache_tags.count_tag``).
    counted_fields = ("comment_count",)

    class Meta:
        abstract = True


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def for_item(self, item):
        return self.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)


class Comment(Submission):
    # Kept from an imported WordPress comment (its author's site); never shown as a link.
    website = models.URLField(_("website"), max_length=300, blank=True)

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        REMOVED = "removed", _("Removed")

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of item"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email"), help_text=_("Never shown to readers."))
    text = models.TextField(_("comment"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("posted"), auto_now_add=True, db_index=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    staff_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by staff"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A reply written in the admin: readers see it marked as the site's."),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "status"], name="comment_item_idx")
        ]

    def __str__(self):
        return f"{self.name}: {self.text[:60]}"
