from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutosaveConfig(AppConfig):
    """Work not yet saved is never lost: drafts of admin forms kept while the editor types, and
    files chosen in a form that came back with an error (``nejat.editorial.autosave.admin``)."""

    name = "nejat.editorial.autosave"
    label = "autosave"
    verbose_name = _("Unsaved work")
