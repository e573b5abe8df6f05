"""Each edition in a real browser: screenshots, right-to-left layout, keyboard menus, axe-core.

The tests only read, so the demo site is loaded once for the module, committed (the live server
reads committed rows), and the database is emptied once at its end instead of after each test.
"""

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from articles.models import Article
from nejat.security.roles import restore_staff_groups
from tests.helpers.pages import axe_violations

pytestmark = pytest.mark.e2e

EDITIONS = [("en", "", "ltr"), ("ar", "/ar", "rtl"), ("fa", "/fa", "rtl"), ("sq", "/sq", "ltr")]


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """(the live server, the newest public article's address in each edition)."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        articles = {
            code: Article.objects.public(code).first().url_in(code)
            for code, _prefix, _dir in EDITIONS
        }
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server, articles, media
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            # What pytest-django does after each test that commits.
            call_command("flush", interactive=False, verbosity=0)
            restore_staff_groups()


@pytest.fixture
def live_site(demo_site, settings):
    """The live server, with the module's media."""
    server, _articles, media = demo_site
    settings.MEDIA_ROOT = media
    return server


@pytest.fixture
def demo(demo_site):
    return demo_site[1]


VIEWPORTS = [(1280, 900), (390, 800)]  # a desktop and a phone


@pytest.mark.parametrize(("code", "prefix", "direction"), EDITIONS)
def test_edition_tour(page, live_site, demo, screenshot, axe_source, code, prefix, direction):
    for name, path in [
        ("home", f"{prefix}/"),
        ("list", f"{prefix}/articles/"),
        ("article", demo[code]),
    ]:
        for width, height in VIEWPORTS:
            page.set_viewport_size({"width": width, "height": height})
            page.goto(live_site.url + path)
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
def test_keyboard_opens_the_submenus(page, live_site, demo, code, prefix, direction):
    page.goto(live_site.url + f"{prefix}/")
    cartoons = page.locator(".main-menu .sub a[href$='/media/cartoons/']")
    expect(cartoons).to_be_hidden()
    page.locator(".main-menu a[href$='/media/photos/'][aria-haspopup]").focus()
    expect(cartoons).to_be_visible()
    page.keyboard.press("Tab")
    expect(cartoons).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_site.url + f"{prefix}/media/cartoons/")


def test_persian_text_is_set_in_the_projects_arabic_script_font(page, live_site, demo):
    page.goto(live_site.url + demo["fa"])
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px Vazirmatn', 'سلام')")
    used = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert any("Vazirmatn" in family for family in used)
