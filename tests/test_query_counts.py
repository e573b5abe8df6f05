"""A public page costs the same number of queries with 5 articles on it as with 50."""

from datetime import timedelta

import pytest
from django.utils import timezone

from nejat.comments.models import Comment
from nejat.comments.moderation import refresh_comment_counts
from nejat.models import set_edition_tags

pytestmark = pytest.mark.django_db

# the page (one row more than shown, no count) + recent posts
LIST_QUERIES = 2
# the home page's blocks: Media (newest video, cartoon, photos) and Publications (newest newsletter
# issue, newest Pars Brief)
HOME_BLOCK_QUERIES = 3 + 2
# article + tags + also read + approved comments + recent posts
DETAIL_QUERIES = 5


def approved_comment(item, n):
    comment = Comment.objects.create(
        item=item,
        name=f"Reader {n}",
        email="r@example.org",
        text="Fine.",
        language="en",
        status=Comment.Status.APPROVED,
    )
    refresh_comment_counts([comment])


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
    expected = LIST_QUERIES
    if path != "/articles/":
        expected += HOME_BLOCK_QUERIES
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
    for n in range(count // 5):
        approved_comment(main, n)
    client.get(main.get_absolute_url())  # caches the site context and the content type
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(main.get_absolute_url()).status_code == 200
