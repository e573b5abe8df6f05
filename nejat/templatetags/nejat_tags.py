import datetime
import re

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils import formats, timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext as _

from nejat.delivery import share
from nejat.editions import (
    current_edition,
    edition_codes,
    edition_name,
    is_rtl,
    local_digits,
    separator,
)

register = template.Library()


def edition_home(code):
    with translation.override(code):
        return reverse("home")


@register.simple_tag(takes_context=True)
def edition_links(context):
    """The same page in every edition: an item's own translation, else that edition's home page.

    Pages about one item or category put it in the context as ``edition_object``; other pages are
    the same address under another edition prefix.
    """
    request = context.get("request")
    item = context.get("edition_object")
    current = current_edition()
    links = []
    for code in edition_codes():
        url = None
        if item is not None:
            url = item.url_in(code) if item.in_edition(code) else None
        elif request is not None:
            translated = translate_url(request.path, code)
            url = translated if (translated != request.path or code == current) else None
        links.append(
            {
                "code": code,
                "name": edition_name(code),
                "url": url or edition_home(code),
                "exists": url is not None,
                "current": code == current,
                "direction": "rtl" if is_rtl(code) else "ltr",
            }
        )
    return links


@register.inclusion_tag("includes/alternates.html", takes_context=True)
def alternate_links(context):
    """``<link rel=canonical>`` and one ``hreflang`` alternate per edition the page exists in."""
    request = context["request"]
    existing = [link for link in edition_links(context) if link["exists"]]
    current = next((link for link in existing if link["current"]), None)
    page = context.get("page_obj")
    query = f"?page={page.number}" if page is not None and page.number > 1 else ""
    default = next((link for link in existing if link["code"] == settings.LANGUAGE_CODE), None)
    absolute = request.build_absolute_uri
    return {
        "canonical": absolute((current["url"] if current else request.path) + query),
        "alternates": [(link["code"], absolute(link["url"] + query)) for link in existing],
        "x_default": absolute((default or (existing or [None])[0] or {"url": "/"})["url"] + query),
    }


@register.simple_tag(takes_context=True)
def share_links(context, item, through_site=False):
    """Plain share links (``nejat.delivery.share``); ``through_site=True`` under the cards of a
    list. Built without a template: a list page has seventy of them."""
    links = format_html_join(
        "",
        '<li><a href="{}" rel="nofollow noopener" target="_blank">{}</a></li>',
        (
            (address, name)
            for name, address in share.share_links(context["request"], item, through_site)
        ),
    )
    return format_html('<ul class="share" aria-label="{}">{}</ul>', _("Share"), links)


@register.filter
def edition_date(value, kind="DATE"):
    """``value`` as the edition writes dates (``kind`` is DATE or DATETIME), in the site's zone:
    the Solar Hijri calendar in Persian (``nejat.editions.solar_dates``), Django's localized
    formats in the others (Arabic and Albanian month names come with Django)."""
    if not value:
        return ""
    is_datetime = isinstance(value, datetime.datetime)
    if is_datetime and timezone.is_aware(value):
        value = timezone.localtime(value)
    text = formats.date_format(value, f"{kind}_FORMAT" if is_datetime else "DATE_FORMAT")
    # Albanian writes month names in lower case; Django's catalogue capitalises them.
    return text.lower() if current_edition() == "sq" else text


@register.simple_tag(name="separator")
def separator_tag():
    """``nejat.editions.separator`` in the edition being read or written."""
    return separator(current_edition())


@register.filter
def edition_names(codes):
    return [edition_name(code) for code in codes]


@register.filter
def as_list(values):
    """Words in a list as the edition writes one: "فارسی، English" in Persian and Arabic."""
    return ("، " if is_rtl(current_edition()) else ", ").join(map(str, values))


@register.filter(name="local_digits")
def local_digits_filter(value):
    """Numbers as the edition writes them (Persian digits in the Persian edition)."""
    return local_digits(value, current_edition())


TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&#?\w+;)")


@register.filter(is_safe=True)
def local_digits_in_text(value):
    """``local_digits`` for text that may hold markup (the admin's messages link the item):
    digits inside tags and character references are left as they are."""
    code = current_edition()
    if code != "fa" or value in (None, ""):
        return value
    parts = TAG_OR_ENTITY.split(str(value))
    text = "".join(part if i % 2 else local_digits(part, code) for i, part in enumerate(parts))
    return mark_safe(text) if isinstance(value, SafeData) else text


@register.simple_tag
def responsive_image(picture, alt=None, sizes="100vw", eager=False):
    """A ``<picture>`` with WebP and fallback ``srcset``s and the image's width and height.

    ``picture`` is a ``nejat.media.images.Picture`` (``item.card_image``, ``photo.image_picture``);
    ``alt`` defaults to its own alt text. Built from the renditions manifest alone: no database
    query or storage check. Lazy-loaded unless ``eager`` (the first image of a page).
    """
    if not picture:
        return ""
    alt = picture.alt if alt is None else alt
    attributes = mark_safe(' fetchpriority="high"' if eager else ' loading="lazy"')
    if picture.focus_class:  # where a cropped card keeps the picture's focal point
        attributes += format_html(' class="{}"', picture.focus_class)
    if picture.pending:  # renditions on their way (nejat.media.renditions): a light, sized stand-in
        return format_html(
            '<img class="image-pending" src="{}" width="{}" height="{}" alt="{}">',
            static("img/pending.svg"),
            picture.width,
            picture.height,
            alt,
        )
    if not picture.has_renditions:
        return format_html(
            '<img src="{}" alt="{}" decoding="async"{}>', picture.best_url, alt, attributes
        )
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" decoding="async"{}>'
        "</picture>",
        picture.srcset("webp"),
        sizes,
        picture.best_url,
        picture.srcset("fallback"),
        sizes,
        picture.width,
        picture.height,
        alt,
        attributes,
    )


@register.filter
def verbose_name(item):
    """ "Article", "Video": what kind of item a search result is, in the edition's language."""
    return item._meta.verbose_name.capitalize()
