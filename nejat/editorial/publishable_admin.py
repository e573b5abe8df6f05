"""One admin mixin for everything ``Publishable``: the editors' list, filters and bulk actions,
and the tag fields of each edition (content apps' admins build on these)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import lookup_spawns_duplicates
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.forms import TagField

from nejat.editions import (
    edition_codes,
    edition_name,
    edition_slugify,
    localized_field,
    normalize,
)
from nejat.editions.solar_dates import SolarDatesAdmin
from nejat.editorial.autosave.admin import UnsavedWorkAdmin
from nejat.editorial.translating import TranslationSourceAdmin, translate_link
from nejat.editorial.trash_admin import TrashAdmin
from nejat.editorial.writing_aids import PermalinkPreviewAdmin
from nejat.models import Tag, set_edition_tags
from nejat.publishing import State, revisions
from nejat.publishing.review import ReviewAdmin
from nejat.publishing.revisions import ConflictCheckedForm, RevisionAdmin
from nejat.publishing.schedule import when_readers_see_it, zone_label
from nejat.publishing.search import admin_search


class EditionTagField(TagField):
    """The tags of one edition, typed as "a, b, c" in any keyboard's commas
    (``nejat.models.tags_from_string``) and shown back with the edition's ("تهران، آب",
    ``nejat.models.string_from_tags``).

    The form's initial value is the item's tags (objects, as taggit's ``has_changed`` compares
    their names); typed names are normalised as stored (ی/ک, digits), so unchanged tags typed on
    another keyboard do not count as a change.
    """

    def __init__(self, code, **kwargs):
        self.edition = code
        kwargs.setdefault("label", format_lazy("{} ({})", _("Tags"), edition_name(code)))
        kwargs.setdefault("help_text", _("Separate tags with commas."))
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        names = super().clean(value)
        names = sorted({normalize(name, self.edition).strip() for name in names} - {""})
        limit = Tag._meta.get_field("name").max_length
        if too_long := [name for name in names if len(name) > limit]:
            raise forms.ValidationError(
                _("A tag can be at most %(limit)d characters long: “%(name)s…”"),
                params={"limit": limit, "name": too_long[0][:30]},
                code="tag_too_long",
            )
        return names


class EditionTagsForm(ConflictCheckedForm):
    """One tag field per edition (``edition_tags_fa`` …), since each edition keeps its own tags.

    The fields are declared on the class (below), not added in ``__init__``: the admin builds
    its form from the fieldsets, and refuses a field name the form class does not declare.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            tags = list(self.instance.tags.all())
            for code in edition_codes():
                self.initial[f"edition_tags_{code}"] = [t for t in tags if t.language == code]

    def clean(self):
        cleaned = super().clean()
        for code in edition_codes():
            field = f"edition_tags_{code}"
            for name in cleaned.get(field) or []:
                if not edition_slugify(name, code):
                    self.add_error(
                        field,
                        _("The tag “%(name)s” needs at least one letter or digit.")
                        % {"name": name},
                    )
        return cleaned

    def save_edition_tags(self):
        set_edition_tags(
            self.instance,
            {code: self.cleaned_data[f"edition_tags_{code}"] for code in edition_codes()},
        )


EDITION_TAG_FIELDS = tuple(f"edition_tags_{code}" for code in edition_codes())
for _code, _field_name in zip(edition_codes(), EDITION_TAG_FIELDS, strict=True):
    EditionTagsForm.base_fields[_field_name] = EditionTagsForm.declared_fields[_field_name] = (
        EditionTagField(_code)
    )
del _code, _field_name


def admin_thumbnail(picture, width, height):
    """The smallest rendition of a ``Picture`` for the admin's lists and inlines."""
    if not picture:
        return "—"
    return format_html(
        '<img src="{}" alt="" width="{}" height="{}" style="object-fit:cover">',
        picture.thumbnail_url,
        width,
        height,
    )


class EditionFilter(admin.SimpleListFilter):
    """ "In Persian" / "Missing in Persian": find what still needs translating."""

    title = _("edition")
    parameter_name = "edition"

    def lookups(self, request, model_admin):
        choices = []
        for code in edition_codes():
            choices.append((code, _("In %(code)s") % {"code": code}))
            choices.append((f"-{code}", _("Missing in %(code)s") % {"code": code}))
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        code = value.lstrip("-")
        if code not in edition_codes():
            return queryset
        field = localized_field("title", code)
        if value.startswith("-"):
            return queryset.exclude(**{f"{field}__gt": ""})
        return queryset.filter(**{f"{field}__gt": ""})


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return State.choices

    def queryset(self, request, queryset):
        """The trash is listed only when asked for; every other view leaves it out."""
        if self.value() in State.values:
            return queryset.in_state(self.value())
        return queryset.outside_trash()


# How the list's state column shows each state: drawn (the path of a 16×16 line drawing,
# static/css/staff.css), not a character, which depends on the fonts of the editor's computer:
# "⏱" and "🗑" were empty boxes in the Persian and Arabic admin.
STATE_ICONS = {
    State.LIVE: "M3 8.5l3.5 3.5L13 4.5",  # a tick
    State.SCHEDULED: "M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13M8 4.5V8l2.5 2",  # a clock
    State.PENDING: "M3.5 15V1.5M3.5 2h9l-2 3.25 2 3.25h-9",  # a flag
    State.DRAFT: "M2.5 13.5l.8-3.3 8-8 2.5 2.5-8 8zM9.8 3.7l2.5 2.5",  # a pencil
    State.TRASH: "M2 4h12M6.5 4V2h3v2M3.5 4l1 10h7l1-10M6.5 7v4.5M9.5 7v4.5",  # a bin
}


class PublishableAdminMixin(
    TrashAdmin,
    UnsavedWorkAdmin,
    PermalinkPreviewAdmin,
    SolarDatesAdmin,
    TranslationSourceAdmin,
    ReviewAdmin,
    RevisionAdmin,
):
    """List columns, filters, search and bulk actions shared by every public content type, who
    may publish them (``nejat.publishing.review``), their revisions
    (``nejat.publishing.revisions``), drafts kept while typing (``nejat.editorial.autosave``), the
    address preview (``nejat.editorial.writing_aids``), Solar Hijri dates in the Persian admin
    (``nejat.editions.solar_dates``) and "Translate into …" (``nejat.editorial.translating``)."""

    date_hierarchy = "publish_at"
    list_filter = (StateFilter, EditionFilter)
    list_per_page = 50
    actions = [
        "publish",
        "publish_now",
        "unpublish",
        # the trash's actions (``nejat.editorial.trash_admin``), each in its own list
        "move_to_trash",
        "restore_from_trash",
        "delete_forever",
    ]
    search_fields = [
        localized_field(name, code) for name in ("title", "lead") for code in edition_codes()
    ]
    readonly_fields = ("created_at", "updated_at", "review_link")
    normalized_search_fields = ("title", "lead")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "publish_at":  # instead of Django's "you are N hours behind" note
            field.help_text = format_lazy(
                "{} {}",
                _("Times are in the site's time zone: {zone}.").format(zone=zone_label()),
                db_field.help_text,
            )
        return field

    def get_search_results(self, request, queryset, search_term):
        """Titles and leads found as public search finds them
        (``nejat.publishing.search.admin_search``); the other search fields as Django searches
        them."""
        normalized = {
            localized_field(name, code)
            for name in self.normalized_search_fields
            for code in edition_codes()
        }
        others = [f for f in self.get_search_fields(request) if f not in normalized]
        found = admin_search(queryset, search_term, self.normalized_search_fields, others)
        return found, any(lookup_spawns_duplicates(self.opts, field) for field in others)

    # Addresses typed without a scheme are https (Django 6's default; silences its warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    publishing_fieldset = (
        _("Publishing"),
        {"fields": ("status", "publish_at", "review_link", "opened_version")},
    )
    form = ConflictCheckedForm

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_publish_now"] = self.can_publish(request)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        """*Publish now* beside *Save*: published, from this minute (a scheduled item is pulled
        forward), with whatever else the form changed. Then says when readers see the item
        (``nejat.publishing.schedule.when_readers_see_it``)."""
        if "_publish_now" in request.POST and self.can_publish(request):
            obj.publish_now()
            revisions.set_comment(revisions.NOTE_PUBLISHED_NOW)
        was_live = change and self.model.objects.filter(pk=obj.pk).published().exists()
        super().save_model(request, obj, form, change)
        if said := when_readers_see_it(obj, was_live):
            self.message_user(request, said, messages.SUCCESS)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if isinstance(form, EditionTagsForm):
            form.save_edition_tags()
            revisions.keep_as_it_is_now(form.instance)  # with the tags just saved

    @admin.display(description="")
    def thumbnail(self, obj):
        return admin_thumbnail(obj.card_image(), width=64, height=40)

    @admin.display(description=_("state"), ordering="status")
    def state(self, obj):
        state = obj.state
        return format_html(
            '<span><svg class="state-icon" viewBox="0 0 16 16" aria-hidden="true">'
            '<path d="{}"/></svg> {}</span>',
            STATE_ICONS[state],
            state.label,
        )

    @admin.display(description=_("editions"))
    def edition_badges(self, obj):
        """The editions the item has, and a "Translate into …" link for each it lacks."""
        present = set(obj.editions())
        return format_html_join(
            " ",
            "{}",
            (
                (
                    format_html(
                        '<span class="edition-badge" title="{}">{}</span>', _("present"), code
                    )
                    if code in present
                    else translate_link(obj, code),
                )
                for code in edition_codes()
            ),
        )

    @admin.display(description=_("page"))
    def page_link(self, obj):
        """Opens the public page; editors see drafts and scheduled items there as a preview."""
        label = _("View") if obj.is_published else _("Preview")
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), label
        )

    @admin.action(description=_("Publish selected items"), permissions=["publish"])
    def publish(self, request, queryset):
        # Saved one by one, not with update(): each gets its "updated" time, and every save
        # signal (fresh caches after commit) fires as for an edit in the form.
        items = list(queryset)
        revisions.set_comment(revisions.NOTE_BULK_PUBLISHED)
        for item in items:
            item.publish()
            item.save()
        self.message_user(
            request,
            ngettext("%d item published.", "%d items published.", len(items)) % len(items),
            messages.SUCCESS,
        )

    @admin.action(description=_("Publish selected items now (also scheduled ones)"),
                  permissions=["publish"])  # fmt: skip
    def publish_now(self, request, queryset):
        """Pulls a scheduled item forward: published, from this minute."""
        items = list(queryset)
        revisions.set_comment(revisions.NOTE_BULK_PUBLISHED_NOW)
        for item in items:
            item.publish_now()
            item.save()
        self.message_user(
            request,
            ngettext("%d item published.", "%d items published.", len(items)) % len(items),
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Unpublish selected items (back to draft)"), permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        items = list(queryset)
        revisions.set_comment(revisions.NOTE_UNPUBLISHED)
        for item in items:
            item.unpublish()
            item.save()
        self.message_user(
            request,
            ngettext("%d item unpublished.", "%d items unpublished.", len(items)) % len(items),
            messages.SUCCESS,
        )
