"""Lists, the same for every kind: filters, a cursor, sparse fields.

- **Order**: newest first (publish time, then id), as the site lists them. With
  ``updated_since`` a list is a *sync*: oldest change first, by ``changed_at`` (the later of the
  last save and the publish time, so a scheduled item that came out counts as changed when it
  did), for a client that keeps a copy and asks again with the time it last saw.
- **Cursor**: ``next`` holds the address of the next page, with a cursor naming the last item
  of this one (its time and id, not a page number): each page is found in the index from that
  point, as fast at item 50,000 as at the first, and an item published meanwhile shifts nothing.
- **Sparse fields**: ``fields=id,title,url`` answers with those (``id`` and ``type`` always).
"""

import base64
import binascii
import json
from datetime import UTC, datetime

from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from ninja import Schema
from pydantic import Field

from api import describe, kinds
from api.answers import BadRequest
from articles.models import Category
from nejat.editions import current_edition, localized_field, normalize
from nejat.publishing import public_condition

CURSOR_VERSION = 1
LONGEST_CURSOR = 200  # ours are about 70 characters


class ListQuery(Schema):
    limit: int = Field(20, ge=1, le=100, description="Items a page")
    cursor: str | None = Field(None, description="From a previous page's `next`")
    published_after: datetime | None = Field(
        None, description="Published at or after (ISO 8601; without an offset, the site's time)"
    )
    published_before: datetime | None = Field(None, description="Published before")
    updated_since: datetime | None = Field(
        None, description="Changed at or after: the list becomes a sync, oldest change first"
    )
    fields: str | None = Field(None, description="Only these fields, by name, comma-separated")


class ArticleQuery(ListQuery):
    category: int | None = Field(None, description="A category's id (its subcategories too)")
    tagged: str | None = Field(None, description="A tag's slug in this edition")
    author: str | None = Field(None, description="An author's slug in this edition")


def page(request, kind, query):
    """``{"items": [...], "next": address or None}`` for ``query`` (a ``ListQuery``)."""
    sync = query.updated_since is not None
    items = ordered(filtered(kind, query), query.updated_since)
    if query.cursor:
        items = after(items, read_cursor(query.cursor, sync), sync)
    found = list(items[: query.limit + 1])
    more, found = len(found) > query.limit, found[: query.limit]
    names = sparse(kind, query.fields)
    described = [only(describe.item(request, kind, item), names) for item in found]
    following = None
    if more:
        last = found[-1]
        moment = last.changed_at if sync else last.publish_at
        following = next_address(request, query, cursor=cursor_of(sync, moment, last.pk))
    return {"items": described, "next": following}


def filtered(kind, query):
    items = kind.public()
    if query.published_after:
        items = items.filter(publish_at__gte=aware(query.published_after))
    if query.published_before:
        items = items.filter(publish_at__lt=aware(query.published_before))
    for name in ("category", "tagged", "author"):
        if getattr(query, name, None) is not None:
            items = FILTERS[name](items, getattr(query, name))
    return items


def in_category(items, pk):
    category = Category.objects.filter(pk=pk).first()
    if category is None:
        raise BadRequest("No category has this id.", "category")
    return items.in_category(category)


def tagged(items, slug):
    """A tag's articles; none for a slug no tag has (a 400 would tell which slugs exist, and a
    tag that only drafts carry is not for readers to know)."""
    code = current_edition()
    return items.filter(tags__language=code, tags__slug=normalize(plain_text(slug, "tagged"), code))


def by_author(items, slug):
    code = current_edition()
    slug = normalize(plain_text(slug, "author"), code)
    return items.filter(**{localized_field("author_slug", code): slug})


def plain_text(value, parameter):
    if "\x00" in value:
        raise BadRequest("A parameter cannot hold a NUL character.", parameter)
    return value


FILTERS = {"category": in_category, "tagged": tagged, "author": by_author}


def ordered(items, updated_since=None):
    """Newest first; or, for a sync, what changed at or after ``updated_since``, oldest first."""
    if updated_since is None:
        return items.order_by("-publish_at", "-pk")
    items = items.annotate(changed_at=Greatest(F("updated_at"), F("publish_at")))
    return items.filter(changed_at__gte=aware(updated_since)).order_by("changed_at", "pk")


def after(items, position, sync):
    """The items after the cursor's (time, id), in the list's order. The plain comparison on the
    time comes first, so PostgreSQL starts from that point in the index."""
    moment, pk = position
    if sync:
        return items.filter(changed_at__gte=moment).filter(Q(changed_at__gt=moment) | Q(pk__gt=pk))
    return items.filter(publish_at__lte=moment).filter(Q(publish_at__lt=moment) | Q(pk__lt=pk))


def aware(moment):
    """In UTC: a time without an offset is the site's; an offset Python takes but PostgreSQL
    refuses (16 hours or more) is worked out here."""
    moment = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    return moment.astimezone(UTC)


# --- Cursors ------------------------------------------------------------------------------------


def cursor_of(sync, moment, pk):
    return encode(
        json.dumps([CURSOR_VERSION, int(sync), moment.isoformat(), pk], separators=(",", ":"))
    )


def read_cursor(cursor, sync):
    """(time, id) from a cursor this API gave for a list of the same order, else a 400."""
    try:
        version, was_sync, moment, pk = json.loads(decode(cursor))
        moment = datetime.fromisoformat(moment)
        if version != CURSOR_VERSION or bool(was_sync) != sync or not isinstance(pk, int):
            raise ValueError
        return aware(moment), pk
    except (ValueError, TypeError, RecursionError, binascii.Error, UnicodeDecodeError):
        raise BadRequest(
            "This cursor is not one this list gave: follow a page's `next`.", "cursor"
        ) from None


def next_address(request, query, **changes):
    """The next page's address: this one's parameters as read (never the others the request
    carried: a kept answer's ``next`` is every client's), with ``changes``."""
    asked = {**query.model_dump(mode="json", exclude_none=True), **changes}
    return describe.absolute(request, request.path, **asked)


# --- What was removed ---------------------------------------------------------------------------


def removed(request, query):
    """Items of every kind that readers of the edition could see and no longer can (moved to
    the trash, made a draft, their edition's title taken away), whose last save was at or
    after ``query.since``, oldest first. (Also a scheduled item saved since: a client that
    never had it has nothing to remove.)"""
    since = aware(query.since)
    start = read_removed_cursor(query.cursor) if query.cursor else (since, -1, 0)
    rows = []
    for index, kind in enumerate(kinds.KINDS):
        gone = kind.model.objects.filter(updated_at__gte=since).exclude(
            public_condition(current_edition()), publish_at__lte=timezone.now()
        )
        gone = gone.filter(after_removed(start, index)).order_by("updated_at", "pk")
        rows += [
            (moment, index, pk)
            for pk, moment in gone.values_list("pk", "updated_at")[: query.limit + 1]
        ]
    rows.sort()
    more, rows = len(rows) > query.limit, rows[: query.limit]
    items = [
        {"type": kinds.KINDS[index].type, "id": pk, "changed_at": describe.moment(moment)}
        for moment, index, pk in rows
    ]
    following = None
    if more:
        moment, index, pk = rows[-1]
        data = json.dumps([CURSOR_VERSION, moment.isoformat(), index, pk], separators=(",", ":"))
        following = next_address(request, query, cursor=encode(data))
    return {"items": items, "next": following}


def after_removed(start, index):
    """Rows of the kind at ``index`` after the position (time, kind's index, id)."""
    moment, start_index, pk = start
    if index < start_index:
        return Q(updated_at__gt=moment)
    if index > start_index:
        return Q(updated_at__gte=moment)
    return Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=pk)


def read_removed_cursor(cursor):
    try:
        version, moment, index, pk = json.loads(decode(cursor))
        if version != CURSOR_VERSION or not isinstance(index, int) or not isinstance(pk, int):
            raise ValueError
        return aware(datetime.fromisoformat(moment)), index, pk
    except (ValueError, TypeError, RecursionError, binascii.Error, UnicodeDecodeError):
        raise BadRequest("This cursor is not one this list gave.", "cursor") from None


def encode(data):
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def decode(cursor):
    if len(cursor) > LONGEST_CURSOR:
        raise ValueError("not a cursor of ours")
    return base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode())


# --- Sparse fields ------------------------------------------------------------------------------

ALWAYS = ("id", "type")


def sparse(kind, fields):
    """The field names asked for (with ``ALWAYS``), or None for all; a 400 for a name the kind
    does not have."""
    if not fields:
        return None
    names = {name.strip() for name in fields.split(",") if name.strip()}
    unknown = names - set(kind.schema.model_fields)
    if unknown:
        known = ", ".join(sorted(kind.schema.model_fields))
        raise BadRequest(
            f"No such field: {', '.join(sorted(unknown))}. The fields are: {known}.", "fields"
        )
    return names | set(ALWAYS)


def only(described, names):
    if names is None:
        return described
    return {name: value for name, value in described.items() if name in names}
