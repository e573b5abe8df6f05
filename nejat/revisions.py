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
with the editor and a comment. The item's "History" lists them; two can be compared side by
side, one row per changed field and so per language (django-reversion-compare), and one can
be restored: its form opens filled with that revision, and saving it restores it.
"""

import reversion
from django.db import models
from reversion.revisions import is_registered
from reversion_compare.admin import CompareVersionAdmin
from taggit.managers import TaggableManager


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


class RevisionAdmin(CompareVersionAdmin):
    """History, compare and restore for an admin's model and its inlines (module docstring)."""

    history_latest_first = True

    @property
    def compare_exclude(self):
        """Not compared: what PostgreSQL computes, and the tag field, whose rows (``tagged_items``)
        are compared instead."""
        tag_fields = [
            f.name for f in self.model._meta.get_fields() if isinstance(f, TaggableManager)
        ]
        return (*generated_columns(self.model), *tag_fields)

    def reversion_register(self, model, **options):
        register(model, **options)


def keep_as_it_is_now(item):
    """Put ``item`` in the revision being recorded again, following its relations as they are
    now: for relations saved after the item itself (its tags, saved by the admin last)."""
    if reversion.is_active():
        reversion.add_to_revision(item)


def set_comment(comment):
    """The comment of the revision being recorded, if one is (a bulk action's)."""
    if reversion.is_active():
        reversion.set_comment(comment)
