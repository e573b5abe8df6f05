"""Books, Nejat Newsletter issues and Pars Brief digests.

All three are ``Publishable`` (title, slug, lead, status, publish time, translated with
modeltranslation), so the one published rule, the editions and the staff preview apply as they
do to articles. Newsletter items and brief entries are ordered rows edited inline in the admin;
an edition shows the rows that have text in its language.
"""

import logging
from pathlib import PurePath

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nejat.comments.models import Commentable
from nejat.editions import current_edition, localized_field
from nejat.media.images import ResponsiveImageField, rendition_field
from nejat.media.pdf import PdfProblem, first_page_cover, pdf_source
from nejat.media.richtext import RichTextField
from nejat.media.validators import validate_pdf
from nejat.publishing import Publishable, PublishableQuerySet
from nejat.publishing.public_changes import PublicChangesQuerySet
from nejat.publishing.search import searchable
from publications.validators import normalize_isbn, validate_isbn

logger = logging.getLogger(__name__)


class CoverAndPdf(models.Model):
    """A cover image and a PDF; without a cover, the PDF's first page becomes one.

    The PDF's size is stored with it, so pages show "2.4 MB" without asking the storage.
    """

    cover = ResponsiveImageField(
        _("cover"),
        upload_to="publications/covers/%Y/",
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
        renditions_field="cover_renditions",
        help_text=_("Left empty, the first page of the PDF becomes the cover."),
    )
    cover_renditions = rendition_field()
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_from_pdf = models.BooleanField(
        _("cover made from the PDF"), default=False, editable=False
    )
    pdf = models.FileField(
        _("PDF"), upload_to="publications/pdf/%Y/", blank=True, validators=[validate_pdf]
    )
    pdf_size = models.PositiveBigIntegerField(_("PDF size"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"pdf", "cover"} & set(update_fields):
            self.refresh_from_pdf()
        super().save(*args, **kwargs)

    def refresh_from_pdf(self):
        """Keep the size, and the cover when it is missing or was made from a replaced PDF."""
        new_pdf = bool(self.pdf) and not self.pdf._committed
        if self.cover and not self.cover._committed:
            self.cover_from_pdf = False  # the editor's own cover
        if not self.pdf:
            self.pdf_size = None
            return
        if new_pdf or self.pdf_size is None:
            self.pdf_size = self.pdf.size
        if not self.cover or (new_pdf and self.cover_from_pdf):
            self.make_cover_from_pdf()

    def make_cover_from_pdf(self):
        name = f"{PurePath(self.pdf.name).stem}-cover.jpg"
        try:
            # Assigned, not saved: the field stores it and writes its renditions on save.
            self.cover = first_page_cover(pdf_source(self.pdf), name)
        except PdfProblem:
            # Uploads are checked before they get here; a stored file may still be unreadable.
            logger.warning("No cover: PDFium cannot read %s", self.pdf.name)
            return
        self.cover_from_pdf = True


@searchable(title="A", lead="B")
class Newsletter(Publishable, Commentable, CoverAndPdf):
    """A Nejat Newsletter issue: number, date, cover, the PDF and "Inside This Issue"."""

    listed_by = ("issue_date", "number")  # the order of issues

    number = models.PositiveIntegerField(
        _("issue number"),
        unique=True,
        error_messages={"unique": _("There is already a newsletter issue with this number.")},
    )
    issue_date = models.DateField(_("issue date"), default=timezone.localdate)

    objects = PublishableQuerySet.as_manager()
    detail_url_name = "publications:newsletter_detail"
    card_image_field = "cover"

    class Meta(Publishable.Meta):
        ordering = ["-issue_date", "-number"]
        get_latest_by = "issue_date"
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")

    def __str__(self):
        return _("No. %(number)s – %(title)s") % {"number": self.number, "title": super().__str__()}


class EditionRowQuerySet(PublicChangesQuerySet):
    """Rows of an issue that have text in the edition's language (``text_field``)."""

    def in_edition(self, code=None):
        field = localized_field(self.model.text_field, code or current_edition())
        return self.filter(**{f"{field}__gt": ""})


class OrderedRow(models.Model):
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Left at 0, the row goes after the others.")
    )

    objects = EditionRowQuerySet.as_manager()
    changes_public_pages = (
        True  # saving or deleting one refreshes cached pages (nejat.publishing.public_changes)
    )
    parent_field = None
    text_field = None

    class Meta:
        abstract = True
        base_manager_name = "objects"
        ordering = ["position", "pk"]

    def save(self, *args, **kwargs):
        if not self.position:
            siblings = type(self).objects.filter(
                **{self.parent_field: getattr(self, self.parent_field)}
            )
            last = siblings.aggregate(last=models.Max("position"))["last"] or 0
            self.position = min(last + 1, 32767)
        super().save(*args, **kwargs)


class NewsletterItem(OrderedRow):
    """One line of "Inside This Issue": a title and a short summary, in the issue's editions."""

    newsletter = models.ForeignKey(
        Newsletter, verbose_name=_("issue"), related_name="items", on_delete=models.CASCADE
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    page = models.PositiveSmallIntegerField(
        _("page in the PDF"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Readers can open the PDF at this page."),
    )

    parent_field = "newsletter"
    text_field = "title"

    class Meta(OrderedRow.Meta):
        verbose_name = _("item inside this issue")
        verbose_name_plural = _("inside this issue")

    def __str__(self):
        return self.title or f"#{self.pk}"


@searchable(title="A", lead="B")
class Brief(Publishable, Commentable):
    """A Pars Brief digest: numbered and dated, a list of short entries under optional headings."""

    listed_by = ("issue_date", "number")  # the order of issues

    number = models.PositiveIntegerField(
        _("number"),
        unique=True,
        error_messages={"unique": _("There is already a Pars Brief with this number.")},
    )
    issue_date = models.DateField(_("date"), default=timezone.localdate)

    objects = PublishableQuerySet.as_manager()
    detail_url_name = "publications:brief_detail"

    class Meta(Publishable.Meta):
        ordering = ["-issue_date", "-number"]
        get_latest_by = "issue_date"
        verbose_name = _("Pars Brief")
        verbose_name_plural = _("Pars Briefs")

    def __str__(self):
        return _("No. %(number)s – %(title)s") % {"number": self.number, "title": super().__str__()}

    def sections(self):
        """The (prefetched) entries grouped under their sub-headings: [(heading, [entries])].

        Entries before the first sub-heading form a group without a heading; a sub-heading with no
        entries in this edition is left out.
        """
        groups = [(None, [])]
        for entry in self.entries.all():
            if entry.kind == BriefEntry.Kind.HEADING:
                groups.append((entry, []))
            else:
                groups[-1][1].append(entry)
        return [(heading, entries) for heading, entries in groups if entries]


class BriefEntry(OrderedRow):
    class Kind(models.TextChoices):
        ITEM = "item", _("item")
        HEADING = "heading", _("sub-heading")

    brief = models.ForeignKey(
        Brief, verbose_name=_("Pars Brief"), related_name="entries", on_delete=models.CASCADE
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.ITEM,
        help_text=_('A sub-heading ("In English:") groups the items after it.'),
    )
    text = models.TextField(_("text"), blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)

    parent_field = "brief"
    text_field = "text"

    class Meta(OrderedRow.Meta):
        verbose_name = _("entry")
        verbose_name_plural = _("entries")

    def __str__(self):
        return (self.text or "")[:60] or f"#{self.pk}"


@searchable(title="A", lead="B", author="B", description="C")
class Book(Publishable, Commentable, CoverAndPdf):  # noqa: DJ008 - Publishable.__str__: the title
    class LinkKind(models.TextChoices):
        DOWNLOAD = "download", _("Download the book")
        BUY = "buy", _("Buy the book")
        READ = "read", _("Read the book online")

    author = models.CharField(_("author"), max_length=300, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1000), MaxValueValidator(2200)],
    )
    isbn = models.CharField(
        _("ISBN"),
        max_length=24,
        blank=True,
        validators=[validate_isbn],
        help_text=_("ISBN-10 or ISBN-13, with or without hyphens; checked when given."),
    )
    description = RichTextField(_("description"))
    link = models.URLField(
        _("link"),
        max_length=500,
        blank=True,
        help_text=_("Where readers buy, download or read the book elsewhere."),
    )
    link_kind = models.CharField(
        _("the link is to"), max_length=10, choices=LinkKind.choices, default=LinkKind.DOWNLOAD
    )

    objects = PublishableQuerySet.as_manager()
    detail_url_name = "publications:book_detail"
    card_image_field = "cover"

    class Meta(Publishable.Meta):
        verbose_name = _("book")
        verbose_name_plural = _("books")

    def clean_fields(self, exclude=None):
        self.isbn = normalize_isbn(self.isbn)  # before validate_isbn reads it
        super().clean_fields(exclude)

    def fill_derived_fields(self):
        super().fill_derived_fields()
        self.isbn = normalize_isbn(self.isbn)  # whoever saves: stored without hyphens

    def structured_data(self, ld):
        """schema.org Book."""
        data = {
            "@type": "Book",
            "name": self.title,
            "description": ld.description(self),
            "inLanguage": ld.edition,
            "url": ld.url(self.get_absolute_url()),
        }
        if self.author:
            data["author"] = {"@type": "Person", "name": str(self.author)}
        for name in ("publisher", "isbn"):
            if value := getattr(self, name):
                data[name] = str(value)
        if self.year:
            data["datePublished"] = str(self.year)
        if image := ld.image_url(self):
            data["image"] = image
        return data
