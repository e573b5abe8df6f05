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


class MonthConverter:
    """Months as two digits (/articles/2024/05/), 01 to 12."""

    regex = r"0[1-9]|1[0-2]"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(MonthConverter, "month")
