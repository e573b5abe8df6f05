"""The Persian admin as an editor meets it: the rich-text editor in Persian, words and reading
time, the address preview, and no word lost when the browser closes or the page is left."""

import datetime
import re
import uuid
from urllib.parse import unquote

import jdatetime
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from media_library.models import LibraryImage
from nejat.editions import local_digits
from nejat.editorial.autosave.models import Draft
from nejat.ops.demo_files import demo_image
from nejat.publishing import Status
from publications.factories import BriefFactory
from tests.e2e.conftest import LIVE_DATABASE
from tests.helpers.browser import body_editor, eventually, sign_in

pytestmark = [pytest.mark.e2e, LIVE_DATABASE]


def test_a_persian_article_survives_the_browser_closing(
    browser, live_server, persian_editor, settings, screenshot
):
    settings.AUTOSAVE_SECONDS = 1
    add = f"{live_server.url}/fa/admin/articles/article/add/"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, add)
    page.fill("#id_title_fa", "باران در تهران")
    body_editor(page).click()
    page.keyboard.type("باران از صبح می‌بارد و خیابان‌ها خیس است.")
    expect(page.locator(".field-body_fa .word-count")).to_have_text("۸ واژه | ۱ دقیقه خواندن")
    expect(page.locator("#autosave-status")).to_contain_text("پیش‌نویس")
    eventually(page, lambda: "خیس" in str(Draft.objects.values_list("data", flat=True).first()))
    context.close()  # the browser closes without saving

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, add)
    offer = page.locator(".unsaved-draft")
    expect(offer).to_contain_text("تغییرهای ذخیره‌نشده شما")
    offer.get_by_role("link", name="بازگردان").click()
    expect(page.locator("#id_title_fa")).to_have_value("باران در تهران")
    expect(body_editor(page)).to_have_text("باران از صبح می‌بارد و خیابان‌ها خیس است.")
    screenshot(page, "admin-fa-draft-restored")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success").first).to_be_visible()

    article = Article.objects.get()
    assert article.title_fa == "باران در تهران"
    assert "خیابان‌ها خیس است." in article.body_fa
    assert not Draft.objects.exists()

    # Two new articles begun in two tabs keep two drafts; one can be discarded alone.
    tabs = [context.new_page(), context.new_page()]
    for tab, title in zip(tabs, ("خبر یکم", "خبر دوم"), strict=True):
        tab.goto(add)
        tab.fill("#id_title_fa", title)
    eventually(page, lambda: Draft.objects.count() == 2)
    for tab in tabs:
        tab.click("input[name=_save]")  # saved before the tabs close (then discarded below)
        expect(tab.locator(".messagelist .success").first).to_be_visible()
    Draft.objects.keep(persian_editor, Article, None, {"title_fa": ["رها"]}, str(uuid.uuid4()))
    page.goto(add)
    page.locator(".unsaved-draft").get_by_role("button", name="دور بریز").click()
    expect(page.locator(".messagelist .info")).to_be_visible()
    assert not Draft.objects.exists()
    context.close()


def test_rows_added_to_a_pars_brief_come_back_with_its_draft(
    browser, live_server, persian_editor, settings
):
    settings.AUTOSAVE_SECONDS = 1
    brief = BriefFactory(title_fa="پارس بریف هفته", title_en="")
    change = f"{live_server.url}/fa/admin/publications/brief/{brief.pk}/change/"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, change)
    add_row = page.locator("#entries-group .add-row a")
    add_row.click()
    add_row.click()  # two rows more than the form had
    texts = [f"خبر {local_digits(n, 'fa')}" for n in range(1, 5)]
    for index, text in enumerate(texts):
        page.fill(f"[name=entries-{index}-text_fa]", text)
    eventually(page, lambda: "entries-3-text_fa" in str(Draft.objects.values("data").first()))
    context.close()  # closed without saving

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, change)
    page.locator(".unsaved-draft").get_by_role("link", name="بازگردان").click()
    for index, text in enumerate(texts):
        expect(page.locator(f"[name=entries-{index}-text_fa]")).to_have_value(text)
    expect(page.locator("#id_entries-TOTAL_FORMS")).to_have_value("4")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success").first).to_be_visible()
    assert [entry.text_fa for entry in brief.entries.order_by("position")] == texts
    context.close()


def test_leaving_a_changed_form_asks_first_and_saving_does_not(
    page, live_server, persian_editor, article_factory
):
    article = article_factory(title_fa="گزارش محله", title_en="", body_fa="<p>متن.</p>")
    change = f"{live_server.url}/fa/admin/articles/article/{article.pk}/change/"
    sign_in(page, change)
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    # Clicked first, as an editor does: a change before any click or key of the editor's is the
    # page settling, not work to keep (static/js/admin/autosave.js).
    page.click("#id_title_fa")
    page.fill("#id_title_fa", "گزارش محله، به‌روز")
    page.locator("#id_title_fa").press("Tab")
    page.evaluate("location.href = '/fa/admin/'")
    eventually(page, lambda: asked == ["beforeunload"])
    expect(page.locator("#id_title_fa")).to_have_value("گزارش محله، به‌روز")

    page.click("input[name=_save]")  # saving leaves the page without asking
    expect(page.locator(".messagelist .success").first).to_be_visible()
    assert asked == ["beforeunload"]
    article.refresh_from_db()
    assert article.title_fa == "گزارش محله، به‌روز"

    # A form that came back with an error holds unsaved work from the start.
    page.goto(change)
    page.fill("#id_title_fa", "گزارش محله، دوباره")
    page.fill("#id_publish_at_1", "۲۵:۹۹")
    page.click("input[name=_save]")
    expect(page.locator("p.errornote")).to_be_visible()
    page.evaluate("location.href = '/fa/admin/'")
    eventually(page, lambda: asked == ["beforeunload", "beforeunload"])
    page.fill("#id_publish_at_1", "۰۸:۰۰")
    page.click("input[name=_save]")  # saved before the page closes
    expect(page.locator(".messagelist .success").first).to_be_visible()


def test_the_rich_text_editor_and_the_writing_aids_speak_persian(
    page, live_server, persian_editor, article_factory
):
    article = article_factory(title_fa="گزارش", title_en="", body_fa="<p>یک دو سه</p>")
    sign_in(page, f"{live_server.url}/fa/admin/articles/article/{article.pk}/change/")
    menubar = page.locator(".field-body_fa .prose-menubar")
    expect(menubar.locator("button[title='پررنگ']")).to_have_count(1)
    labels = menubar.evaluate(
        """bar => Array.from(bar.querySelectorAll('[title], [aria-label], option'))
              .map(e => e.getAttribute('title') || e.getAttribute('aria-label') || e.textContent)"""
    )
    english = [label for label in labels if re.search(r"[A-Za-z]{3}", label.replace("HTML", ""))]
    assert labels and not english, english
    expect(page.locator(".field-body_fa .word-count")).to_have_text("۳ واژه | ۱ دقیقه خواندن")
    expect(page.locator("#modeltranslation-main-switch option:checked")).to_have_text("فارسی")
    # File inputs in the admin's words, not the browser's (this Chromium speaks English).
    picture = page.locator(".field-featured_image")
    expect(picture.locator(".file-choose")).to_have_text("انتخاب پرونده")
    expect(picture.locator(".file-chosen")).to_have_text("پرونده‌ای انتخاب نشده")
    photo = {"name": "courtyard.jpg", "mimeType": "image/jpeg", "buffer": demo_image(3).read()}
    page.set_input_files("#id_featured_image", photo)
    expect(picture.locator(".file-chosen")).to_have_text("courtyard.jpg")
    assert picture.locator("#id_featured_image").bounding_box()["width"] <= 1  # not drawn

    page.fill("#id_slug_fa", "")
    page.fill("#id_title_fa", "محیط زیست")
    expect(page.locator(".field-slug_fa .permalink")).to_contain_text(
        f"/fa/articles/{article.pk}/محیط-زیست/"
    )

    body_editor(page).click()
    page.locator(".field-body_fa .prose-menubar button[title='تصویر']").click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_contain_text("نشانی تصویر")
    assert not re.search(r"[A-Za-z]{3}", dialog.inner_text())
    dialog.get_by_role("button", name="انصراف").click()
    # Saved, so that closing the page sends no draft while the database is emptied.
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success").first).to_be_visible()


def test_an_editor_schedules_on_the_solar_calendar_then_publishes_now(
    page, live_server, persian_editor, article_factory
):
    opened_on = timezone.localtime() + datetime.timedelta(days=400)  # any day: far ahead
    article = article_factory(
        title_fa="برنامه هفته", title_en="", status=Status.DRAFT, publish_at=opened_on
    )
    solar = jdatetime.date.fromgregorian(date=opened_on.date())
    following = (solar.replace(day=1) + datetime.timedelta(days=31)).replace(day=1)
    sign_in(page, f"{live_server.url}/fa/admin/articles/article/{article.pk}/change/")

    page.locator(".field-publish_at .solar-calendar-button").click()
    calendar = page.locator(".solar-calendar")
    expect(calendar.locator("strong")).to_contain_text(local_digits(solar.year, "fa"))
    calendar.get_by_role("button", name="ماه بعد").click()
    calendar.locator(".solar-calendar-grid button", has_text=re.compile("^۱$")).click()
    expect(page.locator("#id_publish_at_0")).to_have_value(
        local_digits(following.strftime("%Y/%m/%d"), "fa")
    )
    page.fill("#id_publish_at_1", "۰۸:۰۰")
    page.select_option("#id_status", Status.PUBLISHED)
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success", has_text="زمان‌بندی شد")).to_be_visible()
    article.refresh_from_db()
    scheduled = timezone.make_aware(
        datetime.datetime.combine(following.togregorian(), datetime.time(8))
    )
    assert article.publish_at == scheduled and article.is_scheduled

    # Opened again and pulled forward from its own form: published from this minute.
    page.locator("#result_list").get_by_role("link", name="برنامه هفته").click()
    page.fill("#id_title_fa", "برنامه امروز")
    page.get_by_role("button", name="اکنون منتشر کن").click()
    expect(page.locator(".messagelist .success", has_text="منتشر شد")).to_be_visible()
    article.refresh_from_db()
    assert article.is_published and article.publish_at <= timezone.now()
    assert article.title_fa == "برنامه امروز"

    # Or several at once from the list.
    later = article_factory(title_fa="برنامه فردا", title_en="", publish_at=scheduled)
    page.reload()
    page.locator(f"input[name=_selected_action][value='{later.pk}']").check()
    page.select_option("select[name=action]", "publish_now")
    page.click("button[name=index]")
    expect(page.locator(".messagelist .success")).to_contain_text("۱")
    later.refresh_from_db()
    assert later.is_published and later.publish_at <= timezone.now()


def test_today_in_the_solar_calendar_is_the_sites_day_wherever_the_browser_is(
    browser, live_server, persian_editor, article_factory
):
    # A browser about half a day away from the site's zone: its own date differs for half of
    # every day, whatever TIME_ZONE the suite runs under.
    site_hours = timezone.localtime().utcoffset().total_seconds() / 3600
    far_away = "Etc/GMT+12" if site_hours >= 0 else "Etc/GMT-14"
    context = browser.new_context(timezone_id=far_away, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        article = article_factory(title_fa="امروز", title_en="", status=Status.DRAFT)
        sign_in(page, f"{live_server.url}/fa/admin/articles/article/{article.pk}/change/")
        before = jdatetime.date.fromgregorian(date=timezone.localdate())
        page.locator(".field-publish_at .solar-calendar-button").click()
        page.locator(".solar-calendar").get_by_role("button", name="امروز").click()
        after = jdatetime.date.fromgregorian(date=timezone.localdate())
        shown = page.locator("#id_publish_at_0").input_value()
        assert shown in {local_digits(day.strftime("%Y/%m/%d"), "fa") for day in (before, after)}
        page.click("input[name=_save]")  # saved before the page closes
        expect(page.locator(".messagelist .success").first).to_be_visible()
    finally:
        context.close()


def test_enter_in_a_field_saves_and_neither_publishes_nor_discards_a_draft(
    page, live_server, persian_editor, article_factory
):
    article = article_factory(title_fa="یادداشت", title_en="", status=Status.DRAFT)
    Draft.objects.keep(persian_editor, Article, article.pk, {"title_fa": ["یادداشت کهنه"]})
    sign_in(page, f"{live_server.url}/fa/admin/articles/article/{article.pk}/change/")
    expect(page.locator(".unsaved-draft")).to_be_visible()  # Discard and Publish now are there
    expect(page.get_by_role("button", name="اکنون منتشر کن")).to_be_visible()
    page.fill("#id_title_fa", "یادداشت تازه")
    page.press("#id_title_fa", "Enter")
    expect(page.locator(".messagelist .success").first).to_be_visible()
    article.refresh_from_db()
    assert article.title_fa == "یادداشت تازه" and article.status == Status.DRAFT
    assert not Draft.objects.exists()  # saved, so the draft is done with


def test_an_editor_links_to_an_earlier_report_without_selecting_text_first(
    page, live_server, persian_editor, article_factory
):
    earlier = article_factory(title_fa="باران در تهران", title_en="")
    article = article_factory(title_fa="گزارش امروز", title_en="", body_fa="<p>امروز هم بارید.</p>")
    sign_in(page, f"{live_server.url}/fa/admin/articles/article/{article.pk}/change/")
    body_editor(page).locator("p").click()
    page.keyboard.press("End")
    page.keyboard.type(" ")
    page.locator(".field-body_fa .link-dialog-button").click()

    dialog = page.locator("dialog.link-dialog")
    dialog.get_by_label("متن پیوند").fill("گزارش دیروز")
    dialog.get_by_label("جست‌وجو در صفحه‌های همین سایت").fill("باران")
    dialog.get_by_role("button", name=re.compile("باران در تهران")).click()
    expect(dialog.get_by_label("نشانی")).to_have_value(re.compile(f"^/fa/articles/{earlier.pk}/"))
    assert not re.search(r"[A-Za-z]{3}", dialog.inner_text())
    dialog.get_by_role("button", name="افزودن پیوند").click()
    expect(body_editor(page).locator("a")).to_have_text("گزارش دیروز")

    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success").first).to_be_visible()
    article.refresh_from_db()
    link = re.search(r'<a href="([^"]+)"[^>]*>گزارش دیروز</a>', article.body_fa)
    assert link and unquote(link.group(1)) == unquote(earlier.url_in("fa")), article.body_fa


def test_translate_into_arabic_opens_the_arabic_tab_beside_the_persian_text(
    page, live_server, persian_editor, article_factory
):
    article = article_factory(title_en="", title_fa="باران در تهران", body_fa="<p>همه روز.</p>")
    sign_in(page, f"{live_server.url}/fa/admin/articles/article/")
    page.locator(f"a[href$='/{article.pk}/change/?translate=ar']").click()
    expect(page.locator(".translation-source")).to_contain_text("همه روز.")
    expect(page.locator("#modeltranslation-main-switch option:checked")).to_have_text("عربی")
    expect(page.locator("#id_title_ar")).to_be_visible()
    page.fill("#id_title_ar", "المطر في طهران")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success").first).to_be_visible()
    article.refresh_from_db()
    assert article.title_ar == "المطر في طهران" and article.title_fa == "باران در تهران"


def test_an_image_uploaded_into_the_library_is_inserted_into_a_persian_body(
    page, live_server, persian_editor, article_factory, screenshot
):
    article = article_factory(title_en="", title_fa="باغ محله", body_fa="<p>بهار آمد.</p>")
    sign_in(page, f"{live_server.url}/fa/admin/articles/article/{article.pk}/change/")
    body_editor(page).locator("p").click()
    page.keyboard.press("End")
    page.locator(".field-body_fa .media-chooser-button").click()

    chooser = page.locator("dialog.media-chooser")
    photo = {"name": "seedlings.jpg", "mimeType": "image/jpeg", "buffer": demo_image(9).read()}
    chooser.get_by_label("یا تصویرهای تازه بارگذاری کنید").set_input_files(photo)
    expect(chooser.locator("[aria-pressed=true]")).to_contain_text("seedlings")
    chooser.get_by_role("button", name="همین تصویر").click()
    expect(chooser.get_by_role("alert")).to_contain_text("توصیف کنید")  # alt text first
    assert not re.search(r"[A-Za-z]{3}", chooser.inner_text().replace("seedlings", ""))
    chooser.get_by_label(re.compile("^متن جایگزین")).fill("نهال‌ها در گلدان‌های سفالی")
    chooser.get_by_label("زیرنویس تصویر").fill("آماده کاشت بهاری.")
    screenshot(page, "admin-fa-media-chooser")
    chooser.get_by_role("button", name="همین تصویر").click()
    expect(body_editor(page).locator("figure img")).to_have_attribute(
        "alt", "نهال‌ها در گلدان‌های سفالی"
    )
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success").first).to_be_visible()

    image = LibraryImage.objects.get()
    assert image.uploaded_by == persian_editor
    article.refresh_from_db()
    assert 'alt="نهال‌ها در گلدان‌های سفالی"' in article.body_fa
    assert "<figcaption>آماده کاشت بهاری.</figcaption>" in article.body_fa
    assert image.usages() == [article]
    # Described once: the library keeps what the editor typed, for the next use.
    eventually(page, lambda: LibraryImage.objects.get().alt_fa == "نهال‌ها در گلدان‌های سفالی")

    # Opened again, the same image becomes the article's own picture, its alt text filled in.
    page.goto(f"{live_server.url}/fa/admin/articles/article/{article.pk}/change/")
    page.locator(".field-featured_image").get_by_role("button", name="انتخاب از کتابخانه").click()
    chooser.get_by_role("button", name=re.compile("seedlings")).click()
    chooser.get_by_role("button", name="همین تصویر").click()
    expect(page.locator("#id_image_alt_fa")).to_have_value("نهال‌ها در گلدان‌های سفالی")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success").first).to_be_visible()
    article.refresh_from_db()
    assert article.featured_image.name == image.image.name
    assert article.image_alt_fa == "نهال‌ها در گلدان‌های سفالی"
