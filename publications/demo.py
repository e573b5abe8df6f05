"""Invented demo publications: newsletter issues, Pars Brief digests and books in several editions.

Every sentence here was written for this project; none is taken from a real publication. Covers
are generated pictures; some issues and books have no cover of their own, so their cover is made
from the first page of their generated PDF, as it would be for an editor's upload.
"""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from nejat.ops.demo_files import demo_image, demo_pdf
from nejat.publishing import Status
from publications.models import Book, Brief, BriefEntry, Newsletter, NewsletterItem
from publications.validators import normalize_isbn

COVER_SIZE = (600, 800)


def picture_pdf(seed, heading, name):
    """A two-page PDF whose first page is a picture with ``heading`` (ASCII) written on it."""
    page = Image.open(demo_image(seed, size=(595, 842))).convert("RGB")
    draw = ImageDraw.Draw(page)
    draw.rectangle([0, 60, 595, 170], fill=(255, 255, 255))
    draw.text((40, 80), heading, fill=(18, 53, 91), font=ImageFont.load_default(size=34))
    draw.text((40, 128), "Invented demo issue", fill=(90, 90, 90), font=ImageFont.load_default(22))
    second = Image.new("RGB", (595, 842), (255, 255, 255))
    ImageDraw.Draw(second).text((40, 80), "Page 2", fill=(0, 0, 0), font=ImageFont.load_default(22))
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=72, save_all=True, append_images=[second], quality=60)
    return ContentFile(buffer.getvalue(), name=name)


def set_text(item, field, texts):
    for code, text in texts.items():
        setattr(item, f"{field}_{code}", text)


# --- Nejat Newsletter ------------------------------------------------------------------------------
NEWSLETTERS = [
    {
        "number": 79,
        "own_cover": True,
        "title": {
            "en": "Winter issue: warm rooms and open doors",
            "fa": "شماره زمستان: اتاق‌های گرم و درهای باز",
            "ar": "عدد الشتاء: غرف دافئة وأبواب مفتوحة",
        },
        "lead": {
            "en": "How volunteers kept the reading rooms open through the cold months.",
            "fa": "داوطلبان چگونه اتاق‌های مطالعه را در ماه‌های سرد باز نگه داشتند.",
            "ar": "كيف أبقى المتطوعون قاعات المطالعة مفتوحة خلال الأشهر الباردة.",
        },
    },
    {
        "number": 80,
        "own_cover": False,
        "title": {
            "en": "Spring issue: letters from the families",
            "fa": "شماره بهار: نامه‌هایی از خانواده‌ها",
            "sq": "Numri i pranverës: letra nga familjet",
        },
        "lead": {
            "en": "Readers write about the year that has passed and the one ahead.",
            "fa": "خوانندگان از سالی که گذشت و سالی که در پیش است می‌نویسند.",
            "sq": "Lexuesit shkruajnë për vitin që kaloi dhe atë që vjen.",
        },
    },
    {
        "number": 81,
        "own_cover": True,
        "title": {
            "en": "Summer issue: a season of workshops",
            "fa": "شماره تابستان: فصل کارگاه‌ها",
            "ar": "عدد الصيف: موسم الورش",
            "sq": "Numri i verës: një stinë punëtorish",
        },
        "lead": {
            "en": "First aid, letter writing and a new language class for adults.",
            "fa": "کمک‌های اولیه، نامه‌نویسی و کلاس تازه زبان برای بزرگسالان.",
            "ar": "الإسعافات الأولية وكتابة الرسائل وصف جديد للغة للكبار.",
            "sq": "Ndihma e parë, shkrimi i letrave dhe një kurs i ri gjuhe për të rriturit.",
        },
    },
    {
        "number": 82,
        "own_cover": False,
        "title": {
            "en": "Autumn issue: the library grows",
            "fa": "شماره پاییز: کتابخانه بزرگ‌تر می‌شود",
            "ar": "عدد الخريف: المكتبة تكبر",
            "sq": "Numri i vjeshtës: biblioteka rritet",
        },
        "lead": {
            "en": "Five thousand donated books, and the volunteers who sort them.",
            "fa": "پنج هزار کتاب اهدایی و داوطلبانی که آن‌ها را مرتب می‌کنند.",
            "ar": "خمسة آلاف كتاب متبرع به والمتطوعون الذين يرتبونها.",
            "sq": "Pesë mijë libra të dhuruar dhe vullnetarët që i rendisin.",
        },
    },
]

NEWSLETTER_ITEMS = {
    "en": [
        ("From the editors", "A few words on what this season asked of us, and what it gave."),
        ("Reading rooms", "Opening hours, new shelves and the children's corner."),
        ("Volunteers' diary", "Notes from a week of visits to families in the district."),
        ("Questions from readers", "Answers to the letters that reached us since the last issue."),
    ],
    "fa": [
        ("سخن سردبیر", "چند کلمه درباره آنچه این فصل از ما خواست و آنچه به ما داد."),
        ("اتاق‌های مطالعه", "ساعت‌های کار، قفسه‌های تازه و گوشه کودکان."),
        ("یادداشت‌های داوطلبان", "یادداشت‌هایی از یک هفته دیدار با خانواده‌های محله."),
        ("پرسش‌های خوانندگان", "پاسخ به نامه‌هایی که از شماره پیش به دست ما رسید."),
    ],
    "ar": [
        ("كلمة التحرير", "كلمات قليلة عما طلبه منا هذا الموسم وما أعطانا."),
        ("قاعات المطالعة", "ساعات العمل والرفوف الجديدة وركن الأطفال."),
        ("يوميات المتطوعين", "ملاحظات من أسبوع من الزيارات للعائلات في الحي."),
    ],
    "sq": [
        ("Nga redaksia", "Disa fjalë për atë që na kërkoi kjo stinë dhe atë që na dha."),
        ("Sallat e leximit", "Orari, raftet e reja dhe këndi i fëmijëve."),
        ("Ditari i vullnetarëve", "Shënime nga një javë vizitash te familjet e lagjes."),
    ],
}


def load_newsletters(now):
    created = 0
    for index, spec in enumerate(NEWSLETTERS):
        issue = Newsletter(
            number=spec["number"],
            issue_date=(now - timedelta(days=90 * (len(NEWSLETTERS) - 1 - index))).date(),
            publish_at=now - timedelta(days=90 * (len(NEWSLETTERS) - 1 - index), hours=2),
            status=Status.PUBLISHED,
        )
        set_text(issue, "title", spec["title"])
        set_text(issue, "lead", spec["lead"])
        heading = f"Nejat Newsletter No. {spec['number']}"
        if spec["own_cover"]:
            issue.cover = demo_image(40 + index, size=COVER_SIZE)
            issue.pdf = demo_pdf(heading, name=f"nejat-newsletter-{spec['number']}.pdf")
        else:  # the cover comes from the PDF's first page
            issue.pdf = picture_pdf(40 + index, heading, f"nejat-newsletter-{spec['number']}.pdf")
        issue.save()
        for position in range(max(len(rows) for rows in NEWSLETTER_ITEMS.values())):
            item = NewsletterItem(newsletter=issue, position=position + 1, page=position + 1)
            for code in spec["title"]:
                rows = NEWSLETTER_ITEMS[code]
                if position < len(rows):
                    setattr(item, f"title_{code}", rows[position][0])
                    setattr(item, f"summary_{code}", rows[position][1])
            item.save()
        created += 1
    return created


# --- Pars Brief ------------------------------------------------------------------------------------
BRIEFS = [
    {
        "title": {"fa": "پارس بریف: مرور هفته", "en": "Pars Brief: the week in short"},
        "lead": {
            "fa": "خلاصه‌ای از خبرها و گزارش‌های این هفته.",
            "en": "A short round-up of this week's news and reports.",
        },
    },
    {
        "title": {"fa": "پارس بریف: مدرسه‌ها و خانواده‌ها", "en": "Pars Brief: schools and families"},
        "lead": {
            "fa": "گزیده‌ای درباره آموزش و زندگی خانواده‌ها.",
            "en": "Selected items on schooling and family life.",
        },
    },
    {
        "title": {
            "fa": "پارس بریف: کتاب‌ها و کارگاه‌ها",
            "ar": "بارس بريف: كتب وورش",
            "en": "Pars Brief: books and workshops",
        },
        "lead": {
            "fa": "از کتابخانه اهدایی تا کارگاه‌های آخر هفته.",
            "ar": "من مكتبة الكتب المتبرع بها إلى ورش نهاية الأسبوع.",
            "en": "From the donated library to the weekend workshops.",
        },
    },
]

# Rows of the digests; each edition shows the rows written for it. The Persian edition keeps a
# group of English items under its "In English:" sub-heading, as the printed digest does.
BRIEF_ROWS = [
    (
        "item",
        {
            "fa": "داوطلبان انجمن در سه محله با خانواده‌ها دیدار کردند.",
            "en": "Volunteers met families in three districts this week.",
            "ar": "التقى المتطوعون بعائلات في ثلاثة أحياء هذا الأسبوع.",
        },
    ),
    (
        "item",
        {
            "fa": "کلاس‌های رایگان زبان برای بزرگسالان از ماه آینده آغاز می‌شود.",
            "en": "Free language classes for adults start next month.",
            "ar": "تبدأ دروس اللغة المجانية للكبار الشهر المقبل.",
        },
    ),
    ("heading", {"fa": "In English:", "en": "Reports", "ar": "تقارير"}),
    (
        "item",
        {
            "fa": "A new guide explains how to write letters that reach officials.",
            "en": "A new guide explains how to write letters that reach officials.",
            "ar": "دليل جديد يشرح كيفية كتابة رسائل تصل إلى المسؤولين.",
        },
    ),
    (
        "item",
        {
            "fa": "The reading room now stays open on Thursday evenings.",
            "en": "The reading room now stays open on Thursday evenings.",
        },
    ),
]


def load_briefs(now):
    specs = [*BRIEFS, {**BRIEFS[0], "scheduled": True}]
    for index, spec in enumerate(specs):
        scheduled = spec.get("scheduled", False)
        when = now + timedelta(days=7) if scheduled else now - timedelta(days=14 * (2 - index))
        brief = Brief(
            number=140 + index,
            issue_date=when.date(),
            publish_at=when - timedelta(hours=1),
            status=Status.PUBLISHED,
        )
        titles = spec["title"]
        if scheduled:
            titles = {"en": "Pars Brief: looking ahead", "fa": "پارس بریف: نگاهی به پیش رو"}
        set_text(brief, "title", titles)
        set_text(brief, "lead", {code: spec["lead"][code] for code in titles})
        brief.save()
        for position, (kind, texts) in enumerate(BRIEF_ROWS, start=1):
            texts = {code: text for code, text in texts.items() if code in titles}
            if not texts:
                continue
            entry = BriefEntry(brief=brief, kind=kind, position=position)
            set_text(entry, "text", texts)
            if kind == "item" and position == 1:
                set_text(entry, "link", dict.fromkeys(texts, "https://example.org/demo/brief"))
            entry.save()
    return len(specs)


# --- Books -----------------------------------------------------------------------------------------
BOOKS = [
    {
        "title": {"en": "Rooms Full of Books", "fa": "اتاق‌هایی پر از کتاب"},
        "author": {"en": "Demo Writer", "fa": "نویسنده نمونه"},
        "publisher": {"en": "Nejat Demo Press", "fa": "نشر نمونه نجات"},
        "year": 2019,
        "isbn": "978-0-00-000001-9",
        "description": {
            "en": "<p>An invented account of how a small reading room became a meeting place "
            "for a whole district.</p>",
            "fa": "<p>روایتی ساختگی از اینکه چگونه یک اتاق مطالعه کوچک پاتوق یک محله شد.</p>",
        },
        "cover": True,
        "pdf": True,
    },
    {
        "title": {"en": "Letters That Arrive", "ar": "رسائل تصل"},
        "author": {"en": "Sample Author", "ar": "كاتب تجريبي"},
        "publisher": {"en": "Nejat Demo Press", "ar": "دار نجات التجريبية"},
        "year": 2021,
        "isbn": "",
        "description": {
            "en": "<p>A practical, invented guide to writing clear letters to officials.</p>",
            "ar": "<p>دليل عملي متخيل لكتابة رسائل واضحة إلى المسؤولين.</p>",
        },
        "cover": False,
        "pdf": True,
    },
    {
        "title": {"sq": "Kopshti i përbashkët", "en": "The Shared Garden"},
        "author": {"sq": "Autor Demo", "en": "Demo Author"},
        "publisher": {"sq": "Shtëpia Demo", "en": "Demo House"},
        "year": 2023,
        "isbn": "0-00-000006-X",
        "description": {
            "sq": "<p>Një histori e shpikur për fqinjët që mbjellin një kopsht në një truall bosh.</p>",
            "en": "<p>An invented story of neighbours who plant a garden on an empty lot.</p>",
        },
        "cover": True,
        "pdf": False,
        "link": "https://example.org/demo/shared-garden",
        "link_kind": Book.LinkKind.BUY,
    },
    {
        "title": {"fa": "دفترچه داوطلب"},
        "author": {"fa": "گروه داوطلبان"},
        "publisher": {"fa": "نشر نمونه نجات"},
        "year": 2024,
        "isbn": "",
        "description": {"fa": "<p>راهنمای کوتاه و ساختگی برای داوطلبان تازه‌وارد.</p>"},
        "cover": True,
        "pdf": True,
    },
]


def load_books(now):
    for index, spec in enumerate(BOOKS):
        book = Book(
            year=spec["year"],
            isbn=normalize_isbn(spec["isbn"]),
            link=spec.get("link", ""),
            link_kind=spec.get("link_kind", Book.LinkKind.DOWNLOAD),
            publish_at=now - timedelta(days=30 * index + 3),
            status=Status.PUBLISHED,
        )
        for field in ("title", "author", "publisher", "description"):
            set_text(book, field, spec[field])
        name = f"demo-book-{index + 1}.pdf"
        if spec["cover"]:
            book.cover = demo_image(60 + index, size=COVER_SIZE)
            if spec["pdf"]:
                book.pdf = demo_pdf(spec["title"].get("en", "Demo book"), name=name)
        elif spec["pdf"]:
            book.pdf = picture_pdf(60 + index, spec["title"].get("en", "Demo book"), name)
        book.save()
    return len(BOOKS)


def load():
    """Create the demo publications once; a site that already has publications gets none."""
    if Newsletter.objects.exists() or Brief.objects.exists() or Book.objects.exists():
        return 0
    now = timezone.now()
    return load_newsletters(now) + load_briefs(now) + load_books(now)
