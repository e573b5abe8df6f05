from django.urls import register_converter


class UnicodeSlugConverter:
    """A slug in any script: Django's ``<slug:>`` accepts only ASCII, so Persian slugs would 404."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


# Registered once, here; URL modules import this module before using <uslug:...>.
register_converter(UnicodeSlugConverter, "uslug")
