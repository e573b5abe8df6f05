"""The small things of the Persian and Arabic admin (#33): icons drawn, not characters the fonts
lack (they were empty boxes); no empty red error box in the editor's dialogs; addresses shown
as people read them; numbers that scripts write in the admin's digits."""

import re
import unicodedata
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.e2e.conftest import LIVE_DATABASE

pytestmark = [pytest.mark.e2e, LIVE_DATABASE]

PASSWORD = "an-editor-password"
DIGITS = {"fa": ("[۰-۹]", "[0-9٠-٩]"), "ar": ("[٠-٩]", "[0-9۰-۹]")}  # (written, not written)
ARROW = """(code) => {
  const menu = document.querySelector(`.field-body_${code} .prose-menubar__selected`);
  const style = getComputedStyle(menu, '::after');
  return {content: style.content, border: parseFloat(style.borderTopWidth)};
}"""


@pytest.fixture
def editor(db):
    user = User.objects.create_user("writer", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def sign_in(page, url):
    page.goto(url)
    page.fill("#id_auth-username", "writer")
    page.fill("#id_auth-password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def body_editor(page, code):
    return page.locator(f".field-body_{code} [contenteditable=true]")


@pytest.mark.parametrize("code", ["fa", "ar"])
def test_states_and_the_editors_arrow_are_drawn_and_counts_in_local_digits(
    page, live_server, editor, article_factory, screenshot, code
):
    later = timezone.now() + timedelta(days=2)
    titles = {"fa": "گزارش هفته آینده", "ar": "تقرير الأسبوع المقبل"}
    scheduled = article_factory(title_en="", publish_at=later, **{f"title_{code}": titles[code]})
    article_factory(title_en="", **{f"title_{code}": "خبر"})
    sign_in(page, f"{live_server.url}/{code}/admin/articles/article/")

    states = page.locator("td.field-state")
    expect(states).to_have_count(2)
    for cell in states.all():  # a drawn icon beside each state's name, no character
        expect(cell.locator("svg.state-icon path")).to_have_count(1)
        assert not [c for c in cell.inner_text() if unicodedata.category(c)[0] == "S"], cell
    page.locator("input.action-select").first.check()
    counter = page.locator(".action-counter").inner_text()  # written by Django's actions.js
    written, foreign = DIGITS[code]
    assert re.search(written, counter) and not re.search(foreign, counter), counter
    screenshot(page, f"admin-{code}-change-list-states")

    page.goto(f"{live_server.url}/{code}/admin/articles/article/{scheduled.pk}/change/")
    expect(body_editor(page, code)).to_be_visible()
    arrow = page.evaluate(ARROW, code)
    assert arrow == {"content": '""', "border": 5}, arrow  # a triangle, not "⏷"
    page.locator(f".field-body_{code} .prose-menubar").scroll_into_view_if_needed()
    screenshot(page, f"admin-{code}-editor-menu")


@pytest.mark.parametrize("code", ["fa", "ar"])
def test_the_editors_dialogs_show_an_error_box_only_with_an_error(
    page, live_server, editor, article_factory, screenshot, code
):
    article = article_factory(
        title_en="", body_en="", **{f"title_{code}": "خبر", f"body_{code}": "<p>متن</p>"}
    )
    sign_in(page, f"{live_server.url}/{code}/admin/articles/article/{article.pk}/change/")
    body_editor(page, code).locator("p").click()

    page.locator(f".field-body_{code} .link-dialog-button").click()
    links = page.locator("dialog.link-dialog")
    expect(links.locator(".errornote")).to_be_hidden()
    screenshot(page, f"admin-{code}-link-dialog")
    links.locator("#link-dialog-text").fill("خبر")
    links.locator("button[type=submit]").click()  # no address
    expect(links.locator(".errornote")).to_be_visible()
    expect(links.locator(".errornote")).not_to_be_empty()
    links.locator(".submit-row button[type=button]").click()
    expect(links).to_have_count(0)

    page.locator(f".field-body_{code} .media-chooser-button").click()
    chooser = page.locator("dialog.media-chooser")
    expect(chooser.locator(".media-chooser-grid")).to_contain_text(re.compile(r"\S"))  # loaded
    expect(chooser.locator(".errornote")).to_be_hidden()
    expect(chooser.locator("fieldset")).to_be_hidden()  # the alt text, once an image is picked
    screenshot(page, f"admin-{code}-media-chooser-empty")
    chooser.locator("button[type=submit]").click()  # no image chosen
    expect(chooser.locator(".errornote")).to_be_visible()


def test_a_link_to_a_persian_address_is_shown_as_people_read_it(
    page, live_server, editor, article_factory, screenshot
):
    earlier = article_factory(title_en="", title_fa="باران در تهران")
    address = earlier.url_in("fa")  # as the site writes it: percent-encoded
    assert "%" in address
    readable = unquote(address)
    article = article_factory(title_en="", title_fa="گزارش امروز", body_fa="<p>امروز هم بارید.</p>")
    sign_in(page, f"{live_server.url}/fa/admin/articles/article/{article.pk}/change/")
    body_editor(page, "fa").locator("p").click()
    page.keyboard.press("End")
    page.keyboard.type(" ")
    page.locator(".field-body_fa .link-dialog-button").click()

    dialog = page.locator("dialog.link-dialog")
    dialog.get_by_label("متن پیوند").fill("گزارش دیروز")
    dialog.get_by_label("جست‌وجو در صفحه‌های همین سایت").fill("باران")
    found = dialog.get_by_role("button", name=re.compile("باران در تهران"))
    expect(found).to_have_attribute("title", readable)
    found.click()
    expect(dialog.get_by_label("نشانی")).to_have_value(readable)
    screenshot(page, "admin-fa-link-dialog-address")
    dialog.get_by_role("button", name="افزودن پیوند").click()
    expect(body_editor(page, "fa").locator("a")).to_have_attribute("href", address)

    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success").first).to_be_visible()
    assert f'href="{address}"' in Article.objects.get(pk=article.pk).body_fa

    body_editor(page, "fa").locator("a").click()  # the link again: still read as words
    page.locator(".field-body_fa .link-dialog-button").click()
    expect(dialog.get_by_label("نشانی")).to_have_value(readable)
    dialog.get_by_role("button", name="به‌روزرسانی").click()
    expect(body_editor(page, "fa").locator("a")).to_have_attribute("href", address)
