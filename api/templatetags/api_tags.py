"""``{% oembed_link item %}``: the ``<link>`` by which other sites find an item's oEmbed card
(``api.oembed``), in the page's ``<head>``."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

from nejat.editions import current_edition

register = template.Library()


@register.simple_tag(takes_context=True)
def oembed_link(context, item):
    request = context["request"]
    page = request.build_absolute_uri(item.url_in(current_edition()))
    query = urlencode({"url": page, "format": "json"})
    address = request.build_absolute_uri(f"{reverse('api:oembed')}?{query}")
    return format_html(
        '<link rel="alternate" type="application/json+oembed" href="{}" title="{}">',
        address, item.title,
    )  # fmt: skip
