"""oEmbed 1.0 (https://oembed.com): another site, a chat app or a blog gives the address of one
of our articles or videos and gets a card to embed, found by the
``<link rel="alternate" type="application/json+oembed">`` on the item's page
(``{% oembed_link %}``).

- An article: a ``rich`` card, a quotation of its title, lead and site that links to it (no
  frame, no script: it shows even where the embedding site strips them).
- A video: a ``video`` player, the video site's own for a linked one (its privacy-minded
  address), or a ``<video>`` of the file.

Only public items of this site, in the edition of their address; anything else is a 404, a
format other than JSON a 501 (the specification's answers).
"""

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.html import format_html
from ninja import Schema
from pydantic import Field

from api import describe, kinds
from nejat.editions import is_rtl
from nejat.pages.site import site_context

WIDTH, HEIGHT = 640, 360  # a video's frame unless the consumer asks for less
CARD_WIDTH, CARD_HEIGHT = 600, 200
CACHE_AGE = 3600
EMBEDDED = {"articles:detail": kinds.ARTICLE, "media_gallery:video": kinds.VIDEO}


class OEmbedQuery(Schema):
    url: str = Field(..., description="The address of an article's or a video's page")
    format: str = Field("json", description="json (the only one offered)")
    maxwidth: int | None = Field(None, ge=1, le=10_000)
    maxheight: int | None = Field(None, ge=1, le=10_000)


def describe_item(request, query):
    """The oEmbed answer for ``query.url``, or Http404."""
    kind, item, code = item_at(request, query.url)
    with translation.override(code):
        site = site_context(code)
        width, height = fitted(
            query, *((CARD_WIDTH, CARD_HEIGHT) if kind is kinds.ARTICLE else (WIDTH, HEIGHT))
        )
        answer = {
            "version": "1.0",
            "title": item.title,
            "provider_name": site["site_name"],
            "provider_url": describe.absolute(request, reverse("home")),
            "width": width,
            "height": height,
            "cache_age": CACHE_AGE,
            **thumbnail(request, item, query.maxwidth),
        }
        page = describe.absolute(request, item.url_in(code))
        if kind is kinds.ARTICLE:
            answer["author_name"] = item.author or None
            answer.update(type="rich", html=card(item, page, site["site_name"], code))
        else:
            answer.update(type="video", html=player(request, item, width, height))
        return answer


def item_at(request, url):
    """(kind, item, edition) of a public article or video page of this site at ``url``."""
    try:
        parts = urlsplit(url)
    except ValueError:  # ("http://[": not an address)
        raise Http404("Not an address") from None
    if parts.netloc and parts.netloc != request.get_host():
        raise Http404("Not this site's address")
    path = unquote(parts.path)  # (addresses are percent-encoded; paths are matched decoded)
    code = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    with translation.override(code):
        try:
            match = resolve(path)
        except Resolver404:
            raise Http404("No such page") from None
        kind = EMBEDDED.get(match.view_name)
        if kind is None:
            raise Http404("Only articles and videos are embedded")
        try:
            item = kind.public().get(pk=match.kwargs["pk"])
        except kind.model.DoesNotExist:
            raise Http404("Not public") from None
        if kind is kinds.VIDEO and not (item.embed or item.video_file):
            raise Http404("A video with nothing to play")
        return kind, item, code


def fitted(query, width, height):
    """The frame, scaled down to the consumer's ``maxwidth`` and ``maxheight``."""
    scale = min(1, (query.maxwidth or width) / width, (query.maxheight or height) / height)
    return max(int(width * scale), 1), max(int(height * scale), 1)


def thumbnail(request, item, maxwidth=None):
    picture = item.card_image()
    fitting = [(width, url) for width, url in picture.renditions() if width <= (maxwidth or 10**6)]
    if not picture or not fitting or not picture.width:
        return {}
    width, url = fitting[-1]
    return {
        "thumbnail_url": describe.absolute(request, url),
        "thumbnail_width": width,
        "thumbnail_height": round(picture.height * width / picture.width),
    }


def card(item, page, site_name, code):
    direction = "rtl" if is_rtl(code) else "ltr"
    return format_html(
        '<blockquote class="nejat-embed" lang="{}" dir="{}"><p><a href="{}">{}</a></p>'
        "<p>{}</p><p>{}</p></blockquote>",
        code,
        direction,
        page,
        item.title,
        item.lead,
        site_name,
    )


def player(request, item, width, height):
    if item.embed:
        return format_html(
            '<iframe src="{}" width="{}" height="{}" title="{}" allow="fullscreen; '
            'picture-in-picture" loading="lazy"></iframe>',
            item.embed.player_url.replace("autoplay=1", "autoplay=0"),
            width,
            height,
            item.title,
        )
    poster = item.card_image()
    return format_html(
        '<video controls preload="none" src="{}" poster="{}" width="{}" height="{}"></video>',
        describe.absolute(request, item.video_file.url),
        describe.absolute(request, poster.best_url) if poster else "",
        width,
        height,
    )
