from modeltranslation.translator import TranslationOptions, register

from articles.models import Article, Category
from nejat.publishing.translated_fields import PublishableTranslationOptions


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name", "slug", "description")
    required_languages = ()


@register(Article)
class ArticleTranslationOptions(PublishableTranslationOptions):
    fields = (
        *PublishableTranslationOptions.fields,
        "dateline",
        "author",
        "author_slug",
        "body",
        "byline",
        "image_caption",
        "image_alt",
        "image_credit",
    )
