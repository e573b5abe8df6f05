"""A reader opens the home page, follows an article and switches to the Persian edition."""

import re

import pytest
from playwright.sync_api import expect

from articles.factories import ArticleFactory
from nejat.ops.demo_files import demo_image
from nejat.publishing import fill_missing_slugs
from tests.e2e.conftest import LIVE_DATABASE

pytestmark = [pytest.mark.e2e, LIVE_DATABASE]


@pytest.fixture
def translated_article(db):
    article = ArticleFactory.build(
        title_en="Reading room opens in the valley",
        title_fa="اتاق مطالعه در دره گشایش یافت",
        body_en="<p>Volunteers opened the room.</p>",
        body_fa="<p>داوطلبان اتاق را گشودند.</p>",
        image_alt_en="Hills at dawn",
        image_alt_fa="تپه‌ها در سپیده‌دم",
    )
    article.featured_image = demo_image(7)
    article.category.save()
    article.category_id = article.category.pk
    fill_missing_slugs(article)
    article.save()
    ArticleFactory(title_en="An English-only story")
    return article


def test_home_to_article_to_persian_edition(page, live_server, translated_article, screenshot):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    page.get_by_role("link", name="Reading room opens in the valley").first.click()
    expect(page.locator("h1")).to_have_text("Reading room opens in the valley")
    expect(page.locator(".article .body")).to_contain_text("Volunteers opened the room.")

    page.locator(".editions > a").hover()
    page.locator(".editions .sub a[lang=fa]").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    expect(page.locator("h1")).to_have_text("اتاق مطالعه در دره گشایش یافت")
    assert re.search(rf"/fa/articles/{translated_article.pk}/", page.url)
    # Right to left for real: the title starts at the right edge of the article column.
    title = page.locator("h1").bounding_box()
    column = page.locator(".article").bounding_box()
    assert column["x"] + column["width"] - (title["x"] + title["width"]) < 60
    assert screenshot(page, "article-fa").stat().st_size > 10_000


def test_mobile_menu_opens_and_closes(browser, live_server, translated_article):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/fa/")
    menu = page.locator("#main-menu")
    toggle = page.locator(".menu-toggle")
    expect(menu).to_be_hidden()
    toggle.click()
    expect(menu).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    context.close()


def test_the_phone_menu_is_collapsed_from_the_first_paint_and_opens_without_javascript(
    browser, live_server, translated_article
):
    for javascript in (False, True):
        context = browser.new_context(
            viewport={"width": 390, "height": 800}, java_script_enabled=javascript
        )
        page = context.new_page()
        page.goto(live_server.url + "/fa/", wait_until="commit")
        page.wait_for_selector("#main-menu", state="attached")
        header = page.locator(".site-header").bounding_box()["height"]
        expect(page.locator("#main-menu")).to_be_hidden()  # before any script has run
        page.wait_for_load_state("load")
        assert page.locator(".site-header").bounding_box()["height"] == header  # nothing moved
        page.locator(".menu-toggle").click()
        expect(page.locator("#main-menu")).to_be_visible()
        context.close()
