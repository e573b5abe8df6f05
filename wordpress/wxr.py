"""Read a WordPress export (WXR 1.0, 1.1, 1.2) as a stream of plain records.

WXR is RSS 2.0 with WordPress's namespaces. Exports differ in the namespace URIs (http or https,
``export/1.0/`` to ``export/1.2/``), so elements are recognised by what their URI is, not by the
prefix or the version: ``{…wordpress.org/export/1.2/}post_id`` is read as ``wp:post_id``.

The file is fed to the parser in small chunks and every element is let go as it ends (an item
once it is read; anything else at once), so memory stays bounded whatever the export's size.
Every text is limited while it is read, the post bodies (``content:encoded``) too: no text keeps
more than ``MAX_TEXT_BYTES`` (a post of 20 MB is an attack, not an article), no item more than
``MAX_ITEM_BYTES`` of text or ``MAX_ITEM_ELEMENTS`` elements. An item over a limit comes out with
its ``problem`` said (the importer reports it and does not import it cut short); any other text
over the limit ends the read. Text between elements is never kept. defusedxml refuses a DTD, and
with it every entity trick ("billion laughs", external entities, network access): a WordPress
export never has one.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from os import PathLike
from urllib.parse import unquote
from xml.etree.ElementTree import TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

MAX_TEXT_BYTES = 8 * 1024 * 1024
MAX_ITEM_BYTES = 2 * MAX_TEXT_BYTES  # a body and its comments
MAX_ITEM_ELEMENTS = 100_000  # some 8,000 comments
CHUNK_BYTES = 64 * 1024
TOO_LONG = "{urn:nejat}too-long"  # marks an element whose text was cut while it was read
TOO_BIG = "{urn:nejat}too-big"  # marks an item that went over MAX_ITEM_BYTES / _ELEMENTS
RECORDS = {"item", "wp:author", "wp:category", "wp:tag", "wp:term"}
NAMING = {"title", "wp:post_id", "wp:post_type", "wp:status"}  # kept of an item too large
NAMESPACES = (
    # (what the URI looks like, the name it is read as)
    (re.compile(r"^https?://wordpress\.org/export/1\.\d+/excerpt/?$"), "excerpt"),
    (re.compile(r"^https?://wordpress\.org/export/1\.\d+/?$"), "wp"),
    (re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/?$"), "content"),
    (re.compile(r"^https?://purl\.org/dc/elements/1\.1/?$"), "dc"),
    (re.compile(r"^https?://wellformedweb\.org/CommentAPI/?$"), "wfw"),
)


class WxrError(Exception):
    """The file cannot be read as a WordPress export: one line saying where and why."""


@dataclass
class Site:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    language: str = ""
    wxr_version: str = ""


@dataclass
class Term:
    """A category or a tag, from the channel's list (categories carry their parent's slug)."""

    taxonomy: str  # "category" or "post_tag"
    slug: str
    name: str
    parent: str = ""
    description: str = ""


@dataclass
class Author:
    login: str
    display_name: str


@dataclass
class Comment:
    wp_id: int
    parent_id: int
    author: str
    email: str
    url: str
    ip: str
    date_gmt: datetime | None
    content: str
    approved: str  # "1", "0", "spam", "trash"
    kind: str  # "" or "comment", "pingback", "trackback"


@dataclass
class Item:
    wp_id: int
    post_type: str
    status: str
    title: str = ""
    link: str = ""
    guid: str = ""
    slug: str = ""
    date_gmt: datetime | None = None
    date_local: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    parent_id: int = 0
    menu_order: int = 0
    sticky: bool = False
    comments_open: bool = True
    attachment_url: str = ""
    categories: list = field(default_factory=list)  # [(taxonomy, slug, name)]
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)
    problem: str = ""  # why it cannot be imported (a text over the limit); then read no further


def _namespace_name(uri):
    for pattern, name in NAMESPACES:
        if pattern.match(uri):
            return name
    return uri


def _name(tag):
    """``{uri}local`` as ``wp:local`` (or ``local`` for RSS's own elements)."""
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        return f"{_namespace_name(uri)}:{local}"
    return tag


def _text(element):
    if element.get(TOO_LONG):
        raise WxrError(f"an element <{_name(element.tag)}> is longer than {MAX_TEXT_BYTES} bytes")
    return (element.text or "").strip()


def _too_large(element):
    """Why an item cannot be read whole, or ""."""
    if element.get(TOO_BIG):
        return (
            f"the item is larger than {MAX_ITEM_BYTES // 2**20} MB of text or "
            f"{MAX_ITEM_ELEMENTS} elements"
        )
    for inner in element.iter():
        if inner.get(TOO_LONG):
            return f"its <{_name(inner.tag)}> is longer than {MAX_TEXT_BYTES // 2**20} MB"
    return ""


def _children(element):
    """``{name: text}`` of the element's children (the last wins; lists are read apart)."""
    return {_name(child.tag): _text(child) for child in element}


def _gmt(value):
    """WordPress writes ``0000-00-00 00:00:00`` for "never"; otherwise UTC without a zone."""
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _term(element, taxonomy):
    values = _children(element)
    if taxonomy == "category":
        return Term(
            "category",
            unquote(values.get("wp:category_nicename", "")),
            values.get("wp:cat_name", ""),
            unquote(values.get("wp:category_parent", "")),
            values.get("wp:category_description", ""),
        )
    if taxonomy == "post_tag":
        return Term(
            "post_tag",
            unquote(values.get("wp:tag_slug", "")),
            values.get("wp:tag_name", ""),
            description=values.get("wp:tag_description", ""),
        )
    return Term(  # WXR 1.2's generic <wp:term>
        values.get("wp:term_taxonomy", ""),
        unquote(values.get("wp:term_slug", "")),
        values.get("wp:term_name", ""),
        unquote(values.get("wp:term_parent", "")),
        values.get("wp:term_description", ""),
    )


def _comment(element):
    values = _children(element)
    return Comment(
        wp_id=_int(values.get("wp:comment_id")),
        parent_id=_int(values.get("wp:comment_parent")),
        author=values.get("wp:comment_author", ""),
        email=values.get("wp:comment_author_email", ""),
        url=values.get("wp:comment_author_url", ""),
        ip=values.get("wp:comment_author_IP", ""),
        date_gmt=_gmt(values.get("wp:comment_date_gmt")),
        content=values.get("wp:comment_content", ""),
        approved=values.get("wp:comment_approved", "0"),
        kind=values.get("wp:comment_type", ""),
    )


def _item(element):
    item = Item(wp_id=0, post_type="", status="")
    item.problem = _too_large(element)
    if item.problem:  # what names it, for the report; nothing else
        for child in element:
            name = _name(child.tag)
            if name in NAMING:
                _set_field(item, name, "" if child.get(TOO_LONG) else (child.text or "").strip())
        return item
    for child in element:
        name = _name(child.tag)
        if name == "category":
            item.categories.append(
                (child.get("domain", ""), unquote(child.get("nicename", "")), _text(child))
            )
        elif name == "wp:postmeta":
            meta = _children(child)
            item.meta[meta.get("wp:meta_key", "")] = meta.get("wp:meta_value", "")
        elif name == "wp:comment":
            item.comments.append(_comment(child))
        elif name == "content:encoded":
            item.content = child.text or ""  # limited while read (_Limited)
        elif name == "excerpt:encoded":
            item.excerpt = _text(child)
        else:
            _set_field(item, name, _text(child))
    return item


FIELDS = {
    "title": "title",
    "link": "link",
    "guid": "guid",
    "dc:creator": "creator",
    "wp:post_type": "post_type",
    "wp:status": "status",
    "wp:post_date": "date_local",
    "wp:attachment_url": "attachment_url",
}


def _set_field(item, name, value):
    if name in FIELDS:
        setattr(item, FIELDS[name], value)
    elif name == "wp:post_id":
        item.wp_id = _int(value)
    elif name == "wp:post_name":
        item.slug = unquote(value)  # Persian and Arabic slugs are exported percent-encoded
    elif name == "wp:post_date_gmt":
        item.date_gmt = _gmt(value)
    elif name == "wp:post_parent":
        item.parent_id = _int(value)
    elif name == "wp:menu_order":
        item.menu_order = _int(value)
    elif name == "wp:is_sticky":
        item.sticky = value == "1"
    elif name == "wp:comment_status":
        item.comments_open = value == "open"


class _Limited:
    """The parser's target: a ``TreeBuilder`` that keeps no text over the limits, keeps no text
    between elements, and hands each element to ``ended`` as it ends, with its open ancestors."""

    def __init__(self, ended):
        self.tree, self.ended = TreeBuilder(), ended
        self.open = []  # the elements being read, the root first
        self.size = 0  # of the text being read
        self.in_text = False  # text after a start is the element's; after an end, between two
        self.record_size = self.record_elements = 0

    def start(self, tag, attributes):
        element = self.tree.start(tag, attributes)
        self.open.append(element)
        self.size, self.in_text = 0, True
        if len(self.open) == 3:  # a child of the channel: its budget starts
            self.record_size = self.record_elements = 0
        self.record_elements += 1
        if len(self.open) > 3 and self.record_elements > MAX_ITEM_ELEMENTS:
            self.open[2].set(TOO_BIG, "1")
        return element

    def data(self, text):
        if not self.in_text:
            return  # the white space between elements: never read
        size = len(text.encode("utf-8", "surrogatepass"))
        self.size += size
        if self.size > MAX_TEXT_BYTES:
            self.open[-1].set(TOO_LONG, "1")  # and its text is not counted twice
            return
        self.record_size += size
        if len(self.open) > 3 and self.record_size > MAX_ITEM_BYTES:
            self.open[2].set(TOO_BIG, "1")
        else:
            self.tree.data(text)

    def end(self, tag):
        element = self.tree.end(tag)
        self.open.pop()
        self.in_text = False
        self.ended(element, self.open)
        return element

    def close(self):
        return self.tree.close()


def read(source):
    """Yield ``Site`` (once, at the first item or the end), ``Author``s, ``Term``s and
    ``Item``s from ``source`` (a path or a binary file). Raises ``WxrError`` for anything that is
    not a well-formed WordPress export."""
    state = {"site": Site(), "channel": None, "rss": False}
    ready = []

    def ended(element, ancestors):
        depth = len(ancestors)
        if depth == 0:
            state["rss"] = element.tag == "rss"
        elif depth == 1 and element.tag == "channel" and ancestors[0].tag == "rss":
            state["channel"] = element
        elif depth == 2 and ancestors[1].tag == "channel" and ancestors[0].tag == "rss":
            _record(element, state, ready)
            ancestors[1].remove(element)  # read: let it go
        elif depth <= 2 or not _kept_in(element, ancestors):
            ancestors[-1].remove(element)  # nothing reads it (or its item is too large)

    parser = DefusedXMLParser(target=_Limited(ended), forbid_dtd=True)
    try:
        with _opened(source) as export:
            while chunk := export.read(CHUNK_BYTES):
                parser.feed(chunk)
                yield from ready
                ready.clear()
            parser.close()
            yield from ready
    except ParseError as error:
        line, column = error.position
        raise WxrError(f"not well-formed XML at line {line}, column {column}") from None
    except DefusedXmlException as error:
        raise WxrError(f"refused: {error.__class__.__name__} (a DTD or an entity)") from None
    if not state["rss"] or state["channel"] is None:
        raise WxrError("not a WordPress export: no <rss><channel>")
    if state["site"] is not None:
        yield state["site"]


def _kept_in(element, ancestors):
    """Whether an element is part of a record being read: inside an item, an author or a term
    of the channel (of one over its limits, only what names it for the report)."""
    record = ancestors[2]
    if ancestors[1].tag != "channel" or _name(record.tag) not in RECORDS:
        return False
    return not record.get(TOO_BIG) or (len(ancestors) == 3 and _name(element.tag) in NAMING)


class _opened:
    """A binary file to read: ``source`` itself, or the path it names opened (and closed)."""

    def __init__(self, source):
        self.source, self.handle = source, None

    def __enter__(self):
        if isinstance(self.source, str | PathLike):
            self.handle = open(self.source, "rb")
            return self.handle
        return self.source

    def __exit__(self, *exc):
        if self.handle is not None:
            self.handle.close()


def _record(element, state, ready):
    """A child of the channel, as a record in ``ready`` (or into the site's description)."""
    name = _name(element.tag)
    if name == "item":
        if state["site"] is not None:
            ready.append(state["site"])
            state["site"] = None
        ready.append(_item(element))
    elif name == "wp:author":
        values = _children(element)
        login = values.get("wp:author_login", "")
        ready.append(Author(login, values.get("wp:author_display_name", "") or login))
    elif name in {"wp:category", "wp:tag", "wp:term"}:
        taxonomy = {"wp:category": "category", "wp:tag": "post_tag"}.get(name)
        ready.append(_term(element, taxonomy))
    elif state["site"] is not None:
        _read_site(state["site"], name, element)


def _read_site(site, name, element):
    attribute = {
        "title": "title",
        "link": "link",
        "language": "language",
        "wp:base_site_url": "base_site_url",
        "wp:base_blog_url": "base_blog_url",
        "wp:wxr_version": "wxr_version",
    }.get(name)
    if attribute:
        setattr(site, attribute, _text(element))
