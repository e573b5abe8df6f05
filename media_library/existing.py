"""Images uploaded before the library, into the library: every stored image of every image
field becomes a library image under the same stored name, with its renditions (nothing is
copied or encoded again). Run by ``manage.py fill_library``; running it again adds only what
came since."""

from django.apps import apps
from django.core.files.storage import default_storage

from media_library.models import LibraryImage
from nejat.media.renditions import responsive_fields


def stored_images():
    """``{name: manifest}`` of every image an image field holds (outside the library)."""
    found = {}
    for model in apps.get_models():
        if model is LibraryImage:
            continue
        for field in responsive_fields(model):
            rows = model._base_manager.exclude(**{field.attname: ""}).values_list(
                field.attname, field.renditions_field
            )
            for name, manifest in rows:
                found.setdefault(name, manifest or {})
    return found


def fill_library():
    """Add the stored images the library lacks; how many were added."""
    known = set(LibraryImage.objects.values_list("image", flat=True))
    added = 0
    for name, manifest in stored_images().items():
        if name in known or not default_storage.exists(name):
            continue
        image = LibraryImage(image=name, renditions=manifest, file_size=default_storage.size(name))
        image.save()
        added += 1
    return added
