"""A reader of the Persian edition subscribes from the footer of an article list page."""

import pytest
from playwright.sync_api import expect

from subscriptions.models import Subscription
from tests.e2e.conftest import LIVE_DATABASE

pytestmark = [pytest.mark.e2e, LIVE_DATABASE]


def test_subscribe_from_the_footer_in_the_persian_edition(page, live_server, screenshot):
    page.goto(live_server.url + "/fa/articles/")
    footer = page.locator(".footer-subscribe")
    footer.get_by_label("نشانی ایمیل شما").fill("reader@example.org")
    footer.get_by_label("گزیده هفتگی مقاله‌ها").check()
    footer.get_by_role("button", name="اشتراک").click()
    expect(page).to_have_url(live_server.url + "/fa/subscribe/check-your-inbox/")
    expect(page.locator("h1")).to_have_text("صندوق ایمیل خود را ببینید")
    screenshot(page, "subscribe-check-inbox-fa")
    lists = {(s.kind, s.edition, s.confirmed_at) for s in Subscription.objects.all()}
    assert lists == {("newsletter", "fa", None), ("digest", "fa", None)}  # until confirmed
