"""Each edition in a real browser: screenshots, right-to-left layout, keyboard menus, axe-core."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article
from tests.e2e.conftest import LIVE_DATABASE

pytestmark = [pytest.mark.e2e, LIVE_DATABASE]

EDITIONS = [("en", "", "ltr"), ("ar", "/ar", "rtl"), ("fa", "/fa", "rtl"), ("sq", "/sq", "ltr")]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {code: Article.objects.public(code).first() for code, _prefix, _dir in EDITIONS}


def axe_violations(page, axe_source):
    """Every violation axe-core finds, whatever its impact."""
    # Evaluated through the DevTools protocol: the page's CSP forbids an inline <script>.
    page.evaluate(axe_source + "\n;0")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]


VIEWPORTS = [(1280, 900), (390, 800)]  # a desktop and a phone


@pytest.mark.parametrize(("code", "prefix", "direction"), EDITIONS)
def test_edition_tour(page, live_server, demo, screenshot, axe_source, code, prefix, direction):
    article = demo[code]
    for name, path in [
        ("home", f"{prefix}/"),
        ("list", f"{prefix}/articles/"),
        ("article", article.url_in(code)),
    ]:
        for width, height in VIEWPORTS:
            page.set_viewport_size({"width": width, "height": height})
            page.goto(live_server.url + path)
            expect(page.locator("html")).to_have_attribute("dir", direction)
            expect(page.locator("html")).to_have_attribute("lang", code)
            assert page.evaluate("document.fonts.status") in {"loaded", "loading"}
            if name != "list":
                screenshot(page, f"{name}-{code}-{width}")
            assert axe_violations(page, axe_source) == [], f"{code} {name} at {width} px"

    # Every image a reader meets carries a text alternative.
    missing_alt = page.locator("main img:not([alt])")
    expect(missing_alt).to_have_count(0)


@pytest.mark.parametrize(("code", "prefix", "direction"), [EDITIONS[0], EDITIONS[2]])
def test_keyboard_opens_the_submenus(page, live_server, demo, code, prefix, direction):
    page.goto(live_server.url + f"{prefix}/")
    cartoons = page.locator(".main-menu .sub a[href$='/media/cartoons/']")
    expect(cartoons).to_be_hidden()
    page.locator(".main-menu a[href$='/media/photos/'][aria-haspopup]").focus()
    expect(cartoons).to_be_visible()
    page.keyboard.press("Tab")
    expect(cartoons).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + f"{prefix}/media/cartoons/")


def test_persian_text_is_set_in_the_projects_arabic_script_font(page, live_server, demo):
    page.goto(live_server.url + demo["fa"].url_in("fa"))
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px Vazirmatn', 'سلام')")
    used = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert any("Vazirmatn" in family for family in used)
