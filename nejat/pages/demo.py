"""Invented demo pages: About Us in the four editions and a privacy notice in the footer."""

from nejat.pages.models import Page
from nejat.publishing import Status

ABOUT = {
    "en": (
        "About Us",
        "<p>The NEJAT Society is a demo organisation invented for this project. It supports "
        "families, publishes a newsletter and keeps a library of books and reports.</p>"
        "<h2>What we do</h2><ul><li>Listen to families</li><li>Publish news in four languages"
        "</li><li>Answer every letter</li></ul>",
    ),
    "ar": (
        "من نحن",
        "<p>جمعية نجات منظمة تجريبية أُنشئت لهذا المشروع. تدعم العائلات وتصدر نشرة إخبارية "
        "وتحتفظ بمكتبة من الكتب والتقارير.</p>",
    ),
    "fa": (
        "درباره ما",
        "<p>انجمن نجات سازمانی نمونه است که برای این پروژه ساخته شده است. از خانواده‌ها پشتیبانی "
        "می‌کند، خبرنامه منتشر می‌کند و کتابخانه‌ای از کتاب‌ها و گزارش‌ها دارد.</p>",
    ),
    "sq": (
        "Rreth nesh",
        "<p>Shoqata NEJAT është një organizatë demo e krijuar për këtë projekt. Ajo mbështet "
        "familjet, boton një buletin dhe mban një bibliotekë librash dhe raportesh.</p>",
    ),
}
PRIVACY = {
    "en": (
        "Privacy notice",
        "<p>We keep the messages and comments you send only to answer and publish them. Email "
        "addresses are never shown.</p><p>We count how often each page is read, in each "
        "edition, and from which sites readers arrive, with no cookie and without keeping your "
        "address: a visitor is a code made from the address and the browser with a key that "
        "changes every day and is then deleted. Nothing is sent to anyone else. Browsers that "
        "ask not to be tracked (Do Not Track, Global Privacy Control) are not counted at "
        "all.</p><p>This notice is demo text.</p>",
    ),
    "fa": (
        "حریم خصوصی",
        "<p>پیام‌ها و دیدگاه‌های شما فقط برای پاسخ و انتشار نگهداری می‌شوند. نشانی ایمیل هرگز "
        "نمایش داده نمی‌شود.</p><p>ما می‌شماریم هر صفحه در هر نسخه چند بار خوانده می‌شود و "
        "خوانندگان از کدام سایت‌ها می‌آیند، بی کوکی و بی نگه‌داشتن نشانی شما: هر بازدیدکننده "
        "رمزی است ساخته از نشانی و مرورگر با کلیدی که هر روز عوض و سپس پاک می‌شود. چیزی برای "
        "کسی فرستاده نمی‌شود. مرورگرهایی که خواسته‌اند ردیابی نشوند (Do Not Track، Global "
        "Privacy Control) اصلاً شمرده نمی‌شوند.</p><p>این متن نمونه است.</p>",
    ),
}


def build_page(texts, placement, position=0):
    page = Page(placement=placement, position=position, status=Status.PUBLISHED)
    for code, (title, body) in texts.items():
        setattr(page, f"title_{code}", title)
        setattr(page, f"body_{code}", body)
    page.save()
    return page


def load():
    if Page.objects.filter(placement=Page.Placement.ABOUT).exists():
        return 0
    build_page(ABOUT, Page.Placement.ABOUT)
    build_page(PRIVACY, Page.Placement.FOOTER, position=1)
    return 2
