"""Invented demo media: photo albums, videos (one uploaded file, one link), cartoons, news pictures.

Pictures are drawn by ``demo_image``; the short video is a generated test pattern.
"""

from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from media_gallery.models import Cartoon, Gallery, NewsPic, Photo, Video
from nejat.ops.demo_files import demo_image
from nejat.publishing import Status

DEMO_VIDEO = Path(__file__).resolve().parent / "demo_assets" / "demo-video.mp4"

GALLERIES = [
    {
        "en": "Spring planting day in the community garden",
        "fa": "روز کاشت بهاری در باغ محله",
        "ar": "يوم الزراعة الربيعي في حديقة الحي",
        "sq": "Dita e mbjelljes në kopshtin e lagjes",
    },
    {"en": "Volunteers at the winter clothes drive", "fa": "داوطلبان در جمع‌آوری لباس زمستانی"},
    {"fa": "نمایشگاه نقاشی کودکان"},
]
CAPTIONS = {
    "en": "Photo {n} of the day: neighbours working together.",
    "fa": "عکس {n} از آن روز: همسایه‌ها در کنار هم.",
    "ar": "الصورة {n} من ذلك اليوم: جيران يعملون معًا.",
    "sq": "Fotoja {n} e ditës: fqinjë që punojnë së bashku.",
}
CARTOONS = [
    {"en": "The long queue", "fa": "صف طولانی", "ar": "الطابور الطويل", "sq": "Radha e gjatë"},
    {"en": "Paper mountains", "fa": "کوه کاغذها"},
    {"ar": "انتظار الحافلة"},
]
NEWSPICS = [
    {
        "en": "Rain returns to the valley",
        "fa": "بازگشت باران به دره",
        "sq": "Shiu kthehet në luginë",
    },
    {"fa": "بازار کتاب در آخر هفته"},
]
VIDEOS = [
    {
        "titles": {"en": "Two minutes with the volunteers", "fa": "دو دقیقه با داوطلبان"},
        "file": True,
    },
    {
        "titles": {
            "en": "Recorded talk: reading with children",
            "ar": "محاضرة مسجلة: القراءة مع الأطفال",
        },
        "embed_url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
    },
]


def _publishable(model, titles, when, **fields):
    item = model(status=Status.PUBLISHED, publish_at=when, **fields)
    for code, title in titles.items():
        setattr(item, f"title_{code}", title)
    return item


def load():
    if Gallery.objects.exists():
        return 0
    now = timezone.now()
    count = 0
    for index, titles in enumerate(GALLERIES):
        gallery = _publishable(Gallery, titles, now - timedelta(days=3 * index + 1))
        gallery.save()
        for n in range(1, 6):
            photo = Photo(gallery=gallery, position=n, image=demo_image(100 + 10 * index + n))
            for code in titles:
                setattr(photo, f"caption_{code}", CAPTIONS[code].format(n=n))
                setattr(photo, f"alt_{code}", CAPTIONS[code].format(n=n))
            photo.credit = "Nejat demo"
            photo.save()
        count += 1
    for index, titles in enumerate(CARTOONS):
        cartoon = _publishable(Cartoon, titles, now - timedelta(days=2 * index, hours=5))
        cartoon.image = demo_image(200 + index, size=(800, 800), fmt="PNG")
        for code, title in titles.items():
            setattr(cartoon, f"artist_{code}", "Demo Artist")
            setattr(cartoon, f"image_alt_{code}", title)
        cartoon.save()
        count += 1
    for index, titles in enumerate(NEWSPICS):
        newspic = _publishable(NewsPic, titles, now - timedelta(days=index + 2))
        newspic.image = demo_image(300 + index)
        for code, title in titles.items():
            setattr(newspic, f"caption_{code}", title)
            setattr(newspic, f"image_alt_{code}", title)
        newspic.save()
        count += 1
    for index, spec in enumerate(VIDEOS):
        video = _publishable(Video, spec["titles"], now - timedelta(days=index, hours=2))
        video.poster = demo_image(400 + index)
        if spec.get("file"):
            video.video_file = ContentFile(DEMO_VIDEO.read_bytes(), name="demo-video.mp4")
        else:
            video.embed_url = spec["embed_url"]
        video.save()
        count += 1
    return count
