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


@pytest.mark.parametrize(("code", "width"), [("fa", 1280), ("ar", 390)])
def test_an_editor_compares_and_restores_yesterdays_persian_text(
    page, live_server, article_factory, screenshot, code, width
):
    editor, colleague = staff("writer", "an-editor-password"), staff("colleague", "pw-2")
    long_paragraph = "واژه‌ای بلند " * 60
    article = article_factory(
        title_en="", title_fa="گزارش آب", body_fa=f"<p>متن دیروز.</p><p>{long_paragraph}</p>"
    )
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        saved_by(editor, article)
    saved_by(colleague, article, body_fa=f"<p>متن بازنویسی شده.</p><p>{long_paragraph}</p>")

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/{code}/admin/articles/article/{article.pk}/history/")
    page.fill("#id_auth-username", "writer")
    page.fill("#id_auth-password", "an-editor-password")
    page.click("input[type=submit]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("colleague")

    page.locator("#change-history button[type=submit]").click()  # the two newest, compared
    text = page.locator("pre.revision-text[lang=fa]")
    expect(text.locator("del")).to_contain_text("دیروز")
    expect(text.locator("ins")).to_contain_text("بازنویسی شده")
    expect(text).to_have_attribute("dir", "rtl")
    assert "<p>" not in text.inner_text()  # the words, not the HTML
    cut_off = page.evaluate(
        "el => el.scrollWidth > el.clientWidth + 1", text.element_handle()
    )  # the long paragraph wraps inside its box instead of running out of it
    assert not cut_off
    screenshot(page, f"admin-{code}-compare-{width}")

    page.go_back()
    rows.nth(1).locator("td:last-child a").click()  # yesterday's revision: its form, filled
    expect(page.locator(".restore-changes")).to_contain_text("دیروز")
    expect(page.locator("textarea[name=body_fa]")).to_have_value(
        f"<p>متن دیروز.</p><p>{long_paragraph}</p>"
    )
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success").first).to_be_visible()
    restored = Article.objects.get(pk=article.pk)
    assert restored.body_fa.startswith("<p>متن دیروز.</p>") and restored.title_fa == "گزارش آب"
