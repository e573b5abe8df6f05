"""Invented demo images for the library, described in several languages, and the images the
demo's other content uploaded (``fill_library``)."""

from media_library.existing import fill_library
from media_library.models import LibraryImage
from nejat.ops.demo_files import demo_image

IMAGES = [
    {
        "alt": {"en": "Seedlings in a row of clay pots", "fa": "نهال‌ها در ردیفی از گلدان‌های سفالی"},
        "caption": {"en": "Ready for the spring planting.", "fa": "آماده برای کاشت بهاری."},
        "tags": ["garden", "spring"],
    },
    {
        "alt": {"fa": "قفسه‌های کتاب در کتابخانه محله"},
        "caption": {"fa": "کتابخانه محله پس از بازسازی."},
        "tags": ["books"],
    },
    {"alt": {}, "caption": {}, "tags": []},  # still to be described
]


def load():
    if LibraryImage.objects.exists():
        return 0
    for number, text in enumerate(IMAGES):
        image = LibraryImage(image=demo_image(300 + number), credit="Demo photographer")
        for code, alt in text["alt"].items():
            setattr(image, f"alt_{code}", alt)
        for code, caption in text["caption"].items():
            setattr(image, f"caption_{code}", caption)
        image.save()
        image.tags.add(*text["tags"])
    return len(IMAGES) + fill_library()
