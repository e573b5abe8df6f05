"""Publishing: what the public may see, and when it changes, written once.

The room also holds the schedule (``schedule``), review by editors (``review``), revisions and
what changed between them (``revisions``, ``revision_changes``), search (``search``), and
what every public change forgets (``cache_tags``, ``public_changes``). Neighbours: above
``media`` and ``editions``; ``delivery``, ``comments``, ``editorial`` and ``pages`` build on it.

Every content type the public reads inherits ``Publishable``; every list, page, feed, sitemap and
sidebar asks its queryset for ``.public()`` (``.published()`` and ``.in_edition()``), and a detail
page asks ``visible_to()`` who may preview what.

**Review**: Editors publish and schedule (the ``publish_<model>`` permission); Contributors
write drafts (``created_by``) and submit them as *Pending review* (``nejat.publishing.review``).

**The trash**: deleting an item, from any path (the admin, a bulk action, the shell,
``QuerySet.delete()``), moves it to the trash: ``trashed_at`` is set and nothing is removed, so
it leaves the site at once (nothing in the trash is published) and comes back with its
comments, tags, images and translations by ``restore_from_trash()``. ``delete_forever()`` is
the only true deletion: emptying the trash in the admin, or ``manage.py empty_trash`` for
what has been there ``TRASH_DAYS``.
"""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from nejat.editions import current_edition, edition_codes, edition_slugify, localized_field
from nejat.media.images import Picture
from nejat.publishing.public_changes import PublicChangesQuerySet


class Status(models.TextChoices):
    """What an editor chose; ``State`` is what that means now (the clock and the trash)."""

    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending review")
    PUBLISHED = "published", _("Published")


class State(models.TextChoices):
    """Where an item stands now, for readers and staff alike: one of these, never two."""

    LIVE = "live", _("Live")
    SCHEDULED = "scheduled", _("Scheduled")
    PENDING = "pending", _("Pending review")
    DRAFT = "draft", _("Draft")
    TRASH = "trash", _("In the trash")


# The one definition of each state: whether it is in the trash, its status, and whether its
# publish time has come. ``state_condition()`` makes a query of it, ``Publishable.state`` reads
# an item in hand with it; tests/test_publishing.py checks the two agree for every state.
STATE_RULES = {
    State.TRASH: {"trashed": True},
    State.LIVE: {"trashed": False, "status": Status.PUBLISHED, "due": True},
    State.SCHEDULED: {"trashed": False, "status": Status.PUBLISHED, "due": False},
    State.PENDING: {"trashed": False, "status": Status.PENDING},
    State.DRAFT: {"trashed": False, "status": Status.DRAFT},
}


def state_condition(state, now=None):
    """The ``Q`` of the items in ``state`` at ``now``."""
    rule, condition = STATE_RULES[state], Q(trashed_at__isnull=not STATE_RULES[state]["trashed"])
    if "status" in rule:
        condition &= Q(status=rule["status"])
    if "due" in rule:
        due = Q(publish_at__lte=now or timezone.now())
        condition &= due if rule["due"] else ~due
    return condition


def state_of(item, now=None):
    """The state of an item in hand, by the same rules."""
    now = now or timezone.now()
    facts = {
        "trashed": item.trashed_at is not None,
        "status": item.status,
        "due": item.publish_at <= now,
    }
    return next(
        state
        for state, rule in STATE_RULES.items()
        if all(facts[name] == value for name, value in rule.items())
    )


def public_condition(code):
    """The public rule without its clock: published, not in the trash, with a title in the
    edition's language. Written once for ``.public()`` and for the partial indexes that hold
    each edition's list (``Article.Meta.indexes``), which PostgreSQL uses only when the query
    implies their condition."""
    return Q(
        status=Status.PUBLISHED,
        trashed_at__isnull=True,
        **{f"{localized_field('title', code)}__gt": ""},
    )


class PublishableQuerySet(PublicChangesQuerySet):
    def in_state(self, state, now=None):
        return self.filter(state_condition(state, now))

    def published(self):
        """Live: published and due (a future publish time means scheduled), not in the trash."""
        return self.in_state(State.LIVE)

    def scheduled(self, now=None):
        return self.in_state(State.SCHEDULED, now)

    def outside_trash(self):
        return self.filter(trashed_at__isnull=True)

    def in_trash(self):
        return self.in_state(State.TRASH)

    def delete(self):
        """To the trash, one by one (each save refreshes caches and records a revision)."""
        items = list(self.outside_trash())
        for item in items:
            item.move_to_trash()
        return len(items), {self.model._meta.label: len(items)}

    delete.queryset_only = True

    def delete_forever(self):
        return super().delete()

    delete_forever.queryset_only = True

    def in_edition(self, code=None):
        """Items with a title in the edition's language: no silent fallback to another edition."""
        field = localized_field("title", code or current_edition())
        return self.filter(Q(**{f"{field}__gt": ""}))

    def public(self, code=None):
        """``.published().in_edition(code)``, in one condition."""
        condition = public_condition(code or current_edition())
        return self.filter(condition, publish_at__lte=timezone.now())


class Publishable(models.Model):
    """Fields shared by everything the public reads. Translated: title, slug, lead."""

    title = models.CharField(_("title"), max_length=300, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=300,
        blank=True,
        allow_unicode=True,
        help_text=_("Part of the address. Left empty, it is made from the title."),
    )
    lead = models.TextField(
        _("lead"), blank=True, help_text=_("Subtitle shown under the title and in lists.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        _("publish time"),
        default=timezone.now,
        db_index=True,
        help_text=_("A time in the future schedules the item: the public sees it from then on."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    trashed_at = models.DateTimeField(
        _("moved to the trash"), null=True, blank=True, editable=False, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PublishableQuerySet.as_manager()
    changes_public_pages = (
        True  # saving or deleting one refreshes cached pages (nejat.publishing.public_changes)
    )

    # What a list's membership and order depend on besides the editions (the titles) and the
    # publishing fields: a change of one of these forgets the lists of the item's editions, any
    # other change only the pages that show the item (``nejat.publishing.cache_tags``).
    listed_by = ()

    # The URL name of the detail page, which takes ``pk`` and ``slug``.
    detail_url_name = None
    # The image that stands for the item in lists, feeds, share cards and the admin, and its
    # alt text field: names of a ResponsiveImageField and a text field, or None.
    card_image_field = None
    card_alt_field = None

    class Meta:
        abstract = True
        ordering = ["-publish_at", "-pk"]
        get_latest_by = "publish_at"
        base_manager_name = (
            "objects"  # its bulk writes refresh caches too (nejat.publishing.public_changes)
        )
        # "publish_<model>": Editors publish and schedule; Contributors only write and submit.
        default_permissions = ("add", "change", "delete", "view", "publish")

    def __str__(self):
        """The title in the language being read or written (the Persian admin names an item by
        its Persian title), else in the first edition that has one."""
        codes = (current_edition(), *self.editions())
        return next((t for t in (self.title_in(c) for c in codes) if t), f"#{self.pk}")

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The item's page in the current edition, or in the first edition it exists in."""
        code = current_edition()
        if not self.in_edition(code) and self.editions():
            code = self.editions()[0]
        return self.url_in(code)

    def clean(self):
        super().clean()
        if not self.editions():
            raise ValidationError(_("Give the item a title in at least one language."))
        self.fill_derived_fields()  # before the unique checks that follow clean()

    def fill_derived_fields(self):
        """Fields made from other fields (slugs from titles), filled on every save whoever saves:
        the admin, an import, a demo loader, a factory, the shell. Subclasses add theirs."""
        fill_missing_slugs(self)

    # --- lists: what decides which lists show the item ---------------------------------------
    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if all(name in instance.__dict__ for name in cls.listing_fields()):  # none deferred
            instance._listed = instance.listing()
        return instance

    @classmethod
    def listing_fields(cls):
        """The attributes ``listing()`` reads: the publishing fields, the titles, ``listed_by``."""
        titles = [localized_field("title", code) for code in edition_codes()]
        attnames = [cls._meta.get_field(name).attname for name in cls.listed_by]
        return ("status", "publish_at", "trashed_at", *titles, *attnames)

    @classmethod
    def listed_value(cls, listing, attname):
        """The value of one of ``listing_fields()`` (not a title) in a ``listing()``."""
        titles = {localized_field("title", code) for code in edition_codes()}
        rest = [name for name in cls.listing_fields() if name not in titles]
        return listing[1 + rest.index(attname)]

    @classmethod
    def list_parts(cls, listing):
        """The parts of its editions' lists (``PublicChangesQuerySet.listed_in``) an item with
        this ``listing()`` is in: none here; an article, its category's."""
        return ()

    def listing(self):
        """What decides which lists show the item and where: its editions (which titles it
        has, not their words: a corrected title changes the pages that show the item, by its
        own tag), then the rest of ``listing_fields()``
        (``nejat.publishing.public_changes.changes_of_instance``)."""
        titles = {localized_field("title", code) for code in edition_codes()}
        rest = (getattr(self, name) for name in self.listing_fields() if name not in titles)
        return (tuple(self.editions()), *rest)

    # --- editions -------------------------------------------------------------------------------
    def title_in(self, code):
        return getattr(self, localized_field("title", code), "") or ""

    def in_edition(self, code):
        return bool(self.title_in(code))

    def editions(self):
        """Codes of the editions this item has text in, in the site's order."""
        return [code for code in edition_codes() if self.in_edition(code)]

    def card_image(self):
        """The item's picture in lists, feeds, share cards and the admin (falsy when none)."""
        if not self.card_image_field:
            return Picture(None, {})
        alt = getattr(self, self.card_alt_field) if self.card_alt_field else ""
        return getattr(self, f"{self.card_image_field}_picture").with_alt(alt)

    # --- publishing -----------------------------------------------------------------------------
    @property
    def state(self):
        """Live, scheduled, pending, draft or in the trash (``STATE_RULES``)."""
        return state_of(self)

    @property
    def is_published(self):
        """Live: what readers see (never an item in the trash)."""
        return self.state == State.LIVE

    @property
    def is_scheduled(self):
        return self.state == State.SCHEDULED

    # --- the trash (module docstring) ------------------------------------------------------------
    def delete(self, *args, **kwargs):
        """Moves the item to the trash; ``delete_forever()`` deletes it."""
        self.move_to_trash()
        return 0, {}

    def move_to_trash(self):
        if self.trashed_at is None:
            self.trashed_at = timezone.now()
            self.save(update_fields=["trashed_at", "updated_at"])

    def restore_from_trash(self):
        if self.trashed_at is not None:
            self.trashed_at = None
            self.save(update_fields=["trashed_at", "updated_at"])

    def delete_forever(self, *args, **kwargs):
        return super().delete(*args, **kwargs)

    @property
    def in_the_trash(self):
        return self.state == State.TRASH

    def publish(self):
        """Publish: at once for a draft whose publish time has passed (an old draft does not
        appear back in time), at the planned time for one scheduled ahead."""
        now = timezone.now()
        if self.status != Status.PUBLISHED and self.publish_at < now:
            self.publish_at = now
        self.status = Status.PUBLISHED

    def unpublish(self):
        """Back to a draft: readers no longer see it; its publish time is kept for next time."""
        self.status = Status.DRAFT

    def publish_now(self):
        """*Publish now*: out from this minute (a scheduled item is pulled forward, an old draft
        is not dated back); an item already out keeps its date."""
        if not self.is_published:
            self.publish_at = timezone.now()
        self.status = Status.PUBLISHED

    # --- addresses ------------------------------------------------------------------------------
    def get_short_url(self):
        """The address without its slug (it redirects to the full one): short share links."""
        return reverse(self.detail_url_name, kwargs={"pk": self.pk})

    def url_in(self, code):
        with translation.override(code):
            slug = getattr(self, localized_field("slug", code), "")
            kwargs = {"pk": self.pk, "slug": slug} if slug else {"pk": self.pk}
            return reverse(self.detail_url_name, kwargs=kwargs)


def fill_missing_slugs(item, source="title", target="slug"):
    """Give each language that has a title a slug in its own script: the one the editor typed,
    normalised as addresses are matched (ی/ک, digits), else one made from the title."""
    for code in edition_codes():
        slug_field = localized_field(target, code)
        title = getattr(item, localized_field(source, code), "")
        typed = getattr(item, slug_field, "") or ""
        if title or typed:
            max_length = item._meta.get_field(slug_field).max_length
            slug = edition_slugify(typed or title, code)[:max_length].strip("-")
            setattr(item, slug_field, slug)


def user_can_publish(user, model):
    """Editors publish and schedule; Contributors, moderators and readers do not."""
    opts = model._meta
    return user.is_active and user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


def visible_to(user, queryset):
    """What ``user`` may open on the public site: editors every item (drafts, pending and
    scheduled ones as previews), a contributor also their own, everyone the published."""
    if user_can_publish(user, queryset.model):
        return queryset
    published = queryset.published()
    if user.is_authenticated and user.is_active:
        return published | queryset.filter(created_by=user)
    return published


def may_see(user, item):
    """``visible_to`` for one item in hand, without a query."""
    if user_can_publish(user, type(item)):
        return True
    if item.is_published:
        return True
    return user.is_authenticated and user.is_active and item.created_by_id == user.pk


def publishable_models():
    """Every concrete content type the public reads, from the app registry."""
    return [model for model in apps.get_models() if issubclass(model, Publishable)]


def empty_trash(older_than=None):
    """Delete for good what has been in the trash ``TRASH_DAYS`` (or ``older_than``); the
    number deleted per model label."""
    cutoff = timezone.now() - (older_than or timedelta(days=settings.TRASH_DAYS))
    deleted = {}
    for model in publishable_models():
        expired = model.objects.in_trash().filter(trashed_at__lte=cutoff)
        for item in expired:
            item.delete_forever()  # one by one: files and revisions follow each
            deleted[model._meta.label] = deleted.get(model._meta.label, 0) + 1
    return deleted
