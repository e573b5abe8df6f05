"""Share cards (OpenGraph, Twitter) and structured data (JSON-LD) for the pages that describe
one item, built from the same fields the page shows."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from nejat.editions import current_edition, edition_codes

register = template.Library()

OG_LOCALES = {"en": "en_US", "ar": "ar_AR", "fa": "fa_IR", "sq": "sq_AL"}
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def primary_image_url(item, request):
    """The item's largest rendition (or original) as an absolute address, or ''."""
    picture = item.card_image() if item is not None and hasattr(item, "card_image") else None
    return request.build_absolute_uri(picture.best_url) if picture else ""


def description_of(item):
    text = item.excerpt() if hasattr(item, "excerpt") else (item.lead or "")
    return " ".join(str(text).split())[:300]


@register.inclusion_tag("includes/share_card.html", takes_context=True)
def share_card(context, item=None):
    request, code = context["request"], current_edition()
    site_name = context.get("site_name", "")
    if item is not None:
        editions = item.editions()
        card = {
            "type": "article",
            "title": item.title,
            "description": description_of(item),
            "url": request.build_absolute_uri(item.url_in(code)),
            "image": primary_image_url(item, request),
        }
    else:
        editions = edition_codes()
        card = {
            "type": "website",
            "title": site_name,
            "description": "",
            "url": request.build_absolute_uri(request.path),
            "image": "",
        }
    card.update(
        site_name=site_name,
        locale=OG_LOCALES.get(code, code),
        alternate_locales=[OG_LOCALES.get(c, c) for c in editions if c != code],
    )
    return card


@register.filter
def json_ld(data):
    """JSON for a <script type="application/ld+json">: no text can close the script element."""
    # <, > and & are escaped as \\u sequences: no text can close the script element.
    return mark_safe(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_ESCAPES)
    )


def _organization(context, request):
    return {
        "@type": "Organization",
        "name": context.get("site_name", ""),
        "url": request.build_absolute_uri("/"),
        "sameAs": [url for _name, url in context.get("social_links", [])],
    }


def _news_article(item, context, request):
    data = {
        "@type": "NewsArticle",
        "headline": item.title[:110],
        "description": description_of(item),
        "datePublished": item.publish_at,
        "dateModified": item.updated_at,
        "inLanguage": current_edition(),
        "mainEntityOfPage": request.build_absolute_uri(item.get_absolute_url()),
        "publisher": _organization(context, request),
        "author": {"@type": "Person", "name": item.author}
        if getattr(item, "author", "")
        else _organization(context, request),
    }
    image = primary_image_url(item, request)
    if image:
        data["image"] = [image]
    return data


def _video(item, context, request):
    data = {
        "@type": "VideoObject",
        "name": item.title,
        "description": description_of(item) or item.title,
        "uploadDate": item.publish_at,
        "inLanguage": current_edition(),
        "thumbnailUrl": [primary_image_url(item, request)] if item.poster else [],
    }
    if item.video_file:
        data["contentUrl"] = request.build_absolute_uri(item.video_file.url)
    elif item.embed:
        data["embedUrl"] = item.embed.player_url
    return data


def _gallery(item, context, request):
    images = [
        request.build_absolute_uri(photo.image_picture.best_url) for photo in item.photos.all()
    ]
    return {
        "@type": "ImageGallery",
        "name": item.title,
        "description": description_of(item),
        "datePublished": item.publish_at,
        "inLanguage": current_edition(),
        "image": images,
    }


def _book(item, context, request):
    data = {
        "@type": "Book",
        "name": item.title,
        "description": description_of(item),
        "inLanguage": current_edition(),
        "url": request.build_absolute_uri(item.get_absolute_url()),
    }
    for source, target in (("author", "author"), ("publisher", "publisher"), ("isbn", "isbn")):
        value = getattr(item, source, "")
        if value:
            data[target] = (
                {"@type": "Person", "name": str(value)} if target == "author" else str(value)
            )
    if getattr(item, "year", None):
        data["datePublished"] = str(item.year)
    image = primary_image_url(item, request)
    if image:
        data["image"] = image
    return data


BUILDERS = {
    "articles.article": _news_article,
    "media_gallery.video": _video,
    "media_gallery.gallery": _gallery,
    "publications.book": _book,
}


@register.simple_tag(takes_context=True)
def structured_data(context, item=None):
    """A JSON-LD script: the item's own type, or the Organization on pages without an item."""
    request = context["request"]
    if item is None:
        data = _organization(context, request)
    else:
        builder = BUILDERS.get(item._meta.label_lower)
        if builder is None:
            return ""
        data = builder(item, context, request)
    data = {"@context": "https://schema.org", **data}
    return mark_safe(f'<script type="application/ld+json">{json_ld(data)}</script>')
