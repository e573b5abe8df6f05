"""What readers read, where editors look (#38): the admin home's charts and top lists in the
admin's language, digits, calendar and direction; each item's sparkline; queries pinned; none
of it for moderators."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from readership import dashboard
from tests.helpers.readership import a_month_of_readers

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def story(article_factory):
    return article_factory(title_en="The river report", title_fa="گزارش رودخانه")


def test_an_editor_sees_what_readers_read_on_the_admin_home(editor_client, story):
    a_month_of_readers(story)
    page = editor_client.get("/admin/").content.decode()
    assert 'id="readership"' in page and "Views a day in each edition, last 30 days" in page
    assert page.count("<polyline") == 4  # one line an edition
    assert "The river report" in page and "news.example" in page and "کسوف" in page
    assert f'href="/admin/articles/article/{story.pk}/change/"' in page


def test_the_persian_admin_draws_time_from_right_to_left_in_its_digits_and_calendar(
    editor_client, story
):
    a_month_of_readers(story)
    persian = editor_client.get("/fa/admin/").content.decode()
    english = editor_client.get("/admin/").content.decode()
    assert "۳۰" in persian  # the scale and the counts in Persian digits
    assert re.search(r"[0-9]+ (آذر|دی|آبان)", persian) is None  # (no Latin digits in dates)
    assert re.search(r"[۰-۹]+ (آذر|دی|آبان|مهر|بهمن)", persian)  # Solar months

    def newest_x(page):  # the last point of the first line: today
        points = re.search(r'<polyline[^>]* points="([^"]+)"', page).group(1).split()
        first, last = (float(point.split(",")[0]) for point in (points[0], points[-1]))
        return first, last

    oldest, newest = newest_x(english)
    assert oldest < newest  # left to right
    oldest, newest = newest_x(persian)
    assert oldest > newest  # right to left


def test_the_dashboard_costs_six_queries_however_much_was_read(
    story, django_assert_num_queries, article_factory
):
    a_month_of_readers(story)
    ContentType.objects.get_for_model(story)  # (cached, as in every running server)
    with django_assert_num_queries(6):
        first = dashboard.home()
    a_month_of_readers(article_factory(title_en="Another"), days=10)
    with django_assert_num_queries(6):
        dashboard.home()
    assert len(first["articles"]) == 4  # the story in each edition


def test_an_item_shows_its_own_views_of_the_month(editor_client, story):
    change = f"/admin/articles/article/{story.pk}/change/"
    assert "views-sparkline" not in editor_client.get(change).content.decode()  # none yet
    a_month_of_readers(story)
    page = editor_client.get(change).content.decode()
    assert 'class="sparkline"' in page and "4650 views in the last 30 days" in page


def test_moderators_see_no_counts(moderator, story):
    a_month_of_readers(story)
    client = Client()
    client.force_login(moderator)
    assert 'id="readership"' not in client.get("/admin/").content.decode()
