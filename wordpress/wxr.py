"""Read a WordPress export (WXR 1.0, 1.1, 1.2) as a stream of plain records.

WXR is RSS 2.0 with WordPress's namespaces. Exports differ in the namespace URIs (http or https,
``export/1.0/`` to ``export/1.2/``), so elements are recognised by what their URI is, not by the
prefix or the version: ``{…wordpress.org/export/1.2/}post_id`` is read as ``wp:post_id``.

The file is read once with ``iterparse`` and each item is dropped once it is read, so memory stays
bounded whatever the export's size. defusedxml refuses a DTD, and with it every entity trick
("billion laughs", external entities, network access): a WordPress export never has one. A text
longer than ``MAX_TEXT_BYTES`` (a post of 20 MB is an attack, not an article) ends the read.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

MAX_TEXT_BYTES = 8 * 1024 * 1024
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
    text = element.text or ""
    if len(text) > MAX_TEXT_BYTES:
        raise WxrError(f"an element <{_name(element.tag)}> is longer than {MAX_TEXT_BYTES} bytes")
    return text.strip()


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
            item.content = child.text or ""
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


def read(source):
    """Yield ``Site`` (once, at the first item or the end), ``Author``s, ``Term``s and
    ``Item``s from ``source`` (a path or a binary file). Raises ``WxrError`` for anything that is
    not a well-formed WordPress export."""
    site, channel, seen_rss = Site(), None, False
    try:
        for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                if element.tag == "rss":
                    seen_rss = True
                elif element.tag == "channel":
                    channel = element
                continue
            if channel is None or element not in channel:
                continue
            name = _name(element.tag)
            if name == "item":
                if site is not None:
                    yield site
                    site = None
                yield _item(element)
            elif name == "wp:author":
                values = _children(element)
                login = values.get("wp:author_login", "")
                yield Author(login, values.get("wp:author_display_name", "") or login)
            elif name in {"wp:category", "wp:tag", "wp:term"}:
                yield _term(element, {"wp:category": "category", "wp:tag": "post_tag"}.get(name))
            elif site is not None:
                _read_site(site, name, element)
            channel.remove(element)  # read: let it go
    except ParseError as error:
        line, column = error.position
        raise WxrError(f"not well-formed XML at line {line}, column {column}") from None
    except DefusedXmlException as error:
        raise WxrError(f"refused: {error.__class__.__name__} (a DTD or an entity)") from None
    if not seen_rss or channel is None:
        raise WxrError("not a WordPress export: no <rss><channel>")
    if site is not None:
        yield site


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
