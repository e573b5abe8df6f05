"""Responsive images: renditions made once on save, metadata stripped, bad uploads refused."""

import io
from pathlib import PurePosixPath

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article
from nejat.media.images import validate_image
from nejat.media.renditions import RENDITION_WIDTHS
from nejat.ops.demo_files import demo_image
from tests.helpers.media import jpeg_with_exif, save_article

pytestmark = pytest.mark.django_db


def test_renditions_at_several_widths_in_webp_and_jpeg():
    article = save_article(jpeg_with_exif())
    manifest = article.featured_image_renditions
    assert (manifest["width"], manifest["height"], manifest["type"]) == (1600, 900, "image/jpeg")
    assert [w for w, _name in manifest["webp"]] == list(RENDITION_WIDTHS)
    storage = article.featured_image.storage
    for key, expected_format in (("webp", "WEBP"), ("fallback", "JPEG")):
        for width, name in manifest[key]:
            with storage.open(name) as handle, Image.open(handle) as image:
                assert image.format == expected_format and image.width == width
                assert (
                    image.height == round(width * 900 / 1600)
                    or abs(image.height - width * 900 / 1600) <= 1
                )


def test_small_images_are_never_enlarged():
    article = save_article(jpeg_with_exif(size=(500, 300)))
    widths = [w for w, _n in article.featured_image_renditions["webp"]]
    assert widths == [320, 500]


def test_exif_is_stripped_from_the_original_and_the_renditions():
    article = save_article(jpeg_with_exif())
    storage = article.featured_image.storage
    _dirs, stored = storage.listdir(str(PurePosixPath(article.featured_image.name).parent))
    assert stored == [PurePosixPath(article.featured_image.name).name]  # no uncleaned copy
    names = [article.featured_image.name] + [
        name for key in ("webp", "fallback") for _w, name in article.featured_image_renditions[key]
    ]
    for name in names:
        with storage.open(name) as handle, Image.open(handle) as image:
            assert not image.getexif(), name
            assert "exif" not in image.info and "xmp" not in image.info, name


def test_orientation_is_applied():
    # Stored landscape, tagged "rotate 90° clockwise to display": it must come out portrait.
    article = save_article(jpeg_with_exif(size=(1600, 900), orientation=6))
    assert (article.featured_image_width, article.featured_image_height) == (900, 1600)
    manifest = article.featured_image_renditions
    assert (manifest["width"], manifest["height"]) == (900, 1600)
    with article.featured_image.storage.open(manifest["fallback"][0][1]) as handle:
        image = Image.open(handle).convert("RGB")
        top, bottom = (
            image.getpixel((image.width // 2, 5)),
            image.getpixel((image.width // 2, image.height - 5)),
        )
    assert top[2] > top[0] and bottom[0] > bottom[2]  # blue half on top after rotation


def test_png_keeps_png_fallback():
    buffer = io.BytesIO()
    Image.new("RGBA", (700, 400), (0, 0, 0, 0)).save(buffer, "PNG")
    article = save_article(buffer.getvalue(), name="drawing.png")
    assert article.featured_image_renditions["type"] == "image/png"


def truncated_jpeg():
    return demo_image(3).read()[:4000]


def bomb_png():
    """A tiny file that claims 20,000 x 20,000 pixels."""
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG")
    return buffer.getvalue()


def bmp_image():
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50)).save(buffer, "BMP")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"just some text, renamed to .jpg", "not a valid image"),
        (truncated_jpeg(), "not a valid image"),
        (bomb_png(), "too many pixels"),
        (bmp_image(), "must be JPEG, PNG, WebP or GIF"),
    ],
)
def test_bad_uploads_are_refused(data, message):
    with pytest.raises(ValidationError) as refused:
        validate_image(SimpleUploadedFile("picture.jpg", data))
    assert message in str(refused.value)


def test_a_refused_upload_saves_nothing_in_the_admin(editor_client):
    response = editor_client.post(
        "/admin/articles/article/add/",
        {
            "title_en": "Bomb",
            "status": "draft",
            "publish_at_0": "2024-05-01",
            "publish_at_1": "10:00:00",
            "featured_image": SimpleUploadedFile("bomb.png", bomb_png(), "image/png"),
        },
    )
    assert response.status_code == 200 and "too many pixels" in response.content.decode()
    assert not Article.objects.exists()


def test_pages_use_srcset_without_extra_queries(client, django_assert_num_queries):
    for n in range(3):
        article = save_article(jpeg_with_exif())
        Article.objects.filter(pk=article.pk).update(
            status="published", title_en=f"Picture {n}", slug_en=f"picture-{n}"
        )
    client.get("/")
    with django_assert_num_queries(1):  # the page (Recent Posts: a shared fragment)
        html = client.get("/articles/").content.decode()
    assert html.count('<source type="image/webp" srcset="') == 3
    assert 'sizes="(min-width: 40rem) 16rem, 100vw"' in html
    assert 'width="1600" height="900"' in html
    assert html.count('loading="lazy"') >= 2 and html.count('fetchpriority="high"') == 1
