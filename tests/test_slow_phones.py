"""What Lighthouse asks of every page, checked without a browser (#19): a favicon, a meta
description, renditions cached for a year, one name per search landmark, help text that exists
where a field points to it, card images that do not repeat the title beside them."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.models import Category
from nejat.ops.demo_files import demo_image
from nejat.pages.models import SiteSettings

pytestmark = pytest.mark.django_db

EDITIONS = ("", "/ar", "/fa", "/sq")


def test_the_favicon_is_there_for_browsers_that_ask_at_the_root():
    response = Client().get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    home = Client().get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in home and "favicon.svg" in home


def meta_description(path):
    html = Client().get(path, follow=True).content.decode()
    found = re.search(r'<meta name="description" content="([^"]+)">', html)
    return found and found.group(1)


@pytest.mark.parametrize("prefix", EDITIONS)
def test_pages_without_a_summary_describe_the_site_in_their_edition(prefix):
    for section in ("/", "/articles/", "/media/photos/", "/contact/", "/search/?q=water"):
        assert meta_description(prefix + section), prefix + section
    if prefix == "/fa":
        assert (
            meta_description("/fa/")
            == "خبرها، گزارش‌ها و نشریات انجمن نجات به انگلیسی، عربی، فارسی و آلبانیایی."
        )


def test_editors_write_the_description_and_a_category_brings_its_own():
    settings_row = SiteSettings.load()
    settings_row.description_en = "Invented reporting from an invented society."
    settings_row.save()
    assert meta_description("/") == "Invented reporting from an invented society."
    category = Category.objects.create(
        name_en="Schools", slug_en="schools", description_en="Reports on schools."
    )
    assert meta_description(category.get_absolute_url()) == "Reports on schools."


def test_renditions_are_cached_for_a_year_and_originals_are_not(article_factory):
    article = article_factory(
        featured_image=SimpleUploadedFile("street.jpg", demo_image(2).read(), "image/jpeg")
    )
    picture = article.featured_image_picture
    rendition = Client().get(picture.best_url)
    assert rendition.status_code == 200
    assert rendition["Cache-Control"] == "public, max-age=31536000, immutable"
    original = Client().get(article.featured_image.url)
    assert original.status_code == 200 and "immutable" not in original.get("Cache-Control", "")


def test_two_search_forms_are_two_named_landmarks():
    html = Client().get("/fa/search/?q=آب").content.decode()
    labels = re.findall(r'role="search" aria-label="([^"]+)"', html)
    assert len(labels) == 2 and len(set(labels)) == 2


def test_the_comment_forms_help_text_is_where_the_email_field_points(article_factory):
    article = article_factory(allow_comments=True)
    html = Client().get(article.get_absolute_url()).content.decode()
    pointed = re.search(r'name="email"[^>]*aria-describedby="([^"]+)"', html).group(1)
    assert f'id="{pointed}"' in html


def test_card_pictures_beside_their_title_say_nothing_more(article_factory):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for path in ("/", "/fa/", "/media/photos/"):
        html = Client().get(path).content.decode()
        cards = re.findall(r'<li class="media-card">\s*<a [^>]*>(.*?)</a>', html, re.S)
        assert cards, path
        assert all(re.search(r'<img [^>]*alt=""', card) for card in cards), path
