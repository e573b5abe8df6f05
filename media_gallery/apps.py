from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaGalleryConfig(AppConfig):
    """Photo galleries, videos, cartoons and news pictures."""

    name = "media_gallery"
    verbose_name = _("Media")
    sitemap_sections = (
        "media_gallery:photos",
        "media_gallery:videos",
        "media_gallery:cartoons",
        "media_gallery:newspics",
    )
