"""Subscribers for editors: search, filters by edition, list and state, an export and an
import (CSV), and why an address is suppressed."""

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from nejat.editions import current_edition, edition_codes
from subscriptions import importing
from subscriptions.models import Kind, Subscriber, Subscription, Suppression


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    fields = ("kind", "edition", "requested_at", "confirmed_at", "left_at")


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("active", _("receives mail")),
            ("pending", _("waiting for confirmation")),
            ("left", _("left every list")),
            ("suppressed", _("suppressed")),
        ]

    def queryset(self, request, queryset):
        suppressed = Exists(Suppression.objects.filter(email=OuterRef("email")))
        active = Exists(Subscription.objects.active().filter(subscriber=OuterRef("pk")))
        pending = Exists(Subscription.objects.pending().filter(subscriber=OuterRef("pk")))
        match self.value():
            case "active":
                return queryset.filter(active)
            case "pending":
                return queryset.filter(pending).exclude(suppressed)
            case "left":
                return queryset.exclude(active).exclude(pending)
            case "suppressed":
                return queryset.filter(suppressed)
        return queryset


class ListFilter(admin.SimpleListFilter):
    title = _("list")
    parameter_name = "list"

    def lookups(self, request, model_admin):
        return [(f"{kind}:{code}", f"{label} ({code})") for code in edition_codes()
                for kind, label in Kind.choices]  # fmt: skip

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        kind, _sep, code = self.value().partition(":")
        lists = Subscription.objects.active().filter(kind=kind, edition=code)
        return queryset.filter(Exists(lists.filter(subscriber=OuterRef("pk"))))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: email, consent_at (when the reader agreed), and optionally edition, lists "
            "(newsletter|digest|brief) and consent_source. Rows without consent are not imported."
        ),
    )
    edition = forms.ChoiceField(label=_("Edition of rows that name none"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = [(code, code) for code in edition_codes()]
        self.fields["edition"].initial = current_edition()


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "edition", "lists", "confirmed_at", "created_at", "suppressed")
    list_filter = (StateFilter, ListFilter, "edition", "created_at")
    search_fields = ("email",)
    readonly_fields = ("created_at", "confirmation_sent_at", "consent", "suppressed")
    fields = ("email", "edition", "confirmed_at", *readonly_fields)
    inlines = [SubscriptionInline]
    actions = ["export_csv"]
    change_list_template = "admin/subscriptions/subscriber/change_list.html"

    def get_queryset(self, request):
        suppressed = Suppression.objects.filter(email=OuterRef("email")).values("reason")[:1]
        return (
            super()
            .get_queryset(request)
            .annotate(suppression=suppressed)
            .prefetch_related("subscriptions")
        )

    @admin.display(description=_("lists"))
    def lists(self, subscriber):
        return ", ".join(s.list_key for s in subscriber.subscriptions.all() if s.is_active)

    @admin.display(description=_("suppressed"))
    def suppressed(self, subscriber):
        reason = getattr(subscriber, "suppression", None)
        return Suppression.Reason(reason).label if reason else "–"

    @admin.action(description=_("Export the selected subscribers (CSV)"))
    def export_csv(self, request, queryset):
        answer = HttpResponse(content_type="text/csv; charset=utf-8")
        answer["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
        writer = csv.writer(answer)
        writer.writerow(["email", "edition", "lists", "confirmed_at", "created_at", "consent"])
        for subscriber in queryset:
            writer.writerow([
                subscriber.email, subscriber.edition, self.lists(subscriber).replace(", ", "|"),
                subscriber.confirmed_at and subscriber.confirmed_at.isoformat(),
                subscriber.created_at.isoformat(), subscriber.consent,
            ])  # fmt: skip
        return answer

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="subscriptions_subscriber_import"), *super().get_urls()]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            try:
                rows = importing.read_rows(form.cleaned_data["file"])
            except importing.BadFile as error:
                form.add_error("file", str(error))
            else:
                report = importing.import_rows(rows, form.cleaned_data["edition"])
                counts = {"n": report.imported, "a": report.already, "r": len(report.refused)}
                summary = _("%(n)d imported, %(a)d already subscribed, %(r)d not imported.")
                messages.success(request, summary % counts)
                if not report.refused:
                    return redirect("admin:subscriptions_subscriber_changelist")
        context = {**self.admin_site.each_context(request), "form": form, "report": report,
                   "title": _("Import subscribers"), "opts": self.model._meta}  # fmt: skip
        status = 400 if request.method == "POST" and not form.is_valid() else 200
        return TemplateResponse(request, "admin/subscriptions/import.html", context, status=status)


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ("email", "reason", "created_at")
    list_filter = ("reason",)
    search_fields = ("email", "detail")
