"""The library offered beside every image field of the admin
(``nejat.editorial.autosave.sources``): the editor picks an image in the chooser, and the item
keeps it under the same stored name, with its renditions. ``LibraryImage.usages()`` then finds the
item, so the image is not deleted."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from nejat.editorial.autosave.sources import StoredImageSource


def library_image(request, value):
    from media_library.models import LibraryImage

    if not (value.isascii() and value.isdigit() and len(value) < 12):  # "²" is a digit too
        return None
    if not request.user.has_perm("media_library.view_libraryimage"):
        return None
    image = LibraryImage.objects.filter(pk=value).first()
    if image is None or not image.image:
        return None
    stored = image.image
    stored.renditions, stored.title = image.renditions, str(image)
    return stored


LIBRARY_IMAGES = StoredImageSource(
    prefix="library-image:",
    button_label=_("Choose from the library"),
    script="js/admin/media-chooser.js",
    urls={
        "choose-url": reverse_lazy("admin:media_library_choose"),
        "upload-url": reverse_lazy("admin:media_library_upload"),
    },
    resolve=library_image,
)
