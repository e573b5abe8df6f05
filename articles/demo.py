"""Invented demo articles: about thirty, some in all four editions, some in one edition only.

Every sentence here was written for this project; none is taken from a real article.
"""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article, Category
from nejat.models import set_edition_tags
from nejat.ops.demo_files import demo_image, demo_pdf
from nejat.publishing import Status

CATEGORIES = [
    {"en": "Human Rights", "ar": "حقوق الإنسان", "fa": "حقوق بشر", "sq": "Të drejtat e njeriut"},
    {"en": "Analysis", "ar": "تحليل", "fa": "تحلیل", "sq": "Analizë"},
    {"en": "Society", "ar": "مجتمع", "fa": "جامعه", "sq": "Shoqëri"},
    {"en": "Culture", "ar": "ثقافة", "fa": "فرهنگ", "sq": "Kulturë"},
    {"en": "Interviews", "ar": "مقابلات", "fa": "گفتگو", "sq": "Intervista"},
]

PARAGRAPHS = {
    "en": [
        "Volunteers from the association met families in the district this week to hear what "
        "they need most: safe housing, schooling for the children and a way to stay in touch.",
        "Several speakers at the meeting said that small, regular help matters more than a single "
        "large gesture, and asked for the reading room to stay open in the evenings.",
        "The organisers plan a second visit next month and invite readers to send questions "
        "through the contact form. A summary of the discussion will appear in the next newsletter.",
    ],
    "ar": [
        "التقى متطوعو الجمعية هذا الأسبوع بعائلات في الحي للاستماع إلى ما تحتاجه أكثر: سكن آمن "
        "وتعليم للأطفال ووسيلة للبقاء على تواصل.",
        "قال عدد من المتحدثين في اللقاء إن المساعدة الصغيرة المنتظمة أهم من مبادرة كبيرة واحدة، "
        "وطلبوا أن تبقى قاعة المطالعة مفتوحة في المساء.",
        "يخطط المنظمون لزيارة ثانية في الشهر المقبل ويدعون القراء إلى إرسال أسئلتهم عبر نموذج الاتصال.",
    ],
    "fa": [
        "داوطلبان انجمن این هفته با خانواده‌های محله دیدار کردند تا بشنوند بیش از همه به چه نیاز "
        "دارند: خانه‌ای امن، مدرسه برای کودکان و راهی برای در تماس ماندن.",
        "چند نفر از سخنرانان گفتند کمک کوچک و پیوسته از یک اقدام بزرگ و یک‌باره مهم‌تر است و "
        "خواستند اتاق مطالعه شب‌ها هم باز بماند.",
        "برگزارکنندگان برای ماه آینده دیدار دوباره‌ای در نظر دارند و از خوانندگان می‌خواهند "
        "پرسش‌های خود را از راه فرم تماس بفرستند.",
    ],
    "sq": [
        "Vullnetarët e shoqatës takuan këtë javë familje në lagje për të dëgjuar se çfarë u "
        "nevojitet më shumë: strehim i sigurt, shkollim për fëmijët dhe një mënyrë për të mbajtur lidhje.",
        "Disa folës në takim thanë se ndihma e vogël dhe e rregullt vlen më shumë se një gjest i madh "
        "i vetëm, dhe kërkuan që salla e leximit të qëndrojë e hapur në mbrëmje.",
        "Organizatorët planifikojnë një vizitë të dytë muajin e ardhshëm dhe ftojnë lexuesit të "
        "dërgojnë pyetje përmes formularit të kontaktit.",
    ],
}

DATELINES = {"en": "TEHRAN", "ar": "طهران", "fa": "تهران", "sq": "TIRANË"}
BYLINES = {
    "en": "By: Demo Writer – Nejat Weekly",
    "ar": "بقلم: كاتب تجريبي – نجات الأسبوعية",
    "fa": "نویسنده: نویسنده نمونه – هفته‌نامه نجات",
    "sq": "Nga: Shkrimtar Demo – Nejat Javore",
}
AUTHORS = {
    "en": ["Demo Writer", "Sample Reporter"],
    "ar": ["كاتب تجريبي", "مراسل نموذجي"],
    "fa": ["نویسنده نمونه", "خبرنگار نمونه"],
    "sq": ["Shkrimtar Demo", "Reporter Shembull"],
}
TAGS = {
    "en": ["families", "education", "health", "community"],
    "ar": ["عائلات", "تعليم", "صحة"],
    "fa": ["خانواده", "آموزش", "سلامت"],
    "sq": ["familje", "arsim", "shëndet"],
}

# Titles written for this demo. A dict with four languages is one translated article.
TRANSLATED = [
    {
        "en": "Reading room opens for children in a mountain village",
        "ar": "افتتاح قاعة مطالعة للأطفال في قرية جبلية",
        "fa": "گشایش اتاق مطالعه برای کودکان در روستایی کوهستانی",
        "sq": "Hapet një sallë leximi për fëmijët në një fshat malor",
    },
    {
        "en": "Families share their stories at a community evening",
        "ar": "عائلات تروي قصصها في أمسية مجتمعية",
        "fa": "خانواده‌ها در شبی دوستانه از تجربه‌های خود گفتند",
        "sq": "Familjet ndajnë historitë e tyre në një mbrëmje komunitare",
    },
    {
        "en": "A guide to writing letters that reach officials",
        "ar": "دليل لكتابة رسائل تصل إلى المسؤولين",
        "fa": "راهنمای نوشتن نامه‌هایی که به دست مسئولان برسد",
        "sq": "Udhëzues për të shkruar letra që arrijnë te zyrtarët",
    },
    {
        "en": "Volunteers repair a school roof before winter",
        "ar": "متطوعون يصلحون سقف مدرسة قبل الشتاء",
        "fa": "داوطلبان پیش از زمستان سقف مدرسه را تعمیر کردند",
        "sq": "Vullnetarët riparojnë çatinë e një shkolle para dimrit",
    },
    {
        "en": "Free health check day draws hundreds of visitors",
        "ar": "يوم الفحص الصحي المجاني يجذب المئات",
        "fa": "روز معاینه رایگان صدها نفر را به خود جلب کرد",
        "sq": "Dita e kontrollit falas shëndetësor tërheq qindra vizitorë",
    },
    {
        "en": "Interview: a teacher on learning in two languages",
        "ar": "مقابلة: معلمة تتحدث عن التعلم بلغتين",
        "fa": "گفتگو: معلمی از آموزش به دو زبان می‌گوید",
        "sq": "Intervistë: një mësuese për të mësuarit në dy gjuhë",
    },
    {
        "en": "Photo exhibition tells the story of a river town",
        "ar": "معرض صور يروي حكاية بلدة على النهر",
        "fa": "نمایشگاه عکس داستان شهری کنار رودخانه را روایت می‌کند",
        "sq": "Ekspozita fotografike tregon historinë e një qyteti buzë lumit",
    },
    {
        "en": "Analysis: what the new housing rules mean for tenants",
        "ar": "تحليل: ماذا تعني قواعد السكن الجديدة للمستأجرين",
        "fa": "تحلیل: قوانین تازه مسکن برای مستأجران چه معنایی دارد",
        "sq": "Analizë: çfarë nënkuptojnë rregullat e reja të strehimit për qiramarrësit",
    },
    {
        "en": "Weekend workshop teaches first aid to parents",
        "ar": "ورشة نهاية الأسبوع تعلّم الإسعافات الأولية للآباء",
        "fa": "کارگاه آخر هفته کمک‌های اولیه را به والدین آموزش داد",
        "sq": "Punëtoria e fundjavës u mëson prindërve ndihmën e parë",
    },
    {
        "en": "Library of donated books reaches five thousand titles",
        "ar": "مكتبة الكتب المتبرع بها تصل إلى خمسة آلاف عنوان",
        "fa": "کتابخانه کتاب‌های اهدایی به پنج هزار عنوان رسید",
        "sq": "Biblioteka e librave të dhuruar arrin pesë mijë tituj",
    },
]

SINGLE_EDITION = {
    "en": [
        "Community kitchen serves warm meals through the cold months",
        "New helpline answers questions in four languages",
        "Students publish a magazine about their neighbourhood",
        "Cycling group collects winter clothes for shelters",
        "Report: waiting times at local clinics fall for a second year",
        "Music school offers free lessons on Saturdays",
        "Opinion: why small grants change more than big promises",
        "Gardeners turn an empty lot into a shared orchard",
        "Older residents record memories for a city archive",
        "Footballers raise funds for a new playground",
    ],
    "fa": [
        "کلاس‌های رایگان زبان برای بزرگسالان آغاز شد",
        "نمایشگاه نقاشی کودکان در فرهنگسرای محله",
        "گزارشی از یک روز کار در آشپزخانه همگانی",
        "کتاب‌خوانی گروهی در پارک شهر ادامه دارد",
    ],
    "ar": [
        "متطوعون يوزعون الكتب المدرسية على الأسر",
        "ندوة عن حقوق العمال في المدينة",
        "حملة لتنظيف الشاطئ بمشاركة الطلاب",
    ],
    "sq": [
        "Kurs falas kompjuteri për të rinjtë",
        "Festivali i filmit dokumentar hap dyert",
        "Banorët mbjellin pemë përgjatë rrugës kryesore",
    ],
}


HEADINGS = {"en": "Background", "ar": "خلفية", "fa": "پیشینه", "sq": "Sfondi"}


def body_html(code):
    first, *rest = PARAGRAPHS[code]
    notes = "<h3>Notes</h3><ol><li>Invented demo note.</li></ol>" if code == "en" else ""
    return (
        f"<p>{first}<sup>[1]</sup></p><h2>{HEADINGS[code]}</h2>"
        + "".join(f"<p>{p}</p>" for p in rest)
        + f"<blockquote><p>{rest[0]}</p></blockquote>"
        + notes
    )


def build_article(titles, *, seed, category, when, status=Status.PUBLISHED):
    article = Article(category=category, publish_at=when, status=status)
    for code, title in titles.items():
        setattr(article, f"title_{code}", title)
        setattr(article, f"lead_{code}", PARAGRAPHS[code][0].split(":")[0] + ".")
        setattr(article, f"body_{code}", body_html(code))
        setattr(article, f"dateline_{code}", DATELINES[code])
        setattr(article, f"byline_{code}", BYLINES[code])
        setattr(article, f"author_{code}", AUTHORS[code][seed % 2])
        setattr(article, f"image_alt_{code}", titles[code])
        setattr(article, f"image_caption_{code}", titles[code])
    article.image_credit = "Nejat demo"
    article.editor_initials = "ND/DM"
    article.featured_image = demo_image(seed)
    article.save()
    set_edition_tags(article, {code: TAGS[code][: 1 + seed % len(TAGS[code])] for code in titles})
    return article


def load():
    """Create the demo articles once; a second call adds nothing."""
    if Category.objects.filter(slug_en="human-rights").exists():
        return 0
    categories = []
    for position, names in enumerate(CATEGORIES):
        category = Category(position=position)
        for code, name in names.items():
            setattr(category, f"name_{code}", name)
        category.clean()
        category.save()
        categories.append(category)

    now = timezone.now()
    created = []
    seed = 0
    for titles in TRANSLATED:
        when = now - timedelta(days=2 * seed + 1, hours=seed)
        created.append(build_article(titles, seed=seed, category=categories[seed % 5], when=when))
        seed += 1
    for code, titles in SINGLE_EDITION.items():
        for title in titles:
            when = now - timedelta(days=2 * seed + 1, hours=3 * seed)
            created.append(
                build_article({code: title}, seed=seed, category=categories[seed % 5], when=when)
            )
            seed += 1

    # Republished piece with a source, and a PDF attachment.
    source_piece = created[2]
    source_piece.source_name = "Demo Review"
    source_piece.source_url = "https://example.org/demo-review/letters"
    source_piece.source_date = (now - timedelta(days=40)).date()
    source_piece.pdf.save("demo-guide.pdf", demo_pdf("Demo guide to letters"), save=False)
    source_piece.save()

    for index, article in enumerate(created[:10]):
        article.related.add(*[created[(index + step) % 10] for step in (1, 2, 3)])

    created.append(
        build_article(
            {
                "en": "Scheduled: annual report presented next week",
                "fa": "زمان‌بندی‌شده: گزارش سالانه هفته آینده ارائه می‌شود",
            },
            seed=seed,
            category=categories[1],
            when=now + timedelta(days=7),
        )
    )
    created.append(
        build_article(
            {"en": "Draft: notes from the volunteers' meeting"},
            seed=seed + 1,
            category=categories[2],
            when=now,
            status=Status.DRAFT,
        )
    )
    return len(created)
