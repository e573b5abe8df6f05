class UnicodeSlugConverter:
    """A slug in any script: Django's ``<slug:>`` accepts only ASCII, so Persian slugs would 404."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
