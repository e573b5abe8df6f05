"""What changed between two revisions of an item, as its editors read it.

History, Compare and the restore form say the same thing, in the admin's language: per edition
(Persian, Arabic …) the fields of the item's form that differ, by the labels the form gives
them, then the fields every edition shares (category, publish time …), then the rows of its
inlines (a gallery's photos). Only what the form shows is compared: what the site derives
(search text, image sizes and renditions, save times) is no editor's business. Rich text is
compared as the words a reader reads, paragraph by paragraph, with each link's address; each
edition's words in that edition's direction, never as HTML.
"""

import difflib
import re
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser
from urllib.parse import unquote

from django.contrib.admin.utils import flatten_fieldsets
from django.db import models
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reversion.errors import RevertError
from reversion.models import Version
from taggit.managers import TaggableManager

from nejat.editions import (
    current_edition,
    edition_codes,
    edition_name,
    is_rtl,
    list_separator,
    separator,
)
from nejat.media.richtext import RichTextField


@dataclass
class FieldChange:
    """One field that differs: ``edition`` is None for the fields every edition shares."""

    edition: str | None
    label: str
    before: str
    after: str
    is_text: bool  # the item's own words (kept as typed), not a value the site formats

    @property
    def dir(self):
        return "rtl" if self.edition and is_rtl(self.edition) else "ltr"

    @property
    def diff(self):
        """The words removed (``del``) and added (``ins``); a value the site formats (a date, a
        state) is shown whole, before and after."""
        if not self.is_text:
            return format_html(
                "<del>{}</del> <span aria-hidden='true'>→</span> <ins>{}</ins>",
                self.before or "—",
                self.after or "—",
            )
        return word_diff(self.before, self.after)


@dataclass
class Section:
    edition: str | None
    changes: list

    @property
    def name(self):
        return edition_name(self.edition) if self.edition else _("All editions")


class RevisionState:
    """What one revision holds of an item: its fields, and the rows saved with it (tag links,
    tags, inline rows), read from the revision's other versions."""

    def __init__(self, version, others=None):
        self.version = version
        self.fields = version.field_dict  # RevertError for a revision of an older model
        self._others = others

    @cached_property
    def others(self):
        if self._others is None:
            self._others = list(
                self.version.revision.version_set.exclude(pk=self.version.pk).select_related(
                    "content_type"
                )
            )
        return self._others

    def rows_of(self, model, link):
        """The field dicts of ``model``'s rows saved with this revision whose foreign key
        ``link`` points at the item."""
        pk = str(self.version.object_id)
        return {
            other.object_id: other.field_dict
            for other in self.others
            if other.content_type.model_class() is model
            and str(other.field_dict.get(link.attname)) == pk
        }

    def tags(self, code):
        """The item's tag names in edition ``code``, as this revision kept them."""
        field = next(
            f for f in self.version._model._meta.get_fields() if isinstance(f, TaggableManager)
        )
        through = field.through
        link = next(f for f in through._meta.fields if f.related_model is self.version._model)
        tag_model = through._meta.get_field("tag").related_model
        kept = {
            other.object_id: other.field_dict
            for other in self.others
            if other.content_type.model_class() is tag_model
        }
        names = []
        for row in self.rows_of(through, link).values():
            tag = kept.get(str(row["tag_id"]))
            if tag is None:  # not kept with the revision: as it is now
                tag = tag_model.objects.filter(pk=row["tag_id"]).values().first() or {}
            if tag.get("language") == code:
                names.append(tag["name"])
        return sorted(names)


def load_states(versions):
    """``RevisionState`` of each version (None where the model has changed shape since), with
    the rows of all their revisions read in one query."""
    others = {}
    related = (
        Version.objects.filter(revision__in={v.revision_id for v in versions})
        .exclude(pk__in=[v.pk for v in versions])
        .select_related("content_type")
    )
    for other in related:
        others.setdefault(other.revision_id, []).append(other)
    states = []
    for version in versions:
        try:
            states.append(RevisionState(version, others.get(version.revision_id, [])))
        except RevertError:
            states.append(None)
    return states


def editor_fields(model_admin, request, obj):
    """The form's fields an editor fills, in the form's order (not the read-only ones)."""
    readonly = set(model_admin.get_readonly_fields(request, obj))
    form_fields = model_admin.get_form(request, obj).base_fields
    return [
        (name, form_fields[name])
        for name in flatten_fieldsets(model_admin.get_fieldsets(request, obj))
        if name not in readonly and name in form_fields and not form_fields[name].widget.is_hidden
    ]


def field_changes(model_admin, request, obj, before, after):
    """The ``FieldChange``s from state ``before`` (None: an empty item) to state ``after``."""
    opts = model_admin.model._meta
    changes = []
    for name, form_field in editor_fields(model_admin, request, obj):
        edition = getattr(form_field, "edition", None)
        if edition:  # an edition's tags (``nejat.editorial.publishable_admin.EditionTagField``)
            comma = list_separator(edition)
            old, new = (comma.join(s.tags(edition)) if s else "" for s in (before, after))
            if old != new:
                changes.append(FieldChange(edition, str(_("Tags")), old, new, True))
            continue
        try:
            field = opts.get_field(name)
        except models.FieldDoesNotExist:
            continue
        attname = field.attname if field.concrete else name
        old = before.fields.get(attname) if before else None
        new = after.fields.get(attname)
        if (old or None) == (new or None):
            continue
        edition = getattr(field, "language", None)
        label = str(capfirst(getattr(field, "translated_field", field).verbose_name))
        changes.append(
            FieldChange(edition, label, shown(field, old), shown(field, new), is_text(field))
        )
    for inline in model_admin.get_inline_instances(request, obj):
        changes += row_changes(inline, obj, before, after)
    return changes


def sections(changes):
    """``changes`` grouped per edition in the site's order, then those of every edition."""
    order = [*edition_codes(), None]
    grouped = {code: [c for c in changes if c.edition == code] for code in order}
    return [Section(code, grouped[code]) for code in order if grouped[code]]


def summary(changes):
    """ "Persian: Title, Body · All editions: Category": what a revision changed, in a line,
    with the commas and separators of the admin's language."""
    code = current_edition()
    comma = list_separator(code)
    parts = []
    for section in sections(changes):
        labels = dict.fromkeys(change.label for change in section.changes)
        parts.append(f"{section.name}: {comma.join(labels)}")
    return separator(code).join(parts)


def row_changes(inline, obj, before, after):
    """The rows of an inline (a gallery's photos, a newsletter's items), a line each: the rows
    taken out struck through, those put in underlined, those edited marked ✎."""
    model = inline.model
    link = next(f for f in model._meta.fields if f.related_model is obj._meta.model)
    old, new = (s.rows_of(model, link) if s else {} for s in (before, after))
    if old == new:
        return []
    edited = {pk for pk in old.keys() & new.keys() if old[pk] != new[pk]}
    old_lines = [row_name(model, old[pk]) for pk in sorted(old, key=int)]
    new_lines = [
        row_name(model, new[pk]) + (" ✎" if pk in edited else "") for pk in sorted(new, key=int)
    ]
    label = str(capfirst(model._meta.verbose_name_plural))
    return [FieldChange(None, label, "\n".join(old_lines), "\n".join(new_lines), True)]


def row_name(model, fields):
    """A row's name in the admin's language, from its kept fields."""
    row = model(**{k: v for k, v in fields.items() if k in {f.attname for f in model._meta.fields}})
    try:
        return str(row)
    except Exception:  # a name that needs a row no longer there
        return f"#{fields.get('id', '')}"


def field_label(field):
    """ "Body (Persian)": a field's label in the admin's language, with its edition if it has
    one (django-modeltranslation's own reads "body [fa]")."""
    label = capfirst(getattr(field, "translated_field", field).verbose_name)
    edition = getattr(field, "language", None)
    return f"{label} ({edition_name(edition)})" if edition else str(label)


def is_text(field):
    return isinstance(field, (models.CharField, models.TextField)) and not field.choices


def shown(field, value):
    """``value`` of ``field`` as the admin shows it, in the admin's language."""
    if value in (None, "", []):
        return ""
    if isinstance(field, RichTextField):
        return reading_text(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DateTimeField):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(field, models.ForeignKey):
        return related_names(field, [value])
    if isinstance(field, models.ManyToManyField):
        return related_names(field, value)
    if isinstance(field, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    return str(value)


def related_names(field, pks):
    found = field.related_model._base_manager.in_bulk(pks)
    return ", ".join(str(found[pk]) if pk in found else _("(deleted)") for pk in pks)


class ReadingText(HTMLParser):
    """The words of rich text as a reader reads them: a line per paragraph, heading, list item
    or caption; a link's address after its words; a picture by its alt text."""

    BLOCKS = {"p", "h2", "h3", "h4", "li", "blockquote", "figcaption", "tr", "hr", "br"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag == "a":
            self.links.append(attrs.get("href") or "")
        elif tag == "img":
            self.parts.append(f"[{attrs.get('alt') or _('picture')}]")
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            self.parts.append(f" ⟨{unquote(self.links.pop())}⟩")

    def handle_data(self, data):
        self.parts.append(data)


def reading_text(html):
    parser = ReadingText()
    parser.feed(html)
    parser.close()
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n\n".join(line for line in lines if line)  # a blank line between paragraphs


WORDS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def word_diff(before, after):
    """HTML of ``after`` with the words taken out of ``before`` in ``del`` and those put in
    ``ins``; whitespace and line breaks as they are (shown in ``pre``-like text)."""
    old, new = WORDS.findall(before or ""), WORDS.findall(after or "")
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("{}", "".join(new[j1:j2])))
            continue
        if i2 > i1:
            pieces.append(("<del>{}</del>", "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(("<ins>{}</ins>", "".join(new[j1:j2])))
    return mark_safe("".join(format_html(template, text) for template, text in pieces))
