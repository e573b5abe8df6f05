"""The second save: an editor opens an item saved earlier and saves it again, or changes one thing.

Each test below starts from an item with files and rows attached, the way the newsroom has them
after the first save, and checks that nothing is lost or made twice.
"""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from media_gallery.models import Gallery, Video
from nejat.editorial.publishable_admin import EditionTagsForm
from nejat.media.images import validate_image
from nejat.models import Tag, set_edition_tags
from nejat.ops.demo_files import demo_image
from publications import demo as publication_demo
from publications.factories import BookFactory, NewsletterFactory, NewsletterItemFactory
from tests.helpers.forms import admin_gallery_form, save_again
from tests.helpers.media import make_zip

pytestmark = pytest.mark.django_db


def png(seed):
    return demo_image(seed, size=(300, 200), fmt="PNG").read()


def photo_files(gallery):
    return [(p.image.name, p.renditions) for p in gallery.photos.order_by("position")]


def test_a_gallery_made_from_a_zip_is_saved_again_and_grows(editor_client):
    photos = make_zip([(f"{n}.png", png(n)) for n in range(3)])
    response = editor_client.post(
        "/admin/media_gallery/gallery/add/",
        admin_gallery_form(title_fa="آلبوم", photos_zip=SimpleUploadedFile("a.zip", photos)),
    )
    assert response.status_code == 302
    gallery = Gallery.objects.get()
    url = f"/fa/admin/media_gallery/gallery/{gallery.pk}/change/"
    photos, cover = photo_files(gallery), gallery.cover.name
    assert len(photos) == 3

    assert save_again(editor_client, url, "gallery_form").status_code == 302
    gallery.refresh_from_db()
    assert photo_files(gallery) == photos and gallery.cover.name == cover
    assert gallery.photo_count == 3

    more = [SimpleUploadedFile("more.png", png(9), "image/png")]
    response = save_again(editor_client, url, "gallery_form", new_photos=more)
    assert response.status_code == 302
    gallery.refresh_from_db()
    assert photo_files(gallery)[:3] == photos and gallery.photo_count == 4


def test_a_video_with_a_poster_is_saved_again(editor_client):
    video = Video(title_en="Clip", status="published", embed_url="https://vimeo.com/76979871")
    video.poster = SimpleUploadedFile("poster.png", png(4), "image/png")
    video.save()
    poster, renditions = video.poster.name, video.poster_renditions
    url = f"/admin/media_gallery/video/{video.pk}/change/"

    response = save_again(editor_client, url, "video_form", title_en="Clip, retitled")
    assert response.status_code == 302
    video.refresh_from_db()
    assert video.title_en == "Clip, retitled"
    assert (video.poster.name, video.poster_renditions) == (poster, renditions)


def test_a_newsletter_issue_is_saved_again_with_its_items(editor_client):
    issue = NewsletterFactory(number=90, title_fa="شماره نود")
    for n in (1, 2):
        NewsletterItemFactory(newsletter=issue, position=n, title_fa=f"بخش {n}", title_en="")
    url = f"/fa/admin/publications/newsletter/{issue.pk}/change/"
    items = list(issue.items.values_list("pk", "position", "title_fa"))

    assert save_again(editor_client, url, "newsletter_form").status_code == 302
    assert list(issue.items.values_list("pk", "position", "title_fa")) == items

    first = issue.items.order_by("position").first()
    response = save_again(editor_client, url, "newsletter_form", **{"items-0-title_fa": "تازه"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.title_fa == "تازه" and issue.items.count() == 2


def test_changing_only_the_pdf_of_a_book(editor_client):
    first = publication_demo.picture_pdf(1, "First edition", "first.pdf").read()
    book = BookFactory(
        title_en="A book", author="Demo Author", pdf=SimpleUploadedFile("first.pdf", first)
    )
    assert book.cover_from_pdf
    old_cover, old_pdf = book.cover.name, book.pdf.name
    url = f"/admin/publications/book/{book.pk}/change/"

    assert save_again(editor_client, url, "book_form").status_code == 302
    book.refresh_from_db()
    assert (book.cover.name, book.pdf.name) == (old_cover, old_pdf)

    second = publication_demo.picture_pdf(2, "Second edition", "second.pdf").read()
    pdf = SimpleUploadedFile("second.pdf", second, "application/pdf")
    assert save_again(editor_client, url, "book_form", pdf=pdf).status_code == 302
    book.refresh_from_db()
    assert book.pdf.name != old_pdf and book.pdf_size == len(second)
    assert book.cover_from_pdf and book.cover.name != old_cover  # made from the new PDF
    assert (book.title_en, book.author) == ("A book", "Demo Author")


# --- The causes, one by one -----------------------------------------------------------------------


def test_a_stored_image_is_not_read_again(article_factory):
    """The issue's reproduction: the form puts the stored file back on the instance."""
    article = article_factory(featured_image=SimpleUploadedFile("a.png", png(1)))
    article = Article.objects.get(pk=article.pk)
    article.featured_image = article.featured_image
    article.full_clean()
    article.featured_image.storage.delete(article.featured_image.name)
    article.full_clean()  # even a file gone from storage is not a reason to refuse the save


def test_the_image_validator_only_ever_raises_validation_errors():
    closed = SimpleUploadedFile("gone.png", png(2))
    closed.close()
    with pytest.raises(ValidationError):
        validate_image(closed)


@pytest.fixture
def tagged_article(article_factory):
    article = article_factory(title_fa="خبر")
    set_edition_tags(article, {"fa": ["تهران", "آموزش"], "en": ["Schools"]})
    return article


def tag_form(article, **typed):
    data = {f"edition_tags_{code}": typed.get(code, "") for code in ("en", "ar", "fa", "sq")}
    form_class = forms.modelform_factory(Article, form=EditionTagsForm, fields=["title_fa"])
    return form_class(data={"title_fa": article.title_fa, **data}, instance=article)


@pytest.mark.parametrize(
    ("typed", "changed"),
    [
        ({"fa": "تهران، آموزش", "en": "Schools"}, set()),  # as shown, Persian comma
        ({"fa": "آموزش, تهران", "en": "Schools"}, set()),  # another order
        ({"fa": "آموزش, تهران", "en": "Schools", "ar": "تعليم"}, {"edition_tags_ar"}),
        ({"fa": "تهران", "en": "Schools"}, {"edition_tags_fa"}),  # one removed
        ({"fa": "تهران، آموزش"}, {"edition_tags_en"}),  # all of an edition removed
    ],
)
def test_edition_tags_report_what_changed(tagged_article, typed, changed):
    form = tag_form(tagged_article, **typed)
    assert form.is_valid(), form.errors
    assert {name for name in form.changed_data if name.startswith("edition_tags")} == changed


def test_persian_and_arabic_commas_separate_tags(tagged_article):
    form = tag_form(tagged_article, fa="آب، تهران؛ محیط زیست", ar="ماء، كتاب")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["edition_tags_fa"] == ["آب", "تهران", "محیط زیست"]
    form.save()
    form.save_edition_tags()
    assert set(Tag.objects.filter(language="ar").values_list("name", flat=True)) >= {"ماء"}
    assert sorted(t.name for t in tagged_article.tags.filter(language="fa")) == sorted(
        ["آب", "تهران", "محیط زیست"]
    )


def test_a_tag_too_long_is_a_clear_form_error(tagged_article):
    form = tag_form(tagged_article, fa="تهران", en="x" * 101)
    assert not form.is_valid()
    assert "at most 100 characters" in str(form.errors["edition_tags_en"])


def test_a_tag_of_several_words_is_one_tag_and_comes_back_unquoted(tagged_article):
    form = tag_form(tagged_article, fa="محیط زیست", en="climate change", ar='"حقوق الإنسان"')
    assert form.is_valid(), form.errors
    assert form.cleaned_data["edition_tags_fa"] == ["محیط زیست"]
    assert form.cleaned_data["edition_tags_en"] == ["climate change"]
    assert form.cleaned_data["edition_tags_ar"] == ["حقوق الإنسان"]  # old quoting still read
    form.save()
    form.save_edition_tags()
    form_class = forms.modelform_factory(Article, form=EditionTagsForm, fields=["title_fa"])
    reopened = form_class(instance=tagged_article)  # the editor opens the article again
    shown = reopened["edition_tags_fa"].as_widget()
    assert 'value="محیط زیست"' in shown  # no quotes to delete by hand
    again = tag_form(tagged_article, fa="محیط زیست", en="climate change", ar="حقوق الإنسان")
    assert again.is_valid() and not [n for n in again.changed_data if n.startswith("edition")]
