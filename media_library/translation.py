from modeltranslation.translator import TranslationOptions, register

from media_library.models import LibraryImage


@register(LibraryImage)
class LibraryImageTranslationOptions(TranslationOptions):
    fields = ("alt", "caption")
    required_languages = ()
    empty_values = ""
