from django.contrib.admin.widgets import AdminFileWidget

# The hidden field naming a kept upload: "kept-upload:pdf" for the field "pdf".
KEPT_PREFIX = "kept-upload:"


class KeptFileInput(AdminFileWidget):
    """The admin's file input, saying which file is kept from the last try (``kept`` is set by
    ``nejat.autosave.admin.keep_uploads`` on the form shown again) and naming it for the next."""

    template_name = "autosave/kept_file_input.html"
    kept = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(kept=self.kept, kept_name=KEPT_PREFIX + name)
        return context
