"""The counts kept: views per item, edition and day; visitors per edition and day; referring
sites; searches that found nothing. No row holds an address, a cookie or a user agent; the
visitor hashes of the day (``Visitor``) are deleted once the day is counted, and the salt that
made them with it (``readership.visitors``)."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from nejat.editions import edition_codes

EDITIONS = [(code, code) for code in edition_codes()]


class Salt(models.Model):
    """The day's random salt of the visitor hashes: kept for that day only."""

    day = models.DateField(primary_key=True)
    value = models.BinaryField(max_length=32)

    def __str__(self):
        return str(self.day)


class Hit(models.Model):
    """A beacon waiting for the next flush, when there is no Redis. The table is UNLOGGED (not
    written to PostgreSQL's log: quicker, and emptied by a crash of the database server, which
    loses at most a minute of counts)."""

    day = models.DateField()
    edition = models.CharField(max_length=5)
    item = models.CharField(max_length=80, blank=True)  # "app_label.model:pk", or a page
    referrer = models.CharField(max_length=100, blank=True)
    search = models.CharField(max_length=100, blank=True)  # a search that found nothing
    visitor = models.BinaryField(max_length=16)

    def __str__(self):
        return f"{self.day} {self.edition} {self.item}"


class Visitor(models.Model):
    """A visitor's hash on a day, when there is no Redis: counted, then deleted with the day."""

    day = models.DateField()
    edition = models.CharField(max_length=5)
    hash = models.BinaryField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "edition", "hash"], name="one_visitor_a_day")
        ]

    def __str__(self):
        return f"{self.day} {self.edition}"


class Flush(models.Model):
    """A batch taken from Redis and counted: a flush that stopped after its commit does not
    count the batch again."""

    batch = models.CharField(max_length=40, primary_key=True)
    done_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.batch


class DailyViews(models.Model):
    day = models.DateField()
    edition = models.CharField(_("edition"), max_length=5, choices=EDITIONS)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True)
    object_id = models.PositiveBigIntegerField(null=True)  # both empty: the other pages
    views = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("views a day")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "edition", "content_type", "object_id"],
                name="one_count_per_item_a_day",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "day"])]

    def __str__(self):
        return f"{self.day} {self.edition} {self.content_type_id}:{self.object_id}: {self.views}"


class DailyVisitors(models.Model):
    day = models.DateField()
    edition = models.CharField(_("edition"), max_length=5, choices=EDITIONS)
    visitors = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "edition"], name="one_visitor_count_a_day")
        ]

    def __str__(self):
        return f"{self.day} {self.edition}: {self.visitors}"


class DailyReferrer(models.Model):
    day = models.DateField()
    edition = models.CharField(_("edition"), max_length=5, choices=EDITIONS)
    domain = models.CharField(max_length=100)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "edition", "domain"], name="one_referrer_count_a_day"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.edition} {self.domain}: {self.views}"


class EmptySearch(models.Model):
    """What readers searched for and the site did not have."""

    day = models.DateField()
    edition = models.CharField(_("edition"), max_length=5, choices=EDITIONS)
    query = models.CharField(max_length=100)
    searches = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "edition", "query"], name="one_empty_search_count_a_day"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.edition} {self.query}: {self.searches}"


class MostRead(models.Model):
    """Each edition's most read articles of the last seven days, as the refresh job last found
    them (``readership.most_read``): read by every page's sidebar, never counted there."""

    edition = models.CharField(max_length=5, primary_key=True)
    articles = models.JSONField(default=list)  # their ids, the most read first
    refreshed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.edition}: {self.articles}"
