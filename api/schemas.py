"""The shapes the API answers with, for its OpenAPI schema (``/api/v1/schema/``). The answers
themselves are made by ``describe`` and checked against these by the contract tests
(tests/test_api_contract.py): a field removed here or there fails them.

Every date and time carries its offset (ISO 8601, in the site's time zone). Every address is
absolute. HTML (``body``, ``description``) is the stored rich text, sanitised when it was saved.
A list's items hold every field below unless the request asked for some (``fields``).
"""

from datetime import date, datetime
from typing import Generic, Literal, TypeVar

from ninja import Schema
from pydantic import Field

Item = TypeVar("Item")


class Rendition(Schema):
    url: str
    width: int
    type: str = Field(description="image/webp, or the original's kind (image/jpeg, image/png)")


class Image(Schema):
    url: str = Field(description="The largest rendition, or the original while none is made")
    width: int | None
    height: int | None
    alt: str = Field(description="In the edition's language; empty when the editors gave none")
    caption: str
    credit: str
    renditions: list[Rendition] = Field(description="For a srcset: WebP first, then the rest")


class File(Schema):
    url: str
    bytes: int | None


class EditionLink(Schema):
    edition: str
    url: str
    api_url: str


class CategoryRef(Schema):
    id: int
    name: str
    slug: str
    url: str


class TagRef(Schema):
    id: int
    name: str
    slug: str
    url: str


class ItemBase(Schema):
    id: int
    type: str
    edition: str
    title: str
    slug: str
    lead: str = Field(description="Plain text")
    url: str = Field(description="The item's page in this edition (canonical)")
    api_url: str
    published_at: datetime
    updated_at: datetime
    editions: list[EditionLink] = Field(description="The same item in the other editions")
    image: Image | None


class Source(Schema):
    name: str
    url: str
    date: date | None


class Article(ItemBase):
    type: Literal["article"]
    dateline: str
    author: str
    author_url: str = Field(description="The author's page, or empty")
    byline: str
    body: str = Field(description="HTML")
    category: CategoryRef | None
    tags: list[TagRef]
    source: Source | None
    pdf: File | None


class NewsletterEntry(Schema):
    title: str
    summary: str
    page: int | None = Field(description="Its page in the PDF")


class Newsletter(ItemBase):
    type: Literal["newsletter"]
    number: int
    issue_date: date
    pdf: File | None
    entries: list[NewsletterEntry]


class BriefEntry(Schema):
    kind: Literal["item", "heading"]
    text: str
    link: str


class Brief(ItemBase):
    type: Literal["brief"]
    number: int
    issue_date: date
    entries: list[BriefEntry]


class Book(ItemBase):
    type: Literal["book"]
    author: str
    publisher: str
    year: int | None
    isbn: str
    description: str = Field(description="HTML")
    link: str
    link_kind: str = Field(description="download, buy or read")
    pdf: File | None


class Photo(Schema):
    number: int
    url: str
    image: Image


class Gallery(ItemBase):
    type: Literal["gallery"]
    body: str = Field(description="HTML")
    photos: list[Photo]


class VideoFile(Schema):
    url: str
    type: str


class VideoEmbed(Schema):
    provider: str
    player_url: str
    watch_url: str


class Video(ItemBase):
    type: Literal["video"]
    body: str = Field(description="HTML")
    file: VideoFile | None
    embed: VideoEmbed | None


class Cartoon(ItemBase):
    type: Literal["cartoon"]
    body: str = Field(description="HTML")
    artist: str


class NewsPicture(ItemBase):
    type: Literal["news_picture"]
    body: str = Field(description="HTML")


class Page(ItemBase):
    type: Literal["page"]
    body: str = Field(description="HTML")
    placement: str = Field(description="about, footer, or empty")


class ListPage(Schema, Generic[Item]):
    items: list[Item]
    next: str | None = Field(description="The next page's address; null on the last page")


class Category(Schema):
    id: int
    name: str
    slug: str
    description: str
    parent: int | None
    url: str
    articles_url: str = Field(description="The API's list of its articles")


class Tag(Schema):
    id: int
    name: str
    slug: str
    url: str
    articles_url: str


class Author(Schema):
    name: str
    slug: str
    url: str
    articles_url: str


class Found(Schema):
    type: str
    id: int
    title: str
    excerpt: str = Field(description="Plain text around the words found")
    url: str
    api_url: str
    published_at: datetime


class SearchPage(Schema):
    query: str
    count: int = Field(description="How many were found, at most 1,000 of each kind")
    items: list[Found]
    next: str | None


class Removed(Schema):
    type: str
    id: int
    changed_at: datetime


class RemovedPage(Schema):
    items: list[Removed]
    next: str | None


class Kind(Schema):
    type: str
    url: str


class Index(Schema):
    edition: str
    direction: Literal["ltr", "rtl"]
    editions: list[str]
    kinds: list[Kind]
    schema_url: str
    docs_url: str


class Error(Schema):
    detail: str = Field(description="What was wrong, in words")
    errors: list[dict] = Field(default_factory=list, description="Each wrong parameter")


class OEmbed(Schema):
    type: Literal["rich", "video"]
    version: Literal["1.0"]
    title: str
    provider_name: str
    provider_url: str
    author_name: str | None = None
    html: str
    width: int | None
    height: int | None
    thumbnail_url: str | None = None
    thumbnail_width: int | None = None
    thumbnail_height: int | None = None
    cache_age: int | None = None
