"""The first screen every editor sees: the editions at a glance, readable on a desktop and on a
phone in the Persian and Arabic admin (#33): every column header breaks between its words only,
never inside a word (Persian letters that are cut apart no longer join)."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from tests.e2e.conftest import LIVE_DATABASE

pytestmark = [pytest.mark.e2e, LIVE_DATABASE]

# For each header cell of the table: its words, and the lines its text takes on screen.
HEADER_LINES = """() => [...document.querySelectorAll('#editions-at-a-glance th')].map(th => {
  const range = document.createRange();
  range.selectNodeContents(th);
  const lines = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
  return {text: th.textContent.trim(), words: th.textContent.trim().split(/\\s+/).length,
          lines: lines.size};
})"""


@pytest.fixture
def editor(db):
    user = User.objects.create_user("desk", password="a desk pass phrase", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.mark.parametrize("code", ["fa", "ar"])
@pytest.mark.parametrize(("device", "width"), [("desktop", 1280), ("phone", 390)])
def test_the_editions_at_a_glance_keep_their_words_whole(
    page, live_server, editor, screenshot, code, device, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/{code}/admin/")
    page.fill("#id_auth-username", "desk")
    page.fill("#id_auth-password", "a desk pass phrase")
    page.click("input[type=submit]")
    expect(page.locator("#editions-at-a-glance")).to_be_visible()
    screenshot(page, f"admin-{code}-dashboard-{device}")
    cells = page.evaluate(HEADER_LINES)
    assert len(cells) > 5
    broken = [cell for cell in cells if cell["lines"] > cell["words"]]
    assert not broken, broken
