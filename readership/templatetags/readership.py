"""``<body{% beacon %}>``: what the site's script sends when the page has loaded
(``readership.beacon``): where to, the item the page shows, and a search that found nothing.
``{% most_read %}``: the sidebar's "Most read" (``readership.most_read``)."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from nejat.editions import current_edition
from nejat.publishing import Publishable
from readership import most_read as ranking

register = template.Library()


@register.simple_tag(takes_context=True)
def beacon(context):
    if not settings.READERSHIP["BEACON"]:
        return ""
    attributes = format_html(' data-hit="{}"', reverse("readership_hit"))
    item = context.get("object")
    if isinstance(item, Publishable) and item.pk:
        attributes += format_html(' data-item="{}:{}"', item._meta.label_lower, item.pk)
    paginator = context.get("paginator")
    if context.get("query") and paginator is not None and paginator.count == 0:
        attributes += format_html(' data-search="{}"', context["query"])
    return attributes


@register.simple_tag
def most_read():
    return ranking.sidebar(ranking.articles(current_edition()))
