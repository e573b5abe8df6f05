"""Publications: Nejat Newsletter issues, Pars Brief digests and books.

Models, edition visibility, the public lists and pages, PDF checks, covers made from PDFs, the
admin, the home page block, query counts and the demo content, all on PostgreSQL.
"""

import struct
from datetime import date, timedelta
from hashlib import md5

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone, translation
from PIL import Image

from nejat.media.pdf import PdfProblem, check_pdf
from nejat.media.validators import validate_pdf
from nejat.ops.demo_files import demo_image, demo_pdf, one_page_pdf
from nejat.publishing import Status
from publications import demo
from publications.factories import (
    BookFactory,
    BriefEntryFactory,
    BriefFactory,
    NewsletterFactory,
    NewsletterItemFactory,
)
from publications.models import Book, Brief, BriefEntry, Newsletter, NewsletterItem
from publications.validators import isbn_is_valid, normalize_isbn, validate_isbn
from tests.helpers.forms import newsletter_form
from tests.helpers.media import upload

pytestmark = pytest.mark.django_db

LIST_URLS = {
    "newsletter": "/publications/newsletter/",
    "brief": "/publications/pars-brief/",
    "book": "/publications/books/",
}
FACTORIES = {"newsletter": NewsletterFactory, "brief": BriefFactory, "book": BookFactory}


def main_of(response):
    """The page's main column, without the Recent Posts sidebar."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def pdf_bytes(title="Demo issue"):
    return demo_pdf(title).read()


def png_bytes():
    return demo_image(3, size=(60, 40), fmt="PNG").read()


# --- A PDF encrypted with the standard security handler (RC4, revision 2), written by hand --------
PADDING = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key, data):
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


def encrypted_pdf(user_password=b"secret", owner_password=b"owner"):
    file_id = b"nejat-test-id-01"
    permissions = -4
    owner_key = md5((owner_password + PADDING)[:32]).digest()[:5]  # noqa: S324 - PDF's algorithm
    owner_entry = rc4(owner_key, (user_password + PADDING)[:32])
    key = md5(  # noqa: S324 - PDF's algorithm
        (user_password + PADDING)[:32] + owner_entry + struct.pack("<i", permissions) + file_id
    ).digest()[:5]
    user_entry = rc4(key, PADDING)
    stream = rc4(
        md5(key + (4).to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10],  # noqa: S324
        b"BT /F1 24 Tf 72 720 Td (Secret) Tj ET",
    )
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
        owner_entry.hex().encode(),
        user_entry.hex().encode(),
        permissions,
    )
    ids = b" /Encrypt 6 0 R /ID [<%s> <%s>]" % (file_id.hex().encode(), file_id.hex().encode())
    return one_page_pdf(stream, extra_objects=[encrypt], trailer_extra=ids)


# --- Models ---------------------------------------------------------------------------------------
def test_issue_numbers_are_unique():
    NewsletterFactory(number=82)
    duplicate = Newsletter(number=82, title_en="Again")
    with pytest.raises(ValidationError, match="already a newsletter issue with this number"):
        duplicate.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        NewsletterFactory(number=82)
    BriefFactory(number=7)
    with pytest.raises(ValidationError, match="already a Pars Brief with this number"):
        Brief(number=7, title_en="Again").full_clean()


def test_string_names_the_issue_number():
    assert str(NewsletterFactory(number=82, title_en="Autumn")) == "No. 82 – Autumn"


@pytest.mark.parametrize(
    "value",
    ["978-0-306-40615-7", "9780306406157", "0-306-40615-2", "0 00 000006 X", "000000006x",
     "۹۷۸-۰-۳۰۶-۴۰۶۱۵-۷"],
)  # fmt: skip
def test_valid_isbns(value):
    validate_isbn(value)
    assert isbn_is_valid(value)


@pytest.mark.parametrize(
    "value", ["978-0-306-40615-8", "0-306-40615-3", "12345", "977-0-306-40615-7", "abcdefghij"]
)
def test_invalid_isbns_are_refused(value):
    with pytest.raises(ValidationError, match="not a valid ISBN"):
        validate_isbn(value)


def test_a_book_stores_its_isbn_without_hyphens_and_refuses_a_wrong_one():
    book = Book(title_en="Numbered", isbn="978-0-306-40615-7")
    book.full_clean()
    assert book.isbn == "9780306406157"
    assert normalize_isbn(" ۰-۳۰۶-40615-2 ") == "0306406152"
    with pytest.raises(ValidationError) as error:
        Book(title_en="Wrong", isbn="978-0-306-40615-1").full_clean()
    assert "isbn" in error.value.message_dict
    Book(title_en="No ISBN", isbn="").full_clean()  # optional


def test_rows_keep_their_order_and_rows_left_at_zero_go_last():
    issue = NewsletterFactory()
    NewsletterItemFactory(newsletter=issue, position=2, title_en="Second")
    NewsletterItemFactory(newsletter=issue, position=1, title_en="First")
    last = NewsletterItemFactory(newsletter=issue, position=0, title_en="Third")
    assert last.position == 3
    assert [i.title_en for i in issue.items.all()] == ["First", "Second", "Third"]
    other = NewsletterItemFactory(position=0)  # positions count within one issue
    assert other.position == 1


def test_brief_sections_group_entries_under_their_sub_headings():
    brief = BriefFactory(title_fa="خلاصه")
    BriefEntryFactory(brief=brief, text_en="Opening item", text_fa="خبر نخست")
    BriefEntryFactory(brief=brief, kind=BriefEntry.Kind.HEADING, text_fa="In English:")
    BriefEntryFactory(brief=brief, text_en="", text_fa="An English item in the Persian digest")
    BriefEntryFactory(brief=brief, kind=BriefEntry.Kind.HEADING, text_en="Empty here")
    brief = Brief.objects.prefetch_related("entries").get(pk=brief.pk)
    sections = [
        (heading.text_fa if heading else None, [e.text_fa for e in entries])
        for heading, entries in brief.sections()
    ]
    assert sections == [
        (None, ["خبر نخست"]),
        ("In English:", ["An English item in the Persian digest"]),
    ]


# --- Edition visibility ---------------------------------------------------------------------------
@pytest.mark.dates
@pytest.mark.parametrize("kind", ["newsletter", "brief", "book"])
def test_lists_show_the_public_items_of_their_edition_only(client, kind):
    factory = FACTORIES[kind]
    factory(title_en="Live in English")
    factory(title_en="", title_fa="فقط فارسی")
    factory(title_en="Draft piece", status=Status.DRAFT)
    factory(title_en="Scheduled piece", publish_at=timezone.now() + timedelta(days=1))
    english = main_of(client.get(LIST_URLS[kind]))
    assert "Live in English" in english
    assert "فقط فارسی" not in english
    assert "Draft piece" not in english and "Scheduled piece" not in english
    persian = main_of(client.get("/fa" + LIST_URLS[kind]))
    assert "فقط فارسی" in persian and "Live in English" not in persian
    assert "Older Posts" not in english


@pytest.mark.dates
@pytest.mark.parametrize("kind", ["newsletter", "brief", "book"])
def test_detail_pages_follow_the_edition_and_publishing_rules(client, editor, kind):
    editor_client = Client()
    editor_client.force_login(editor)
    factory = FACTORIES[kind]
    item = factory(title_en="Open piece", title_fa="نوشته باز")
    english_only = factory(title_en="Only English")
    draft = factory(title_en="Still a draft", status=Status.DRAFT)
    scheduled = factory(title_en="Coming soon", publish_at=timezone.now() + timedelta(days=2))
    with translation.override("en"):
        short = item.get_short_url()

    assert client.get(item.url_in("en")).status_code == 200
    persian = client.get(item.url_in("fa"))
    assert persian.status_code == 200 and "نوشته باز" in persian.content.decode()
    assert item.url_in("fa").startswith("/fa/publications/")
    # The slug is cosmetic: a wrong or missing one answers 301 to the right address.
    assert client.get(short).headers["Location"] == item.url_in("en")
    assert client.get(short + "wrong-slug/").status_code == 301
    # Not in this edition: a 404 naming the editions it is in.
    missing = client.get(english_only.url_in("en").replace("/publications/", "/fa/publications/"))
    assert missing.status_code == 404
    assert english_only.url_in("en") in missing.content.decode()
    # Drafts and scheduled items: 404 for readers, a preview that is never cached for editors.
    for hidden, banner in ((draft, "this is a draft"), (scheduled, "scheduled for")):
        assert client.get(hidden.url_in("en")).status_code == 404
        preview = editor_client.get(hidden.url_in("en"))
        assert preview.status_code == 200
        assert banner in preview.content.decode()
        assert "no-cache" in preview.headers["Cache-Control"]
    assert "Cache-Control" not in client.get(item.url_in("en")).headers


def test_an_issue_shows_the_items_written_for_its_edition(client):
    issue = NewsletterFactory(title_en="Bilingual issue", title_fa="شماره دو زبانه")
    NewsletterItemFactory(newsletter=issue, title_en="Both editions", title_fa="هر دو")
    NewsletterItemFactory(newsletter=issue, title_en="English only item", title_fa="")
    NewsletterItemFactory(newsletter=issue, title_en="", title_fa="فقط در فارسی")
    english = main_of(client.get(issue.url_in("en")))
    assert "Both editions" in english and "English only item" in english
    assert "فقط در فارسی" not in english
    persian = main_of(client.get(issue.url_in("fa")))
    assert "هر دو" in persian and "فقط در فارسی" in persian and "English only item" not in persian


# --- Lists and pages ------------------------------------------------------------------------------
@pytest.mark.dates
def test_newsletter_list_newest_issue_first_with_covers_and_pages_of_ten(client):
    today = timezone.localdate()
    for n in range(1, 24):
        issue = Newsletter(
            number=n,
            title_en=f"Issue title {n:02d}",
            slug_en=f"issue-{n}",
            issue_date=today - timedelta(days=30 * (24 - n)),
            status=Status.PUBLISHED,
            publish_at=timezone.now() - timedelta(hours=n),  # publish order differs on purpose
        )
        if n >= 20:
            issue.cover = demo_image(n, size=(300, 400))
        issue.save()
    html = main_of(client.get("/publications/newsletter/"))
    assert (
        html.index("Issue title 23") < html.index("Issue title 22") < html.index("Issue title 14")
    )
    assert "Issue title 13" not in html
    assert "Nejat Newsletter No. 23" in html
    assert 'alt="Cover of Nejat Newsletter No. 23"' in html
    assert 'alt="Cover of Nejat Newsletter No. 22"' in html
    first_cover, second_cover = html.split("<img")[1:3]
    assert 'fetchpriority="high"' in first_cover and 'loading="lazy"' in second_cover
    assert 'width="300" height="400"' in first_cover
    assert "Older Posts" in html and "Newer Posts" not in html
    page3 = main_of(client.get("/publications/newsletter/?page=3"))
    assert "Issue title 01" in page3 and "Newer Posts" in page3 and "Older Posts" not in page3
    assert client.get("/publications/newsletter/?page=9").status_code == 404
    assert client.get("/publications/newsletter/?page=abc").status_code == 404


@pytest.mark.dates
def test_newsletter_issue_page(client):
    issue = Newsletter(
        number=82,
        title_en="Autumn issue",
        lead_en="The library grows.",
        issue_date=date(2024, 10, 5),
        status=Status.PUBLISHED,
    )
    issue.pdf = upload(pdf_bytes("Autumn"))
    issue.full_clean()
    issue.save()
    NewsletterItemFactory(newsletter=issue, position=2, title_en="Second item", page=4)
    NewsletterItemFactory(
        newsletter=issue, position=1, title_en="First item", summary_en="What it is about."
    )
    html = main_of(client.get(issue.get_absolute_url()))
    assert "Nejat Newsletter No. 82" in html and "Autumn issue" in html
    assert "The library grows." in html
    assert "October 5, 2024" in html
    assert "Inside This Issue:" in html
    assert html.index("First item") < html.index("What it is about.") < html.index("Second item")
    assert f'href="{issue.pdf.url}" type="application/pdf">Read the whole issue (PDF)</a>' in html
    assert f'<span class="file-size">PDF · <bdi>{issue.pdf_size}\xa0bytes</bdi></span>' in html
    assert f'href="{issue.pdf.url}#page=4"' in html and "Page 4 of the PDF" in html
    assert 'alt="Cover of Nejat Newsletter No. 82"' in html  # made from the PDF
    assert "facebook.com/sharer" in html


@pytest.mark.dates
def test_persian_issue_page_writes_persian_digits_and_solar_dates(client):
    issue = NewsletterFactory(
        number=82, title_en="", title_fa="شماره پاییز", issue_date=date(2024, 10, 5)
    )
    html = main_of(client.get(issue.url_in("fa")))
    assert "۸۲" in html and "۱۴۰۳" in html  # 5 October 2024 is 14 Mehr 1403


@pytest.mark.dates
def test_pars_brief_page_groups_items_under_sub_headings(client):
    brief = BriefFactory(number=141, title_en="The week in short", issue_date=date(2024, 3, 12))
    BriefEntryFactory(brief=brief, text_en="First short item.", link_en="https://example.org/a")
    BriefEntryFactory(brief=brief, kind=BriefEntry.Kind.HEADING, text_en="In English:")
    BriefEntryFactory(brief=brief, text_en="Second short item.")
    html = main_of(client.get(brief.get_absolute_url()))
    assert "Pars Brief No. 141" in html and "March 12, 2024" in html
    assert html.index("First short item.") < html.index("In English:")
    assert html.index("In English:") < html.index("Second short item.")
    assert '<h2 dir="auto">In English:</h2>' in html
    assert 'href="https://example.org/a" rel="nofollow noopener">Read more</a>' in html
    listing = main_of(client.get("/publications/pars-brief/"))
    assert "Pars Brief No. 141" in listing and brief.get_absolute_url() in listing


def test_book_grid_and_book_page(client):
    book = Book(
        title_en="Rooms Full of Books",
        author_en="Demo Writer",
        publisher_en="Demo Press",
        year=2019,
        isbn="978-0-306-40615-7",
        description_en=(
            '<p>An invented account.</p><script>alert(1)</script><a href="javascript:x">x</a>'
        ),
        link="https://example.org/buy",
        link_kind=Book.LinkKind.BUY,
        status=Status.PUBLISHED,
    )
    book.cover = demo_image(5, size=(300, 400))
    book.pdf = upload(pdf_bytes("Rooms"), name="rooms.pdf")
    book.full_clean()
    book.save()
    assert not book.cover_from_pdf  # the editor's own cover stays
    BookFactory(title_en="A book without cover", author_en="Someone")

    grid = main_of(client.get("/publications/books/"))
    assert 'class="pub-grid"' in grid
    assert 'alt="Cover of Rooms Full of Books"' in grid
    assert "Demo Writer" in grid and "2019" in grid
    assert "A book without cover" in grid and "pub-placeholder" in grid

    html = main_of(client.get(book.get_absolute_url()))
    for text in ("Rooms Full of Books", "Demo Writer", "Demo Press", "2019", "9780306406157"):
        assert text in html
    assert ">Author<" in html and ">Publisher<" in html and ">ISBN<" in html
    assert "An invented account." in html and "<script" not in html and "javascript:" not in html
    assert f'href="{book.pdf.url}" type="application/pdf">Read the book (PDF)</a>' in html
    assert 'href="https://example.org/buy" rel="noopener">Buy the book</a>' in html


# --- PDF checks -----------------------------------------------------------------------------------
def test_a_real_pdf_passes():
    validate_pdf(upload(pdf_bytes()))
    validate_pdf(upload(demo.picture_pdf(1, "Picture", "picture.pdf").read()))


def test_a_renamed_png_is_refused():
    with pytest.raises(ValidationError, match=r"This file is not a PDF\."):
        validate_pdf(upload(png_bytes(), name="cover.pdf"))


def test_a_file_that_is_not_named_pdf_is_refused():
    with pytest.raises(ValidationError):
        validate_pdf(upload(pdf_bytes(), name="issue.png"))


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.97])
def test_a_truncated_pdf_is_refused(keep):
    data = pdf_bytes()
    with pytest.raises(ValidationError, match="incomplete"):
        validate_pdf(upload(data[: int(len(data) * keep)]))


def test_a_damaged_pdf_is_refused():
    data = b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
    with pytest.raises(ValidationError, match="damaged"):
        validate_pdf(upload(data))


def test_the_encrypted_test_pdf_is_a_real_encrypted_pdf():
    import pypdfium2

    document = pypdfium2.PdfDocument(encrypted_pdf(), password="secret")
    assert len(document) == 1
    assert "Secret" in document[0].get_textpage().get_text_range()
    document.close()


@pytest.mark.parametrize("user_password", [b"secret", b""])
def test_an_encrypted_pdf_is_refused(user_password):
    data = encrypted_pdf(user_password=user_password)
    with pytest.raises(PdfProblem):
        check_pdf(data)
    with pytest.raises(ValidationError, match="encrypted or protected by a password"):
        validate_pdf(upload(data))


def test_the_size_limit_comes_from_the_settings(settings):
    big = pdf_bytes().replace(b"%PDF-1.4\n", b"%PDF-1.4\n%" + b"x" * 1_100_000 + b"\n", 1)
    settings.MAX_PDF_UPLOAD_MB = 1
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        validate_pdf(upload(big))
    settings.MAX_PDF_UPLOAD_MB = 2
    validate_pdf(upload(big))


def test_a_stored_pdf_is_not_read_again_on_every_save(settings):
    book = BookFactory()
    book.pdf = upload(pdf_bytes())
    book.full_clean()
    book.save()
    book = Book.objects.get(pk=book.pk)
    settings.MAX_PDF_UPLOAD_MB = 0  # would refuse any new upload
    book.full_clean()


# --- Covers made from PDFs ------------------------------------------------------------------------
def test_the_first_page_of_the_pdf_becomes_the_cover():
    issue = NewsletterFactory.build(number=5, title_en="Cover from PDF")
    issue.pdf = upload(demo.picture_pdf(2, "Nejat Newsletter No. 5", "no-5.pdf").read(), "no-5.pdf")
    issue.full_clean()
    issue.save()
    assert issue.cover_from_pdf and issue.cover.name.endswith(".jpg")
    # 800 pixels wide (PDFium rounds up), as tall as the page's proportions ask.
    assert abs(issue.cover_width - 800) <= 1
    assert abs(issue.cover_height - issue.cover_width * 842 / 595) <= 2
    assert issue.pdf_size == issue.pdf.size
    assert issue.cover_renditions["fallback"] and issue.cover_renditions["webp"]
    with issue.cover.open("rb") as handle, Image.open(handle) as cover:
        assert cover.format == "JPEG"
        # The picture fills the page: the cover is not a blank white page.
        assert cover.convert("L").getextrema()[0] < 200


def test_a_new_pdf_replaces_a_generated_cover_but_never_the_editors_own():
    issue = NewsletterFactory.build(number=6)
    issue.pdf = upload(pdf_bytes("First"), "first.pdf")
    issue.save()
    first_cover = issue.cover.name
    issue.pdf = upload(pdf_bytes("Second"), "second.pdf")
    issue.save()
    assert issue.cover.name != first_cover and "second" in issue.cover.name

    issue.cover = upload(demo_image(1, size=(300, 400)).read(), "own.jpg", "image/jpeg")
    issue.save()
    assert not issue.cover_from_pdf
    own = issue.cover.name
    issue.pdf = upload(pdf_bytes("Third"), "third.pdf")
    issue.save()
    assert issue.cover.name == own

    issue.cover = None  # the editor clears the cover: the PDF makes one again
    issue.save()
    assert issue.cover and issue.cover_from_pdf


def test_no_pdf_no_cover_no_size():
    issue = NewsletterFactory()
    assert not issue.cover and issue.pdf_size is None


# --- Admin ----------------------------------------------------------------------------------------
def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_editor_adds_an_issue_with_its_pdf_and_items(editor_client, client):
    response = editor_client.post(
        "/admin/publications/newsletter/add/",
        newsletter_form(
            items=[("From the editors", "A few words."), ("Reading rooms", "New shelves.")],
            title_en="Autumn issue",
            pdf=upload(demo.picture_pdf(4, "No. 82", "no-82.pdf").read(), "no-82.pdf"),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    issue = Newsletter.objects.get()
    assert issue.slug_en == "autumn-issue" and issue.cover_from_pdf
    assert [(i.position, i.title_en) for i in issue.items.all()] == [
        (1, "From the editors"),
        (2, "Reading rooms"),
    ]
    html = client.get(issue.get_absolute_url()).content.decode()
    assert "Reading rooms" in html and "Cover of Nejat Newsletter No. 82" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (png_bytes(), "This file is not a PDF."),
        (pdf_bytes()[:300], "incomplete"),
        (encrypted_pdf(), "encrypted or protected by a password"),
    ],
)
def test_a_bad_pdf_is_refused_and_nothing_is_saved(editor_client, settings, data, message):
    response = editor_client.post(
        "/admin/publications/newsletter/add/",
        newsletter_form(items=[("An item", "Summary")], title_en="Bad", pdf=upload(data)),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Newsletter.objects.exists() and not NewsletterItem.objects.exists()
    assert stored_files(settings) == []


def test_large_uploads_are_read_from_their_temporary_file(editor_client, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload goes to a temporary file
    response = editor_client.post(
        "/admin/publications/newsletter/add/",
        newsletter_form(title_en="Big issue", pdf=upload(pdf_bytes("Big"), "big.pdf")),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Newsletter.objects.get().cover_from_pdf
    response = editor_client.post(
        "/admin/publications/newsletter/add/",
        newsletter_form(number="83", title_en="Bad", pdf=upload(encrypted_pdf(), "bad.pdf")),
    )
    assert "encrypted or protected by a password" in response.content.decode()


def test_the_issue_number_must_be_new_in_the_admin(editor_client):
    NewsletterFactory(number=82)
    response = editor_client.post(
        "/admin/publications/newsletter/add/", newsletter_form(title_en="Duplicate")
    )
    assert response.status_code == 200
    assert "There is already a newsletter issue with this number." in response.content.decode()


def test_editor_adds_a_brief_with_sub_headings(editor_client):
    data = {
        "number": "140",
        "issue_date": "2024-03-12",
        "title_en": "The week in short",
        "status": Status.DRAFT,
        "publish_at_0": "2024-03-12",
        "publish_at_1": "10:00:00",
        "entries-TOTAL_FORMS": "3",
        "entries-INITIAL_FORMS": "0",
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
        "entries-0-kind": "item",
        "entries-0-text_en": "First",
        "entries-0-link_en": "example.org/first",
        "entries-1-kind": "heading",
        "entries-1-text_en": "In English:",
        "entries-2-kind": "item",
        "entries-2-text_en": "Second",
    }
    for n in range(3):
        data[f"entries-{n}-position"] = "0"
    response = editor_client.post("/admin/publications/brief/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    brief = Brief.objects.get()
    assert [(e.kind, e.text_en) for e in brief.entries.all()] == [
        ("item", "First"),
        ("heading", "In English:"),
        ("item", "Second"),
    ]
    assert brief.entries.first().link_en == "https://example.org/first"


def test_editor_adds_a_book_and_a_wrong_isbn_is_refused(editor_client):
    data = {
        "title_en": "A new book",
        "author_en": "Demo Author",
        "year": "2024",
        "isbn": "978-0-306-40615-1",
        "link_kind": "download",
        "status": Status.PUBLISHED,
        "publish_at_0": "2024-03-12",
        "publish_at_1": "10:00:00",
    }
    response = editor_client.post("/admin/publications/book/add/", data)
    assert response.status_code == 200
    assert "This is not a valid ISBN-10 or ISBN-13" in response.content.decode()
    assert not Book.objects.exists()
    data.update(isbn="978-0-306-40615-7", pdf=upload(pdf_bytes("Book")))
    response = editor_client.post("/admin/publications/book/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    book = Book.objects.get()
    assert book.isbn == "9780306406157" and book.cover_from_pdf


@pytest.mark.parametrize("kind", ["newsletter", "brief", "book"])
def test_admin_lists_show_state_editions_and_filters(editor_client, kind):
    factory = FACTORIES[kind]
    factory(title_en="Listed piece", title_fa="قطعه")
    factory(title_en="Drafted", status=Status.DRAFT)
    html = editor_client.get(f"/admin/publications/{kind}/").content.decode()
    assert "Listed piece" in html and "Live" in html and "Draft" in html
    assert "Missing in fa" in html and ">Preview</a>" in html
    missing_fa = editor_client.get(f"/admin/publications/{kind}/?edition=-fa").content.decode()
    assert "Drafted" in missing_fa and "Listed piece" not in missing_fa
    found = editor_client.get(f"/admin/publications/{kind}/?q=Listed").content.decode()
    assert "Listed piece" in found and "Drafted" not in found
    assert editor_client.get(f"/admin/publications/{kind}/add/").status_code == 200


def test_admin_finds_issues_by_number_and_books_by_isbn(editor_client):
    NewsletterFactory(number=82, title_en="Eighty-two")
    NewsletterFactory(number=83, title_en="Eighty-three")
    found = editor_client.get("/admin/publications/newsletter/?q=۸۲").content.decode()
    assert "Eighty-two" in found and "Eighty-three" not in found
    BookFactory(title_en="Numbered book", isbn="9780306406157")
    BookFactory(title_en="Other book")
    found = editor_client.get("/admin/publications/book/?q=978-0-306-40615-7").content.decode()
    assert "Numbered book" in found and "Other book" not in found


def test_admin_list_thumbnails_and_pdf_sizes(editor_client):
    issue = NewsletterFactory.build(number=9, title_en="With PDF")
    issue.pdf = upload(pdf_bytes())
    issue.save()
    html = editor_client.get("/admin/publications/newsletter/").content.decode()
    assert 'width="64" height="40"' in html and "/renditions/" in html
    assert issue.pdf.url in html and "bytes" in html
    change = editor_client.get(f"/admin/publications/newsletter/{issue.pk}/change/")
    assert "made from the PDF" in change.content.decode()


def test_bulk_publish_and_unpublish(editor_client):
    drafts = [BookFactory(status=Status.DRAFT) for _ in range(3)]
    ids = [str(book.pk) for book in drafts]
    editor_client.post("/admin/publications/book/", {"action": "publish", "_selected_action": ids})
    assert Book.objects.filter(status=Status.PUBLISHED).count() == 3
    editor_client.post(
        "/admin/publications/book/", {"action": "unpublish", "_selected_action": ids[:1]}
    )
    assert Book.objects.filter(status=Status.DRAFT).count() == 1


def test_editors_may_do_everything_with_publications_moderators_nothing(client, moderator):
    from django.contrib.auth.models import Group

    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    for model in ("book", "brief", "briefentry", "newsletter", "newsletteritem"):
        for action in ("add", "change", "delete", "view"):
            assert f"{action}_{model}" in editors
    client.force_login(moderator)
    for kind in ("newsletter", "brief", "book"):
        assert client.get(f"/admin/publications/{kind}/").status_code == 403


# --- Home page ------------------------------------------------------------------------------------
@pytest.mark.dates
def test_home_page_shows_the_newest_issue_and_brief_of_the_edition(client, article_factory):
    NewsletterFactory(number=1, title_en="Older issue", issue_date=date(2024, 1, 1))
    NewsletterFactory(number=2, title_en="Newest issue", issue_date=date(2024, 6, 1))
    NewsletterFactory(number=3, title_en="Draft issue", issue_date=date(2024, 9, 1), status="draft")
    NewsletterFactory(number=4, title_en="", title_fa="شماره فارسی", issue_date=date(2024, 9, 2))
    BriefFactory(number=10, title_en="Newest brief", lead_en="In short.")
    for n in range(12):
        article_factory(title_en=f"Story {n}")
    html = main_of(client.get("/"))
    block = html[html.index('class="pub-home"') : html.index("</section>")]
    assert ">Publications<" in block
    assert "Newest issue" in block and "Nejat Newsletter No. 2" in block
    assert "Older issue" not in block and "Draft issue" not in block
    assert "Newest brief" in block and "Pars Brief No. 10" in block
    assert html.index('class="pub-home"') < html.index('class="card"')
    assert "شماره فارسی" in main_of(client.get("/fa/"))
    assert 'class="pub-home"' not in main_of(client.get("/?page=2"))
    assert 'class="pub-home"' not in main_of(client.get("/sq/"))  # nothing in Albanian


# --- Query counts ---------------------------------------------------------------------------------
# the page (one row more than shown, no count); Recent Posts is a shared fragment
LIST_QUERIES = 1
# the item + its rows + approved comments (a book has no rows)
DETAIL_QUERIES = {"newsletter": 3, "brief": 3, "book": 2}


def make_publications(count):
    issues, briefs = [], []
    for n in range(count):
        issue = NewsletterFactory(title_fa=f"شماره {n}", issue_date=date(2020, 1, 1) + timedelta(n))
        issue.cover = demo_image(n % 4, size=(60, 80))
        issue.save()
        issues.append(issue)
        NewsletterItemFactory(newsletter=issues[0], title_fa=f"مطلب {n}")
        briefs.append(BriefFactory(title_fa=f"خلاصه {n}"))
        BriefEntryFactory(brief=briefs[0], text_fa=f"خبر {n}")
        if n % 7 == 0:
            BriefEntryFactory(brief=briefs[0], kind=BriefEntry.Kind.HEADING, text_en="Heading")
        BookFactory(title_fa=f"کتاب {n}")
    return {"newsletter": issues[0], "brief": briefs[0], "book": Book.objects.first()}


@pytest.mark.dates
@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("prefix", ["", "/fa"])
@pytest.mark.parametrize("kind", ["newsletter", "brief", "book"])
def test_list_query_counts(client, django_assert_num_queries, count, prefix, kind):
    make_publications(count)
    url = prefix + LIST_URLS[kind]
    client.get(url)  # the edition's site context is cached by the first request
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(url).status_code == 200


@pytest.mark.dates
@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("code", ["en", "fa"])
@pytest.mark.parametrize("kind", ["newsletter", "brief", "book"])
def test_detail_query_counts(client, django_assert_num_queries, count, code, kind):
    item = make_publications(count)[kind]
    url = item.url_in(code)
    client.get(url)
    with django_assert_num_queries(DETAIL_QUERIES[kind]):
        response = client.get(url)
    assert response.status_code == 200
    if kind == "newsletter" and code == "fa":
        assert response.content.decode().count('<h3 dir="auto">') == count


# --- Demo content ---------------------------------------------------------------------------------
def test_demo_publications_load_once_in_several_editions(client):
    created = demo.load()
    assert created >= 10
    assert demo.load() == 0
    for model in (Newsletter, Brief, Book):
        assert model.objects.public("en").exists()
        assert model.objects.public("fa").exists()
    assert any(len(b.editions()) == 1 for b in Book.objects.all())
    assert Newsletter.objects.filter(cover_from_pdf=True).exists()
    assert Newsletter.objects.filter(cover_from_pdf=False).exclude(cover="").exists()
    assert all(issue.cover and issue.pdf for issue in Newsletter.objects.all())
    assert all(issue.items.exists() for issue in Newsletter.objects.all())
    assert BriefEntry.objects.filter(kind=BriefEntry.Kind.HEADING).exists()
    assert sum(b.is_scheduled for b in Brief.objects.all()) == 1
    for book in Book.objects.exclude(isbn=""):
        assert isbn_is_valid(book.isbn)
    for code in ("en", "ar", "fa", "sq"):
        prefix = "" if code == "en" else f"/{code}"
        for url in LIST_URLS.values():
            assert client.get(prefix + url).status_code == 200
        for model in (Newsletter, Brief, Book):
            for item in model.objects.public(code):
                assert client.get(item.url_in(code)).status_code == 200, item
    persian_brief = Brief.objects.public("fa").filter(entries__text_fa="In English:").first()
    html = client.get(persian_brief.url_in("fa")).content.decode()
    assert "In English:" in html
