from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from nejat.editorial.publishable_admin import PublishableAdminMixin
from nejat.pages.models import ContactMessage, Page, SiteSettings
from nejat.publishing.revisions import RevisionAdmin


@admin.register(Page)
class PageAdmin(PublishableAdminMixin, TabbedTranslationAdmin):
    list_display = ("__str__", "state", "placement", "position", "edition_badges", "page_link")
    list_filter = (*PublishableAdminMixin.list_filter, "placement")
    fieldsets = (
        (None, {"fields": ("title", "slug", "lead", "body")}),
        (_("Image"), {"fields": ("image", "image_alt")}),
        (_("Links to this page"), {"fields": ("placement", "position")}),
        PublishableAdminMixin.publishing_fieldset,
    )


@admin.register(SiteSettings)
class SiteSettingsAdmin(RevisionAdmin, TabbedTranslationAdmin):
    """One row: the list goes straight to it; it cannot be added twice or deleted."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("site_name", "description", "copyright_first_year", "contact_email")}),
        (
            _("Social links"),
            {"fields": ("facebook", "twitter", "instagram", "youtube", "telegram")},
        ),
    )

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return redirect(reverse("admin:pages_sitesettings_change", args=[SiteSettings.load().pk]))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    """Staff read, search and mark messages; nobody edits what a reader wrote."""

    list_display = ("subject", "name", "email", "language", "status", "created_at", "emailed_at")
    list_filter = ("status", "language", "created_at")
    search_fields = ("subject", "message", "name", "email")
    date_hierarchy = "created_at"
    actions = ["mark_handled", "mark_new", "mark_spam"]
    fields = (
        ("name", "email"),
        "subject",
        "message",
        ("language", "created_at", "emailed_at"),
        ("status", "handled_at"),
        "spam_reason",
        ("ip_address", "user_agent"),
    )
    readonly_fields = (
        "name",
        "email",
        "subject",
        "message",
        "language",
        "created_at",
        "emailed_at",
        "handled_at",
        "spam_reason",
        "ip_address",
        "user_agent",
    )

    def has_add_permission(self, request):
        return False

    def _mark(self, request, queryset, status, message):
        handled_at = timezone.now() if status == ContactMessage.Status.HANDLED else None
        count = queryset.update(status=status, handled_at=handled_at)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Mark as handled"), permissions=["change"])
    def mark_handled(self, request, queryset):
        self._mark(request, queryset, ContactMessage.Status.HANDLED, _("%(count)d marked handled."))

    @admin.action(description=_("Mark as new"), permissions=["change"])
    def mark_new(self, request, queryset):
        self._mark(request, queryset, ContactMessage.Status.NEW, _("%(count)d marked new."))

    @admin.action(description=_("Mark as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self._mark(request, queryset, ContactMessage.Status.SPAM, _("%(count)d marked spam."))
