from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaGalleryConfig(AppConfig):
    """Photo galleries, videos, cartoons and news pictures (their models arrive with issue 5)."""

    name = "media_gallery"
    verbose_name = _("Media")
