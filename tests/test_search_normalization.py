"""One normalisation table per edition, two implementations built from it: Python's
``search_text()`` and the SQL function the generated search columns call. They must agree."""

import random

import pytest
from django.apps import apps
from django.db import connection

from articles.models import Article
from nejat import editions
from nejat.editions import edition_codes, search_text
from nejat.publishing.search import SearchResults, normalize_function, search_normalization

pytestmark = pytest.mark.django_db

ALPHABET = (
    "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیئءآأإؤة"  # Persian and Arabic letters
    "يكى"  # Arabic spellings of ی and ک
    "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩0123456789"  # three sets of digits
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"  # harakat, alef, tatweel
    "\u200c\u200d abcxyzÇçËëÉéŞ-.,،؛"  # joiners, Latin, Albanian, punctuation
)


def mixed_strings(count=300, seed=20261201):
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 24))) for _ in range(count)]


def sql_normalize(texts, code):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {normalize_function(code)}(t) FROM unnest(%s::text[]) WITH ORDINALITY AS "  # noqa: S608
            "u(t, n) ORDER BY n",
            [texts],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize("code", edition_codes())
def test_python_and_postgresql_normalise_alike(code):
    texts = mixed_strings()
    assert sql_normalize(texts, code) == [search_text(text, code) for text in texts]


def test_a_normalisation_change_is_one_migration_operation(monkeypatch, article_factory):
    """Change the table, run ``search_normalization()`` (what the one-line migration does):
    the function is replaced and the stored search columns are recomputed."""
    article = article_factory(title_en="", title_sq="Shtëpia e librit")
    assert not [r.pk for r in SearchResults("shtepia", "sq")[0:10]]

    table = {**editions.search_table("sq"), ord("ë"): "e"}
    original = editions.search_table

    def changed_table(code):
        return table if code == "sq" else original(code)

    monkeypatch.setattr(editions, "search_table", changed_table)
    monkeypatch.setattr("nejat.publishing.search.search_table", changed_table)
    monkeypatch.setattr(
        "nejat.publishing.search.search_text", lambda text, code: text.lower().translate(table)
    )
    operation = search_normalization()
    with connection.schema_editor() as schema_editor:
        operation.code(apps, schema_editor)
    assert sql_normalize(["Shtëpia"], "sq") == ["shtepia"]
    assert [r.pk for r in SearchResults("shtepia", "sq")[0:10]] == [article.pk]


def test_a_zero_width_non_joiner_separates_words_in_search(article_factory):
    article = article_factory(title_en="", title_fa="کتاب‌خانه کودکان")
    assert [r.pk for r in SearchResults("کتاب", "fa")[0:10]] == [article.pk]
    assert Article.objects.filter(pk=article.pk).exists()


def test_the_admin_finds_what_public_search_finds(editor_client, article_factory):
    """An editor types ی and ک on a Persian keyboard; the title was pasted with Arabic ي and ك."""
    pasted = article_factory(title_en="", title_fa="كتاب علي در مدرسه", lead_fa="")
    other = article_factory(title_en="Water report", title_fa="گزارش آب")
    found = editor_client.get("/fa/admin/articles/article/", {"q": "کتاب علی"})
    assert list(found.context["cl"].result_list) == [pasted]
    found = editor_client.get("/admin/articles/article/", {"q": "WATER report"})
    assert list(found.context["cl"].result_list) == [other]
    nothing = editor_client.get("/admin/articles/article/", {"q": "کتاب water"})
    assert list(nothing.context["cl"].result_list) == []  # every word must be found


def test_the_admin_still_searches_a_newsletters_items(editor_client):
    from publications.models import Newsletter, NewsletterItem

    issue = Newsletter.objects.create(number=41, title_en="Issue 41")
    NewsletterItem.objects.create(newsletter=issue, title_en="Clean rivers", position=1)
    NewsletterItem.objects.create(newsletter=issue, title_en="Clean air", position=2)
    found = editor_client.get("/admin/publications/newsletter/", {"q": "clean"})
    assert list(found.context["cl"].result_list) == [issue]  # once, not once per item
