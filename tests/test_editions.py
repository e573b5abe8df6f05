"""Four editions that each feel native: dates, digits, spelling variants, links between editions."""

from datetime import datetime

import pytest
from django.utils import timezone, translation

from articles.models import Article
from nejat.editions import edition_slugify, normalize
from nejat.models import Tag, set_edition_tags
from nejat.templatetags.nejat_tags import edition_date

pytestmark = pytest.mark.django_db

MOMENT = timezone.make_aware(datetime(2024, 3, 20, 9, 5), timezone.get_fixed_timezone(210))


@pytest.mark.dates
@pytest.mark.parametrize(
    ("code", "date", "date_time"),
    [
        ("en", "March 20, 2024", "March 20, 2024 - 09:05"),
        ("fa", "۱ فروردین ۱۴۰۳", "۱ فروردین ۱۴۰۳، ساعت ۰۹:۰۵"),
        ("ar", "20 مارس 2024", "20 مارس 2024، 09:05"),
        ("sq", "20 mars 2024", "20 mars 2024, 09:05"),
    ],
)
def test_dates_as_each_edition_writes_them(settings, code, date, date_time):
    settings.TIME_ZONE = "Asia/Tehran"
    with translation.override(code), timezone.override("Asia/Tehran"):
        assert edition_date(MOMENT) == date
        if date_time:
            assert edition_date(MOMENT, "DATETIME") == date_time


@pytest.mark.dates
def test_persian_pages_show_solar_hijri_dates_and_persian_digits(client, article_factory):
    noon_in_the_site_zone = timezone.make_aware(datetime(2024, 3, 20, 12, 0))  # 1 Farvardin
    article_factory(title_en="", title_fa="خبر", publish_at=noon_in_the_site_zone)
    html = client.get("/fa/").content.decode()
    assert "۱ فروردین ۱۴۰۳" in html
    assert "۰ دیدگاه" in html
    assert "۲۰۰۳" in html  # the footer's years


def test_normalisation_unifies_letters_and_digits():
    assert normalize("كتاب يك ۱۲٣", "fa") == "کتاب یک 123"
    assert normalize("کتاب یک", "ar") == "كتاب يك"
    assert normalize("مَدرَسة", "ar") == "مدرسة"  # short-vowel marks are optional
    assert edition_slugify("می‌خواهم بخوانم", "fa") == "می-خواهم-بخوانم"


def test_a_slug_typed_with_arabic_letters_finds_the_persian_category(
    client, category_factory, article_factory
):
    category = category_factory(name_fa="کتاب‌ها", slug_fa="کتاب-ها")
    article_factory(title_en="", title_fa="یک خبر", category=category)
    assert client.get("/fa/articles/category/كتاب-ها/").status_code == 200


def test_each_edition_keeps_its_own_tags_normalised(client, article_factory):
    article = article_factory(title_en="Schools", title_fa="مدرسه‌ها")
    set_edition_tags(article, {"en": ["schools"], "fa": ["آموزش كودكان"]})
    persian_tag = Tag.objects.get(language="fa")
    assert persian_tag.name == "آموزش کودکان"  # Persian ک, whatever the keyboard
    assert client.get("/fa/tags/آموزش-كودكان/").status_code == 200  # typed with Arabic letters
    assert client.get("/tags/آموزش-کودکان/").status_code == 404  # not an English tag
    english = client.get(article.url_in("en")).content.decode()
    persian = client.get(article.url_in("fa")).content.decode()
    assert "schools" in english and "آموزش کودکان" not in english
    assert "آموزش کودکان" in persian and ">schools<" not in persian


def test_an_item_missing_from_an_edition_links_to_the_editions_it_is_in(client, article_factory):
    article = article_factory(title_en="", title_fa="فقط فارسی", title_sq="Vetëm")
    response = client.get(f"/ar/articles/{article.pk}/")
    html = response.content.decode()
    assert response.status_code == 404
    assert f'href="{article.url_in("fa")}"' in html and f'href="{article.url_in("sq")}"' in html
    assert '<html lang="ar" dir="rtl"' in html


def test_a_draft_is_not_revealed_through_the_missing_edition_page(client, article_factory):
    article = article_factory(title_en="", title_fa="پیش‌نویس", status="draft")
    assert "other-editions" not in client.get(f"/ar/articles/{article.pk}/").content.decode()


def test_hreflang_alternates_and_canonical_on_an_article(client, article_factory):
    article = article_factory(title_en="Both", title_fa="هر دو")
    html = client.get(article.url_in("fa")).content.decode()
    base = "http://testserver"
    assert f'<link rel="canonical" href="{base}{article.url_in("fa")}">' in html
    assert f'<link rel="alternate" hreflang="en" href="{base}{article.url_in("en")}">' in html
    assert f'<link rel="alternate" hreflang="fa" href="{base}{article.url_in("fa")}">' in html
    assert 'hreflang="ar"' not in html.split("</head>")[0]
    assert (
        f'<link rel="alternate" hreflang="x-default" href="{base}{article.url_in("en")}">' in html
    )


def test_hreflang_on_list_pages_keeps_the_page_number(client, article_factory):
    for n in range(12):
        article_factory(title_en=f"Item {n}", title_fa=f"مورد {n}")
    html = client.get("/fa/articles/?page=2").content.decode()
    assert '<link rel="canonical" href="http://testserver/fa/articles/?page=2">' in html
    assert 'hreflang="sq" href="http://testserver/sq/articles/?page=2"' in html


def test_editions_menu_from_a_tag_page_goes_to_the_other_homes(client, article_factory):
    article = article_factory(title_en="Tagged", title_fa="برچسب")
    set_edition_tags(article, {"en": ["peace"]})
    html = client.get("/tags/peace/").content.decode()
    assert 'href="/fa/" lang="fa"' in html


def test_admin_tags_per_edition(editor_client, article_factory):
    article = article_factory(title_en="Tag me", title_fa="برچسب بزن")
    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {
            "title_en": "Tag me",
            "title_fa": "برچسب بزن",
            "slug_en": article.slug_en,
            "slug_fa": article.slug_fa,
            "status": "published",
            "publish_at_0": "2024-05-01",
            "publish_at_1": "10:00:00",
            "edition_tags_en": "peace, schools",
            "edition_tags_fa": "صلح, مدارس",
            "suggestions-TOTAL_FORMS": "0",  # (its related articles: none changed)
            "suggestions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert {(t.language, t.name) for t in Article.objects.get().tags.all()} == {
        ("en", "peace"),
        ("en", "schools"),
        ("fa", "صلح"),
        ("fa", "مدارس"),
    }
    form = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'name="edition_tags_fa"' in form and "صلح" in form
