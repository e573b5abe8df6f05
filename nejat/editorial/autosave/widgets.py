from django.contrib.admin.widgets import AdminFileWidget

# The hidden field naming a kept upload: "kept-upload:pdf" for the field "pdf".
KEPT_PREFIX = "kept-upload:"


class KeptFileInput(AdminFileWidget):
    """The admin's file input, saying which file is kept from the last try (``kept`` is set by
    ``nejat.editorial.autosave.admin.keep_uploads`` on the form shown again) and naming it for the
    next. An image field also offers the stored images of ``sources``
    (``nejat.editorial.autosave.sources``); ``chosen`` keeps such a choice across a form error;
    ``alt_field`` names the item's alt text field of this image, which a chosen image fills where
    it is empty."""

    template_name = "autosave/kept_file_input.html"
    kept = None

    def __init__(self, attrs=None, sources=(), alt_field=None):
        super().__init__(attrs)
        self.sources, self.chosen, self.alt_field = tuple(sources), {}, alt_field

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        sources = [
            {
                "prefix": source.prefix,
                "label": source.button_label,
                "input_name": source.prefix + name,
                "value": self.chosen.get(source.prefix, ("", ""))[0],
                "title": self.chosen.get(source.prefix, ("", ""))[1],
            }
            for source in self.sources
        ]
        context["widget"].update(
            kept=self.kept, kept_name=KEPT_PREFIX + name, sources=sources, alt_field=self.alt_field
        )
        return context
