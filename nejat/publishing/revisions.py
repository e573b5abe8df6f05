"""Every edit can be undone: revisions of what editors change (django-reversion).

One door: ``RevisionAdmin``, the base of every content admin (``PublishableAdminMixin``) and of
the site settings. The first time an admin is built it registers its model, and its inlines'
models, with django-reversion, keeping in each revision:

- every column, so each language's column that django-modeltranslation adds (``title_fa``,
  ``body_ar`` …) is stored and restored with the rest: one editor's save of the English text
  keeps what the Persian translator wrote, and yesterday's Persian text can be brought back;
- not the generated search columns (PostgreSQL computes them from the text; large);
- the item's tags: its tag rows and the tags they name (each edition keeps its own tags).

A save in the admin, a bulk action (each item is saved) and a delete each record a revision
with the editor and, where the change is more than an edit, a note ("Published now.").
The item's "History" lists them, each with what it changed per edition; two can be compared
(``nejat.publishing.revision_changes``: the text as readers read it, in each edition's direction),
and one can be restored: its form opens filled with that revision, says all that saving it
brings back (tags, photos included), and saving it restores it.
"""

import contextlib

import reversion
from django import forms
from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, OuterRef, Subquery
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Revision, Version
from reversion.revisions import is_registered
from taggit.managers import TaggableManager

from nejat.editions import edition_codes
from nejat.editions.solar_dates import keep_unchanged_minutes
from nejat.publishing import Status, publishable_models, user_can_publish
from nejat.publishing.revision_changes import (
    field_changes,
    field_label,
    load_states,
    sections,
    summary,
)

RECENT_CHANGES = 40


def generated_columns(model):
    return tuple(
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.GeneratedField)
    )


def register(model, follow=(), **options):
    """Register ``model`` for revisions (once) with its tags, without its generated columns."""
    if not is_registered(model):
        reversion.register(
            model,
            exclude=generated_columns(model),
            follow=(*follow, *tag_relations(model)),
            **options,
        )


def tag_relations(model):
    """The accessors of ``model``'s tag rows, registered to be kept with it, with their tags."""
    accessors = ()
    for field in model._meta.get_fields():
        if isinstance(field, TaggableManager):
            through = field.through
            link = next(f for f in through._meta.fields if f.related_model is model)
            register(through._meta.get_field("tag").related_model)
            register(through, follow=("tag",))
            accessors += (link.remote_field.get_accessor_name(),)
    return accessors


class RevisionAdmin(VersionAdmin):
    """History, compare and restore for an admin's model and its inlines (module docstring)."""

    history_latest_first = True
    object_history_template = "admin/revisions/history.html"
    revision_form_template = "admin/revisions/restore_form.html"
    change_list_template = None  # the trash, not "Recover deleted", brings items back

    def reversion_register(self, model, **options):
        register(model, **options)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.editor = request.user  # a class made for this request (modelform_factory)
        return form

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name=f"{opts.app_label}_{opts.model_name}_compare",
        )
        return [compare, *super().get_urls()]

    # --- what a revision says of itself -------------------------------------------------------
    def log_addition(self, request, obj, message):
        note = reversion.get_comment()
        entry = super().log_addition(request, obj, message)
        set_comment(note or NOTE_CREATED)
        return entry

    def log_change(self, request, obj, message):
        """The revision keeps our note (or none), not Django's message: it names fields by
        their English labels ("Body [fa]"), where History says what changed in the reader's
        language (``nejat.publishing.revision_changes``)."""
        note = reversion.get_comment()
        entry = super().log_change(request, obj, message)
        set_comment(note)
        return entry

    # --- History, Compare, Restore ------------------------------------------------------------
    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        rows = history_rows(self, request, obj) if obj is not None else []
        context = {"history_rows": rows, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        try:
            picked = sorted({int(request.GET[k]) for k in ("version_id1", "version_id2")})
        except (KeyError, ValueError):
            return HttpResponseBadRequest(_("Choose two revisions to compare."))
        older, newer = (get_object_or_404(versions, pk=pk) for pk in (picked[0], picked[-1]))
        before, after = load_states([older, newer])
        changes = changes_between(self, request, obj, before, after)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "original": obj,
            "title": _("Compare revisions of “%(item)s”") % {"item": obj},
            "older": older,
            "newer": newer,
            "sections": sections(changes),
            "readable": before is not None and after is not None,
            "history_url": reverse(admin_urlname(opts, "history"), args=[quote(obj.pk)]),
            "restore_url": reverse(admin_urlname(opts, "revision"), args=[quote(obj.pk), older.pk]),
        }
        return TemplateResponse(request, "admin/revisions/compare.html", context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """The form filled with a revision, saying all that saving it brings back; saved, the
        restore is a revision noted with the date of the one brought back."""
        version = get_object_or_404(Version, pk=version_id, object_id=unquote(object_id))
        context = {"title": _("Restore “%(item)s”") % {"item": version.object_repr}}
        context.update(extra_context or {})
        if request.method == "GET":
            context["restore_changes"] = restore_changes(self, request, version)
        response = super().revision_view(request, object_id, version_id, context)
        if request.method == "POST" and response.status_code == 302:
            note_restore(version)
        return response


def changes_between(model_admin, request, obj, before, after):
    if before is None or after is None:
        return []
    return field_changes(model_admin, request, obj, before, after)


def history_rows(model_admin, request, obj):
    """The item's revisions, newest first, each with what it changed from the one before."""
    versions = list(
        Version.objects.get_for_object(obj).select_related("revision__user").order_by("pk")
    )
    states = load_states(versions)
    rows = []
    for index, (version, state) in enumerate(zip(versions, states, strict=True)):
        before = states[index - 1] if index else None  # the first: nothing to compare with
        changes = field_changes(model_admin, request, obj, before, state) if before else []
        rows.append(
            {"version": version, "summary": summary(changes), "note": note(version.revision)}
        )
    return rows[::-1]


def restore_changes(model_admin, request, version):
    """What restoring ``version`` changes in the item as it was last saved."""
    obj = model_admin.get_object(request, str(version.object_id))
    latest = Version.objects.get_for_object(obj).first() if obj is not None else None
    if latest is None or latest.pk == version.pk:
        return []
    now, then = load_states([latest, version])
    return sections(changes_between(model_admin, request, obj, now, then))


def keep_as_it_is_now(item):
    """Put ``item`` in the revision being recorded again, following its relations as they are
    now: for relations saved after the item itself (its tags, saved by the admin last)."""
    if reversion.is_active():
        reversion.add_to_revision(item)


# What a revision notes of itself beyond what it changed: kept as these English words and
# shown in the reader's language (``note``), whoever saved it in whichever language.
NOTE_CREATED = gettext_noop("Created.")
NOTE_PUBLISHED_NOW = gettext_noop("Published now.")
NOTE_SCHEDULED = gettext_noop("Published at its scheduled time.")
NOTE_BULK_PUBLISHED = gettext_noop("Published with the bulk action.")
NOTE_BULK_PUBLISHED_NOW = gettext_noop("Published now with the bulk action.")
NOTE_TRASHED = gettext_noop("Moved to the trash.")
NOTE_UNTRASHED = gettext_noop("Restored from the trash.")
NOTE_UNPUBLISHED = gettext_noop("Unpublished with the bulk action.")
NOTES = {
    NOTE_CREATED, NOTE_PUBLISHED_NOW, NOTE_SCHEDULED, NOTE_BULK_PUBLISHED,
    NOTE_BULK_PUBLISHED_NOW, NOTE_TRASHED, NOTE_UNTRASHED, NOTE_UNPUBLISHED,
}  # fmt: skip
RESTORED = "restored:"  # + the ISO time of the revision brought back


def set_comment(note):
    """The note of the revision being recorded, if one is: one of ``NOTES``."""
    if reversion.is_active():
        reversion.set_comment(note)


def note(revision):
    """A revision's note in the reader's language: ours translated, "Restored the version of
    …" with the date as the reader's calendar writes it, an older revision's words as kept."""
    comment = revision.comment or ""
    if comment in NOTES:
        return _(comment)
    if comment.startswith(RESTORED):
        moment = parse_datetime(comment.removeprefix(RESTORED))
        when = formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""
        return _("Restored the version of %(when)s.") % {"when": when}
    return comment


def note_restore(version):
    """Note on the revision a restore just recorded which revision it brought back."""
    latest = Version.objects.get_for_object_reference(version._model, version.object_id).first()
    if latest is not None and latest.pk != version.pk:
        Revision.objects.filter(pk=latest.revision_id).update(
            comment=RESTORED + version.revision.date_created.isoformat()
        )


@staff_member_required
def recent_changes(request):
    """The editors' page of the latest revisions of every item (module docstring)."""
    if not any(user_can_publish(request.user, model) for model in publishable_models()):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": _("Recent changes"),
        "changes": latest_changes(RECENT_CHANGES),
    }
    return TemplateResponse(request, "admin/recent_changes.html", context)


def latest_changes(limit):
    """The latest revisions of the items editors open in the admin (not the rows that follow
    them: tag links, photos), newest first, each with the editions whose text changed."""
    with_history = [
        model for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, RevisionAdmin)
    ]  # fmt: skip
    previous_of_same_item = Version.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        db=OuterRef("db"),
        pk__lt=OuterRef("pk"),
    ).order_by("-pk")
    versions = list(
        Version.objects.filter(content_type__model__in=[m._meta.model_name for m in with_history])
        .annotate(previous_pk=Subquery(previous_of_same_item.values("pk")[:1]))
        .select_related("revision__user", "content_type")
        .order_by("-pk")[:limit]
    )
    previous_versions = Version.objects.in_bulk([v.previous_pk for v in versions if v.previous_pk])
    changes = []
    for version in versions:
        model = version.content_type.model_class()
        if model not in with_history:  # a model of the same name in another app
            continue
        previous = previous_versions.get(version.previous_pk)
        meta = model._meta
        changes.append(
            {
                "version": version,
                "kind": meta.verbose_name,
                "history": reverse(admin_urlname(meta, "history"), args=[version.object_id]),
                "editions": editions_changed(version, previous),
                "note": note(version.revision),
            }
        )
    return changes


def editions_changed(version, previous):
    """The editions whose columns differ from the previous revision (for a first revision,
    those with text): ``["fa"]``."""
    try:
        changed = changed_fields(previous.field_dict if previous else None, version.field_dict)
    except RevertError:  # a revision of an older shape of the model
        return []
    return [code for code in edition_codes() if any(n.endswith(f"_{code}") for n in changed)]


def changed_fields(before, after):
    """Field names whose values differ between two revisions' ``field_dict`` (``before`` None:
    the first revision, whose filled fields count). The untranslated column django-
    modeltranslation keeps beside ``title_en`` … and the save times are left out."""
    suffixes = tuple(f"_{code}" for code in edition_codes())
    translated = {name.rsplit("_", 1)[0] for name in after if name.endswith(suffixes)}
    return [
        name for name, value in after.items()
        if (before.get(name) != value if before is not None else value)
        and name not in translated and name not in ("updated_at", "created_at")
    ]  # fmt: skip


class ConflictCheckedForm(forms.ModelForm):
    """The admin form of every ``Publishable``: warns the second of two editors (module
    docstring). ``opened_version`` is the item's last save time when the form was opened."""

    opened_version = forms.CharField(
        label=_("Opened version"), widget=forms.HiddenInput, required=False
    )
    editor = None  # who is saving (``RevisionAdmin.get_form``): their own saves are no conflict

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.updated_at:
            self.initial["opened_version"] = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = keep_unchanged_minutes(self, super().clean())  # no new publish time
        opened = parse_datetime(cleaned.get("opened_version") or "")
        saved = self.instance.updated_at if self.instance.pk else None
        if opened is None or saved is None or saved <= opened:
            return cleaned
        later = saves_since(self.instance, opened)
        if later and all(version.revision.user_id == getattr(self.editor, "pk", None)
                         for version in later):  # fmt: skip
            return cleaned  # saved twice from one page (a second click, the Back button)
        # Shown again with the time of the save seen now: a second Save keeps this text.
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = saved.isoformat()
        raise ValidationError(
            _(
                "Someone saved this item after you opened it: %(changes)s. Your version below "
                "is not saved yet. Compare with theirs in History, or press Save again to "
                "replace theirs with yours."
            ),
            params={"changes": changes_since(self.instance, opened, later)},
            code="edit_conflict",
        )


def saves_since(item, opened):
    """The revisions of ``item`` saved after ``opened``, oldest first."""
    versions = Version.objects.get_for_object(item).select_related("revision__user")
    return list(versions.filter(revision__date_created__gt=opened).order_by("pk"))


def changes_since(item, opened, later):
    """ "colleague 10:42 (Body [fa], Title [ar])": who saved after ``opened`` (``later``, their
    revisions) and which fields, when the revision the form was opened on is known."""
    if not later:
        return clock(item.updated_at)
    seen = (
        Version.objects.get_for_object(item)
        .filter(revision__date_created__lte=opened)
        .order_by("-pk")
        .first()
    )
    names = []
    if seen is not None:
        with contextlib.suppress(RevertError):  # a revision of an older shape of the model
            names = changed_fields(seen.field_dict, later[-1].field_dict)
    labels = ", ".join(field_label(item._meta.get_field(name)) for name in names)
    who = ", ".join(f"{v.revision.user or '—'} {clock(v.revision.date_created)}" for v in later)
    return f"{who} ({labels})" if labels else who


def clock(moment):
    return formats.time_format(timezone.localtime(moment))


def record_scheduled_publications():
    """Record a revision for every scheduled item that has gone live since it was last saved
    (its publish time is past and later than its last save); the number recorded. Rows are
    locked and skipped when locked, so several servers record each item once."""
    recorded = 0
    now = timezone.now()
    for model in publishable_models():
        due = model.objects.outside_trash().filter(
            status=Status.PUBLISHED, publish_at__lte=now, publish_at__gt=F("updated_at")
        )
        with transaction.atomic(), reversion.create_revision():
            reversion.set_comment(NOTE_SCHEDULED)
            for item in due.select_for_update(skip_locked=True):
                item.save(update_fields=["updated_at"])  # the revision, and a fresh cache
                recorded += 1
    return recorded
