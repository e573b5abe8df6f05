"""Photo galleries, videos, cartoons and news pictures."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from media_gallery.embeds import parse_video_url
from media_gallery.models import Cartoon, Gallery, NewsPic, Photo, Video
from nejat.ops.demo_files import demo_image
from nejat.publishing import Status
from tests.helpers.forms import admin_gallery_form, form_fields
from tests.helpers.media import DEMO_VIDEO, gallery_with_photos, make_zip, png, publish

pytestmark = pytest.mark.django_db


# --- Embeds --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "provider", "video_id"),
    [
        ("https://www.youtube.com/watch?v=abcdefghijk", "youtube", "abcdefghijk"),
        ("https://youtube.com/watch?feature=share&v=A_b-C1d2E3f", "youtube", "A_b-C1d2E3f"),
        ("https://youtu.be/abcdefghijk?t=10", "youtube", "abcdefghijk"),
        ("https://m.youtube.com/shorts/abcdefghijk", "youtube", "abcdefghijk"),
        ("https://www.youtube-nocookie.com/embed/abcdefghijk", "youtube", "abcdefghijk"),
        ("https://vimeo.com/123456789", "vimeo", "123456789"),
        ("https://player.vimeo.com/video/123456789?h=x", "vimeo", "123456789"),
        ("https://www.aparat.com/v/Ab12c", "aparat", "Ab12c"),
    ],
)
def test_known_video_links(url, provider, video_id):
    embed = parse_video_url(url)
    assert (embed.provider, embed.video_id) == (provider, video_id)
    assert embed.player_url.startswith("https://")
    assert "youtube.com/embed" not in embed.player_url  # never the cookie-setting domain


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=short",
        "https://evil.example/watch?v=abcdefghijk",
        "https://youtube.com.evil.example/watch?v=abcdefghijk",
        "javascript:alert(1)//youtube.com/watch?v=abcdefghijk",
        "https://vimeo.com/channels/staffpicks",
        "https://www.aparat.com/",
        "not a url",
        "",
    ],
)
def test_unknown_links_are_refused(url):
    assert parse_video_url(url) is None


def test_video_needs_a_file_or_a_known_link(editor_client):
    base = {
        "title_en": "Clip",
        "status": "published",
        "publish_at_0": "2024-05-01",
        "publish_at_1": "10:00:00",
        "allow_comments": "on",
    }
    unknown = editor_client.post(
        "/admin/media_gallery/video/add/", {**base, "embed_url": "https://evil.example/v/1"}
    )
    assert unknown.status_code == 200
    assert "Only YouTube, Vimeo and Aparat links can be embedded." in unknown.content.decode()
    neither = editor_client.post("/admin/media_gallery/video/add/", base)
    assert "Upload a video file or give a link" in neither.content.decode()
    fake = editor_client.post(
        "/admin/media_gallery/video/add/",
        {**base, "video_file": SimpleUploadedFile("clip.mp4", b"not a video at all")},
    )
    assert "This file is not an MP4 or WebM video" in fake.content.decode()
    real = editor_client.post(
        "/admin/media_gallery/video/add/",
        {**base, "video_file": SimpleUploadedFile("clip.mp4", DEMO_VIDEO.read_bytes())},
    )
    assert real.status_code == 302
    assert Video.objects.exclude(video_file="").count() == 1


def test_embedded_video_loads_nothing_from_the_video_site_until_play(client):
    video = publish(Video, title_en="Talk", embed_url="https://youtu.be/abcdefghijk")
    html = client.get(video.get_absolute_url()).content.decode()
    assert 'data-embed="https://www.youtube-nocookie.com/embed/abcdefghijk' in html
    assert "<iframe" not in html
    assert 'href="https://www.youtube.com/watch?v=abcdefghijk"' in html  # works without JS


def test_uploaded_video_uses_the_browsers_player(client):
    video = publish(Video, title_en="Our clip", poster=demo_image(4))
    video.video_file = ContentFile(DEMO_VIDEO.read_bytes(), name="clip.mp4")
    video.save()
    html = client.get(video.get_absolute_url()).content.decode()
    assert "<video" in html and 'controls preload="none"' in html and "poster=" in html


# --- Galleries -----------------------------------------------------------------------------------


def test_gallery_cover_and_photo_pages(client):
    gallery = gallery_with_photos(3)
    assert gallery.photo_count == 3 and gallery.cover.name == gallery.photos.first().image.name
    html = client.get(gallery.get_absolute_url()).content.decode()
    for n in (1, 2, 3):
        assert f'href="{gallery.get_absolute_url()}{n}/"' in html
    second = client.get(f"{gallery.get_absolute_url()}2/").content.decode()
    assert "Caption 2" in second
    assert f'rel="prev" href="{gallery.get_absolute_url()}1/"' in second
    assert f'rel="next" href="{gallery.get_absolute_url()}3/"' in second
    assert client.get(f"{gallery.get_absolute_url()}4/").status_code == 404
    assert client.get(f"{gallery.get_absolute_url()}0/").status_code == 404
    wrong = client.get(f"/media/photos/{gallery.pk}/wrong/2/")
    assert wrong.status_code == 301 and wrong["Location"] == f"{gallery.get_absolute_url()}2/"


def test_editors_upload_many_photos_at_once(editor_client):
    files = [SimpleUploadedFile(f"p{n}.png", png(n), "image/png") for n in range(3)]
    response = editor_client.post(
        "/admin/media_gallery/gallery/add/", admin_gallery_form(new_photos=files)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    gallery = Gallery.objects.get()
    assert gallery.photos.count() == 3 and gallery.photo_count == 3 and gallery.cover
    # Not silently without alt text: the editor is asked to describe them.
    page = editor_client.get(response["Location"]).content.decode()
    assert "3 photos have no alt text in English" in page
    gallery.photos.update(alt_en="Neighbours planting trees")
    change = f"/admin/media_gallery/gallery/{gallery.pk}/change/"
    fields = form_fields(editor_client.get(change).content.decode(), "gallery_form")
    page = editor_client.post(change, fields, follow=True).content.decode()
    assert "was changed successfully" in page
    assert "no alt text" not in page


def test_editors_upload_a_zip_of_photos(editor_client):
    archive = make_zip(
        [("b.png", png(2)), ("a.png", png(1)), ("__MACOSX/._a.png", b"junk"), (".DS_Store", b"x")]
    )
    response = editor_client.post(
        "/admin/media_gallery/gallery/add/",
        admin_gallery_form(photos_zip=SimpleUploadedFile("album.zip", archive)),
    )
    assert response.status_code == 302
    names = [p.image.name.rsplit("/", 1)[-1] for p in Gallery.objects.get().photos.all()]
    assert names[0].startswith("a") and names[1].startswith("b")


def test_a_zip_with_a_bad_file_saves_nothing(editor_client):
    archive = make_zip([("a.png", png(1)), ("notes.jpg", b"this is text")])
    response = editor_client.post(
        "/admin/media_gallery/gallery/add/",
        admin_gallery_form(photos_zip=SimpleUploadedFile("album.zip", archive)),
    )
    assert response.status_code == 200 and "notes.jpg" in response.content.decode()
    assert not Gallery.objects.exists() and not Photo.objects.exists()


def test_photos_are_reordered_in_the_admin(editor_client):
    gallery = gallery_with_photos(2)
    first, second = gallery.photos.all()
    data = admin_gallery_form(title_en="Album")
    data.update({"photos-TOTAL_FORMS": "2", "photos-INITIAL_FORMS": "2"})
    for index, (photo, position) in enumerate([(first, 2), (second, 1)]):
        data.update(
            {
                f"photos-{index}-id": photo.pk,
                f"photos-{index}-gallery": gallery.pk,
                f"photos-{index}-position": position,
                f"photos-{index}-caption_en": photo.caption_en,
            }
        )
    response = editor_client.post(f"/admin/media_gallery/gallery/{gallery.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(gallery.photos.all()) == [second, first]


# --- Cartoons, news pictures, lists --------------------------------------------------------------


def test_cartoon_and_newspic_pages(client):
    cartoon = publish(Cartoon, title_en="Queue", artist_en="Demo Artist", image=demo_image(5))
    newspic = publish(NewsPic, title_en="Rain", caption_en="Rain returns", image=demo_image(6))
    cartoon_html = client.get(cartoon.get_absolute_url()).content.decode()
    assert "Demo Artist" in cartoon_html and "<picture>" in cartoon_html
    assert "Rain returns" in client.get(newspic.get_absolute_url()).content.decode()
    grid = client.get("/media/cartoons/").content.decode()
    assert 'class="media-grid"' in grid and "Queue" in grid


@pytest.mark.parametrize(
    ("model", "path"),
    [(Cartoon, "cartoons"), (NewsPic, "newspics"), (Video, "videos"), (Gallery, "photos")],
)
def test_edition_visibility_and_drafts(model, path):
    extra = {"image": demo_image(1)} if model in (Cartoon, NewsPic) else {}
    if model is Video:
        extra = {"embed_url": "https://youtu.be/abcdefghijk"}
    persian = publish(model, title_fa="فقط فارسی", **extra)
    draft = publish(model, title_en="Draft one", **extra)
    model.objects.filter(pk=draft.pk).update(status=Status.DRAFT)
    reader = Client()
    assert "فقط فارسی" in reader.get(f"/fa/media/{path}/").content.decode()
    assert "فقط فارسی" not in reader.get(f"/media/{path}/").content.decode()
    assert reader.get(f"/media/{path}/{persian.pk}/").status_code == 404
    assert reader.get(persian.url_in("fa")).status_code == 200
    assert "Draft one" not in reader.get(f"/media/{path}/").content.decode()
    assert reader.get(draft.url_in("en")).status_code == 404
    assert reader.get(f"/media/{path}/?page=2").status_code == 404


@pytest.mark.parametrize("count", [5, 30])
def test_list_and_gallery_query_counts(client, django_assert_num_queries, count):
    for n in range(count):
        publish(Cartoon, title_en=f"Cartoon {n}", image=demo_image(n, size=(200, 150)))
    gallery = gallery_with_photos(count // 5 + 2)
    client.get("/media/cartoons/")
    with django_assert_num_queries(1):  # the page (no count; Recent Posts: a shared fragment)
        client.get("/media/cartoons/")
    client.get(gallery.get_absolute_url())
    with django_assert_num_queries(3):  # gallery + photos + comments
        client.get(gallery.get_absolute_url())


def test_home_page_media_block(client):
    publish(Video, title_en="Newest clip", embed_url="https://youtu.be/abcdefghijk")
    publish(Cartoon, title_en="Newest cartoon", image=demo_image(2))
    gallery_with_photos(2, title_en="Newest album")
    html = client.get("/").content.decode()
    block = html[html.index('id="media-block-title"') :]
    assert "Newest clip" in block and "Newest cartoon" in block and "Newest album" in block


def test_comments_on_media(client):
    cartoon = publish(Cartoon, title_en="Discuss me", image=demo_image(3))
    html = client.get(cartoon.get_absolute_url()).content.decode()
    assert "Leave a Comment" in html


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("x" * 240 + ".png", "at most 100 characters"),
        ("page.html", "extension"),
        ("drawing.svg", "extension"),
    ],
)
def test_every_photo_upload_path_checks_name_extension_and_content(editor_client, name, says):
    """The multi-upload and the ZIP refuse what a photo's own image field refuses."""
    for form in (
        admin_gallery_form(new_photos=[SimpleUploadedFile(name, png(1), "image/png")]),
        admin_gallery_form(photos_zip=SimpleUploadedFile("album.zip", make_zip([(name, png(1))]))),
    ):
        response = editor_client.post("/admin/media_gallery/gallery/add/", form)
        assert response.status_code == 200 and says in response.content.decode()
        assert not Gallery.objects.exists() and not Photo.objects.exists()
