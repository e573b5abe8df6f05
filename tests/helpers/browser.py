"""The browser tests' editor: signing in as the ``persian_editor`` fixture
(tests/e2e/conftest.py), waiting in the page, the body's rich text editor."""

from playwright.sync_api import expect

PASSWORD = "an-editor-password"


def sign_in(page, url, direction="rtl"):
    page.goto(url)
    page.fill("#id_auth-username", "writer")
    page.fill("#id_auth-password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("html")).to_have_attribute("dir", direction)


def eventually(page, check, seconds=10):
    """Wait for ``check()`` while Playwright goes on handling the page's events."""
    for _ in range(seconds * 10):
        if check():
            return
        page.wait_for_timeout(100)
    assert check()


def body_editor(page, code="fa"):
    return page.locator(f".field-body_{code} [contenteditable=true]")
