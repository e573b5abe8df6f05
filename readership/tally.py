"""Where beacons gather between flushes: Redis when the site has it (``REDIS_URL``), otherwise
an UNLOGGED table in PostgreSQL (``Hit``). Both give the flush (``readership.flushing``) the same
``Taken``: what was gathered since the last flush, each beacon in exactly one flush.

- **Redis**: one round trip a beacon (``HINCRBY`` on three hashes, ``SADD`` to the day's set
  of visitor hashes, exact where a HyperLogLog would be off by about 1%: some 80 bytes a
  visitor, for three days). A flush renames the hashes to a batch of its own, counts it, records
  the batch in PostgreSQL in the same transaction as the counts, and only then deletes it: a
  flush that stopped between the two finds the batch again and, seeing it recorded, only
  deletes it.
- **PostgreSQL**: one INSERT a beacon into an unlogged table (no write-ahead log, no wait for
  the disk). A flush deletes the rows it counts (``DELETE … RETURNING``) in the transaction
  that writes the counts. Visitors' hashes wait in ``Visitor`` until their day is over.
"""

import functools
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import connection

from readership.models import Flush, Hit, Visitor

# The migration that makes the table makes it unlogged (readership/migrations).
UNLOGGED = "ALTER TABLE readership_hit SET UNLOGGED"
LOGGED = "ALTER TABLE readership_hit SET LOGGED"
SEPARATOR = "\t"  # between the parts of a Redis field: none of them may hold it
INSERT_HIT = (
    "INSERT INTO readership_hit (day, edition, item, referrer, search, visitor)"
    " VALUES (%s, %s, %s, %s, %s, %s)"
)


@dataclass(frozen=True)
class Beacon:
    day: date
    edition: str
    item: str  # "app_label.model:pk", or "" for a page that is not an item
    referrer: str  # a domain, or ""
    search: str  # a search that found nothing, or ""
    visitor: bytes


@dataclass
class Taken:
    views: Counter = field(default_factory=Counter)  # (day, edition, item): views
    referrers: Counter = field(default_factory=Counter)  # (day, edition, domain): views
    searches: Counter = field(default_factory=Counter)  # (day, edition, query): searches
    visitors: dict = field(default_factory=dict)  # (day, edition): visitors that day so far
    batch: str = ""  # a Redis batch, recorded with the counts

    def __bool__(self):
        return bool(self.views or self.referrers or self.searches)


@functools.cache
def tally():
    url = settings.READERSHIP["REDIS_URL"]
    return RedisTally(url) if url else TableTally()


class Unavailable(Exception):
    """The tally cannot take a beacon now (Redis away): the beacon is answered 503, not lost in
    silence."""


class TableTally:
    def add(self, beacon):
        # One statement, without the ORM's model instance: this runs once per page view.
        with connection.cursor() as cursor:
            values = (beacon.day, beacon.edition, beacon.item, beacon.referrer, beacon.search)
            cursor.execute(INSERT_HIT, [*values, beacon.visitor])

    def take(self, rows_at_once=50_000):
        """What waits, deleted as it is read: call inside the transaction that writes it."""
        taken = Taken()
        seen = set()
        table = connection.ops.quote_name(Hit._meta.db_table)
        with connection.cursor() as cursor:
            while True:
                cursor.execute(
                    f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} ORDER BY id"  # noqa: S608
                    " LIMIT %s FOR UPDATE SKIP LOCKED)"
                    " RETURNING day, edition, item, referrer, search, visitor",
                    [rows_at_once],
                )
                rows = cursor.fetchall()
                for day, edition, item, referrer, search, visitor in rows:
                    taken.views[day, edition, item] += 1
                    if referrer:
                        taken.referrers[day, edition, referrer] += 1
                    if search:
                        taken.searches[day, edition, search] += 1
                    seen.add((day, edition, bytes(visitor)))
                if len(rows) < rows_at_once:
                    break
        Visitor.objects.bulk_create(
            [Visitor(day=day, edition=edition, hash=visitor) for day, edition, visitor in seen],
            ignore_conflicts=True,
            batch_size=5000,
        )
        for day, edition in {(day, edition) for day, edition, _ in seen}:
            taken.visitors[day, edition] = Visitor.objects.filter(day=day, edition=edition).count()
        return taken

    def done(self, taken):
        pass

    def forget_before(self, day):
        Visitor.objects.filter(day__lt=day).delete()


class RedisTally:
    PREFIX = "readership:"
    HASHES = ("views", "referrers", "searches")

    def __init__(self, url):
        import redis

        self.redis = redis.Redis.from_url(url)
        self.errors = redis.RedisError

    def add(self, beacon):
        day, edition, p = beacon.day.isoformat(), beacon.edition, self.PREFIX
        pipe = self.redis.pipeline(transaction=False)
        pipe.hincrby(f"{p}views", SEPARATOR.join((day, edition, beacon.item)), 1)
        if beacon.referrer:
            pipe.hincrby(f"{p}referrers", SEPARATOR.join((day, edition, beacon.referrer)), 1)
        if beacon.search:
            pipe.hincrby(f"{p}searches", SEPARATOR.join((day, edition, beacon.search)), 1)
        visitors = f"{p}visitors:{day}:{edition}"
        pipe.sadd(visitors, beacon.visitor)
        pipe.expire(visitors, 3 * 86400)
        try:
            pipe.execute()
        except self.errors as error:
            raise Unavailable(f"Redis: {error}") from error

    def take(self):
        """A batch left by a flush that stopped, or else what gathered since the last."""
        for key in self.redis.scan_iter(f"{self.PREFIX}batch:*:views"):
            batch = key.decode().split(":")[2]
            if Flush.objects.filter(batch=batch).exists():
                self.done(Taken(batch=batch))  # counted: only its deletion was missing
                continue
            return self.read(batch)
        batch = secrets.token_hex(8)
        pipe = self.redis.pipeline(transaction=True)
        for name in self.HASHES:
            pipe.hset(f"{self.PREFIX}{name}", "", 0)  # so that every hash exists to be renamed
            pipe.rename(f"{self.PREFIX}{name}", f"{self.PREFIX}batch:{batch}:{name}")
        pipe.execute()
        return self.read(batch)

    def read(self, batch):
        taken = Taken(batch=batch)
        counters = {"views": taken.views, "referrers": taken.referrers,
                    "searches": taken.searches}  # fmt: skip
        for name, counter in counters.items():
            for key, count in self.redis.hgetall(f"{self.PREFIX}batch:{batch}:{name}").items():
                if key:
                    day, edition, what = key.decode().split(SEPARATOR)
                    counter[date.fromisoformat(day), edition, what] += int(count)
        for day, edition in {(day, edition) for day, edition, _ in taken.views}:
            key = f"{self.PREFIX}visitors:{day.isoformat()}:{edition}"
            taken.visitors[day, edition] = self.redis.scard(key)
        Flush.objects.create(batch=batch)
        return taken

    def done(self, taken):
        """After the counts committed: the batch can go."""
        if taken.batch:
            self.redis.delete(*(f"{self.PREFIX}batch:{taken.batch}:{name}"
                                for name in self.HASHES))  # fmt: skip

    def forget_before(self, day):
        pass  # the sets of visitors expire by themselves
