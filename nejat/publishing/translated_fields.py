from modeltranslation.translator import TranslationOptions


class PublishableTranslationOptions(TranslationOptions):
    """Translated fields of ``nejat.publishing.Publishable``; concrete models extend ``fields``."""

    fields = ("title", "slug", "lead")
    required_languages = ()
    # Store "" rather than NULL for an empty translation, so "has text" is one comparison.
    empty_values = ""
