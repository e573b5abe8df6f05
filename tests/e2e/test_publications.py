"""A reader opens the Nejat Newsletter, picks an issue, reads "Inside This Issue", finds the PDF."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from nejat.publishing import fill_missing_slugs
from publications import demo
from publications.factories import BriefFactory, NewsletterFactory, NewsletterItemFactory
from tests.e2e.conftest import LIVE_DATABASE
from tests.helpers.pages import axe_violations

pytestmark = [pytest.mark.e2e, LIVE_DATABASE]


@pytest.fixture
def issue(db):
    older = NewsletterFactory(number=81, title_en="Summer issue", title_fa="شماره تابستان")
    issue = NewsletterFactory.build(
        number=82,
        title_en="Autumn issue: the library grows",
        title_fa="شماره پاییز: کتابخانه بزرگ‌تر می‌شود",
        lead_en="Five thousand donated books.",
        issue_date=older.issue_date,
    )
    pdf = demo.picture_pdf(3, "Nejat Newsletter No. 82", "no-82.pdf").read()
    issue.pdf = SimpleUploadedFile("no-82.pdf", pdf, "application/pdf")
    fill_missing_slugs(issue)
    issue.save()  # no cover: the first page of the PDF becomes one
    for n, (en, fa) in enumerate(
        [("From the editors", "سخن سردبیر"), ("Reading rooms", "اتاق‌های مطالعه")], start=1
    ):
        NewsletterItemFactory(
            newsletter=issue,
            position=n,
            title_en=en,
            title_fa=fa,
            summary_en=f"Summary of {en.lower()}.",
            page=n,
        )
    BriefFactory(number=140, title_en="The week in short")
    return issue


def test_reader_opens_a_newsletter_issue(page, live_server, issue, screenshot, axe_source):
    page.goto(live_server.url + "/")
    page.locator(".main-menu a[href$='/publications/books/'][aria-haspopup]").focus()
    page.locator(".main-menu .sub a[href$='/publications/newsletter/']").click()
    expect(page.locator("h1")).to_have_text("Nejat NewsLetter")
    cards = page.locator(".pub-card")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("Nejat Newsletter No. 82")
    assert axe_violations(page, axe_source) == []

    page.get_by_role("link", name="Autumn issue: the library grows").click()
    expect(page).to_have_url(re.compile(rf"/publications/newsletter/{issue.pk}/autumn-issue"))
    expect(page.locator("h1")).to_have_text("Autumn issue: the library grows")
    expect(page.locator(".issue-number")).to_have_text("Nejat Newsletter No. 82")
    inside = page.locator(".inside-issue li h3")
    expect(inside).to_have_text(["From the editors", "Reading rooms"])
    expect(page.locator(".inside-issue")).to_contain_text("Summary of reading rooms.")
    pdf_link = page.get_by_role("link", name="Read the whole issue (PDF)")
    expect(pdf_link).to_have_attribute("href", re.compile(r"\.pdf$"))
    expect(page.locator(".pub-pdf .file-size")).to_contain_text("KB")
    cover = page.locator(".pub-cover-large img")
    expect(cover).to_have_attribute("alt", "Cover of Nejat Newsletter No. 82")
    assert int(cover.get_attribute("width")) > 700
    assert axe_violations(page, axe_source) == []
    screenshot(page, "newsletter-issue-en")

    # The same issue in the Persian edition, right to left, with its own items.
    page.locator(".editions > a").hover()
    page.locator(".editions .sub a[lang=fa]").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("شماره پاییز: کتابخانه بزرگ‌تر می‌شود")
    expect(page.locator(".inside-issue li h3")).to_have_text(["سخن سردبیر", "اتاق‌های مطالعه"])
    assert axe_violations(page, axe_source) == []
    screenshot(page, "newsletter-issue-fa")


def test_home_page_publications_block_leads_to_the_issue(page, live_server, issue):
    page.goto(live_server.url + "/")
    block = page.locator(".pub-home")
    expect(block.locator("h2")).to_have_text("Publications")
    expect(block).to_contain_text("Pars Brief No. 140")
    block.get_by_role("link", name="Autumn issue: the library grows").click()
    expect(page.locator("h1")).to_have_text("Autumn issue: the library grows")
