from modeltranslation.translator import TranslationOptions, register

from nejat.publishing.translated_fields import PublishableTranslationOptions
from publications.models import Book, Brief, BriefEntry, Newsletter, NewsletterItem


@register(Newsletter)
class NewsletterTranslationOptions(PublishableTranslationOptions):
    pass


@register(Brief)
class BriefTranslationOptions(PublishableTranslationOptions):
    pass


@register(Book)
class BookTranslationOptions(PublishableTranslationOptions):
    fields = (*PublishableTranslationOptions.fields, "author", "publisher", "description")


class RowTranslationOptions(TranslationOptions):
    required_languages = ()
    empty_values = ""


@register(NewsletterItem)
class NewsletterItemTranslationOptions(RowTranslationOptions):
    fields = ("title", "summary")


@register(BriefEntry)
class BriefEntryTranslationOptions(RowTranslationOptions):
    fields = ("text", "link")
