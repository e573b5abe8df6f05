"""No lost minute (#33): a form keeps its draft a few seconds after the last change, and between
two sends in the browser itself, so a browser killed mid-sentence loses nothing that matters
(nejat.editorial.autosave, static/js/admin/autosave.js)."""

import os
import signal
import subprocess
import time

import pytest
from playwright.sync_api import expect

from articles.factories import CategoryFactory
from articles.models import Article
from nejat.editorial.autosave.models import Draft
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, LIVE_DATABASE
from tests.helpers.browser import body_editor, eventually, sign_in

pytestmark = [pytest.mark.e2e, LIVE_DATABASE]

OFFERED = "تغییرهای ذخیره‌نشده شما"  # "Your unsaved changes of … were kept."
KEPT_HERE_ONLY = "پیش‌نویس فقط در همین مرورگر نگه داشته شد: اتصال را بررسی کنید."


@pytest.fixture
def killable_browser(browser, tmp_path):
    """A Chromium started here, in a process group of its own, so that the test can kill it as
    a crash would (SIGKILL: no pagehide, no beacon, no unload); Playwright drives it over the
    DevTools protocol. ``browser`` is the suite's, for what comes after the crash."""
    process = subprocess.Popen(
        [CHROMIUM, *CHROMIUM_ARGS, "--remote-debugging-port=0", f"--user-data-dir={tmp_path}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    port_file = tmp_path / "DevToolsActivePort"  # Chromium writes the port it chose there
    deadline = time.monotonic() + 20
    while len(port_file.read_text().split() if port_file.exists() else []) < 2:
        assert time.monotonic() < deadline and process.poll() is None, "Chromium did not start"
        time.sleep(0.05)
    port = port_file.read_text().split()[0]
    try:
        yield browser.browser_type.connect_over_cdp(f"http://127.0.0.1:{port}"), process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def kept_draft():
    """The fields of the editor's draft on the server, or {}."""
    return Draft.objects.values_list("data", flat=True).first() or {}


def test_a_killed_browser_loses_nothing_typed_seconds_before(
    browser, killable_browser, live_server, persian_editor
):
    category = CategoryFactory(name_fa="محیط زیست")
    add = f"{live_server.url}/fa/admin/articles/article/add/"
    crashing, process = killable_browser
    page = crashing.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, add)
    page.fill("#id_title_fa", "هوای تهران")
    body_editor(page).click()
    page.keyboard.type("مدرسه‌ها فردا تعطیل است.")
    page.fill("#id_edition_tags_fa", "هوا، تهران")
    # Chosen in select2's list: the field changes with no event of the page's own.
    page.locator(".field-category .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("محیط")
    page.locator(".select2-results__option", has_text="محیط زیست").click()
    last_change = time.monotonic()

    def everything_kept():
        data = kept_draft()
        return data.get("category") == [str(category.pk)] and "تعطیل" in str(data.get("body_fa"))

    eventually(page, everything_kept, seconds=8)
    assert time.monotonic() - last_change < 6  # seconds after the last change, not at 10 s
    assert kept_draft()["edition_tags_fa"] == ["هوا، تهران"]
    os.killpg(process.pid, signal.SIGKILL)  # the browser crashes: nothing more is sent
    process.wait(timeout=10)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, add)
    offer = page.locator(".unsaved-draft li").filter(has_text=OFFERED)
    expect(offer).to_have_count(1)
    expect(page.locator("#id_title_fa")).to_have_value("")  # offered, not applied
    offer.get_by_role("link", name="بازگردان").click()
    expect(page.locator("#id_title_fa")).to_have_value("هوای تهران")
    expect(body_editor(page)).to_have_text("مدرسه‌ها فردا تعطیل است.")
    expect(page.locator("#id_edition_tags_fa")).to_have_value("هوا، تهران")
    expect(page.locator("#id_category")).to_have_value(str(category.pk))
    expect(page.locator(".field-category .select2-selection")).to_contain_text("محیط زیست")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success").first).to_be_visible()
    article = Article.objects.get()
    assert article.title_fa == "هوای تهران" and article.category == category
    assert "تعطیل است." in article.body_fa
    assert sorted(tag.name for tag in article.tags.all()) == ["تهران", "هوا"]
    assert not Draft.objects.exists()
    context.close()


def local_copies(page):
    return page.evaluate("Object.keys(localStorage).filter(key => key.startsWith('nejat-draft:'))")


def test_what_the_server_did_not_get_is_kept_in_the_browser_and_offered_back(
    page, live_server, persian_editor
):
    add = f"{live_server.url}/fa/admin/articles/article/add/"
    sign_in(page, add)
    page.context.route("**/autosave/", lambda route: route.abort())  # the connection fails
    page.fill("#id_title_fa", "گزارش محله")
    body_editor(page).click()
    page.keyboard.type("بند تازه.")
    page.fill("#id_edition_tags_fa", "محله")
    expect(page.locator("#autosave-status")).to_have_text(KEPT_HERE_ONLY)
    [copy] = local_copies(page)

    page.on("dialog", lambda dialog: dialog.accept())  # "Leave site?" Yes
    page.reload()  # a new form, with a key of its own
    offer = page.locator(".unsaved-draft li").filter(has_text=OFFERED)
    expect(offer).to_have_count(1)
    expect(page.locator("#id_title_fa")).to_have_value("")  # offered, not applied
    assert not Draft.objects.exists()  # the browser's own copy, not the server's

    page.context.unroute("**/autosave/")  # the connection is back
    offer.get_by_role("link", name="بازگردان").click()
    expect(page.locator("#id_title_fa")).to_have_value("گزارش محله")
    expect(body_editor(page)).to_have_text("بند تازه.")
    expect(page.locator("#id_edition_tags_fa")).to_have_value("محله")
    expect(page.locator(".unsaved-draft")).to_contain_text("در فرم زیر بازگردانده شدند")
    key = page.locator("input[name=autosave_key]").input_value()
    assert copy.endswith(f":{key}")  # the form carries on as the one the copy was kept from
    # Sent to the server once it answers; the browser's copy is then dropped.
    eventually(page, lambda: kept_draft().get("title_fa") == ["گزارش محله"])
    assert Draft.objects.get().new_item_key == key
    eventually(page, lambda: not local_copies(page))

    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success").first).to_be_visible()
    assert Article.objects.get().title_fa == "گزارش محله"
    assert not Draft.objects.exists()
    page.goto(add)
    expect(page.locator("#id_title_fa")).to_have_value("")
    expect(page.locator(".unsaved-draft")).to_have_count(0)  # nothing left to offer


def test_typing_without_a_pause_is_kept_too_and_a_newer_copy_wins(
    page, live_server, persian_editor, article_factory, settings
):
    settings.AUTOSAVE_MAX_SECONDS = 3  # at least every 3 s while typing (10 on the site)
    article = article_factory(title_fa="گزارش", title_en="", body_fa="<p>متن.</p>")
    change = f"{live_server.url}/fa/admin/articles/article/{article.pk}/change/"
    sent = []
    page.on("request", lambda request: "/autosave/" in request.url and sent.append(request))
    sign_in(page, change)
    page.wait_for_timeout(2500)  # opened, the editors started, nothing typed: nothing kept
    assert not sent and not local_copies(page)

    body_editor(page).locator("p").click()
    page.keyboard.press("End")
    page.keyboard.type(" باران می‌بارد و می‌بارد.", delay=200)  # 5 s, never 2 s of quiet
    assert "باران" in str(kept_draft().get("body_fa"))  # kept while the typing went on

    page.context.route("**/autosave/", lambda route: route.abort())
    page.keyboard.type(" باز هم.")
    expect(page.locator("#autosave-status")).to_have_text(KEPT_HERE_ONLY)
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()
    # The server's draft is older than the browser's copy: the copy is offered in its place.
    offers = page.locator(".unsaved-draft li")
    expect(offers.filter(visible=True)).to_have_count(1)
    expect(offers.and_(page.locator("[data-draft-key]"))).to_be_hidden()
    page.context.unroute("**/autosave/")
    offers.filter(visible=True).get_by_role("link", name="بازگردان").click()
    expect(body_editor(page)).to_have_text("متن. باران می‌بارد و می‌بارد. باز هم.")
    eventually(page, lambda: "باز هم." in str(kept_draft().get("body_fa")))
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success").first).to_be_visible()
