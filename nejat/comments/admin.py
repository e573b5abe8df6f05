from django import forms
from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from nejat.comments.models import Comment
from nejat.comments.moderation import moderate, moderator_addresses, pending_count, reply_as_staff
from nejat.editions.solar_dates import SolarDatesAdmin


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on the comments waiting for moderation; "All" is a choice of its own."""

    title = _("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Comment.Status.choices, (self.ALL, _("All"))]

    def value(self):
        return super().value() or Comment.Status.PENDING

    def queryset(self, request, queryset):
        value = self.value()
        return queryset if value == self.ALL else queryset.filter(status=value)

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class ModerationForm(forms.ModelForm):
    reply = forms.CharField(
        label=_("Reply as the site"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_(
            "Published at once under the comment, marked as the site's and signed with your name; "
            "the comment is approved with it."
        ),
    )

    class Meta:
        model = Comment
        fields = ["status"]


# One click per row: the status each button gives, and its label.
ROW_ACTIONS = [
    (Comment.Status.APPROVED, _("Approve")),
    (Comment.Status.SPAM, _("Spam")),
    (Comment.Status.REMOVED, _("Remove")),
]


@admin.register(Comment)
class CommentAdmin(SolarDatesAdmin, admin.ModelAdmin):
    """The moderation queue: it opens on the pending comments; approve, spam, remove or restore
    them, a row with one click or many with an action.

    Moderators change only the status; nobody edits what a reader wrote or adds comments here.
    """

    list_display = (
        "excerpt", "item_link", "name", "email", "ip_address", "created_at", "status", "one_click",
    )  # fmt: skip
    list_filter = (
        StatusFilter,
        "language",
        ("content_type", admin.RelatedOnlyFieldListFilter),  # the kinds that have comments
        "created_at",
    )
    search_fields = ("text", "name", "email", "ip_address")
    list_select_related = ("content_type",)
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = ["approve", "mark_spam", "remove", "restore"]
    form = ModerationForm
    fields = (
        "item_link",
        ("name", "email"),
        "text",
        ("language", "created_at"),
        "status",
        "reply",
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
        if form.cleaned_data.get("reply", "").strip():
            reply_as_staff(obj, request.user, form.cleaned_data["reply"].strip())
            self.message_user(request, _("Your reply is published under the comment."))

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

    @admin.display(description=_("moderate"))
    def one_click(self, comment):
        """Buttons posting the change-list form (and its CSRF token) to ``moderate_one``."""
        return format_html_join(
            " ",
            '<button type="submit" class="button" formaction="{}">{}</button>',
            (
                (reverse("admin:comments_comment_moderate", args=[comment.pk, status]), label)
                for status, label in ROW_ACTIONS
                if comment.status != status
            ),
        )

    def get_urls(self):
        moderate_one = self.admin_site.admin_view(self.moderate_one)
        return [
            path("<int:pk>/moderate/<str:status>/", moderate_one, name="comments_comment_moderate"),
            *super().get_urls(),
        ]

    def moderate_one(self, request, pk, status):
        allowed = request.method == "POST" and self.has_change_permission(request)
        if not allowed or status not in dict(ROW_ACTIONS):
            return redirect("admin:comments_comment_changelist")
        comment = get_object_or_404(Comment, pk=pk)
        self._moderate(request, Comment.objects.filter(pk=comment.pk), status)
        back = request.headers.get("Referer", "")
        if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            return redirect(back)  # the queue as it was: its filters and page
        return redirect("admin:comments_comment_changelist")

    def changelist_view(self, request, extra_context=None):
        if not moderator_addresses():
            self.message_user(
                request,
                _(
                    "Nobody is told of new comments: no active moderator has an e-mail address "
                    "and COMMENTS_NOTIFY_EMAILS is empty."
                ),
                messages.WARNING,
            )
        elif not request.user.email and request.user.groups.filter(name="Moderators").exists():
            self.message_user(
                request,
                _(
                    "Your account has no e-mail address, so you are not told of new comments. "
                    "Ask an administrator to add one."
                ),
                messages.INFO,
            )
        return super().changelist_view(request, extra_context)

    def menu_badge(self, request):
        """(count, label) beside "Comments" in the admin's menu, for those who moderate."""
        if not self.has_change_permission(request):
            return None
        count = pending_count(request)
        label = ngettext(
            "%(count)d comment waiting for moderation",
            "%(count)d comments waiting for moderation",
            count,
        ) % {"count": count}
        return count, label
