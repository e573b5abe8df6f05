from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from nejat.comments.models import Comment
from nejat.comments.moderation import moderate


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: pending comments first; approve, spam, remove or restore them.

    Moderators change only the status; nobody edits what a reader wrote or adds comments here.
    """

    list_display = ("excerpt", "item_link", "name", "email", "ip_address", "created_at", "status")
    list_filter = ("status", "language", "content_type", "created_at")
    search_fields = ("text", "name", "email", "ip_address")
    list_select_related = ("content_type",)
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = ["approve", "mark_spam", "remove", "restore"]
    fields = (
        "item_link",
        ("name", "email"),
        "text",
        ("language", "created_at"),
        "status",
        "spam_reason",
        ("ip_address", "user_agent"),
        ("moderated_at", "moderated_by"),
    )
    readonly_fields = (
        "item_link",
        "name",
        "email",
        "text",
        "language",
        "created_at",
        "spam_reason",
        "ip_address",
        "user_agent",
        "moderated_at",
        "moderated_by",
    )

    ordering = [
        Case(
            When(status=Comment.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ).asc(),
        "-created_at",
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return Truncator(comment.text).chars(90)

    @admin.display(description=_("on"))
    def item_link(self, comment):
        item = comment.item
        if item is None:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            item.get_absolute_url(),
            Truncator(str(item)).chars(50),
        )

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            moderate(Comment.objects.filter(pk=obj.pk), obj.status, request.user)
        else:
            super().save_model(request, obj, form, change)

    def _moderate(self, request, queryset, status):
        count = moderate(queryset, status, request.user)
        self.message_user(
            request,
            ngettext("%(count)d comment: %(status)s.", "%(count)d comments: %(status)s.", count)
            % {"count": count, "status": Comment.Status(status).label},
            messages.SUCCESS,
        )

    @admin.action(description=_("Approve"), permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.APPROVED)

    @admin.action(description=_("Mark as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.SPAM)

    @admin.action(description=_("Remove"), permissions=["change"])
    def remove(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.REMOVED)

    @admin.action(description=_("Restore (back to pending)"), permissions=["change"])
    def restore(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.PENDING)
