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
from django.utils.translation import ngettext

from nejat.editions import current_edition, edition_codes
from subscriptions import contents, importing, sending
from subscriptions.models import (
    Delivery,
    Kind,
    Mailing,
    Subscriber,
    Subscription,
    Suppression,
)


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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        uncertain = Delivery.objects.filter(mailing_id=object_id).uncertain()
        extra_context = {**(extra_context or {}), "uncertain": uncertain.count()}
        return super().change_view(request, object_id, form_url, extra_context)

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


class FailedDeliveryInline(admin.TabularInline):
    """The addresses a mailing could not reach, and what their server said; and the uncertain
    ones (``DeliveryQuerySet.uncertain``)."""

    model = Delivery
    verbose_name_plural = _("not delivered, or not known to be")
    fields = ("email", "state", "attempts", "answer")
    readonly_fields = fields
    extra = max_num = 0
    can_delete = False

    def get_queryset(self, request):
        deliveries = super().get_queryset(request)
        return deliveries.filter(state=Delivery.State.FAILED) | deliveries.uncertain()

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        """Whoever may see the mailing sees where it failed."""
        return request.user.has_perm("subscriptions.view_mailing")

    def has_change_permission(self, request, obj=None):
        return False


class MailingForm(forms.ModelForm):
    class Meta:
        model = Mailing
        fields = ("kind", "edition", "subject", "newsletter", "brief", "introduction", "articles",
                  "send_at")  # fmt: skip

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Kind.NEWSLETTER and not data.get("newsletter"):
            self.add_error("newsletter", _("Choose the newsletter issue to send."))
        if kind == Kind.BRIEF and not data.get("brief"):
            self.add_error("brief", _("Choose the Pars Brief issue to send."))
        return data


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    """A mailing: preview it in each edition, send a test, send now or at a time, watch the
    progress, pause and resume (``subscriptions.sending``)."""

    form = MailingForm
    list_display = ("subject", "kind", "edition", "state", "send_at", "progress")
    list_filter = ("state", "kind", "edition")
    search_fields = ("subject",)
    autocomplete_fields = ("articles",)
    raw_id_fields = ("newsletter", "brief")
    readonly_fields = ("state", "started_at", "finished_at", "progress")
    inlines = [FailedDeliveryInline]
    change_form_template = "admin/subscriptions/mailing/change_form.html"

    @admin.display(description=_("progress"))
    def progress(self, mailing):
        if not mailing.pk or mailing.state in (Mailing.State.DRAFT, Mailing.State.SCHEDULED):
            return "–"
        counts = sending.progress(mailing)
        text = _("%(sent)d sent, %(failed)d failed, %(pending)d pending, %(skipped)d skipped") % {
            "sent": counts["sent"] + counts["handed"] - counts["uncertain"],
            "failed": counts["failed"], "pending": counts["pending"] + counts["claimed"],
            "skipped": counts["skipped"],
        }  # fmt: skip
        if counts["uncertain"]:
            text += _(", %(uncertain)d uncertain") % counts
        return text

    def get_inline_instances(self, request, obj=None):
        """The addresses not delivered: once the mailing started (a form that is still edited
        has none)."""
        if obj is None or obj.state in (Mailing.State.DRAFT, Mailing.State.SCHEDULED):
            return []
        return super().get_inline_instances(request, obj)

    def has_change_permission(self, request, obj=None):
        """A mailing that started is history: it is read, not edited."""
        started = obj is not None and obj.state not in (
            Mailing.State.DRAFT,
            Mailing.State.SCHEDULED,
        )
        return not started and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.state == Mailing.State.SCHEDULED and not obj.send_at:
            Mailing.objects.filter(pk=obj.pk).update(state=Mailing.State.DRAFT)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        mailing = form.instance
        if mailing.kind == Kind.DIGEST and not mailing.articles.exists():
            mailing.articles.set(contents.the_weeks_articles(mailing.edition))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        uncertain = Delivery.objects.filter(mailing_id=object_id).uncertain()
        extra_context = {**(extra_context or {}), "uncertain": uncertain.count()}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        def view(name, function):
            return path(f"<int:pk>/{name}/", self.admin_site.admin_view(function),
                        name=f"subscriptions_mailing_{name}")  # fmt: skip

        return [
            view("preview", self.preview_view),
            view("act", self.act_view),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        """The mail as its readers will see it, with stand-in links."""
        mailing = self.get_object(request, pk)
        if mailing is None or not self.has_view_permission(request, mailing):
            raise PermissionDenied
        return HttpResponse(contents.Prepared(mailing).html)

    def act_view(self, request, pk):
        """Send a test, send now, schedule, pause, resume: POST only."""
        mailing = self.get_object(request, pk)
        if request.method != "POST" or mailing is None:
            return redirect("admin:subscriptions_mailing_changelist")
        if not self.has_view_permission(request, mailing) or not request.user.has_perm(
            "subscriptions.change_mailing"
        ):
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "test":
            address = request.POST.get("address", "").strip()
            try:
                sending.send_test(mailing, address)
            except forms.ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("A test is on its way to %s.") % address)
        elif action == "send":
            sending.start(mailing)
            messages.success(request, _("Sending: the progress is below."))
        elif action == "schedule":
            if sending.schedule(mailing):
                messages.success(request, _("Scheduled."))
            else:
                messages.error(request, _("Give a send time in the future first."))
        elif action == "pause":
            sending.pause(mailing)
        elif action == "resume":
            sending.resume(mailing)
        elif action == "again":
            count = sending.send_again_where_uncertain(mailing)
            messages.success(
                request,
                ngettext("Sending again to %d address.", "Sending again to %d addresses.", count)
                % count,
            )
        return redirect("admin:subscriptions_mailing_change", mailing.pk)
