"""Parts every page shares (Recent Posts, a blank form's fields) are rendered once and shown
fresh: the page cache is off here (its own tests: test_page_cache.py), as for the first reader
of an address after a change."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from nejat.comments.models import Comment
from nejat.publishing import Status
from tests.helpers.forms import form_fields

pytestmark = pytest.mark.django_db


def sidebar(response):
    html = response.content.decode()
    return html[html.index('class="widget recent-posts"') :]


@pytest.mark.dates
def test_recent_posts_show_a_new_article_on_every_page_at_once(
    client, article_factory, django_capture_on_commit_callbacks, django_assert_num_queries
):
    old = article_factory(title_en="Old story", publish_at=timezone.now() - timedelta(days=1))
    client.get(old.url_in("en"))
    # article, tags, also read, related articles, comments: no Recent Posts
    with django_assert_num_queries(5):
        assert "Old story" in sidebar(client.get(old.url_in("en")))
    with django_capture_on_commit_callbacks(execute=True):
        article_factory(title_en="Breaking story")
    assert "Breaking story" in sidebar(client.get(old.url_in("en")))
    assert "Breaking story" in sidebar(client.get("/contact/"))
    with django_capture_on_commit_callbacks(execute=True):
        old.status = Status.DRAFT
        old.save()
    assert "Old story" not in sidebar(client.get("/contact/"))


@pytest.mark.dates
def test_recent_posts_show_a_scheduled_article_at_its_minute(client, article_factory):
    start = timezone.now().replace(microsecond=0)
    due = start + timedelta(minutes=10)
    with time_machine.travel(start, tick=False):
        article_factory(title_en="Scheduled story", publish_at=due)
        assert "Scheduled story" not in sidebar(client.get("/contact/"))
    with time_machine.travel(due + timedelta(seconds=1), tick=False):
        assert "Scheduled story" in sidebar(client.get("/contact/"))


def test_recent_posts_are_per_edition(client, article_factory):
    article_factory(title_en="English story", title_fa="گزارش فارسی")
    article_factory(title_en="Only in English")
    assert "Only in English" in sidebar(client.get("/contact/"))
    persian = sidebar(client.get("/fa/contact/"))
    assert "گزارش فارسی" in persian and "Only in English" not in persian


def test_a_blank_comment_form_is_shared_but_a_returned_one_is_the_readers(client, article_factory):
    first = article_factory(title_en="First", title_fa="نخست")
    second = article_factory(title_en="Second")
    english = form_fields(client.get(first.url_in("en")).content.decode(), "comment-form")
    page = client.get(second.url_in("en")).content.decode()
    assert set(form_fields(page, "comment-form")) == set(english)
    assert "Never published." in page
    persian = client.get(first.url_in("fa")).content.decode()  # after the English form
    assert "هرگز منتشر نمی‌شود." in persian and "Never published." not in persian

    fields = {**english, "name": "Sara Reader", "email": "not an address", "text": "Hello"}
    action = page[page.rindex('action="', 0, page.index('class="form comment-form"')) + 8 :]
    returned = client.post(action.split('"')[0], fields)
    assert returned.status_code == 400
    html = returned.content.decode()
    assert 'value="Sara Reader"' in html and "valid email" in html
    assert Comment.objects.count() == 0
    again = client.get(second.url_in("en")).content.decode()
    assert "Sara Reader" not in again and "valid email" not in again
