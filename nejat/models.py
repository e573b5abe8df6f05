from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase

from nejat.delivery.front_caches import (  # noqa: F401 (models of this app, with their rules)
    FrontCachedFragment,
    FrontCachedPage,
    PendingPurge,
)
from nejat.editions import (
    LIST_SEPARATORS,
    current_edition,
    edition_slugify,
    list_separator,
    normalize,
)
from nejat.media.uploads import StaleUpload  # noqa: F401 (a model of this app, kept with its sweep)
from nejat.publishing.cache_tags import CacheTag  # noqa: F401 (a model of this app, with its rule)
from nejat.publishing.public_changes import PublicChangesQuerySet


class Tag(TagBase):
    """A tag of one edition.

    django-taggit's tags cannot be translated with django-modeltranslation, and a Persian reader's
    tags are not an English reader's, so each edition keeps its own. Names are stored normalised
    (one spelling of ی/ک, ASCII digits), so the same word typed on another keyboard finds the tag.
    """

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, allow_unicode=True)
    language = models.CharField(_("edition"), max_length=8, choices=settings.LANGUAGES)
    changes_public_pages = (
        True  # saving or deleting one refreshes cached pages (nejat.publishing.public_changes)
    )
    objects = PublicChangesQuerySet.as_manager()
    # Set by the app that lists an edition's items with a tag (articles, in its AppConfig).
    page_url_name = None

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["language", "name"]
        constraints = [
            models.UniqueConstraint(fields=["language", "name"], name="tag_unique_name"),
            models.UniqueConstraint(fields=["language", "slug"], name="tag_unique_slug"),
            # ``item.tags.add("name")`` would make a tag of no edition: refuse it loudly.
            models.CheckConstraint(
                condition=models.Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="tag_language_is_an_edition",
            ),
        ]

    def get_absolute_url(self):
        return self.url_in(self.language)

    def slugify(self, tag, i=None):
        slug = edition_slugify(tag, self.language)
        return f"{slug}_{i}" if i is not None else slug

    def in_edition(self, code):
        return code == self.language

    def url_in(self, code):
        """The tag's page: the app that shows tag pages names its URL in ``page_url_name``."""
        if not self.page_url_name:
            return ""
        with translation.override(code):
            return reverse(self.page_url_name, kwargs={"slug": self.slug})


def tags_from_string(text):
    """Tag names as typed in a tag field (django-taggit's ``TAGGIT_TAGS_FROM_STRING``, so every
    tag field reads them alike): separated by the comma of any keyboard
    (``nejat.editions.LIST_SEPARATORS``), never by spaces: "محیط زیست" is one tag, as in
    WordPress. Quotes around a name, as taggit used to show names with spaces, are dropped."""
    names = (name.strip().strip('"').strip() for name in LIST_SEPARATORS.split(text or ""))
    return sorted({name for name in names if name})


def string_from_tags(tags):
    """A tag field's text (``TAGGIT_STRING_FROM_TAGS``): the names, unquoted, with the comma of
    their edition (``list_separator``): Persian tags typed "تهران، آب" come back so, not with a
    Latin comma. Tags of no edition (the media library's) take the admin's language."""
    tags = sorted(tags, key=lambda tag: tag.name)
    code = getattr(tags[0], "language", None) if tags else None
    return list_separator(code or current_edition()).join(tag.name for tag in tags)


def set_edition_tags(item, names_by_edition):
    """Replace ``item``'s tags with ``{"fa": ["آموزش", ...], "en": [...]}``, creating tags."""
    tags = []
    for code, names in names_by_edition.items():
        for name in names:
            name = normalize(name, code).strip()
            if edition_slugify(name, code):  # a tag of only punctuation has no address
                tags.append(Tag.objects.get_or_create(language=code, name=name)[0])
    item.tags.set(tags)
