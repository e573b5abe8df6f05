"""The API's addresses, each answered by a line or two: a list and an item for each kind
(``kinds``), the edition's categories, tags and authors, search, what was removed, and oEmbed.

``READS`` names the query parameters each address reads (by URL name): ``urls`` gives them to
the page cache, which keeps one answer per address and those parameters only.
"""

from datetime import datetime

from django.db.models import Count
from django.urls import reverse
from ninja import Query
from pydantic import Field

from api import describe, kinds, listing, oembed, schemas
from api.answers import answer, error
from api.site import api
from articles.models import Article, Category
from nejat.editions import current_edition, edition_codes, is_rtl, localized_field
from nejat.models import Tag
from nejat.publishing.cache_tags import list_tag, shows
from nejat.publishing.search import HIGHLIGHT_START, HIGHLIGHT_STOP, SearchResults

READS = {}  # URL name: the query parameters it reads


def get(path, name, response, query=None, **options):
    """Register a GET address; ``query``: the ninja Schema of its query parameters."""
    READS[name] = set(query.model_fields) if query else set()
    return api.get(path, response=response, url_name=name, operation_id=name, **options)


# --- The edition --------------------------------------------------------------------------------


@get("/", "index", schemas.Index, summary="What this edition's API holds")
def index(request):
    return answer(
        {
            "edition": current_edition(),
            "direction": "rtl" if is_rtl(current_edition()) else "ltr",
            "editions": edition_codes(),
            "kinds": [
                {"type": kind.type, "url": describe.listed(request, kind.path)}
                for kind in kinds.KINDS
            ],
            "schema_url": describe.absolute(request, reverse("api:openapi-json")),
            "docs_url": describe.absolute(request, reverse("api:openapi-view")),
        }
    )


# --- Each kind: its list and its items ----------------------------------------------------------


def lists(kind, query_schema):
    """The list of ``kind`` at ``/<path>/``."""

    def listed(request, query: Query[query_schema]):
        return answer(listing.page(request, kind, query), shared=query.updated_since is None)

    listed.__name__ = kind.path.replace("-", "_")
    get(
        f"/{kind.path}/",
        kind.path,
        schemas.ListPage[kind.schema],
        query_schema,
        summary=f"The edition's {kind.model._meta.verbose_name_plural}, newest first",
        tags=[kind.path],
    )(listed)


def items(kind):
    """One item of ``kind`` at ``/<path>/<id>/``."""

    def one(request, pk: int):
        return answer(describe.item(request, kind, kind.public().get(pk=pk)))

    one.__name__ = kind.type
    get(
        f"/{kind.path}/{{pk}}/",
        kind.type,
        kind.schema,
        summary=f"One {kind.model._meta.verbose_name}",
        tags=[kind.path],
    )(one)


for kind in kinds.KINDS:
    lists(kind, listing.ArticleQuery if kind is kinds.ARTICLE else listing.ListQuery)
    items(kind)


# --- What the articles are filed under ----------------------------------------------------------


@get(
    "/categories/",
    "categories",
    list[schemas.Category],
    tags=["articles"],
    summary="The edition's categories, in the site's order",
)
def categories(request):
    code = current_edition()
    found = [category for category in Category.objects.all() if category.in_edition(code)]
    return answer([describe.category(request, category) for category in found])


@get("/tags/", "tags", list[schemas.Tag], tags=["articles"], summary="The edition's tags, by name")
def tags(request):
    """Only tags that articles readers can see carry: a tag given to a draft or a scheduled
    story says what is coming."""
    code = current_edition()
    shows(list_tag(Article, code))  # (a tag given or taken changes the edition's list)
    found = (
        Tag.objects.filter(
            language=code,
            tagged_articles__content_object__in=Article.objects.public(code).values("pk"),
        )
        .distinct()
        .order_by("name", "pk")
    )
    return answer([describe.tag(request, tag) for tag in found])


@get(
    "/authors/",
    "authors",
    list[schemas.Author],
    tags=["articles"],
    summary="The authors of the edition's articles, by name",
)
def authors(request):
    """Not kept: an author's name is a field of each article, which changes no list's tag."""
    code = current_edition()
    name, slug = localized_field("author", code), localized_field("author_slug", code)
    found = (
        Article.objects.public()
        .exclude(**{slug: ""})
        .values(name, slug)
        .annotate(articles=Count("pk"))
        .order_by(name)
    )
    return answer([describe.author(request, row[name], row[slug]) for row in found], shared=False)


# --- Search and sync ----------------------------------------------------------------------------


LAST_PAGE = 100


class SearchQuery(listing.Schema):
    q: str = Field(..., min_length=1, description="Words, as readers type them")
    page: int = Field(1, ge=1, le=LAST_PAGE)
    limit: int = Field(10, ge=1, le=50)


@get(
    "/search/",
    "search",
    schemas.SearchPage,
    SearchQuery,
    tags=["search"],
    summary="Search the edition, best match first",
)
def search(request, query: Query[SearchQuery]):
    return answer(found(request, query))


def found(request, query):
    results = SearchResults(query.q, current_edition())
    start = (query.page - 1) * query.limit
    shown = results[start : start + query.limit]
    following = None
    if start + query.limit < results.count() and query.page < LAST_PAGE:
        following = listing.next_address(request, query, page=query.page + 1)
    return {
        "query": results.text,
        "count": results.count(),
        "items": [
            describe.found(request, kinds.BY_MODEL[type(item)], item, plain(item.excerpt))
            for item in shown
        ],
        "next": following,
    }


def plain(excerpt):
    return (excerpt or "").replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_STOP, "")


class RemovedQuery(listing.Schema):
    since: datetime = Field(..., description="Left public view at or after (ISO 8601)")
    limit: int = Field(100, ge=1, le=1000)
    cursor: str | None = None


@get(
    "/removed/",
    "removed",
    schemas.RemovedPage,
    RemovedQuery,
    tags=["sync"],
    summary="Items readers of the edition could see and no longer can, oldest change first",
)
def removed(request, query: Query[RemovedQuery]):
    return answer(listing.removed(request, query), shared=False)


# --- oEmbed -------------------------------------------------------------------------------------


@get(
    "/oembed/",
    "oembed",
    schemas.OEmbed,
    oembed.OEmbedQuery,
    tags=["oembed"],
    summary="An article or a video, for another site to embed (oEmbed 1.0)",
)
def embed(request, query: Query[oembed.OEmbedQuery]):
    if query.format != "json":  # oEmbed 1.0, 2.3.4.3: 501 for a format not offered
        return error(501, "Only JSON is offered (format=json).")
    return answer(oembed.describe_item(request, query))
