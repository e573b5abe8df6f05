"""An editor's everyday path: open a saved Persian article, change a sentence, save, read it."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from articles.models import Article
from nejat.models import set_edition_tags
from nejat.ops.demo_files import demo_image
from tests.e2e.conftest import LIVE_DATABASE

pytestmark = [pytest.mark.e2e, LIVE_DATABASE]


@pytest.fixture
def persian_article(article_factory):
    article = article_factory(
        title_en="",
        title_fa="گزارش محله",
        body_fa="<p>داوطلبان با خانواده‌ها دیدار کردند.</p><p>جلسه بعدی ماه آینده است.</p>",
        featured_image=SimpleUploadedFile("street.jpg", demo_image(7).read(), "image/jpeg"),
        image_alt_fa="خیابان",
    )
    set_edition_tags(article, {"fa": ["تهران", "آموزش"]})
    return Article.objects.get(pk=article.pk)


@pytest.fixture
def editor_login(db):
    user = User.objects.create_user("writer", password="an-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return "writer", "an-editor-password"


def test_editor_changes_a_sentence_of_a_saved_persian_article(
    page, live_server, persian_article, editor_login, screenshot
):
    image = persian_article.featured_image.name
    page.goto(f"{live_server.url}/fa/admin/articles/article/{persian_article.pk}/change/")
    page.fill("#id_auth-username", editor_login[0])
    page.fill("#id_auth-password", editor_login[1])
    page.click("input[type=submit]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.select_option("#modeltranslation-main-switch", label="فارسی")
    expect(page.locator("#id_edition_tags_fa")).to_have_value("آموزش، تهران")

    page.locator(".field-body_fa [contenteditable=true] p").nth(1).click()
    page.keyboard.press("End")
    page.keyboard.type(" ساعت ده صبح.")
    screenshot(page, "admin-fa-article-edited")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success").first).to_be_visible()

    saved = Article.objects.get(pk=persian_article.pk)
    assert "جلسه بعدی ماه آینده است. ساعت ده صبح." in saved.body_fa
    assert saved.featured_image.name == image
    assert sorted(tag.name for tag in saved.tags.all()) == ["آموزش", "تهران"]

    page.goto(live_server.url + saved.url_in("fa"))
    expect(page.locator("article")).to_contain_text("ساعت ده صبح.")
    expect(page.locator("h1")).to_have_text("گزارش محله")
