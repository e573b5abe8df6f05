"""Freshness: whatever keeps something for readers is told exactly what changed, by cache tags
(``nejat.publishing.cache_tags``), from any path: the admin, a bulk action, a command, the shell.

For every model whose class says ``changes_public_pages = True`` (every ``Publishable``, and the
rows and settings pages show), the tags it changes are announced:

- a save or delete of one, and any change of its many-to-many relations (tags): signals;
- ``QuerySet.update()``, ``bulk_create()`` and ``bulk_update()``, which send no signal: those
  models' managers are ``PublicChangesQuerySet`` managers, their base managers too
  (``tests/test_freshness.py`` checks every such model), so no caller has to remember.

Tags change in the transaction of the change and are heard by every process **when it
commits** (PostgreSQL's ``NOTIFY``): a reader arriving before the commit is served the old page,
which the commit then forgets. The same querysets say what a page being rendered read.
"""

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

from nejat.editions import current_edition, edition_codes
from nejat.publishing import cache_tags


def content_changed_on_commit(*tags):
    """The pages that show ``tags`` are forgotten when the current transaction commits (at once
    outside one): ``cache_tags.changed``."""
    cache_tags.changed(*tags)


def changes_public_pages(model):
    return getattr(model, "changes_public_pages", False)


class PublicChangesQuerySet(models.QuerySet):
    """The queryset of a model that changes public pages. It says what it read to the page
    being rendered (``cache_tags``): each row, and the list (unless ``get()`` fetched one row);
    and writes that send no signal announce the change on commit as a save does."""

    _list_parts = None  # (listed_in)
    _picked = False  # (picked)

    def _clone(self):
        clone = super()._clone()
        clone._list_parts, clone._picked = self._list_parts, self._picked
        return clone

    def picked(self):
        """Rows the caller picked by a choice of its own (an article's related articles), not
        by the edition's lists: what it reads carries the rows' tags, not the list's, and the
        caller's own tags say when its choice changes."""
        clone = self._chain()
        clone._picked = True
        return clone

    def listed_in(self, *parts):
        """This queryset reads only these parts of its edition's list (a category's articles;
        the caller filters them): what it reads carries their tags instead of the whole list's,
        so an item that joins another part leaves its pages kept. A part is what the model's
        ``list_parts()`` names for an item."""
        clone = self._chain()
        clone._list_parts = parts
        return clone

    def list_read(self):
        """The tags of reading this queryset's list in the current edition."""
        code = current_edition()
        if self._list_parts is None:
            return [cache_tags.list_tag(self.model, code)]
        tags = [cache_tags.part_tag(self.model, code, part) for part in self._list_parts]
        return [*tags, cache_tags.parts_tag(self.model, code)]

    def _fetch_all(self):
        fetched = self._result_cache is None
        super()._fetch_all()
        if fetched and cache_tags.is_collecting():
            rows = self._result_cache
            if rows and isinstance(rows[0], models.Model):
                cache_tags.shows(*(tag for row in rows for tag in cache_tags.row_tags(row)))
            if self._picked or self.picked_by_relation():
                pass  # (the relation's change says so, and a row's that shows again: referrers)
            elif not rows or not cache_tags.reading_one_row():
                # A list; or the row looked for is not there (yet): its creation will say so.
                cache_tags.shows(*self.list_read())

    def picked_by_relation(self):
        """A prefetch of a many-to-many relation's rows (an article's "Also read", its tags):
        picked by the relation, not by the edition's lists, so a new row elsewhere leaves it as
        it is. (Django's and django-taggit's prefetches select the source's key under this
        name.)"""
        return any(name.startswith("_prefetch_related_val") for name in self.query.extra_select)

    def get(self, *args, **kwargs):
        with cache_tags.one_row():
            return super().get(*args, **kwargs)

    def count(self):
        cache_tags.shows(*self.list_read())
        return super().count()

    def exists(self):
        cache_tags.shows(*self.list_read())
        return super().exists()

    def update(self, **kwargs):
        rows = list(self.values_list("pk", flat=True)) if changes_public_pages(self.model) else []
        changed = super().update(**kwargs)
        if changed and rows:
            content_changed_on_commit(*changes_of(self.model, rows, fields=kwargs))
        return changed

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created and changes_public_pages(self.model):
            rows = [obj.pk for obj in created if obj.pk is not None]
            content_changed_on_commit(*changes_of(self.model, rows, fields=None))
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        changed = super().bulk_update(objs, fields, *args, **kwargs)
        if changed and changes_public_pages(self.model):
            rows = [obj.pk for obj in objs]
            content_changed_on_commit(*changes_of(self.model, rows, fields=fields))
        return changed

    bulk_update.alters_data = True


def changes_of(model, rows, fields):
    """The tags a write of ``fields`` (None: any) to ``rows`` of ``model`` changes: the rows
    (their counts only, when it wrote nothing else: ``cache_tags.count_tag``), and every
    edition's list when it touched what lists are made of (``listed_by``)."""
    counted = set(getattr(model, "counted_fields", ()))
    if fields is not None and counted and set(fields) <= counted:
        return [cache_tags.count_tag(model, pk) for pk in rows]
    tags = [cache_tags.item_tag(model, pk) for pk in rows]
    listing_fields = getattr(model, "listing_fields", None)
    if fields is None or listing_fields is None or set(fields) & set(listing_fields()):
        tags += [tag for code in edition_codes() for tag in cache_tags.list_tags(model, code)]
        tags += referrers(model, rows)
    return tags


def referrers(model, rows):
    """The tags of the rows that pick ``rows`` through a many-to-many relation (the articles
    whose "Also read" names one): a row that joins or leaves the lists joins or leaves theirs
    too (``PublicChangesQuerySet.picked_by_relation``)."""
    tags = []
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.many_to_many and relation.auto_created and not relation.concrete):
            continue
        field = relation.field  # (the ManyToManyField, on the model that picks)
        if not changes_public_pages(field.model) or not hasattr(field, "m2m_field_name"):
            continue
        through = field.remote_field.through
        picking = through.objects.filter(**{f"{field.m2m_reverse_field_name()}__in": rows})
        ids = picking.values_list(field.m2m_field_name(), flat=True).distinct()
        tags += [cache_tags.item_tag(field.model, pk) for pk in ids]
    return tags


def changes_of_instance(instance, new=False, gone=False):
    """The tags a save or delete of ``instance`` changes: itself, and the lists of the editions
    it was or is listed in when it joined, left or moved in them. A model says what its lists
    are made of with ``listing()`` (its editions first); without it, every edition's lists."""
    model = type(instance)
    tags = [cache_tags.item_tag(model, instance.pk)]
    listing = getattr(instance, "listing", None)
    if listing is None:
        return tags + [tag for code in edition_codes() for tag in cache_tags.list_tags(model, code)]
    # As loaded or last saved (Publishable.from_db); unknown when fields were deferred.
    before = () if new else getattr(instance, "_listed", None)
    after = () if gone else listing()
    instance._listed = after or None
    if before == after:
        return tags
    if before is None:
        codes, parts = edition_codes(), None
    else:
        if before and after and before[1:] == after[1:]:  # it joined or left editions only
            codes = set(before[0]) ^ set(after[0])
        else:  # (an empty listing: new, or gone)
            codes = {*(before[0] if before else ()), *(after[0] if after else ())}
        parts = {part for listed in (before, after) if listed for part in model.list_parts(listed)}
    tags += [tag for code in sorted(codes) for tag in cache_tags.list_tags(model, code, parts)]
    return tags if new else tags + referrers(model, [instance.pk])


def _saved(sender, instance, created=False, **kwargs):
    if changes_public_pages(sender):
        content_changed_on_commit(*changes_of_instance(instance, new=created))


def _deleted(sender, instance, **kwargs):
    if changes_public_pages(sender):
        content_changed_on_commit(*changes_of_instance(instance, gone=True))


def _relation_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and changes_public_pages(type(instance)):
        model = type(instance)
        codes = instance.editions() if hasattr(instance, "editions") else edition_codes()
        tags = [cache_tags.item_tag(model, instance.pk)]
        # (Parts are made of the row's own fields, which a relation does not change.)
        lists = (tag for code in codes for tag in cache_tags.list_tags(model, code, parts=()))
        content_changed_on_commit(*tags, *lists)


def connect_signals():
    """Called once by ``NejatConfig.ready()``."""
    post_save.connect(_saved, dispatch_uid="nejat.publishing.public_changes.saved")
    post_delete.connect(_deleted, dispatch_uid="nejat.publishing.public_changes.deleted")
    m2m_changed.connect(_relation_changed, dispatch_uid="nejat.publishing.public_changes.relation")
