"""The periodic flush: what the tally gathered, added to the daily counts in one transaction.

Views of an item that is not public in the beacon's edition (a draft seen in a preview, an
item moved to the trash since, an address made up) are not counted, and the flush says how many
it left out. The day's visitors are the size of its set of hashes, written over the last count.
"""

import logging
from collections import Counter, defaultdict
from datetime import timedelta

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from nejat.publishing import Publishable
from readership import visitors
from readership.models import DailyReferrer, DailyViews, DailyVisitors, EmptySearch, Flush
from readership.tally import tally

logger = logging.getLogger(__name__)


def flush():
    """``{"views": counted, "left out": views of items not public, "visitors": …}``."""
    with transaction.atomic():
        if not one_at_a_time():
            return {"skipped": "another flush is running"}
        taken = tally().take()
        views, left_out = public_only(taken.views)
        add(DailyViews, ["day", "edition", "content_type_id", "object_id"], "views",
            [(*key, count) for key, count in views.items()])  # fmt: skip
        add(DailyReferrer, ["day", "edition", "domain"], "views",
            [(*key, count) for key, count in taken.referrers.items()])  # fmt: skip
        add(EmptySearch, ["day", "edition", "query"], "searches",
            [(*key, count) for key, count in taken.searches.items()])  # fmt: skip
        DailyVisitors.objects.bulk_create(
            [DailyVisitors(day=day, edition=edition, visitors=count)
             for (day, edition), count in taken.visitors.items()],
            update_conflicts=True, unique_fields=["day", "edition"], update_fields=["visitors"],
        )  # fmt: skip
        # A beacon of yesterday may still be on its way at midnight: its day's set of visitors
        # stays until the day after.
        day_before_yesterday = visitors.today() - timedelta(days=1)
        tally().forget_before(day_before_yesterday)
        visitors.forget_before(day_before_yesterday)
        Flush.objects.filter(done_at__date__lt=day_before_yesterday).delete()
    tally().done(taken)
    if left_out:
        logger.info("Readership: %d views of items not public were not counted.", left_out)
    return {"views": sum(views.values()), "left out": left_out,
            "visitors": sum(taken.visitors.values())}  # fmt: skip


def one_at_a_time():
    """A lock until the transaction ends; False if another flush holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext('readership.flush'))")
        return cursor.fetchone()[0]


def public_only(views):
    """``({(day, edition, content type id, object id): views}, views left out)``: pages that
    are not items count as they are; items only where they are public."""
    kept, left_out = Counter(), 0
    items = []  # (day, edition, model, pk, views)
    wanted = defaultdict(set)  # (model, edition): ids
    for (day, edition, item), count in views.items():
        model, pk = parse_item(item) if item else (None, None)
        if not item:
            kept[day, edition, None, None] += count
        elif model is None:
            left_out += count
        else:
            items.append((day, edition, model, pk, count))
            wanted[model, edition].add(pk)
    public = {
        (model, edition, pk)
        for (model, edition), ids in wanted.items()
        for pk in model.objects.public(edition).filter(pk__in=ids).values_list("pk", flat=True)
    }
    for day, edition, model, pk, count in items:
        if (model, edition, pk) in public:
            kept[day, edition, ContentType.objects.get_for_model(model).pk, pk] += count
        else:
            left_out += count
    return kept, left_out


def parse_item(item):
    """``(model, pk)`` of "app_label.model:pk" if it names a publishable model, or (None, None)."""
    label, _, pk = item.partition(":")
    try:
        model = apps.get_model(label)
        pk = int(pk)
    except (LookupError, ValueError):
        return None, None
    return (model, pk) if issubclass(model, Publishable) else (None, None)


def add(model, keys, counted, rows):
    """Add the counts of ``rows`` (key values…, count) to ``model``'s, in one statement."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    constraint = model._meta.constraints[0].name
    columns = [*keys, counted]
    types = [model._meta.get_field(name).db_type(connection) for name in columns]
    unnest = ", ".join(f"%s::{kind}[]" for kind in types)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({unnest})"  # noqa: S608
            f" ON CONFLICT ON CONSTRAINT {constraint}"
            f" DO UPDATE SET {counted} = {table}.{counted} + EXCLUDED.{counted}",
            [list(column) for column in zip(*rows, strict=True)],
        )
