"""The admin in the editor's language: the rich-text editor's words, numbers written with
Persian digits in titles and messages, dates in the Solar Hijri calendar, the address preview."""

import json
import re
from urllib.parse import unquote

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe

from articles.models import Article
from tests.html_forms import form_fields

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
