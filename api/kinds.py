"""What the API serves: each kind of item, with the model it reads, how a list of it is fetched
(in one query, and one per prefetched relation), and its own fields (``describe``).

Every list starts from the model's ``public()`` in the current edition: published, due, not in
the trash, with a title in the edition. That is the one rule the public pages follow too.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch

from api import describe, schemas
from articles.models import Article
from media_gallery.models import Cartoon, Gallery, NewsPic, Photo, Video
from nejat.editions import current_edition, edition_codes
from nejat.pages.models import Page
from publications.models import Book, Brief, BriefEntry, Newsletter, NewsletterItem


@dataclass(frozen=True)
class Kind:
    type: str  # in each item's "type", and the detail address's name ("api:article")
    path: str  # the list's address under /api/v1/
    model: type
    schema: type
    fields: Callable  # (request, item) -> the kind's own fields
    image: Callable = describe.card  # (request, item) -> the picture that stands for it
    prefetch: tuple = ()

    def public(self):
        """The edition's public items, with what their fields read, and without the columns
        they never show (search vectors, the other editions' bodies)."""
        queryset = self.model.objects.public()
        if self.model is Article:
            queryset = queryset.for_list()
        return lean(queryset).prefetch_related(*self.prefetch)


def lean(queryset):
    columns = {column.attname for column in queryset.model._meta.concrete_fields}
    code = current_edition()
    heavy = [f"search_{other}" for other in edition_codes()]
    heavy += [
        f"{name}_{other}"
        for name in ("body", "description")
        for other in edition_codes()
        if other != code
    ]
    return queryset.defer(*(name for name in heavy if name in columns))


ARTICLE = Kind(
    "article",
    "articles",
    Article,
    schemas.Article,
    describe.article,
    image=describe.article_image,
    prefetch=("tags",),
)
NEWSLETTER = Kind(
    "newsletter",
    "newsletters",
    Newsletter,
    schemas.Newsletter,
    describe.newsletter,
    prefetch=(Prefetch("items", NewsletterItem.objects.in_edition()),),
)
BRIEF = Kind(
    "brief",
    "briefs",
    Brief,
    schemas.Brief,
    describe.brief,
    prefetch=(Prefetch("entries", BriefEntry.objects.in_edition()),),
)
BOOK = Kind("book", "books", Book, schemas.Book, describe.book)
GALLERY = Kind(
    "gallery",
    "galleries",
    Gallery,
    schemas.Gallery,
    describe.gallery,
    prefetch=(Prefetch("photos", Photo.objects.order_by("position", "pk")),),
)
VIDEO = Kind("video", "videos", Video, schemas.Video, describe.video)
CARTOON = Kind(
    "cartoon",
    "cartoons",
    Cartoon,
    schemas.Cartoon,
    describe.cartoon,
    image=describe.cartoon_image,
)
NEWS_PICTURE = Kind(
    "news_picture",
    "news-pictures",
    NewsPic,
    schemas.NewsPicture,
    describe.news_picture,
    image=describe.news_picture_image,
)
PAGE = Kind("page", "pages", Page, schemas.Page, describe.page)

KINDS = (ARTICLE, NEWSLETTER, BRIEF, BOOK, GALLERY, VIDEO, CARTOON, NEWS_PICTURE, PAGE)
BY_MODEL = {kind.model: kind for kind in KINDS}
