"""The media library (media_library): upload once, find, describe per language, use in bodies and
image fields, see where an image is used, and never delete one still used."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from articles.models import Article
from media_library.models import ImageInUse, LibraryImage
from nejat.ops.demo_files import demo_image
from nejat.publishing import Status
from tests.helpers.forms import form_fields

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/media_library/libraryimage/upload/"
CHOOSE = "/admin/media_library/libraryimage/choose/"


@pytest.fixture(autouse=True)
def _renditions_now(settings):
    settings.RENDITIONS_IN_BACKGROUND = False


def picture(seed, name="photo.jpg"):
    return SimpleUploadedFile(name, demo_image(seed).read(), "image/jpeg")


def library_image(seed=1, **fields):
    return LibraryImage.objects.create(image=picture(seed, f"image-{seed}.jpg"), **fields)


def test_many_images_upload_at_once_and_ask_for_alt_text(editor_client):
    response = editor_client.post(
        UPLOAD, {"images": [picture(1, "garden-day.jpg"), picture(2, "market.jpg")]}
    )
    assert response.status_code == 302 and response["Location"].endswith("?no_alt=en")
    images = LibraryImage.objects.order_by("pk")
    assert [image.title for image in images] == ["garden day", "market"]
    first = images[0]
    assert first.file_size > 0 and first.width == 960 and first.picture.has_renditions
    assert first.missing_alt() == ["en", "ar", "fa", "sq"]
    listing = editor_client.get(response["Location"]).content.decode()
    assert "garden day" in listing and "alt-missing" in listing


def test_one_bad_file_refuses_the_upload_and_names_it(editor_client):
    fake = SimpleUploadedFile("notes.jpg", b"not an image", "image/jpeg")
    response = editor_client.post(UPLOAD, {"images": [picture(1), fake]})
    assert response.status_code == 200
    assert "notes.jpg" in response.content.decode()
    assert not LibraryImage.objects.exists()
    answer = editor_client.post(UPLOAD, {"images": [fake]}, headers={"Accept": "application/json"})
    assert answer.status_code == 400 and "notes.jpg" in answer.json()["errors"][0]


@pytest.mark.parametrize(("edition", "limit"), [("/fa", "۰"), ("/ar", "٠"), ("", "0")])
def test_the_choosers_upload_errors_write_numbers_as_the_admin_does(
    editor_client, settings, edition, limit
):
    """The chooser shows them in a page of Persian or Arabic digits: no "0" among them."""
    settings.MAX_IMAGE_UPLOAD_MB = 0
    answer = editor_client.post(
        f"{edition}{UPLOAD}", {"images": [picture(1)]}, headers={"Accept": "application/json"}
    )
    [error] = answer.json()["errors"]
    assert error.startswith("photo.jpg: ") and f" {limit} " in error, error


def test_the_chooser_finds_by_alt_text_as_typed_on_any_keyboard_and_by_tag(editor_client):
    described = library_image(1, alt_fa="کتابخانه محله", caption_fa="پس از بازسازی")
    tagged = library_image(2)
    tagged.tags.add("garden")
    library_image(3)
    found = editor_client.get(CHOOSE, {"q": "كتابخانه"}).json()["results"]  # Arabic ك
    assert [entry["id"] for entry in found] == [described.pk]
    assert found[0]["alt"]["fa"] == "کتابخانه محله" and found[0]["url"].endswith(".jpg")
    assert [e["id"] for e in editor_client.get(CHOOSE, {"q": "garden"}).json()["results"]] == [
        tagged.pk
    ]
    everything = editor_client.get(CHOOSE).json()
    assert len(everything["results"]) == 3 and everything["has_next"] is False


def test_alt_text_and_caption_per_language_survive_a_second_save(editor_client):
    image = library_image(1)
    url = f"/fa/admin/media_library/libraryimage/{image.pk}/change/"
    fields = form_fields(editor_client.get(url).content.decode(), "libraryimage_form")
    fields.update(alt_fa="نهال‌ها در گلدان", caption_fa="آماده کاشت", alt_en="Seedlings in pots")
    assert editor_client.post(url, fields).status_code == 302
    again = form_fields(editor_client.get(url).content.decode(), "libraryimage_form")
    assert editor_client.post(url, again).status_code == 302
    image.refresh_from_db()
    assert (image.alt_fa, image.caption_fa, image.alt_en) == (
        "نهال‌ها در گلدان",
        "آماده کاشت",
        "Seedlings in pots",
    )
    assert image.missing_alt() == ["ar", "sq"]


def test_an_image_in_a_body_is_found_where_used_and_not_deleted(editor_client, article_factory):
    image = library_image(1)
    unused = library_image(2)
    article = article_factory(
        title_fa="گزارش", body_fa=f'<figure><img src="{image.body_url()}" alt="x"></figure>'
    )
    assert image.usages() == [article]
    with pytest.raises(ImageInUse):
        image.delete()
    page = editor_client.get(f"/admin/media_library/libraryimage/{image.pk}/change/")
    assert f"/admin/articles/article/{article.pk}/change/" in page.content.decode()
    assert (
        editor_client.get(f"/admin/media_library/libraryimage/{image.pk}/delete/").status_code
        == 403
    )

    response = editor_client.post(
        "/admin/media_library/libraryimage/",
        {"action": "delete_unused", "_selected_action": [image.pk, unused.pk]},
        follow=True,
    )
    assert list(LibraryImage.objects.all()) == [image]
    assert "still used" in response.content.decode()


def test_where_an_image_is_used_names_only_what_the_reader_may_open(
    editor_client, article_factory, monkeypatch
):
    image = library_image(1)
    figure = f'<figure><img src="{image.body_url()}" alt="x"></figure>'
    article_factory(title_en="Out already", body_en=figure)
    article_factory(title_en="Embargoed scoop", body_en=figure, status=Status.DRAFT)
    page = f"/admin/media_library/libraryimage/{image.pk}/change/"
    asked, real_usages = [], LibraryImage.usages

    def counted(self):
        asked.append(self.pk)
        return real_usages(self)

    monkeypatch.setattr(LibraryImage, "usages", counted)  # asked once: the page and delete check
    shown = editor_client.get(page).content.decode()
    assert "Out already" in shown and "Embargoed scoop" in shown and len(asked) == 1

    writer = User.objects.create_user("writer", password="a-writer-password", is_staff=True)
    writer.groups.add(Group.objects.get(name="Contributors"))
    client = Client()
    client.force_login(writer)
    shown = client.get(page).content.decode()
    assert "Out already" in shown and "Embargoed scoop" not in shown
    assert "and 1 item you cannot open" in shown
    unused = client.get(f"/admin/media_library/libraryimage/{library_image(2).pk}/change/")
    assert "Nowhere yet." in unused.content.decode()  # a contributor cannot delete it anyway
    assert "it can be deleted" not in unused.content.decode()


def test_an_image_field_takes_a_library_image_under_its_stored_name(editor_client, article_factory):
    image = library_image(1, alt_fa="نهال‌ها")
    article = article_factory(title_fa="گزارش", title_en="")
    url = f"/admin/articles/article/{article.pk}/change/"
    page = editor_client.get(url).content.decode()
    assert 'name="library-image:featured_image"' in page and "media-chooser.js" in page
    assert 'data-field="featured_image" data-alt-field="image_alt"' in page  # filled by choosing
    fields = form_fields(page, "article_form")
    fields["library-image:featured_image"] = str(image.pk)
    assert editor_client.post(url, fields).status_code == 302

    article.refresh_from_db()
    assert article.featured_image.name == image.image.name  # nothing copied
    assert article.featured_image_renditions == image.renditions
    assert image.usages() == [article]

    # Opened and saved again: unchanged. Then replaced: the library keeps its file.
    again = form_fields(editor_client.get(url).content.decode(), "article_form")
    assert editor_client.post(url, again).status_code == 302
    article.refresh_from_db()
    assert article.featured_image.name == image.image.name
    again["featured_image"] = picture(5, "new.jpg")
    assert editor_client.post(url, again).status_code == 302
    call_command("sweep_uploads", older_than_hours=0, stdout=io.StringIO())
    assert image.image.storage.exists(image.image.name)
    assert image.usages() == []


def test_a_library_choice_is_kept_across_a_form_error(editor_client, article_factory):
    image = library_image(1)
    article = article_factory(title_fa="گزارش", title_en="")
    url = f"/admin/articles/article/{article.pk}/change/"
    fields = form_fields(editor_client.get(url).content.decode(), "article_form")
    fields.update({"library-image:featured_image": str(image.pk), "publish_at_0": "not a date"})
    page = editor_client.post(url, fields).content.decode()
    again = form_fields(page, "article_form")
    assert again["library-image:featured_image"] == str(image.pk)
    assert "Chosen: <bdi>image 1</bdi>" in page


def test_a_library_image_chosen_after_a_kept_upload_is_the_one_saved(
    editor_client, article_factory
):
    image = library_image(1)
    article = article_factory(title_fa="گزارش", title_en="")
    url = f"/admin/articles/article/{article.pk}/change/"
    fields = form_fields(editor_client.get(url).content.decode(), "article_form")
    tried = {**fields, "featured_image": picture(4, "mine.jpg"), "publish_at_0": "not a date"}
    page = editor_client.post(url, tried).content.decode()
    again = form_fields(page, "article_form")
    assert again["kept-upload:featured_image"]  # the uploaded photo is kept
    again["library-image:featured_image"] = str(image.pk)  # then a library image is chosen
    again["publish_at_0"] = fields["publish_at_0"]
    assert editor_client.post(url, again).status_code == 302
    article.refresh_from_db()
    assert article.featured_image.name == image.image.name


def test_a_chosen_image_deleted_meanwhile_is_said_and_nothing_breaks(
    editor_client, article_factory
):
    article = article_factory(title_fa="گزارش", title_en="", featured_image=picture(4, "old.jpg"))
    before = article.featured_image.name
    url = f"/admin/articles/article/{article.pk}/change/"
    fields = form_fields(editor_client.get(url).content.decode(), "article_form")
    for value in ("99999", "²", "1" * 40):
        saved = editor_client.post(url, {**fields, "library-image:featured_image": value})
        assert saved.status_code == 302
        shown = editor_client.get(saved["Location"]).content.decode()
        assert "is no longer in the library: choose it again." in shown
        article.refresh_from_db()
        assert article.featured_image.name == before  # kept as it was


def test_what_an_editor_describes_in_the_chooser_is_kept_where_the_library_had_nothing(
    editor_client,
):
    image = library_image(1, alt_en="Seedlings in clay pots")
    entry = editor_client.get(CHOOSE).json()["results"][0]
    describe = entry["describe_url"]
    assert describe == f"/admin/media_library/libraryimage/{image.pk}/describe/"
    typed = {"edition": "fa", "alt": "  نهال‌ها در گلدان  ", "caption": "آماده کاشت."}
    assert editor_client.post(describe, typed).status_code == 204
    # Described again by someone else, and in English: what is there is never replaced.
    assert editor_client.post(describe, {**typed, "alt": "دیگر"}).status_code == 204
    assert editor_client.post(describe, {"edition": "en", "alt": "Other"}).status_code == 204
    image.refresh_from_db()
    assert (image.alt_fa, image.caption_fa) == ("نهال‌ها در گلدان", "آماده کاشت.")
    assert image.alt_en == "Seedlings in clay pots" and not image.caption_en
    assert editor_client.get(CHOOSE).json()["results"][0]["alt"]["fa"] == "نهال‌ها در گلدان"

    assert editor_client.post(describe, {"edition": "de", "alt": "x"}).status_code == 400
    assert editor_client.post(describe, {"edition": "ar", "alt": "x" * 301}).status_code == 400
    assert editor_client.get(describe).status_code == 405
    assert (
        editor_client.post(
            f"/admin/media_library/libraryimage/{image.pk + 1}/describe/", typed
        ).status_code
        == 404
    )


def test_who_may_use_the_library(article_factory):
    image = library_image(1)
    contributor = User.objects.create_user("writer", password="a-writer-password", is_staff=True)
    contributor.groups.add(Group.objects.get(name="Contributors"))
    client = Client()
    client.force_login(contributor)
    assert client.get(CHOOSE).status_code == 200
    assert client.post(UPLOAD, {"images": [picture(2)]}).status_code == 302
    assert client.get(f"/admin/media_library/libraryimage/{image.pk}/delete/").status_code == 403
    listing = "/admin/media_library/libraryimage/"
    assert "delete_unused" not in client.get(listing).content.decode()
    client.post(listing, {"action": "delete_unused", "_selected_action": [image.pk]})
    assert LibraryImage.objects.filter(pk=image.pk).exists()  # nor by a crafted request

    moderator = User.objects.create_user("mod", password="a-moderator-password", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    assert client.get(CHOOSE).status_code == 403
    assert client.post(UPLOAD, {"images": [picture(3)]}).status_code == 403
    describe = f"/admin/media_library/libraryimage/{image.pk}/describe/"
    assert client.post(describe, {"edition": "fa", "alt": "x"}).status_code == 403
    assert LibraryImage.objects.count() == 2 and not LibraryImage.objects.get(pk=image.pk).alt_fa


def test_images_uploaded_before_the_library_join_it_once(article_factory):
    article = article_factory(title_fa="گزارش", featured_image=picture(7, "old.jpg"))
    article = Article.objects.get(pk=article.pk)
    call_command("fill_library", stdout=io.StringIO())
    call_command("fill_library", stdout=io.StringIO())
    (image,) = LibraryImage.objects.all()
    assert image.image.name == article.featured_image.name
    assert image.renditions == article.featured_image_renditions
    assert image.usages() == [article]


def test_filters_by_missing_alt_text_and_size(editor_client):
    library_image(1, alt_fa="توصیف")
    library_image(2)
    listing = editor_client.get("/admin/media_library/libraryimage/", {"no_alt": "fa"})
    assert listing.context["cl"].result_count == 1
    small = editor_client.get("/admin/media_library/libraryimage/", {"size": "small"})
    assert small.context["cl"].result_count == 2


def test_the_focal_point_keeps_a_cropped_card_on_the_subject(editor_client, article_factory):
    image = library_image(1)
    article = article_factory(title_en="Rain", featured_image=image.image.name)
    Article.objects.filter(pk=article.pk).update(featured_image_renditions=image.renditions)

    url = f"/admin/media_library/libraryimage/{image.pk}/change/"
    fields = form_fields(editor_client.get(url).content.decode(), "libraryimage_form")
    fields.update(focal_x="80", focal_y="10")  # a face near the top right
    assert editor_client.post(url, fields).status_code == 302
    article.refresh_from_db()
    assert article.featured_image_renditions["focus"] == [75, 0]
    assert article.featured_image_renditions["fallback"]  # the renditions themselves kept
    assert 'class="focus-75-0"' in Client().get("/articles/").content.decode()

    fields.update(focal_x="50", focal_y="50")
    assert editor_client.post(url, fields).status_code == 302
    article.refresh_from_db()
    assert "focus" not in article.featured_image_renditions
