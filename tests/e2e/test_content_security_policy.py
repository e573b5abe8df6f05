"""Pages work under the Content-Security-Policy: a reader's pages and an editor's form, each
with the browser reporting no violation (nejat/security/csp.py)."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from articles.models import Article
from media_gallery.models import Video
from nejat.ops.demo_files import demo_image
from nejat.publishing import fill_missing_slugs
from tests.e2e.conftest import LIVE_DATABASE

pytestmark = [pytest.mark.e2e, LIVE_DATABASE]

# Playwright adds this before any of the page's own scripts; the policy does not apply to it.
LISTEN = """document.addEventListener("securitypolicyviolation", (event) => {
  (window.violations ||= []).push(`${event.effectiveDirective} ${event.blockedURI}`);
});"""


@pytest.fixture
def watched(page):
    """The page, recording every CSP violation: the event and the console's error both."""
    page.add_init_script(LISTEN)
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    return page


def violations(page):
    seen = page.evaluate("window.violations || []")
    in_console = [text for text in page.console_errors if "Content Security Policy" in text]
    return seen + in_console


@pytest.fixture
def article(article_factory):
    article = article_factory(
        title_fa="گزارش باغ",
        body_fa="<h2>باغ</h2><p>داوطلبان درخت کاشتند.</p>",
        featured_image=SimpleUploadedFile("garden.jpg", demo_image(3).read(), "image/jpeg"),
        image_alt_fa="باغ",
    )
    return Article.objects.get(pk=article.pk)


def test_a_reader_meets_no_violation(watched, live_server, article):
    video = Video(status="published", title_en="Talk", embed_url="https://youtu.be/abcdefghijk")
    fill_missing_slugs(video)
    video.save()
    watched.route("https://www.youtube-nocookie.com/**", lambda route: route.fulfill(body="ok"))
    for path in ("/", "/fa/", article.url_in("fa"), "/contact/", "/search/?q=باغ"):
        response = watched.goto(live_server.url + path)
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        watched.wait_for_load_state("load")
    watched.set_viewport_size({"width": 400, "height": 800})
    watched.goto(live_server.url + "/fa/")
    watched.locator(".menu-toggle").click()  # site.js runs: the menu opens
    expect(watched.locator(".main-menu")).to_be_visible()
    watched.goto(live_server.url + video.get_absolute_url())
    watched.get_by_role("link", name="Play the video").click()
    expect(watched.locator(".video-embed iframe")).to_be_attached()
    assert violations(watched) == []


def test_an_editor_writes_under_the_staff_policy(watched, live_server, article):
    User.objects.create_user("writer", password="an-editor-password", is_staff=True).groups.add(
        Group.objects.get(name="Editors")
    )
    response = watched.goto(f"{live_server.url}/fa/admin/articles/article/{article.pk}/change/")
    watched.fill("#id_auth-username", "writer")
    watched.fill("#id_auth-password", "an-editor-password")
    with watched.expect_navigation() as navigation:
        watched.click("input[type=submit]")
    policy = navigation.value.headers["content-security-policy"]
    assert "'nonce-" in policy and "frame-ancestors 'none'" in policy
    watched.select_option("#modeltranslation-main-switch", label="فارسی")
    # The editor's modules came through the import map: its toolbar and text are there.
    paragraph = watched.locator(".field-body_fa [contenteditable=true] p")
    paragraph.click()
    watched.keyboard.press("End")
    watched.keyboard.type(" و گل.")
    watched.click("input[name=_save]")
    expect(watched.locator(".messagelist .success").first).to_be_visible()
    assert "درخت کاشتند. و گل." in Article.objects.get(pk=article.pk).body_fa
    assert response.ok and violations(watched) == []


def test_the_content_api_s_documentation_works_under_the_policy(watched, live_server):
    """Swagger UI, from the site's own static files (api/site.py), lists the API's addresses."""
    watched.goto(live_server.url + "/fa/api/v1/docs/")
    expect(watched.locator(".opblock-summary-path").first).to_be_visible()
    assert watched.locator(".opblock-summary-path", has_text="/fa/api/v1/articles/").count()
    assert violations(watched) == []
