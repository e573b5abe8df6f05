"""Images a form can take without the browser sending them: stored ones an app offers.

An app registers a ``StoredImageSource`` (the media library registers its images). Every content
form loads its chooser script (which may also serve the rich-text editor), and every image field
shows its button; what the editor chooses comes back
as a hidden field ``<prefix><field name>``, and ``resolve(request, value)`` turns it into the
stored file, which the form validates and the model keeps under the same name, with the same
renditions (``ResponsiveImageField`` takes a file's ``renditions``): nothing is copied.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class StoredImageSource:
    prefix: str  # "library-image:"
    button_label: str
    script: str  # its chooser, loaded by every content form (static path)
    urls: dict  # data attributes of the script's tag: {"choose-url": reverse_lazy(...)}
    resolve: Callable  # (request, value) -> a stored FieldFile with .renditions and .title, or None


IMAGE_SOURCES = []


def register_image_source(source):
    IMAGE_SOURCES.append(source)


def claim_chosen_images(request):
    """Put each stored image the form names among the request's files, unless the editor
    also chose a file from the computer (that one wins). Returns the names of the fields whose
    chosen image is gone (deleted since it was chosen), which the form then leaves as they were."""
    gone = []
    for source in IMAGE_SOURCES:
        for key, value in request.POST.items():
            name = key.removeprefix(source.prefix)
            if name == key or not value or request.FILES.get(name):
                continue
            stored = source.resolve(request, value)
            if stored is None:
                gone.append(name)
            else:
                stored.chosen_from = (source.prefix, value)
                request.FILES[name] = stored
    return gone
