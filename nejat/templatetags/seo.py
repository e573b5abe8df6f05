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
def share_card(context, item=None, description=""):
    """The page's share card and meta description: the item's summary, else ``description`` (a
    category's), else the edition's site description."""
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
            "description": " ".join(description.split()) or context.get("site_description", ""),
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


class JsonLd:
    """What a model's ``structured_data(ld)`` is given to describe itself in JSON-LD.

    Each content type writes its own schema.org description (``Article.structured_data`` …);
    this gives it absolute addresses, the publisher, the edition and the shared helpers.
    """

    def __init__(self, context):
        self.context, self.request = context, context["request"]
        self.edition = current_edition()

    def url(self, path):
        return self.request.build_absolute_uri(path)

    def image_url(self, item):
        return primary_image_url(item, self.request)

    def description(self, item):
        return description_of(item)

    def organization(self):
        return {
            "@type": "Organization",
            "name": self.context.get("site_name", ""),
            "url": self.url("/"),
            "sameAs": [url for _name, url in self.context.get("social_links", [])],
        }


@register.simple_tag(takes_context=True)
def structured_data(context, item=None):
    """A JSON-LD script: the item's own type, or the Organization on pages without an item."""
    ld = JsonLd(context)
    if item is None:
        data = ld.organization()
    elif hasattr(item, "structured_data"):
        data = item.structured_data(ld)
    else:
        return ""
    data = {"@context": "https://schema.org", **data}
    return mark_safe(f'<script type="application/ld+json">{json_ld(data)}</script>')
