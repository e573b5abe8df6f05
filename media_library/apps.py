from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaLibraryConfig(AppConfig):
    """Images uploaded once and used anywhere: in rich-text bodies (the editor's image dialog)
    and in every image field (``media_library.admin``)."""

    name = "media_library"
    verbose_name = _("Media library")

    def ready(self):
        from media_library.chooser import LIBRARY_IMAGES
        from nejat.editorial.autosave.sources import register_image_source

        register_image_source(LIBRARY_IMAGES)
