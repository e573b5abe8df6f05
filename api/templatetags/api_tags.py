"""``{% oembed_link item %}``: the ``<link>`` by which other sites find an item's oEmbed card
(``api.oembed``), in the page's ``<head>``."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from api.describe import absolute
from nejat.editions import current_edition

register = template.Library()


@register.simple_tag(takes_context=True)
def oembed_link(context, item):
    request = context["request"]
    page = absolute(request, item.url_in(current_edition()))
    address = absolute(request, reverse("api:oembed"), url=page, format="json")
    return format_html(
        '<link rel="alternate" type="application/json+oembed" href="{}" title="{}">',
        address, item.title,
    )  # fmt: skip
