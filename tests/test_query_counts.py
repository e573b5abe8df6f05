"""A public page costs the same number of queries with 5 articles on it as with 50."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nejat.comments.models import Comment
from nejat.comments.moderation import refresh_comment_counts
from nejat.models import set_edition_tags

pytestmark = pytest.mark.django_db

# the page (one row more than shown, no count); Recent Posts and a blank comment form's fields are
# shared fragments (nejat/templatetags/fragments.py), rendered by the first page that shows them
LIST_QUERIES = 1
# the home page's blocks: Media (newest video, cartoon, photos) and Publications (newest newsletter
# issue, newest Pars Brief), and its first page's pinned articles (articles.views.HomeView)
HOME_BLOCK_QUERIES = 3 + 2 + 1
# article + tags + also read + related articles (articles/related.py) + approved comments
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


@pytest.mark.dates
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


@pytest.mark.dates
@pytest.mark.parametrize("count", [5, 50])
def test_tag_page(client, article_factory, category_factory, django_assert_num_queries, count):
    make_articles(article_factory, count, category_factory())
    client.get("/")  # the site context is cached by the first request
    with django_assert_num_queries(LIST_QUERIES + 1):  # + the tag
        assert client.get("/tags/one/").status_code == 200


@pytest.mark.dates
@pytest.mark.parametrize("count", [5, 50])
def test_category_page(client, article_factory, category_factory, django_assert_num_queries, count):
    category = category_factory(slug_en="sect")
    make_articles(article_factory, count, category)
    client.get("/")  # the site context is cached by the first request
    # + the category, + its subcategories (whose articles it lists, as parts of the list whose
    # tags the page carries: ArticleQuerySet.in_category)
    with django_assert_num_queries(LIST_QUERIES + 2):
        assert client.get("/articles/category/sect/").status_code == 200


@pytest.mark.dates
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


@pytest.mark.parametrize("code", ["en", "fa"])
def test_deep_list_pages_are_found_in_the_index_alone(article_factory, code):
    """``?page=5000`` must not read 50,000 whole rows (nejat/delivery/pagination.py): the page's
    keys come from the edition's index in the list's order, without a sort or a table read."""
    from django.db import connection

    from articles.models import Article

    for n in range(3):
        article_factory(title_en=f"Piece {n}", title_fa=f"نوشته {n}")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small table: force the index path
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        # Whether a sort is cheaper than the index on a few rows depends on the statistics
        # that earlier tests left: forbid it, so the plan shows whether the index gives the order.
        cursor.execute("SET LOCAL enable_sort = off")
    plan = Article.objects.public(code).values("pk")[20:31].explain()
    assert f"Index Only Scan using article_pub_{code}" in plan, plan
    assert "Sort" not in plan, plan


@pytest.mark.dates
def test_older_pages_follow_each_other_without_gaps(client, article_factory):
    """The page's rows are fetched by key; the order, the last page and the 404 beyond hold."""
    from articles.models import Article

    now = timezone.now()
    for n in range(23):  # three at the same minute: the id breaks the tie
        article_factory(title_en=f"Piece {n}", publish_at=now - timedelta(hours=n // 3 + 1))
    expected = [a.title_en for a in Article.objects.public("en")]
    seen = []
    for page in (1, 2, 3):
        html = client.get(f"/articles/?page={page}").content.decode()
        shown = [t for t in expected if f'dir="auto">{t}</a></h2>' in html]
        seen += sorted(shown, key=lambda t: html.index(f'dir="auto">{t}</a></h2>'))
        assert ("Older Posts" in html) == (page < 3)
    assert seen == expected
    assert client.get("/articles/?page=4").status_code == 404


@pytest.mark.dates
@pytest.mark.parametrize(
    "path, own_body", [("/articles/", "body_en"), ("/fa/articles/", "body_fa")]
)
def test_list_rows_leave_out_what_an_entry_never_shows(
    client, article_factory, category_factory, path, own_body
):
    """Search columns and other editions' bodies are most of a row; the excerpt needs only the
    edition's own body, and reading it costs no query of its own (no lead here)."""
    make_articles(article_factory, 5, category_factory())
    client.get(path)  # the edition's site context is cached by the first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200 and len(captured) == LIST_QUERIES
    articles_sql = captured[0]["sql"]
    assert own_body in articles_sql
    for column in ("body_en", "body_ar", "body_fa", "body_sq", "search_en", "search_fa"):
        if column != own_body:
            assert f'"{column}"' not in articles_sql, column
