from django import template

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
