import html
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import ItemBase

from nejat.comments.models import Commentable
from nejat.editions import current_edition, edition_codes, edition_slugify, localized_field
from nejat.media.images import ResponsiveImageField, rendition_field
from nejat.media.richtext import RichTextField
from nejat.media.validators import validate_pdf
from nejat.models import Tag
from nejat.publishing import (
    Publishable,
    PublishableQuerySet,
    fill_missing_slugs,
    public_condition,
)
from nejat.publishing.public_changes import PublicChangesQuerySet
from nejat.publishing.search import searchable

# The sanitiser (nejat.media.richtext) writes tags in lower case with attributes it allows.
FIRST_PARAGRAPH = re.compile(r"\s*<p(?:\s[^>]*)?>")


class Category(models.Model):
    """A section of the site ("Human Rights", "Analysis"). Translated: name, slug, description."""

    name = models.CharField(_("name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, blank=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position in menus"), default=0)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        related_name="subcategories",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("A wider category whose page also lists this one's articles."),
    )
    changes_public_pages = (
        True  # saving or deleting one refreshes cached pages (nejat.publishing.public_changes)
    )
    objects = PublicChangesQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["position", "pk"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        # One category per address in each edition (an edition without the category has "").
        constraints = [
            models.UniqueConstraint(
                fields=[f"slug_{code}"],
                condition=~models.Q(**{f"slug_{code}": ""}),
                name=f"category_unique_slug_{code}",
                violation_error_message=_("Another category already has this address."),
            )
            for code, _name in settings.LANGUAGES
        ]

    def __str__(self):
        return self.name or next(filter(None, self.names().values()), f"#{self.pk}")

    def save(self, *args, **kwargs):
        fill_missing_slugs(self, source="name")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.url_in(current_edition()) if self.in_edition(current_edition()) else ""

    def clean(self):
        if not any(self.names().values()):
            raise ValidationError(_("Give the category a name in at least one language."))
        fill_missing_slugs(self, source="name")  # before the unique checks that follow clean()

    def names(self):
        return {code: getattr(self, localized_field("name", code)) for code in edition_codes()}

    def in_edition(self, code):
        return bool(getattr(self, localized_field("slug", code)))

    def url_in(self, code):
        with translation.override(code):
            slug = getattr(self, localized_field("slug", code))
            return reverse("articles:category", kwargs={"slug": slug})


class ArticleQuerySet(PublishableQuerySet):
    def for_reading(self):
        """Without the generated search columns (``nejat.publishing.search``): large, and never
        shown."""
        return self.defer(*(f"search_{code}" for code in edition_codes()))

    def for_list(self):
        """What a list entry shows, fetched in the same query, and not the other editions'
        bodies (the entry's excerpt may come from this edition's body; there is no fallback
        between languages): with the search columns, they are most of a row."""
        edition = current_edition()
        other_bodies = [
            localized_field("body", code) for code in edition_codes() if code != edition
        ]
        return self.for_reading().select_related("category").defer(*other_bodies)

    def in_category(self, category):
        """A category's articles and its subcategories' (as WordPress's category archives),
        as parts of the list (``Article.list_parts``): an article published in another
        category leaves this one's pages kept."""
        family = [category.pk, *category.subcategories.values_list("pk", flat=True)]
        parts = (Article.category_part(pk) for pk in family)
        return self.filter(category__in=family).listed_in(*parts)


@searchable(title="A", lead="B", body="C")
class Article(Publishable, Commentable):
    listed_by = ("category", "pinned")  # category pages; pinned first on the home page

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        related_name="articles",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    dateline = models.CharField(
        _("dateline"), max_length=100, blank=True, help_text=_('Shown before the body: "TEHRAN -"')
    )
    body = RichTextField(_("body"))
    author = models.CharField(
        _("author"),
        max_length=200,
        blank=True,
        help_text=_("The writer's name; the article is listed on the author's archive page."),
    )
    author_slug = models.SlugField(
        _("author slug"), max_length=200, blank=True, allow_unicode=True, editable=False
    )
    byline = models.CharField(
        _("byline"),
        max_length=200,
        blank=True,
        help_text=_('As printed: "By: Sara Karimi – Nejat Weekly" or "Nejat Correspondent".'),
    )
    pinned = models.BooleanField(
        _("pinned to the home page"),
        default=False,
        help_text=_("Shown first on the home page while it is published (WordPress's sticky)."),
    )
    editor_initials = models.CharField(
        _("editor initials"), max_length=30, blank=True, help_text=_('Shown at the end: "MHA/PA"')
    )

    featured_image = ResponsiveImageField(
        _("featured image"),
        upload_to="articles/%Y/%m/",
        blank=True,
        width_field="featured_image_width",
        height_field="featured_image_height",
        renditions_field="featured_image_renditions",
    )
    featured_image_renditions = rendition_field()
    featured_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    featured_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_caption = models.CharField(_("image caption"), max_length=300, blank=True)
    image_alt = models.CharField(
        _("image alt text"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    image_credit = models.CharField(_("image credit"), max_length=200, blank=True)

    source_name = models.CharField(_("source outlet"), max_length=200, blank=True)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    source_date = models.DateField(_("first published on"), null=True, blank=True)

    pdf = models.FileField(
        _("PDF attachment"),
        upload_to="articles/pdf/%Y/",
        blank=True,
        validators=[validate_pdf],
        help_text=_("The full paper, offered below the article."),
    )
    related = models.ManyToManyField(
        "self",
        verbose_name=_("also read"),
        symmetrical=False,
        blank=True,
        related_name="+",
    )
    # Related articles found or chosen for it ("articles.related"): a relation, so that an
    # article that joins or leaves the lists changes the pages that suggest it
    # (``nejat.publishing.public_changes.referrers``).
    suggested = models.ManyToManyField(
        "self",
        through="RelatedSuggestion",
        through_fields=("article", "suggestion"),
        symmetrical=False,
        blank=True,
        editable=False,
        related_name="+",
    )
    tags = TaggableManager(_("tags"), through="TaggedArticle", blank=True)

    objects = ArticleQuerySet.as_manager()
    detail_url_name = "articles:detail"
    card_image_field, card_alt_field = "featured_image", "image_alt"

    class Meta(Publishable.Meta):
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        # One per edition, in the lists' order and holding only what they show: a list page,
        # however deep, is found in the index alone (nejat.delivery.pagination).
        indexes = [
            models.Index(
                fields=["-publish_at", "-id"],
                condition=public_condition(code),
                name=f"article_pub_{code}",
            )
            for code in edition_codes()
        ]

    @staticmethod
    def category_part(category_id):
        return f"category:{category_id}"

    @classmethod
    def list_parts(cls, listing):
        """A category's pages show its part of the lists (``ArticleQuerySet.in_category``)."""
        category_id = cls.listed_value(listing, "category_id")
        return (cls.category_part(category_id),) if category_id else ()

    def fill_derived_fields(self):
        super().fill_derived_fields()
        set_author_slugs(self)

    def structured_data(self, ld):
        """schema.org NewsArticle (``ld``: ``nejat.templatetags.seo.JsonLd``)."""
        data = {
            "@type": "NewsArticle",
            "headline": self.title[:110],
            "description": ld.description(self),
            "datePublished": self.publish_at,
            "dateModified": self.updated_at,
            "inLanguage": ld.edition,
            "mainEntityOfPage": ld.url(self.get_absolute_url()),
            "publisher": ld.organization(),
            "author": {"@type": "Person", "name": self.author}
            if self.author
            else ld.organization(),
        }
        if image := ld.image_url(self):
            data["image"] = [image]
        return data

    def author_url(self):
        return (
            reverse("articles:author", kwargs={"slug": self.author_slug})
            if self.author_slug
            else ""
        )

    def month_url(self):
        local = timezone.localtime(self.publish_at)
        return reverse("articles:month", kwargs={"year": local.year, "month": local.month})

    def edition_tags(self):
        """The tags of the current edition (each edition keeps its own); uses prefetched tags."""
        return [tag for tag in self.tags.all() if tag.language == current_edition()]

    def excerpt(self, words=40):
        """The lead, or the start of the body as plain text, for lists and share cards."""
        return self.lead or Truncator(html.unescape(strip_tags(self.body))).words(words)

    def body_with_dateline(self):
        """The body with "TEHRAN -" opening its first paragraph, as newspapers print it. A body that
        starts with anything else (a heading, a quote, a figure) gets the dateline in a paragraph
        of its own before it, never inside a heading."""
        body = mark_safe(self.body)  # sanitised on save (nejat.media.richtext)
        if not self.dateline:
            return body
        dateline = format_html('<span class="dateline">{} -</span> ', self.dateline)
        first_paragraph = FIRST_PARAGRAPH.match(body)
        if first_paragraph:
            end = first_paragraph.end()
            return mark_safe(body[:end] + dateline + body[end:])  # both safe
        return format_html('<p class="dateline-alone">{}</p>{}', dateline, body)


def set_author_slugs(article):
    """Each language's author slug follows that language's author name (the archive address)."""
    for code in edition_codes():
        name = getattr(article, localized_field("author", code)) or ""
        setattr(article, localized_field("author_slug", code), edition_slugify(name, code)[:200])


class TaggedArticle(ItemBase):
    """Links articles to edition tags (``nejat.Tag``)."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_once")
        ]


class RelatedSuggestion(models.Model):
    """An article offered under another in one edition ("Related articles"): found by shared
    tags and similar words (``articles.related``), or pinned or removed by an editor. The
    editors' choices outlast each new search; the found ones are replaced."""

    class Choice(models.TextChoices):
        FOUND = "found", _("found")
        PINNED = "pinned", _("pinned: always shown, first")
        REMOVED = "removed", _("removed: never shown")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestions")
    suggestion = models.ForeignKey(
        Article, verbose_name=_("related article"), on_delete=models.CASCADE, related_name="+"
    )
    edition = models.CharField(_("edition"), max_length=5, choices=settings.LANGUAGES)
    score = models.FloatField(_("score"), default=0, editable=False)
    choice = models.CharField(_("shown"), max_length=8, choices=Choice.choices,
                              default=Choice.PINNED)  # fmt: skip

    class Meta:
        verbose_name = _("related article")
        verbose_name_plural = _("related articles")
        ordering = ["edition", "-choice", "-score"]  # pinned before found
        constraints = [
            models.UniqueConstraint(
                fields=["article", "suggestion", "edition"], name="one_suggestion_per_edition"
            )
        ]

    def __str__(self):
        return f"{self.article_id} → {self.suggestion_id} ({self.edition}, {self.choice})"
