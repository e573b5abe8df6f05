"""Problems found in review: each one answered a 500, a 404 or stored the wrong thing."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from articles.models import Article, Category
from media_gallery.models import Gallery
from nejat.media.images import validate_image
from nejat.models import Tag, set_edition_tags
from nejat.ops.demo_files import demo_image

pytestmark = pytest.mark.django_db


def test_a_tag_of_only_punctuation_is_refused_and_never_breaks_a_page(
    editor_client, article_factory
):
    article = article_factory(title_en="Tagged")
    set_edition_tags(article, {"en": ["!!!", "🇮🇷", "fine"]})
    assert [tag.name for tag in Tag.objects.all()] == ["fine"]
    assert Client().get(article.url_in("en")).status_code == 200
    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {
            "title_en": "Tagged",
            "status": "published",
            "publish_at_0": "2024-05-01",
            "publish_at_1": "10:00:00",
            "edition_tags_en": "!!!",
        },
    )
    assert (
        response.status_code == 200
        and "needs at least one letter or digit" in response.content.decode()
    )


def test_two_categories_cannot_share_an_address(editor_client, category_factory):
    category_factory(name_en="Human Rights", slug_en="human-rights")
    response = editor_client.post(
        "/admin/articles/category/add/", {"name_en": "Human rights", "position": "0"}
    )
    assert response.status_code == 200
    assert "Another category already has this address." in response.content.decode()
    assert Category.objects.count() == 1


def test_a_typed_slug_is_stored_as_addresses_are_matched(client, category_factory, article_factory):
    category = Category(name_fa="گزارش", slug_fa="گزارش-۱۴۰۳")
    category.clean()
    category.save()
    assert category.slug_fa == "گزارش-1403"
    article_factory(title_en="", title_fa="خبر", category=category)
    assert client.get(category.url_in("fa")).status_code == 200
    assert client.get("/fa/articles/category/گزارش-۱۴۰۳/").status_code == 200


def png(seed=1):
    return demo_image(seed, size=(200, 150), fmt="PNG").read()


def gallery_post(editor_client, **files):
    return editor_client.post(
        "/admin/media_gallery/gallery/add/",
        {
            "title_en": "Album",
            "status": "published",
            "publish_at_0": "2024-05-01",
            "publish_at_1": "10:00:00",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
            **files,
        },
    )


def test_a_damaged_zip_is_a_form_error(editor_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.png", png())
    data = bytearray(buffer.getvalue())
    data[60] ^= 0xFF  # inside the compressed picture: the CRC no longer matches
    response = gallery_post(editor_client, photos_zip=SimpleUploadedFile("a.zip", bytes(data)))
    assert response.status_code == 200 and "This ZIP cannot be read" in response.content.decode()
    assert not Gallery.objects.exists()


def test_an_image_is_stored_under_its_real_format(editor_client):
    """A PNG named .jpg is stored as .png (a name like .html is refused: tests/test_media.py)."""
    upload = SimpleUploadedFile("photo.jpg", png(), "image/jpeg")
    assert gallery_post(editor_client, new_photos=[upload]).status_code == 302
    name = Gallery.objects.get().photos.get().image.name
    assert name.endswith(".png") and ".jpg" not in name


def test_phone_jpegs_with_a_multi_picture_block_are_accepted():
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (400, 300), "red"), Image.new("RGB", (400, 300), "blue")
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    upload = SimpleUploadedFile("phone.jpg", buffer.getvalue())
    validate_image(upload)
    article = Article(title_en="Phone picture", slug_en="phone-picture", featured_image=upload)
    article.save()
    assert article.featured_image.name.endswith(".jpg")
    assert article.featured_image_renditions["type"] == "image/jpeg"


def test_cached_feeds_and_sitemaps_keep_each_host_apart(article_factory):
    article_factory(title_en="Hosted")
    Client(HTTP_HOST="localhost").get("/sitemap-article.xml")
    assert b"http://testserver/" in Client().get("/sitemap-article.xml").content
    Client(HTTP_HOST="localhost").get("/feed/")
    assert b"http://testserver/" in Client().get("/feed/").content
