import html
import re
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from media_gallery.embeds import parse_video_url
from media_gallery.models import Cartoon, Gallery, Photo, Video

register = template.Library()


@register.inclusion_tag("media_gallery/includes/home_block.html")
def media_block():
    """The home page's Media block: the newest video, cartoon and photos (three queries)."""
    return {
        "video": Video.objects.public().first(),
        "cartoon": Cartoon.objects.public().first(),
        "photos": Photo.objects.filter(gallery__in=Gallery.objects.public())
        .select_related("gallery")
        .order_by("-gallery__publish_at", "position", "pk")[:4],
    }


# A paragraph that holds nothing but one link (how the editor, and the WordPress import, keep a
# video or a sound: the editor has no player element, and would drop one on its next save).
LINK_ALONE = re.compile(r'<p>\s*<a href="(?P<url>[^"]+)"[^>]*>(?P<label>[^<]*)</a>\s*</p>')
VIDEO_FILES = (".mp4", ".m4v", ".webm")
SOUND_FILES = (".mp3", ".m4a", ".ogg", ".oga", ".wav")


@register.filter
def with_players(body):
    """A body (sanitised on save) whose paragraphs of a lone link to a YouTube, Vimeo or Aparat
    video show the click-to-load player, and to a video or sound file of this site a player. The
    stored body keeps the link; nothing is loaded before the reader presses play."""

    def player(match):
        url = html.unescape(match["url"])
        embed = parse_video_url(url)
        if embed:
            context = {"embed": embed, "title": html.unescape(match["label"]) or embed.name}
            return render_to_string("media_gallery/includes/linked_video.html", context)
        path = urlsplit(url).path.lower()
        if not url.startswith(settings.MEDIA_URL) or not path.endswith(VIDEO_FILES + SOUND_FILES):
            return match[0]
        link = format_html('<a href="{}">{}</a>', url, html.unescape(match["label"]) or url)
        if path.endswith(VIDEO_FILES):
            element = format_html('<video controls preload="none" src="{}">{}</video>', url, link)
        else:
            element = format_html('<audio controls preload="none" src="{}">{}</audio>', url, link)
        return format_html(
            '<figure class="player">{}<figcaption>{}</figcaption></figure>', element, link
        )

    return mark_safe(LINK_ALONE.sub(player, str(body)))  # sanitised on save, and our own markup


@register.filter
def links_a_video(body):
    """Whether ``with_players`` will show a click-to-load video: the page then needs media.js."""
    return any(parse_video_url(html.unescape(m["url"])) for m in LINK_ALONE.finditer(str(body)))
