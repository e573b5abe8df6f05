"""The admin in the editor's language: the rich-text editor's words, numbers written with
Persian digits in titles and messages, dates in the Solar Hijri calendar, the address preview."""

import json
import re
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe
from reversion.models import Version

from articles.factories import CategoryFactory
from articles.models import Article
from media_library.models import LibraryImage
from nejat.ops.demo_files import demo_image
from publications.factories import BriefFactory
from tests.helpers.forms import form_fields, save_again
from tests.helpers.pages import VisibleWords

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("code", "word"), [("fa", "پررنگ"), ("ar", "عريض"), ("sq", "të trasha")])
def test_the_editors_words_come_with_the_admins_javascript_catalogue(editor_client, code, word):
    catalogue = editor_client.get(f"/{code}/admin/jsi18n/").content.decode()
    assert json.dumps({"bold": word})[1:-1] in catalogue  # as the catalogue writes it: escaped
    assert '"Insert Figure": "' in catalogue  # the library's own dialog words too


def test_persian_admin_titles_and_messages_use_persian_digits_and_keep_links(
    editor_client, article_factory
):
    article = article_factory(title_fa="گزارش 2026", title_en="")
    url = f"/fa/admin/articles/article/{article.pk}/change/"
    opened = editor_client.get(url).content.decode()
    assert "<h2>گزارش ۲۰۲۶</h2>" in opened
    assert re.search(r"<title>گزارش ۲۰۲۶ \| ", opened)

    fields = form_fields(opened, "article_form")
    page = editor_client.post(url, fields, follow=True).content.decode()
    message = re.search(r'<li class="success">(.*?)</li>', page, re.S).group(1)
    assert f'href="/fa/admin/articles/article/{article.pk}/change/"' in message  # link intact
    assert "۲۰۲۶" in message and "2026" not in message

    published = editor_client.post(
        "/fa/admin/articles/article/",
        {"action": "publish_now", "_selected_action": [article.pk]},
        follow=True,
    ).content.decode()
    message = re.search(r'<li class="success">(.*?)</li>', published, re.S).group(1)
    assert "۱" in message and not re.search("[0-9]", message)


@pytest.mark.parametrize(
    ("text", "persian"),
    [
        ("5 photos added", "۵ photos added"),
        (
            mark_safe('<a href="/admin/x/12/">No. 9903</a> &#8220;'),
            '<a href="/admin/x/12/">No. ۹۹۰۳</a> &#8220;',
        ),
    ],
)
def test_digits_in_text_only(text, persian):
    template = Template("{% load nejat_tags %}{{ text|local_digits_in_text }}")
    with translation.override("fa"):
        assert template.render(Context({"text": text})) == persian
    with translation.override("ar"):
        assert template.render(Context({"text": text})) == str(text)


def test_tags_typed_with_persian_commas_come_back_so_through_two_saves(
    editor_client, article_factory
):
    """Each tag field shows its edition's comma: «، » for Persian and Arabic tags, ", " for
    English ones, whatever the admin's language; saving what is shown changes nothing."""
    article = article_factory(title_fa="گزارش", title_en="")
    url = f"/fa/admin/articles/article/{article.pk}/change/"
    typed = {
        "edition_tags_fa": "تهران، آب",
        "edition_tags_ar": "ماء،طهران",
        "edition_tags_en": "water,Tehran",
    }
    shown = {
        "edition_tags_fa": "آب، تهران",
        "edition_tags_ar": "طهران، ماء",
        "edition_tags_en": "Tehran, water",
    }
    for changes in (typed, {}):  # typed, then saved again as the form shows them
        response = save_again(editor_client, url, "article_form", **changes)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert sorted(t.name for t in article.tags.filter(language="fa")) == ["آب", "تهران"]
        assert article.tags.count() == 6
        fields = form_fields(editor_client.get(url).content.decode(), "article_form")
        assert {name: fields[name] for name in shown} == shown


def test_the_history_is_dated_in_the_solar_hijri_calendar(editor_client, article_factory):
    article = article_factory(title_fa="گزارش", title_en="")
    url = f"/fa/admin/articles/article/{article.pk}/change/"
    fields = form_fields(editor_client.get(url).content.decode(), "article_form")
    editor_client.post(url, fields)
    history = editor_client.get(f"/fa/admin/articles/article/{article.pk}/history/")
    rows = re.findall(r'<th scope="row">\s*(?:<a [^>]*>)?(.*?)<', history.content.decode(), re.S)
    assert rows and all(re.search("[۰-۹]{4}", row) and "ساعت" in row for row in rows), rows


def test_the_address_preview_follows_the_rules_of_the_save(editor_client, article_factory):
    article = article_factory(title_fa="گزارش", title_en="")
    preview = editor_client.get(
        f"/admin/articles/article/{article.pk}/permalink/",
        {"code": "fa", "title": "محيط زيست", "slug": ""},
    ).json()
    # ي/ك typed on an Arabic keyboard become ی/ک, as on save; the page shows it decoded.
    assert unquote(preview["url"]) == f"http://testserver/fa/articles/{article.pk}/محیط-زیست/"
    assert preview["note"] == ""

    typed = editor_client.get(
        "/admin/articles/article/permalink/", {"code": "fa", "title": "x", "slug": "Hello World"}
    ).json()
    assert typed["url"].endswith("/fa/articles/0/hello-world/")
    assert typed["note"]  # the number comes with the first save
    assert Article.objects.count() == 1

    refused = editor_client.get("/admin/articles/article/permalink/", {"code": "xx"})
    assert refused.status_code == 400


@pytest.mark.dates
@pytest.mark.parametrize("code", ["fa", "ar"])  # Albanian is written in Latin letters
def test_the_persian_and_arabic_admin_meet_an_editor_with_no_english_word(
    editor_client, article_factory, code
):
    category = CategoryFactory(name_en="", name_fa="محیط زیست")
    article = article_factory(title_fa="گزارش", title_en="", body_en="", category=category)
    brief = BriefFactory(title_fa="پارس بریف", title_en="")
    photo = SimpleUploadedFile("باغ.jpg", demo_image(1).read(), "image/jpeg")
    image = LibraryImage.objects.create(image=photo, title="باغ")
    change = f"/{code}/admin/articles/article/{article.pk}/change/"
    assert save_again(editor_client, change, "article_form").status_code == 302
    assert (
        save_again(editor_client, change, "article_form", title_fa="گزارش دوم").status_code == 302
    )
    first, second = Version.objects.get_for_object(article).order_by("pk")
    trashed = article_factory(title_fa="دورریخته", title_en="", category=category)
    trashed.move_to_trash()
    pages = [
        f"/{code}/admin/",
        f"/{code}/admin/articles/article/",
        f"/{code}/admin/articles/article/add/",
        f"/{code}/admin/articles/article/{article.pk}/change/",
        f"/{code}/admin/articles/article/{article.pk}/history/",
        f"/{code}/admin/articles/article/{article.pk}/history/compare/"
        f"?version_id1={first.pk}&version_id2={second.pk}",
        f"/{code}/admin/articles/article/{article.pk}/history/{first.pk}/",  # to restore
        f"/{code}/admin/articles/article/?state=trash",
        f"/{code}/admin/publications/brief/{brief.pk}/change/",
        f"/{code}/admin/media_library/libraryimage/",
        f"/{code}/admin/media_library/libraryimage/upload/",
        f"/{code}/admin/media_library/libraryimage/{image.pk}/change/",
        f"/{code}/admin/comments/comment/",
        f"/{code}/admin/recent-changes/",
        f"/{code}/admin/scheduled/",
    ]
    # Languages named in their own words, the one setting a warning names, a
    # file format, the editor's own user name, and a stored file's name ("library/باغ.jpg").
    allowed = {"English", "Shqip", "COMMENTS_NOTIFY_EMAILS"}
    allowed |= {"WebP", "editor", "library", "jpg"}
    for url in pages:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        parser = VisibleWords()
        parser.feed(response.content.decode())
        english = {
            word
            for text in parser.words
            for word in re.findall(r"[A-Za-z_]{3,}", text)  # edition codes are codes
            if word not in allowed and not word.isupper()  # PDF, NEJAT are names
        }
        assert not english, (url, english)
