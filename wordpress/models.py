"""What the import remembers: which WordPress item became which row, and the old addresses."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class ImportedItem(models.Model):
    """A WordPress item and what it became, keyed by (edition, kind, WordPress id): a second run
    of the same export finds it, and a changed item (another ``fingerprint``) is updated."""

    edition = models.CharField(max_length=10)
    kind = models.CharField(max_length=20)  # post, page, comment, category, tag, attachment
    wp_id = models.CharField(max_length=200)  # a post id, or a term's slug
    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True)
    item = GenericForeignKey("content_type", "object_id")
    file = models.CharField(max_length=500, blank=True)  # an attachment's stored file
    fingerprint = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "kind", "wp_id"], name="imported_once")
        ]

    def __str__(self):
        return f"{self.edition} {self.kind} {self.wp_id}"


class OldAddressQuerySet(models.QuerySet):
    def asked_for(self, host, paths, query):
        """The old address a request names: the old host's own before an any-host one."""
        found = self.filter(host__in=[host, ""], path__in=paths, query=query)
        return found.order_by("-host").first()


class OldAddress(models.Model):
    """An address of the old WordPress site: a request for it is answered with 301 to what the
    item became, in its edition (``wordpress.redirects``)."""

    host = models.CharField(
        _("old host"), max_length=200, blank=True, help_text=_("Empty: whatever host it comes to.")
    )
    path = models.CharField(_("old path"), max_length=1000)
    query = models.CharField(
        _("query"), max_length=200, blank=True, help_text=_('"p=123" for WordPress\'s ?p=123.')
    )
    edition = models.CharField(_("edition"), max_length=10)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    item = GenericForeignKey("content_type", "object_id")
    file = models.CharField(_("stored file"), max_length=500, blank=True)
    target = models.CharField(
        _("new address"),
        max_length=1000,
        blank=True,
        help_text=_("Where it goes instead of its item, e.g. /fa/articles/ (a path on this site)."),
    )

    objects = OldAddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")
        constraints = [
            models.UniqueConstraint(fields=["host", "path", "query"], name="one_old_address")
        ]

    def __str__(self):
        return f"{self.host}{self.path}" + (f"?{self.query}" if self.query else "")

    def new_url(self):
        """Where it now lives, or "" when its item is gone."""
        if self.target:
            return self.target
        if self.file:
            return default_storage.url(self.file)
        item = self.item
        if item is None or getattr(item, "trashed_at", None):
            return ""
        with translation.override(self.edition):
            return item.get_absolute_url()


class ImportRun(models.Model):
    """An import a superuser started in the admin; it runs in the background (wordpress.runs)
    and its row shows the progress and, at the end, the report."""

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    export = models.FileField(
        _("WordPress export"),
        upload_to="wordpress/exports/",
        help_text=_("The .xml file of WordPress's Tools → Export → All content."),
    )
    edition = models.CharField(_("edition"), max_length=10, choices=settings.LANGUAGES)
    old_host = models.CharField(_("old host"), max_length=200, blank=True)
    old_prefix = models.CharField(_("old path prefix"), max_length=100, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False, help_text=_("Report only."))
    mapping = models.FileField(
        _("category mapping"),
        upload_to="wordpress/exports/",
        blank=True,
        help_text=_('TOML: [categories] then lines such as "cartoons" = "cartoon".'),
    )
    translations = models.FileField(
        _("translations"),
        upload_to="wordpress/exports/",
        blank=True,
        help_text=_("CSV with en,fa,ar,sq columns of WordPress ids (or TOML): one item each row."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.WAITING
    )
    done = models.PositiveIntegerField(_("items done"), default=0)
    total = models.PositiveIntegerField(_("items"), default=0)
    report = models.TextField(_("report"), blank=True)
    items = models.TextField(
        _("item report"),
        blank=True,
        help_text=_("CSV: one row for every item or problem to look at (wordpress.report)."),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_edition_display()}: {self.export.name.rsplit('/', 1)[-1]}"
