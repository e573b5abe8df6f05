"""In the right-to-left admin, an editor compares yesterday's Persian text with a colleague's
overwrite and restores it."""

from datetime import timedelta

import pytest
import reversion
import time_machine
from django.contrib.auth.models import Group, User
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.e2e.conftest import LIVE_DATABASE

pytestmark = [pytest.mark.e2e, LIVE_DATABASE]


def staff(name, password):
    user = User.objects.create_user(name, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def saved_by(user, article, **changes):
    with reversion.create_revision():
        for field, value in changes.items():
            setattr(article, field, value)
        article.save()
        reversion.set_user(user)


def test_an_editor_compares_and_restores_yesterdays_persian_text(
    page, live_server, article_factory, screenshot
):
    editor, colleague = staff("writer", "an-editor-password"), staff("colleague", "pw-2")
    article = article_factory(title_en="", title_fa="گزارش آب", body_fa="<p>متن دیروز.</p>")
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        saved_by(editor, article)
    saved_by(colleague, article, body_fa="<p>متن بازنویسی شده.</p>")

    page.goto(f"{live_server.url}/fa/admin/articles/article/{article.pk}/history/")
    page.fill("#id_auth-username", "writer")
    page.fill("#id_auth-password", "an-editor-password")
    page.click("input[type=submit]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("colleague")

    page.locator("#change-history input[type=submit]").click()  # the two newest, compared
    expect(page.locator("#content")).to_contain_text("دیروز")
    expect(page.locator("#content")).to_contain_text("بازنویسی شده")
    screenshot(page, "admin-fa-compare")

    page.go_back()
    rows.nth(1).locator("th a").click()  # yesterday's revision: its form, filled
    expect(page.locator("textarea[name=body_fa]")).to_have_value("<p>متن دیروز.</p>")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    restored = Article.objects.get(pk=article.pk)
    assert restored.body_fa == "<p>متن دیروز.</p>" and restored.title_fa == "گزارش آب"
