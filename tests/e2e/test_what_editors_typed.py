"""What an editor typed is kept (#33): the alt text typed when choosing a featured image in the
library reaches the public page, and stays through a second save; tags typed with Persian
commas come back so (the form's side: tests/test_persian_admin.py)."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from articles.models import Article
from media_library.models import LibraryImage
from nejat.ops.demo_files import demo_image
from tests.e2e.conftest import LIVE_DATABASE

pytestmark = [pytest.mark.e2e, LIVE_DATABASE]

PASSWORD = "an-editor-password"
ALT = "کودکان در کتابخانه محله کتاب می‌خوانند"


@pytest.fixture
def editor(db):
    user = User.objects.create_user("writer", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def sign_in(page, url):
    page.goto(url)
    page.fill("#id_auth-username", "writer")
    page.fill("#id_auth-password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def save(page):
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success").first).to_be_visible()


def test_alt_text_typed_in_the_chooser_reaches_the_public_page_and_stays(
    page, live_server, editor, article_factory, screenshot
):
    article = article_factory(title_en="", title_fa="کتابخانه محله")
    photo = SimpleUploadedFile("reading.jpg", demo_image(4).read(), "image/jpeg")
    image = LibraryImage.objects.create(image=photo, title="reading room")  # not described yet
    url = f"{live_server.url}/fa/admin/articles/article/{article.pk}/change/"
    sign_in(page, url)

    page.locator(".field-featured_image").get_by_role("button", name="انتخاب از کتابخانه").click()
    chooser = page.locator("dialog.media-chooser")
    chooser.get_by_role("button", name="reading room").click()
    alt = chooser.get_by_label(re.compile("^متن جایگزین"))
    expect(alt).to_be_focused()
    expect(alt).to_have_value("")  # neither the library nor the item describes it yet
    screenshot(page, "admin-fa-featured-image-alt")
    chooser.get_by_role("button", name="همین تصویر").click()
    expect(chooser.get_by_role("alert")).to_contain_text("توصیف کنید")  # asked, not skipped
    alt.fill(ALT)
    chooser.get_by_role("button", name="همین تصویر").click()
    expect(page.locator("#id_image_alt_fa")).to_have_value(ALT)

    for _time in ("saved", "saved again"):  # editors save twice
        save(page)
        saved = Article.objects.get(pk=article.pk)
        assert saved.featured_image.name == image.image.name and saved.image_alt_fa == ALT
        expect(page.locator("#id_image_alt_fa")).to_have_value(ALT)

    page.goto(live_server.url + saved.url_in("fa"))
    expect(page.locator("figure.featured img")).to_have_attribute("alt", ALT)
    image.refresh_from_db()
    assert image.alt_fa == ALT  # described once: the library offers it next time
