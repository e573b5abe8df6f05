from modeltranslation.translator import TranslationOptions, register

from nejat.pages.models import Page, SiteSettings
from nejat.publishing.translated_fields import PublishableTranslationOptions


@register(Page)
class PageTranslationOptions(PublishableTranslationOptions):
    fields = (*PublishableTranslationOptions.fields, "body", "image_alt")


@register(SiteSettings)
class SiteSettingsTranslationOptions(TranslationOptions):
    fields = ("site_name", "description")
    required_languages = ()
    empty_values = ""
