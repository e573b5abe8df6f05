"""A reader sends a message from the Persian edition; it is stored and the thank-you page shows."""

import pytest
from playwright.sync_api import expect

from nejat.pages.models import ContactMessage
from tests.e2e.conftest import LIVE_DATABASE

pytestmark = [pytest.mark.e2e, LIVE_DATABASE]


def test_send_a_message_in_the_persian_edition(page, live_server, settings, screenshot):
    settings.ANTISPAM = {
        **settings.ANTISPAM,
        "MIN_SECONDS_TO_POST": 0,
    }  # no wait; its own tests time it
    page.goto(live_server.url + "/fa/contact/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    form = page.locator("#contact-form")  # (the footer's subscribe form has an address too)
    form.get_by_label("نام").fill("خواننده نمونه")
    form.get_by_label("ایمیل").fill("reader@example.org")
    form.get_by_label("موضوع").fill("پرسش درباره خبرنامه")
    form.get_by_label("پیام").fill("سلام، شماره تازه خبرنامه کی منتشر می‌شود؟")
    form.get_by_role("button", name="ارسال پیام").click()
    expect(page).to_have_url(live_server.url + "/fa/contact/thanks/")
    expect(page.locator("[role=status]")).to_be_visible()
    screenshot(page, "contact-thanks-fa")
    message = ContactMessage.objects.get()
    assert (message.language, message.status, message.subject) == (
        "fa",
        ContactMessage.Status.NEW,
        "پرسش درباره خبرنامه",
    )


def test_a_form_error_keeps_what_the_reader_wrote(page, live_server):
    page.goto(live_server.url + "/contact/")
    page.get_by_label("Message").fill("My long message that must not be lost.")
    page.get_by_role("button", name="Send message").click()
    expect(page.locator(".field-errors").first).to_be_visible()
    expect(page.get_by_label("Message")).to_have_value("My long message that must not be lost.")
    assert not ContactMessage.objects.exists()
