"""'Translate into …': from a missing edition's badge to the form on that language with the
source text beside it (nejat.editorial.translating)."""

import re

import pytest

from articles.models import Article
from tests.helpers.forms import form_fields

pytestmark = pytest.mark.django_db


def test_missing_editions_link_to_translating_them(editor_client, article_factory):
    article = article_factory(title_en="Rain in Tehran", title_fa="باران در تهران", title_ar="")
    listing = editor_client.get("/fa/admin/articles/article/").content.decode()
    link = f"/fa/admin/articles/article/{article.pk}/change/?translate=ar"
    assert f'href="{link}"' in listing
    assert f'href="/fa/admin/articles/article/{article.pk}/change/?translate=fa"' not in listing


def test_the_form_shows_the_source_text_and_saves_the_translation(editor_client, article_factory):
    article = article_factory(
        title_en="Rain in Tehran",
        lead_en="Streets were wet all day.",
        body_en='<p>It rained <a href="https://example.org/">all day</a>.</p>',
        title_fa="",
        body_fa="",
    )
    url = f"/fa/admin/articles/article/{article.pk}/change/"
    page = editor_client.get(url + "?translate=fa").content.decode()
    source = re.search(r'<details class="translation-source".*?</details>', page, re.S).group(0)
    assert 'data-translate-into="fa"' in source and 'lang="en"' in source
    assert "Rain in Tehran" in source and "Streets were wet all day." in source
    assert '<a href="https://example.org/" rel="noopener noreferrer">all day</a>' in source

    fields = form_fields(page, "article_form")
    fields.update(title_fa="باران در تهران", body_fa="<p>همه روز باران بارید.</p>")
    assert editor_client.post(url + "?translate=fa", fields).status_code == 302
    saved = Article.objects.get(pk=article.pk)
    assert saved.title_fa == "باران در تهران" and saved.title_en == "Rain in Tehran"
    assert "fa" in saved.editions()


def test_no_source_panel_without_a_source_or_a_known_edition(editor_client, article_factory):
    article = article_factory(title_en="", title_fa="فقط فارسی")
    url = f"/fa/admin/articles/article/{article.pk}/change/"
    assert "translation-source" not in editor_client.get(url + "?translate=fa").content.decode()
    assert "translation-source" not in editor_client.get(url + "?translate=xx").content.decode()
    page = editor_client.get(url + "?translate=en").content.decode()
    assert "فقط فارسی" in re.search(
        r'<details class="translation-source".*?</details>', page, re.S
    ).group(0)
