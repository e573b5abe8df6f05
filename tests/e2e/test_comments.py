"""A reader comments, a moderator approves it in the admin, and the comment appears."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from articles.factories import ArticleFactory
from nejat.comments.models import Comment
from tests.e2e.conftest import LIVE_DATABASE

pytestmark = [pytest.mark.e2e, LIVE_DATABASE]


@pytest.fixture
def e2e_settings(settings):
    settings.ANTISPAM = {
        **settings.ANTISPAM,
        "MIN_SECONDS_TO_POST": 0,
    }  # no wait; its own tests time it
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    return settings


def test_comment_moderated_and_published(browser, live_server, e2e_settings, screenshot):
    article = ArticleFactory(title_en="A story to discuss")
    moderator = User.objects.create_user("mod", password="a-moderator-password", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))

    reader = browser.new_context().new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    reader.get_by_label("Name").fill("Curious Reader")
    reader.get_by_label("Email").fill("curious@example.org")
    reader.get_by_role("textbox", name="Comment").fill("Will there be a follow-up report?")
    reader.get_by_role("button", name="Post Comment").click()
    expect(reader.locator("#comments .notice")).to_contain_text("awaiting moderation")
    expect(reader.locator(".comment-list")).to_have_count(0)

    admin = browser.new_context().new_page()
    admin.goto(live_server.url + "/admin/login/?next=/admin/comments/comment/")
    admin.fill("#id_auth-username", "mod")
    admin.fill("#id_auth-password", "a-moderator-password")
    admin.click("input[type=submit]")
    row = admin.locator("#result_list tbody tr", has_text="Will there be a follow-up report?")
    row.locator("input.action-select").check()
    admin.select_option("select[name=action]", "approve")
    admin.click("button[name=index]")
    expect(admin.locator(".messagelist")).to_contain_text("1 comment")
    assert Comment.objects.get().status == Comment.Status.APPROVED

    reader.goto(live_server.url + article.get_absolute_url())
    expect(reader.locator(".comment-list")).to_contain_text("Will there be a follow-up report?")
    expect(reader.locator("#comments-title")).to_have_text("1 comment")
    screenshot(reader, "comment-approved")
