from modeltranslation.translator import TranslationOptions, register

from media_gallery.models import Cartoon, Gallery, NewsPic, Photo, Video
from nejat.publishing.translated_fields import PublishableTranslationOptions


class MediaTranslationOptions(PublishableTranslationOptions):
    fields = (*PublishableTranslationOptions.fields, "body")


@register(Gallery)
class GalleryTranslationOptions(MediaTranslationOptions):
    pass


@register(Photo)
class PhotoTranslationOptions(TranslationOptions):
    fields = ("caption", "alt", "credit")
    required_languages = ()
    empty_values = ""


@register(Video)
class VideoTranslationOptions(MediaTranslationOptions):
    pass


@register(Cartoon)
class CartoonTranslationOptions(MediaTranslationOptions):
    fields = (*MediaTranslationOptions.fields, "artist", "caption", "image_alt")


@register(NewsPic)
class NewsPicTranslationOptions(MediaTranslationOptions):
    fields = (*MediaTranslationOptions.fields, "caption", "image_alt", "credit")
