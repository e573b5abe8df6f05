"""A public page costs the same number of queries with 5 articles on it as with 50."""

from datetime import timedelta

import pytest
from django.utils import timezone

from nejat.models import set_edition_tags

pytestmark = pytest.mark.django_db

# count + list + recent posts
LIST_QUERIES = 3
# article + tags + also read + recent posts
DETAIL_QUERIES = 4


def make_articles(factory, count, category):
    articles = [
        factory(
            title_en=f"Piece {n}",
            title_fa=f"نوشته {n}",
            category=category,
            publish_at=timezone.now() - timedelta(hours=n + 1),
        )
        for n in range(count)
    ]
    for article in articles:
        set_edition_tags(article, {"en": ["one", "two"], "fa": ["یک"]})
    return articles


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("path", ["/", "/articles/", "/fa/", "/sq/"])
def test_list_pages(
    client, article_factory, category_factory, django_assert_num_queries, count, path
):
    make_articles(article_factory, count, category_factory())
    expected = 2 if path == "/sq/" else LIST_QUERIES  # nothing in Albanian: no list query
    client.get(path)  # the edition's site context is cached by the first request
    with django_assert_num_queries(expected):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_tag_page(client, article_factory, category_factory, django_assert_num_queries, count):
    make_articles(article_factory, count, category_factory())
    client.get("/")  # the site context is cached by the first request
    with django_assert_num_queries(LIST_QUERIES + 1):  # + the tag
        assert client.get("/tags/one/").status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_category_page(client, article_factory, category_factory, django_assert_num_queries, count):
    category = category_factory(slug_en="sect")
    make_articles(article_factory, count, category)
    client.get("/")  # the site context is cached by the first request
    with django_assert_num_queries(LIST_QUERIES + 1):  # + the category
        assert client.get("/articles/category/sect/").status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_article_page(client, article_factory, category_factory, django_assert_num_queries, count):
    articles = make_articles(article_factory, count, category_factory())
    main = articles[0]
    main.related.add(*articles[1:])
    client.get("/")  # the site context is cached by the first request
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(main.get_absolute_url()).status_code == 200
