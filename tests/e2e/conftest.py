"""Browser tests: Playwright (PyPI) driving Debian's Chromium against the live server."""

import os
from pathlib import Path

import pytest

from tests.helpers.browser import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"

# The live server's thread reads only committed data, so browser tests commit and the database is
# emptied after each (tests/conftest.py's teardown hook brings back the staff groups).
LIVE_DATABASE = pytest.mark.django_db(transaction=True)


# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test itself
# (creating data) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(
            f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source():
    """axe-core's script, fetched from the npm registry by `make test` (AXE_JS names the file)."""
    path = Path(os.environ.get("AXE_JS", "var/axe-core/axe.min.js"))
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: `make test` fetches axe-core with npm")
        pytest.skip("accessibility tests need axe-core: run them through `make test` (needs npm)")
    return path.read_text()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page, name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def persian_editor(db):
    """The editor whom tests/helpers/browser.py's ``sign_in`` signs in."""
    from django.contrib.auth.models import Group, User  # models: not before Django is set up

    user = User.objects.create_user("writer", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user
