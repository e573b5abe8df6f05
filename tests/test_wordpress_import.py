"""Importing a WordPress export (manage.py import_wxr): what becomes what, twice, and old URLs."""

import csv
import io
import os
import re
import signal
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone, translation
from PIL import Image

from articles.models import Article, Category
from nejat.comments.models import Comment
from nejat.ops.demo_files import demo_image, demo_pdf
from nejat.ops.jobs import run_queued_jobs
from nejat.pages.models import Page
from tests.helpers.forms import form_fields
from tests.helpers.jobs import requeue_stalled_now, start_worker, wait_for
from tests.helpers.media import jpeg_with_exif
from tests.helpers.wxr import OldSite, Post, WpComment, export
from wordpress import jobs as wordpress_jobs
from wordpress.content import convert, wpautop
from wordpress.models import ImportedItem, ImportRun, OldAddress
from wordpress.runs import RESUMED

pytestmark = pytest.mark.django_db
SITE = "http://old.example.org"


def run(tmp_path, xml, *args, edition="en"):
    path = tmp_path / "export.xml"
    path.write_text(xml, encoding="utf-8")
    out = io.StringIO()
    report = tmp_path / "report.txt"
    call_command(
        "import_wxr", str(path), "--edition", edition, "--report", str(report), *args, stdout=out
    )
    printed = out.getvalue()
    assert report.read_text(encoding="utf-8").strip() in printed  # the same report, on file
    return printed


def counts(output):
    """The report's table: ``{kind: {"created": n, "updated": n, ...}}``."""
    lines = output.strip().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("kind "))
    columns = lines[header].split()[1:]
    table = {}
    for line in lines[header + 1 :]:
        cells = line.split()
        if len(cells) != len(columns) + 1 or not cells[1].isdigit():
            break
        table[cells[0]] = dict(zip(columns, map(int, cells[1:]), strict=True))
    return table


def future_gmt(days=3):
    return (timezone.now() + timedelta(days=days)).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def newsroom():
    """An invented site: every status, a Persian slug, tags, a category, threaded comments."""
    return [
        Post(
            1,
            "Reading room opens",
            "First paragraph.\nSecond line.\n\nSecond paragraph.",
            excerpt="A <b>short</b> lead.",
            categories=["culture"],
            tags=[("books", "Books"), ("children", "Children")],
            comments=[
                WpComment(11, "Lovely news."),
                WpComment(12, "Thank you!", parent=11),
                WpComment(13, "Waiting for a moderator", approved="0"),
                WpComment(14, "Buy pills", approved="spam"),
                WpComment(15, "Deleted", approved="trash"),
                WpComment(16, "Linked to you", kind="pingback"),
            ],
        ),
        Post(2, "Tomorrow's story", "Not yet.", status="future", date_gmt=future_gmt()),
        Post(3, "A draft", "Unfinished.", status="draft"),
        Post(4, "Waiting for review", "Pending.", status="pending"),
        Post(5, "Private note", "Private.", status="private"),
        Post(6, "Thrown away", "Trash.", status="trash"),
        Post(7, "درباره ما", "<p>متن</p>", slug="درباره-ما", post_type="page"),
    ]


@pytest.mark.dates
def test_posts_pages_and_comments_become_the_sites(tmp_path):
    output = run(tmp_path, export(newsroom(), categories=[("culture", "Culture", "")]))
    article = Article.objects.get(title_en="Reading room opens")
    assert article.slug_en == "reading-room-opens" and article.status == "published"
    assert article.publish_at == datetime(2019, 5, 14, 8, 30, tzinfo=UTC)
    assert article.body_en == "<p>First paragraph.<br>\nSecond line.</p>\n<p>Second paragraph.</p>"
    assert article.lead_en == "A short lead." and article.byline_en == "Sara Karimi"
    assert article.category == Category.objects.get(slug_en="culture")
    assert sorted(t.name for t in article.tags.all()) == ["Books", "Children"]

    scheduled = Article.objects.get(title_en="Tomorrow's story")
    assert scheduled.status == "published" and scheduled.publish_at > timezone.now()
    assert not Article.objects.public("en").filter(pk=scheduled.pk).exists()
    drafts = Article.objects.filter(status="draft").values_list("title_en", flat=True)
    assert sorted(drafts) == ["A draft", "Private note", "Waiting for review"]
    assert not Article.objects.filter(title_en="Thrown away").exists()
    page = Page.objects.get()
    assert page.slug_en == "درباره-ما"  # percent-decoded, kept in Persian

    comments = {c.text: c for c in Comment.objects.all()}
    assert set(comments) == {"Lovely news.", "Thank you!", "Waiting for a moderator", "Buy pills"}
    assert comments["Thank you!"].parent == comments["Lovely news."]
    assert comments["Lovely news."].status == "approved"
    assert comments["Waiting for a moderator"].status == "pending"
    assert comments["Buy pills"].status == "spam"
    assert comments["Lovely news."].created_at == datetime(2019, 5, 15, 10, tzinfo=UTC)
    assert comments["Lovely news."].website == "https://reader.example.org/"
    article.refresh_from_db()
    assert article.comment_count == 2
    assert "private in WordPress: a draft" in output and "pingback" in output


@pytest.mark.dates
def test_a_second_run_changes_nothing_and_a_later_export_updates_what_changed(tmp_path):
    posts = newsroom()
    run(tmp_path, export(posts, categories=[("culture", "Culture", "")]))
    before = (Article.objects.count(), Comment.objects.count(), OldAddress.objects.count())
    stamps = list(Article.objects.order_by("pk").values_list("updated_at", flat=True))
    again = run(tmp_path, export(posts, categories=[("culture", "Culture", "")]))
    assert (Article.objects.count(), Comment.objects.count(), OldAddress.objects.count()) == before
    assert list(Article.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
    assert all(row["created"] == row["updated"] == 0 for row in counts(again).values())
    assert counts(again)["post"]["unchanged"] == 5 and "comment" not in counts(again)  # with it

    posts[0].title = "Reading room opens, corrected"
    posts[0].comments.append(WpComment(17, "A new comment"))
    later = run(tmp_path, export(posts, categories=[("culture", "Culture", "")]))
    assert Article.objects.count() == before[0]
    assert Article.objects.get(pk=Article.objects.get(title_en__endswith="corrected").pk)
    assert Comment.objects.filter(text="A new comment").exists()
    assert counts(later)["post"]["updated"] == 1 and counts(later)["comment"]["created"] == 1


@pytest.mark.dates
def test_a_dry_run_reports_and_writes_nothing(tmp_path, settings):
    posts = [*newsroom(), Post(9, "With a picture", "x", meta={"_thumbnail_id": "40"})]
    posts.append(Post(40, "kids", post_type="attachment", status="inherit",
                      attachment_url=f"{SITE}/wp-content/uploads/2019/05/kids.jpg"))  # fmt: skip
    uploads = str(uploads_folder(tmp_path))
    output = run(tmp_path, export(posts), "--dry-run", "--uploads", uploads)
    media = settings.MEDIA_ROOT
    assert (list(media.rglob("*.*")) if media.exists() else []) == []  # no upload copied
    assert "DRY RUN" in output
    assert counts(output)["post"] == {
        "created": 6, "updated": 0, "unchanged": 0, "skipped": 1, "failed": 0
    }  # fmt: skip
    assert not Article.objects.exists() and not Comment.objects.exists()
    assert not ImportedItem.objects.exists() and not OldAddress.objects.exists()


@pytest.mark.parametrize(
    ("version", "scheme"), [("1.0", "http"), ("1.1", "http"), ("1.2", "https")]
)
def test_every_wxr_version_and_namespace_spelling_is_read(tmp_path, version, scheme):
    run(tmp_path, export([Post(1, "Old format")], version=version, scheme=scheme))
    assert Article.objects.get().title_en == "Old format"


@pytest.mark.parametrize(
    ("xml", "says"),
    [
        (export([Post(1, "Fine")]).replace("</item>", "</itme>", 1), "not well-formed XML at line"),
        (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
            '"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><rss><channel><title>&lol2;</title>'
            "</channel></rss>",
            "refused",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            "<rss><channel><title>&xxe;</title></channel></rss>",
            "refused",
        ),
        ("<html><body>not an export</body></html>", "not a WordPress export"),
    ],
    ids=["malformed", "billion-laughs", "external-entity", "not-wxr"],
)
def test_a_bad_file_stops_with_one_line_and_writes_nothing(tmp_path, xml, says):
    two_good_then_bad = (
        xml.replace(
            "<item>",
            export([Post(8, "Before the error")]).split("<channel>")[1].split("</channel>")[0]
            + "<item>",
            1,
        )
        if "<item>" in xml
        else xml
    )
    with pytest.raises(CommandError) as error:
        run(tmp_path, two_good_then_bad)
    assert says in str(error.value) and "\n" not in str(error.value)
    assert not Article.objects.exists() and not ImportedItem.objects.exists()


def test_classic_block_and_shortcode_content():
    assert wpautop("One\ntwo\n\nThree") == "<p>One<br />\ntwo</p>\n<p>Three</p>\n"
    block = convert(
        "<!-- wp:paragraph -->\n<p>Block text</p>\n<!-- /wp:paragraph -->\n"
        '<!-- wp:heading {"level":3} -->\n<h3>Heading</h3>\n<!-- /wp:heading -->'
    )
    assert block.html == "<p>Block text</p>\n<h3>Heading</h3>"
    caption = convert(
        '[caption id="attachment_9" align="alignnone" width="300"]'
        '<img src="http://old.example.org/wp-content/uploads/2019/05/a.jpg" alt="A" /> '
        "Children reading[/caption]"
    )
    assert (
        "<figure><img" in caption.html
        and "<figcaption>Children reading</figcaption>" in caption.html
    )
    video = convert("Watch:\n\nhttps://www.youtube.com/watch?v=abcdefghijk\n\nEnd.")
    assert '<a href="https://www.youtube.com/watch?v=abcdefghijk"' in video.html
    unknown = convert("Before [contact-form-7 id=3] after")
    assert (
        unknown.unknown_shortcodes == {"contact-form-7"} and "[contact-form-7 id=3]" in unknown.html
    )
    dangerous = convert('<p onclick="x()">Hi<script>alert(1)</script></p>')
    assert dangerous.html == "<p>Hi</p>"


def uploads_folder(tmp_path):
    uploads = tmp_path / "uploads" / "2019" / "05"
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / "kids.jpg").write_bytes(jpeg_with_exif(size=(1200, 800)))  # GPS and camera
    (uploads / "report.pdf").write_bytes(demo_pdf().read())
    return tmp_path / "uploads"


def test_uploads_become_the_featured_image_and_the_bodys_pictures(tmp_path, client):
    old = f"{SITE}/wp-content/uploads/2019/05"
    posts = [
        Post(
            40, "kids", post_type="attachment", status="inherit", attachment_url=f"{old}/kids.jpg"
        ),
        Post(
            41,
            "With a picture",
            f'<img src="{old}/kids-300x200.jpg" alt="Kids"> and '
            f'<a href="{old}/report.pdf">the report</a>\n\n<img src="{old}/lost.jpg" alt="Lost">',
            meta={"_thumbnail_id": "40"},
        ),
    ]
    output = run(tmp_path, export(posts), "--uploads", str(uploads_folder(tmp_path)))
    article = Article.objects.get()
    assert article.featured_image and article.featured_image_picture.has_renditions
    assert (
        f"{old}/report.pdf" not in article.body_en
        and "/media-files/wordpress/en/2019/05/report" in article.body_en
    )
    assert "missing upload: 2019/05/lost.jpg" in output
    assert "kids-300x200" not in article.body_en  # WordPress's sized copy: the original instead
    assert 'src="/media-files/wordpress/en/2019/05/kids' in article.body_en
    body_image = re.search(r'src="/media-files/(wordpress/en/2019/05/kids[^"]*)"', article.body_en)[
        1
    ]
    with default_storage.open(body_image) as stored, Image.open(stored) as image:
        assert not image.getexif()  # the body's picture lost its EXIF like every upload
    assert article.pdf.name.endswith(".pdf")  # the PDF it links to is its attachment
    again = run(tmp_path, export(posts), "--uploads", str(uploads_folder(tmp_path)))
    assert Article.objects.get().featured_image.name == article.featured_image.name
    assert "unchanged" in again
    sized = client.get("/wp-content/uploads/2019/05/kids-300x200.jpg")
    assert (
        sized.status_code == 301 and "/media-files/wordpress/en/2019/05/kids" in sized["Location"]
    )


@pytest.mark.dates
def test_old_addresses_answer_301_in_the_right_edition(tmp_path, client):
    run(tmp_path, export(newsroom(), categories=[("culture", "Culture", "")]))
    run(
        tmp_path,
        export([Post(101, "خبر تازه", "متن", slug="خبر-تازه")], site="http://fa.old.example.org"),
        "--old-prefix", "/fa-old",
        edition="fa",
    )  # fmt: skip
    article = Article.objects.get(title_en="Reading room opens")
    for old in ("/2019/05/reading-room-opens/", "/2019/05/reading-room-opens", "/?p=1"):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == article.get_absolute_url(), (
            old
        )
    category = client.get("/category/culture/")
    assert category.status_code == 301
    assert category["Location"] == Category.objects.get().get_absolute_url()
    persian = Article.objects.get(title_fa="خبر تازه")
    with translation.override("fa"):
        expected = persian.get_absolute_url()
    response = client.get("/fa-old/2019/05/خبر-تازه/")
    assert response.status_code == 301 and response["Location"] == expected
    assert expected.startswith("/fa/")
    feed = client.get("/category/culture/feed/")
    assert feed.status_code == 301 and feed["Location"] == "/articles/category/culture/feed/"
    tag = client.get("/tag/books/")
    assert tag.status_code == 301 and tag["Location"] == "/tags/books/"
    assert client.get("/feed/").status_code == 200  # the same address here: not redirected
    assert client.get("/feed/rss2/")["Location"] == "/feed/"
    assert client.get("/2019/05/never-existed/").status_code == 404
    assert client.get("/").status_code == 200  # the home page itself is untouched


@pytest.mark.dates
def test_old_addresses_are_listed_and_corrected_in_the_admin(tmp_path, superuser_client, client):
    run(tmp_path, export(newsroom(), categories=[("culture", "Culture", "")]))
    article = Article.objects.get(title_en="Reading room opens")
    listing = superuser_client.get("/admin/wordpress/oldaddress/?q=reading-room")
    assert listing.status_code == 200 and article.get_absolute_url() in listing.content.decode()
    old = OldAddress.objects.get(path="/2019/05/reading-room-opens/")
    page = superuser_client.get(f"/admin/wordpress/oldaddress/{old.pk}/change/")
    data = form_fields(page.content.decode(), "oldaddress_form")
    data.update(target="/articles/", _save="Save")
    saved = superuser_client.post(f"/admin/wordpress/oldaddress/{old.pk}/change/", data)
    assert saved.status_code == 302
    assert client.get("/2019/05/reading-room-opens/")["Location"] == "/articles/"


@pytest.mark.parametrize("kind", ["csv", "toml"])
def test_four_sites_become_one_with_a_translations_file(tmp_path, client, kind):
    """The English and the Persian site each had the story; linked, they are one article."""
    links = tmp_path / f"links.{kind}"
    if kind == "csv":
        links.write_text("en,fa,ar,sq\n1,501,,\n", encoding="utf-8")
    else:
        links.write_text("[[item]]\nen = 1\nfa = 501\n", encoding="utf-8")
    english = export([Post(1, "Reading room opens", "In English.", categories=["culture"])])
    persian = export(
        [Post(501, "قرائت‌خانه باز شد", "به فارسی.", slug="قرائت-خانه", status="draft")]
    )
    run(tmp_path, english, "--translations", str(links))
    run(tmp_path, persian, "--translations", str(links), edition="fa")
    article = Article.objects.get()
    assert (article.title_en, article.title_fa) == ("Reading room opens", "قرائت‌خانه باز شد")
    assert article.status == "published"  # the edition that brought it in first decides
    page = client.get(article.get_absolute_url()).content.decode()
    with translation.override("fa"):
        persian_url = article.get_absolute_url()
    assert f'hreflang="fa" href="http://testserver{persian_url}"' in page
    again = run(tmp_path, persian, "--translations", str(links), edition="fa")
    assert Article.objects.count() == 1 and counts(again)["post"]["unchanged"] == 1


def test_a_broken_translations_file_is_named(tmp_path):
    links = tmp_path / "links.csv"
    links.write_text("en,fa\n1,not-a-number\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"links\.csv"):
        run(tmp_path, export([Post(1, "x")]), "--translations", str(links))


@pytest.mark.dates
@pytest.mark.django_db(transaction=True)  # the import is run by a worker's connection
def test_a_superuser_imports_an_export_from_the_admin(superuser_client, editor, queued):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wordpress.models import ImportRun

    xml = export(newsroom(), categories=[("culture", "Culture", "")]).encode()
    page = superuser_client.get("/admin/wordpress/importrun/add/")
    assert page.status_code == 200
    data = form_fields(page.content.decode(), "importrun_form")
    data.update(edition="en", export=SimpleUploadedFile("site.xml", xml), _save="Save")
    saved = superuser_client.post("/admin/wordpress/importrun/add/", data)
    run_queued_jobs(["imports"])
    assert saved.status_code == 302, saved.content.decode()[:2000]
    run_ = ImportRun.objects.get()
    assert run_.state == "done" and (run_.done, run_.total) == (7, 7)
    assert "post                  5" in run_.report and Article.objects.count() == 5
    shown = superuser_client.get(f"/admin/wordpress/importrun/{run_.pk}/change/").content.decode()
    assert "7 / 7" in shown and "private in WordPress" in shown

    refused = superuser_client.post(
        "/admin/wordpress/importrun/add/",
        {**data, "export": SimpleUploadedFile("notes.xml", b"just some text")},
    )
    assert "This is not a WordPress export" in refused.content.decode()
    assert ImportRun.objects.count() == 1
    editor_client = Client()
    editor_client.force_login(editor)
    assert editor_client.get("/admin/wordpress/importrun/add/").status_code == 403


def test_categories_send_posts_to_the_media_types(tmp_path, client):
    """The old site's "Cartoons", "Videos", "Photo Gallery" and "Nejat NewsLetter" posts become
    those types without a mapping; a post missing what its type shows stays an article."""
    from media_gallery.models import Cartoon, Gallery, Video
    from publications.models import Brief, Newsletter

    old = f"{SITE}/wp-content/uploads/2019/05"
    uploads = uploads_folder(tmp_path)
    (uploads / "2019" / "05" / "more.png").write_bytes(
        demo_image(4, size=(800, 600), fmt="PNG").read()
    )
    posts = [
        Post(
            40, "kids", post_type="attachment", status="inherit", attachment_url=f"{old}/kids.jpg"
        ),
        Post(
            42, "more", post_type="attachment", status="inherit", attachment_url=f"{old}/more.png"
        ),
        Post(50, "A drawing", "Caption.", categories=["cartoons"], meta={"_thumbnail_id": "40"}),
        Post(51, "A talk", "Watch:\n\nhttps://youtu.be/abcdefghijk\n", categories=["videos"]),
        Post(52, "An album", '[gallery ids="40,42"]', categories=["photo-gallery"]),
        Post(53, "No picture", "Only words.", categories=["cartoons"]),
        Post(
            54,
            "Nejat NewsLetter No. 82",
            f'The autumn issue. <a href="{old}/report.pdf">Read it</a>',
            categories=["nejat-newsletter"],
        ),
        Post(
            55,
            "Pars Brief No. 7",
            "<h3>In English:</h3>\n<ul><li>A report on schools "
            '<a href="https://news.example.org/schools">read it</a></li><li>Water prices</li></ul>',
            categories=["pars-brief"],
        ),
    ]
    categories = [
        ("cartoons", "Cartoons", ""),
        ("videos", "Videos", ""),
        ("photo-gallery", "Photo Gallery", ""),
        ("nejat-newsletter", "Nejat NewsLetter", ""),
        ("pars-brief", "Pars Brief", ""),
    ]
    output = run(tmp_path, export(posts, categories=categories), "--uploads", str(uploads))
    cartoon = Cartoon.objects.get()
    assert cartoon.title_en == "A drawing" and cartoon.image_picture.has_renditions
    video = Video.objects.get()
    assert video.embed_url == "https://youtu.be/abcdefghijk"
    gallery = Gallery.objects.get()
    assert gallery.photos.count() == 2 and gallery.cover
    issue = Newsletter.objects.get()
    assert issue.number == 82 and issue.pdf and issue.cover_from_pdf
    assert issue.lead_en.startswith("The autumn issue.")
    assert list(Article.objects.values_list("title_en", flat=True)) == ["No picture"]
    assert "a cartoon with nothing to show: an article" in output
    brief = Brief.objects.get()
    entries = [(e.kind, e.text_en, e.link_en) for e in brief.entries.all()]
    assert brief.number == 7 and entries == [
        ("heading", "In English:", ""),
        ("item", "A report on schools read it", "https://news.example.org/schools"),
        ("item", "Water prices", ""),
    ]
    assert client.get("/2019/05/a-drawing/")["Location"] == cartoon.get_absolute_url()

    again = run(tmp_path, export(posts, categories=categories), "--uploads", str(uploads))
    assert Gallery.objects.get().photos.count() == 2 and Cartoon.objects.count() == 1
    assert counts(again)["post"]["unchanged"] == 6


def test_a_mapping_file_names_any_edition_s_categories(tmp_path):
    from media_gallery.models import NewsPic

    mapping = tmp_path / "map.toml"
    mapping.write_text('[categories]\n"عکس-خبری" = "newspic"\n', encoding="utf-8")
    old = f"{SITE}/wp-content/uploads/2019/05"
    posts = [
        Post(
            40, "kids", post_type="attachment", status="inherit", attachment_url=f"{old}/kids.jpg"
        ),
        Post(
            60,
            "عکس روز",
            "شرح",
            slug="عکس-روز",
            categories=["عکس-خبری"],
            meta={"_thumbnail_id": "40"},
        ),
    ]
    uploads = str(uploads_folder(tmp_path))
    run(tmp_path, export(posts), "--uploads", uploads, "--map", str(mapping), edition="fa")
    assert NewsPic.objects.get().title_fa == "عکس روز"
    mapping.write_text('[categories]\nphotos = "poster"\n', encoding="utf-8")
    with pytest.raises(CommandError, match="unknown type 'poster'"):
        run(tmp_path, export(posts), "--map", str(mapping), edition="fa")


def test_links_between_posts_point_to_the_new_addresses(tmp_path):
    posts = [
        Post(70, "Earlier story", "The first."),
        Post(
            71,
            "Later story",
            f'See <a href="{SITE}/2019/05/earlier-story/">the earlier story</a>, '
            f'<a href="{SITE}/?p=72">the next one</a> and <a href="{SITE}/gone/">a lost page</a>.',
        ),
        Post(72, "Next story", "Linked before it was imported."),
    ]
    run(tmp_path, export(posts))
    earlier, later, following = (Article.objects.get(title_en=t) for t in (
        "Earlier story", "Later story", "Next story"
    ))  # fmt: skip
    assert f'href="{earlier.get_absolute_url()}"' in later.body_en
    assert f'href="{following.get_absolute_url()}"' in later.body_en
    assert f'href="{SITE}/gone/"' in later.body_en  # unknown: left as it was


def test_category_hierarchy_is_kept(tmp_path, client):
    categories = [("news", "News", ""), ("local-news", "Local news", "news")]
    run(
        tmp_path,
        export([Post(80, "Street fair", "x", categories=["local-news"])], categories=categories),
    )
    local = Category.objects.get(slug_en="local-news")
    assert local.parent == Category.objects.get(slug_en="news")
    wider = client.get(local.parent.get_absolute_url()).content.decode()
    assert "Street fair" in wider  # a category's page lists its subcategories' articles too


@pytest.mark.django_db(transaction=True)  # the import is run by a worker's connection
def test_the_admins_import_takes_a_mapping_and_refuses_a_broken_one(superuser_client, queued):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from media_gallery.models import Video

    xml = export([Post(90, "A talk", "https://youtu.be/abcdefghijk\n", categories=["talks"])])
    page = superuser_client.get("/admin/wordpress/importrun/add/")
    data = form_fields(page.content.decode(), "importrun_form")
    data.update(edition="en", export=SimpleUploadedFile("site.xml", xml.encode()), _save="Save")
    broken = superuser_client.post(
        "/admin/wordpress/importrun/add/",
        {**data, "mapping": SimpleUploadedFile("map.toml", b"[categories\ntalks = ")},
    )
    assert "This file cannot be read" in broken.content.decode()
    data["export"] = SimpleUploadedFile("site.xml", xml.encode())
    data["mapping"] = SimpleUploadedFile("map.toml", b'[categories]\ntalks = "video"\n')
    saved = superuser_client.post("/admin/wordpress/importrun/add/", data)
    run_queued_jobs(["imports"])
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert Video.objects.get().embed_url == "https://youtu.be/abcdefghijk"


def test_sticky_posts_are_pinned_to_the_home_page(tmp_path, client):
    posts = [Post(n, f"Story {n}", "x", date_gmt=f"2019-05-{n:02d} 08:00:00") for n in range(1, 13)]
    posts[0].sticky = True  # the oldest, on page 2 by date
    run(tmp_path, export(posts))
    assert Article.objects.get(title_en="Story 1").pinned
    home = client.get("/").content.decode()
    assert home.index("Story 1") < home.index("Story 12")  # first, above the newest
    assert home.count(">Story 1<") <= 1


def test_a_linked_video_or_sound_shows_a_player_and_the_body_keeps_the_link(
    article_factory, client
):
    article = article_factory(
        body_en='<p><a href="https://youtu.be/abcdefghijk">Our talk</a></p>'
        '<p><a href="/media-files/wordpress/en/2019/05/clip.mp4">The clip</a></p>'
        '<p><a href="/media-files/wordpress/en/2019/05/song.mp3">The song</a></p>'
        '<p>Text with <a href="https://youtu.be/abcdefghijk">a link</a> inside.</p>'
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'data-embed="https://www.youtube-nocookie.com/embed/abcdefghijk' in page
    assert "js/media.js" in page and "<iframe" not in page  # nothing loaded before play
    assert (
        '<video controls preload="none" src="/media-files/wordpress/en/2019/05/clip.mp4">' in page
    )
    assert (
        '<audio controls preload="none" src="/media-files/wordpress/en/2019/05/song.mp3">' in page
    )
    assert "inside.</p>" in page and page.count("data-embed=") == 1  # a link in a sentence stays
    article.refresh_from_db()
    assert "<video" not in article.body_en  # stored as the editor holds it
    plain = article_factory(body_en="<p>No video.</p>")
    assert "js/media.js" not in client.get(plain.get_absolute_url()).content.decode()


def test_arabic_slugs_and_the_player_shortcodes(tmp_path):
    posts = [
        Post(
            95,
            "خبر عربي",
            "[embed]https://vimeo.com/123456789[/embed]\n\n"
            '[video mp4="http://old.example.org/wp-content/uploads/2019/05/clip.mp4"][/video]\n\n'
            '[audio src="http://old.example.org/wp-content/uploads/2019/05/song.mp3"]',
            slug="خبر-عربي",
        )
    ]
    run(tmp_path, export(posts), edition="ar")
    article = Article.objects.get()
    assert article.slug_ar == "خبر-عربي"  # percent-decoded, kept in Arabic
    for address in (
        "https://vimeo.com/123456789",
        "http://old.example.org/wp-content/uploads/2019/05/clip.mp4",
        "http://old.example.org/wp-content/uploads/2019/05/song.mp3",
    ):
        assert f'<p><a href="{address}"' in article.body_ar, address  # a paragraph of its own


@pytest.mark.dates
def test_progress_reports_items_done_of_total(tmp_path):
    from wordpress.importer import Importer

    path = tmp_path / "export.xml"
    path.write_text(export(newsroom()), encoding="utf-8")
    seen = []
    Importer("en", progress=lambda report, rate: seen.append((report.done, report.total))).run(path)
    assert seen[0] == (1, 7) and seen[-1] == (7, 7)


# --- Nothing left out in silence: the item report (issue 31) --------------------------------


def item_rows(tmp_path, name="report.csv"):
    """The item report ``run()`` wrote beside the text report: a list of dicts."""
    with (tmp_path / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def rows_of(rows, problem):
    return [row for row in rows if row["problem"] == problem]


@pytest.mark.dates
def test_comments_on_pages_are_reported_one_row_each_with_their_text(tmp_path):
    """A page takes no comments here: each of its comments is a row (who, when, the text),
    as are the pingbacks and trashed comments of posts; nothing vanishes without a line."""
    page_comments = [WpComment(70 + n, f"Comment {n} on the page") for n in range(5)]
    posts = [
        *newsroom(),
        Post(8, "About us", "<p>Who we are</p>", post_type="page", comments=page_comments),
    ]
    output = run(tmp_path, export(posts, categories=[("culture", "Culture", "")]))
    left_out = rows_of(item_rows(tmp_path), "comment left out")
    on_the_page = [row for row in left_out if "on page 8: About us" in row["title"]]
    assert sorted(row["wordpress_id"] for row in on_the_page) == [str(70 + n) for n in range(5)]
    assert all(row["kind"] == "comment" for row in on_the_page)
    assert "Comment 3 on the page" in on_the_page[3]["detail"]
    assert "A reader, 2019-05-15 10:00" in on_the_page[0]["title"]
    assert {row["wordpress_id"] for row in left_out} - {r["wordpress_id"] for r in on_the_page} == {
        "15",  # in WordPress's trash
        "16",  # a pingback
    }
    assert "comment left out: 7 row(s) in the item report" in output
    assert Comment.objects.count() == 4  # the post's four, as before


def test_the_item_report_lists_every_item_and_problem_as_csv(tmp_path, monkeypatch):
    from wordpress.importer import Importer

    old = f"{SITE}/wp-content/uploads/2019/05"
    posts = [
        Post(1, "Fine", f'<img src="{old}/kids.jpg" alt="Kids"> [contact-form-7 id=3]'),
        Post(2, "Breaks", "Text"),
        Post(3, '=HYPERLINK("http://x")', "A title like a formula [poll id=1]"),
        Post(6, "Thrown away", "Trash.", status="trash", comments=[WpComment(60, "Gone too")]),
        Post(40, "kids", post_type="attachment", status="inherit", attachment_url=f"{old}/k.jpg"),
        Post(50, "Home", post_type="nav_menu_item"),
        Post(9, "With a lost picture", f'<img src="{old}/lost.jpg">', meta={"_thumbnail_id": "40"}),
    ]
    fill = Importer.fill

    def failing_fill(self, obj, item, owner=True):
        if item.wp_id == 2:
            raise ValueError("the database said no")
        return fill(self, obj, item, owner=owner)

    monkeypatch.setattr(Importer, "fill", failing_fill)
    path = tmp_path / "export.xml"
    path.write_text(export(posts), encoding="utf-8")
    call_command("import_wxr", str(path), "--edition", "en", "--report", str(tmp_path / "r.csv"),
                 "--uploads", str(uploads_folder(tmp_path)), stdout=io.StringIO())  # fmt: skip
    assert (tmp_path / "r.txt").exists()  # the counts, beside the rows
    rows = item_rows(tmp_path, "r.csv")
    by = {(row["problem"], row["wordpress_id"]): row for row in rows}
    assert by[("failed", "2")]["title"] == "Breaks"
    assert by[("failed", "2")]["detail"] == "the database said no"
    assert by[("skipped", "6")]["detail"] == '"trash" in WordPress'
    assert (
        by[("skipped", "40")]["kind"] == "attachment" and by[("skipped", "50")]["title"] == "Home"
    )
    assert "Gone too" in by[("comment left out", "60")]["detail"]
    assert by[("unknown shortcode", "1")]["detail"] == "[contact-form-7] kept as text"
    assert by[("upload not found", "9")]["detail"].startswith("2019/05/lost.jpg")
    assert by[("picture on the old host", "9")]["detail"] == f"{old}/lost.jpg"
    assert "featured image" in by[("picture left out", "9")]["detail"]
    assert ("picture on the old host", "1") not in by  # kids.jpg came from --uploads
    assert "'=HYPERLINK" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")  # not a formula


def test_without_uploads_each_picture_left_on_the_old_host_is_a_row(tmp_path):
    """Block-editor galleries and [gallery] shortcodes without --uploads: the pictures stay
    on the old site (not dropped), and each is a row of the report."""
    old = f"{SITE}/wp-content/uploads/2019/05"
    gallery = (
        '<!-- wp:gallery --><figure class="wp-block-gallery">'
        f'<figure class="wp-block-image"><img src="{old}/a-1024x768.jpg" alt=""></figure>'
        f'<figure class="wp-block-image"><img src="{old}/b.jpg" alt=""></figure>'
        "</figure><!-- /wp:gallery -->"
    )
    posts = [
        Post(40, "c", post_type="attachment", status="inherit", attachment_url=f"{old}/c.jpg"),
        Post(1, "Block gallery", gallery),
        Post(2, "Shortcode gallery", '[gallery ids="40"]'),
    ]
    run(tmp_path, export(posts))
    pictures = rows_of(item_rows(tmp_path), "picture on the old host")
    assert [(row["wordpress_id"], row["detail"]) for row in pictures] == [
        ("1", f"{old}/a-1024x768.jpg"),
        ("1", f"{old}/b.jpg"),
        ("2", f"{old}/c.jpg"),
    ]
    assert f"{old}/c.jpg" in Article.objects.get(title_en="Shortcode gallery").body_en


@pytest.mark.dates
@pytest.mark.django_db(transaction=True)  # the import is run by a worker's connection
def test_the_admin_shows_the_item_report_and_offers_it_as_csv(superuser_client, editor, queued):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wordpress.models import ImportRun

    posts = [*newsroom(), Post(8, "About", "x", post_type="page", comments=[WpComment(80, "Hi")])]
    page = superuser_client.get("/admin/wordpress/importrun/add/")
    data = form_fields(page.content.decode(), "importrun_form")
    xml = export(posts, categories=[("culture", "Culture", "")]).encode()
    data.update(edition="en", export=SimpleUploadedFile("site.xml", xml), _save="Save")
    superuser_client.post("/admin/wordpress/importrun/add/", data)
    run_queued_jobs(["imports"])
    run_ = ImportRun.objects.get()
    shown = superuser_client.get(f"/admin/wordpress/importrun/{run_.pk}/change/").content.decode()
    assert "<td>comment left out</td>" in shown and "Hi" in shown
    assert f"/admin/wordpress/importrun/{run_.pk}/items.csv" in shown
    download = superuser_client.get(f"/admin/wordpress/importrun/{run_.pk}/items.csv")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert {"80", "15", "16"} <= {row["wordpress_id"] for row in rows}
    editor_client = Client()
    editor_client.force_login(editor)
    assert editor_client.get(f"/admin/wordpress/importrun/{run_.pk}/items.csv").status_code != 200


# --- --fetch-attachments: the old site's uploads over the network (issue 31) ----------------


@pytest.fixture
def old_site(settings):
    settings.WXR_FETCH_FROM_LOOPBACK = True  # it answers plain http on 127.0.0.1
    site = OldSite()
    yield site
    site.close()


def test_fetch_attachments_downloads_checks_and_relinks(tmp_path, old_site, settings):
    settings.MAX_IMAGE_UPLOAD_MB = 1
    folder = "/wp-content/uploads/2019/05"
    old = old_site.url + folder
    old_site.serve(f"{folder}/kids.jpg", jpeg_with_exif(size=(1200, 800)))
    old_site.serve(f"{folder}/report.pdf", demo_pdf().read())
    old_site.serve(f"{folder}/big.jpg", b"\xff\xd8" + b"0" * (1536 * 1024))
    old_site.serve(f"{folder}/huge.png", b"0" * (1536 * 1024), with_length=False)
    old_site.serve(f"{folder}/fake.jpg", b"<html><script>alert(1)</script></html>")
    posts = [
        Post(
            40, "kids", post_type="attachment", status="inherit", attachment_url=f"{old}/kids.jpg"
        ),
        Post(
            41,
            "Pictures from the old site",
            f'<img src="{old}/kids-300x200.jpg" alt="Kids"> <a href="{old}/report.pdf">PDF</a>\n\n'
            f'<img src="{old}/missing.jpg"> <img src="{old}/big.jpg"> <img src="{old}/huge.png">'
            f' <img src="{old}/fake.jpg">',
            meta={"_thumbnail_id": "40"},
        ),
    ]
    xml = export(posts, site=old_site.url)
    run(tmp_path, xml, "--fetch-attachments", "--fetch-delay", "0")
    article = Article.objects.get()
    assert article.featured_image and article.pdf.name.endswith(".pdf")
    assert 'src="/media-files/wordpress/en/2019/05/kids' in article.body_en
    assert "/media-files/wordpress/en/2019/05/report" in article.body_en
    with article.featured_image.open() as stored, Image.open(stored) as image:
        assert not image.getexif()  # cleaned like every upload
    rows = {row["detail"].split(":")[0]: row for row in item_rows(tmp_path)}
    assert rows["2019/05/missing.jpg"]["problem"] == "upload not found"
    assert "404" in rows["2019/05/missing.jpg"]["detail"]
    assert rows["2019/05/big.jpg"]["problem"] == "upload refused"
    assert "larger than 1 MB" in rows["2019/05/big.jpg"]["detail"]
    assert "larger than 1 MB" in rows["2019/05/huge.png"]["detail"]  # no length said: cut off
    assert "not a valid image" in rows["2019/05/fake.jpg"]["detail"]
    left = {row["detail"] for row in item_rows(tmp_path) if row["problem"].startswith("picture")}
    assert left == {f"{old}/{name}" for name in ("missing.jpg", "big.jpg", "huge.png", "fake.jpg")}
    assert not ImportedItem.objects.filter(kind="upload", wp_id="2019/05/fake.jpg").exists()

    fetched = [path for path in old_site.asked if "kids" in path or "report" in path]
    old_site.asked.clear()
    (posts[1].content) += " "  # a changed post: imported again, its pictures looked for again
    run(tmp_path, export(posts, site=old_site.url), "--fetch-attachments", "--fetch-delay", "0")
    assert fetched == [f"{folder}/kids.jpg", f"{folder}/report.pdf"]
    assert not [path for path in old_site.asked if "kids" in path or "report" in path]  # resumed
    assert Article.objects.get().featured_image.name == article.featured_image.name


def test_fetching_keeps_a_polite_pace_and_asks_only_over_https(old_site):
    import time

    from wordpress.attachments import Fetcher, UploadMissing, UploadRefused, fetchable

    old_site.serve("/a.jpg", b"a")
    fetcher = Fetcher(delay=0.3, timeout=5)
    started = time.monotonic()
    for _ in range(3):
        with fetcher.fetch(f"{old_site.url}/a.jpg", limit=10) as body:
            assert body.read() == b"a"
    assert time.monotonic() - started >= 0.6  # two pauses between three requests
    with pytest.raises(UploadMissing):
        fetcher.fetch(f"{old_site.url}/none.jpg", limit=10)
    old_site.serve("/cut.jpg", b"cut", with_length=8)  # the connection ends early
    with pytest.raises(UploadRefused):
        Fetcher(delay=0).fetch(f"{old_site.url}/cut.jpg", limit=10)
    assert fetcher.https("http://old.example.org/a.jpg") == "https://old.example.org/a.jpg"
    assert fetchable("http://127.0.0.1:8000/a.jpg") and fetchable("https://93.184.216.34/")
    assert not fetchable("http://93.184.216.34/") and not fetchable("file:///etc/passwd")
    with pytest.raises(UploadRefused, match="not HTTPS"):
        Fetcher(delay=0).fetch("ftp://old.example.org/a.jpg", limit=10)


def test_fetching_never_reaches_the_servers_own_services(old_site, settings):
    """An old host (expired, or taken over) must not make the import ask this machine or a
    private network: plain http to the loopback is the tests' alone, and redirects are checked."""
    from wordpress.attachments import Fetcher, UploadRefused, fetchable

    old_site.serve("/inside.jpg", b"secret")
    old_site.redirect("/a.jpg", f"{old_site.url}/inside.jpg")
    old_site.redirect("/b.jpg", "https://10.0.0.5/admin.jpg")
    with pytest.raises(UploadRefused, match="public address"):
        Fetcher(delay=0).fetch(f"{old_site.url}/b.jpg", limit=10)
    settings.WXR_FETCH_FROM_LOOPBACK = False  # as in production
    for url in (f"{old_site.url}/a.jpg", "https://127.0.0.1/x.jpg", "https://192.168.1.1/x.jpg"):
        assert not fetchable(url)
        with pytest.raises(UploadRefused, match="public address"):
            Fetcher(delay=0).fetch(url, limit=10)
    assert "/inside.jpg" not in old_site.asked


def test_a_server_that_trickles_meets_the_deadline(old_site):
    from wordpress.attachments import Fetcher, UploadRefused

    old_site.serve("/slow.jpg", b"x" * 600, with_length="trickle")  # two minutes, a byte a time
    with pytest.raises(UploadRefused, match="took longer than 1 s"):
        Fetcher(delay=0, timeout=1).fetch(f"{old_site.url}/slow.jpg", limit=10_000)
    assert old_site.sent["/slow.jpg"] < 30  # stopped at the deadline, not at the end


def test_an_upload_address_that_climbs_out_is_reported_not_stored(tmp_path, old_site):
    old_site.serve("/wp-content/uploads/../../etc/x.jpg", jpeg_with_exif(size=(40, 30)))
    body = f'<img src="{old_site.url}/wp-content/uploads/../../etc/x.jpg" alt="x">'
    printed = run(
        tmp_path,
        export([Post(43, "Climbing", body)], site=old_site.url),
        "--fetch-attachments",
        "--fetch-delay",
        "0",
    )
    assert Article.objects.get(title_en="Climbing")
    assert any(row["problem"].startswith("picture") for row in item_rows(tmp_path))
    assert printed is not None


# --- Bounded memory (issue 31) ----------------------------------------------------------------


def test_an_over_limit_post_body_is_reported_not_imported_cut_short(tmp_path, monkeypatch):
    from wordpress import wxr

    monkeypatch.setattr(wxr, "MAX_TEXT_BYTES", 1000)
    posts = [Post(1, "Too long", "word " * 300), Post(2, "Fine", "Short.")]
    output = run(tmp_path, export(posts))
    assert list(Article.objects.values_list("title_en", flat=True)) == ["Fine"]
    (row,) = rows_of(item_rows(tmp_path), "not imported")
    assert (row["wordpress_id"], row["title"]) == ("1", "Too long")
    assert "<content:encoded> is longer than" in row["detail"]
    assert counts(output)["post"]["failed"] == 1


MEMORY_PROBE = """
import json, resource, sys
sys.path.insert(0, sys.argv[2])
from wordpress import wxr
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
records = wxr.read(sys.argv[1])
items = [(r.wp_id, getattr(r, "problem", "")) for r in records if isinstance(r, wxr.Item)]
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"grown_kb": grown, "items": items}))
"""


def test_reading_a_large_export_keeps_memory_bounded(tmp_path):
    """A 40 MB post body, 250,000 elements outside the channel and 250,000 inside an unknown
    element of it: the reader's peak memory grows by well under what the file holds."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    head, tail = export([Post(2, "After", "Still read.")]).split("<channel>")
    path = tmp_path / "large.xml"
    with path.open("w", encoding="utf-8") as out:
        out.write(head.replace("<rss", "<rss", 1))
        out.write("<junk>" + "<x>outside the channel</x>" * 250_000 + "</junk>")
        out.write("<channel><wp:junk>" + "<y>unread</y>" * 250_000 + "</wp:junk>")
        huge = Post(1, "Huge", "").xml("http://old.example.org")
        before, after = huge.split("<content:encoded><![CDATA[")
        out.write(before + "<content:encoded><![CDATA[")
        for _ in range(40):
            out.write("a long, long body " * 58_255)  # ~1 MB each
        out.write(after)
        out.write(tail)
    root = str(Path(__file__).resolve().parent.parent)
    probe = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(path), root],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    measured = json.loads(probe.stdout)
    assert measured["grown_kb"] < 40 * 1024, measured["grown_kb"]
    assert measured["items"][0][0] == 1 and "content:encoded" in measured["items"][0][1]
    assert measured["items"][1] == [2, ""]


@pytest.mark.django_db(transaction=True)  # the import is run by a worker's connection
def test_the_admins_import_fetches_pictures_from_the_old_site(
    superuser_client, old_site, settings, queued
):
    """Editors import in the admin: the pictures come along, none is left on the old host."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.WXR_FETCH_DELAY = 0
    folder = "/wp-content/uploads/2019/05"
    old_site.serve(f"{folder}/kids.jpg", jpeg_with_exif(size=(800, 600)))
    body = f'<img src="{old_site.url}{folder}/kids.jpg" alt="Kids">'
    xml = export([Post(42, "From the old site", body)], site=old_site.url)
    page = superuser_client.get("/admin/wordpress/importrun/add/")
    data = form_fields(page.content.decode(), "importrun_form")
    data.update(
        edition="en",
        export=SimpleUploadedFile("site.xml", xml.encode()),
        fetch_attachments="on",
        _save="Save",
    )
    saved = superuser_client.post("/admin/wordpress/importrun/add/", data)
    run_queued_jobs(["imports"])
    assert saved.status_code == 302, saved.content.decode()[:2000]
    article = Article.objects.get(title_en="From the old site")
    assert 'src="/media-files/wordpress/en/2019/05/kids' in article.body_en
    assert old_site.url not in article.body_en
    # The saved run says it fetched, and saving its page again changes and starts nothing.
    run_ = ImportRun.objects.get()
    page = superuser_client.get(f"/admin/wordpress/importrun/{run_.pk}/change/").content.decode()
    assert "Fetch pictures and files from the old site" in page
    again = superuser_client.post(
        f"/admin/wordpress/importrun/{run_.pk}/change/", form_fields(page, "importrun_form")
    )
    assert again.status_code == 302 and ImportRun.objects.get().fetch_attachments
    assert old_site.asked.count(f"{folder}/kids.jpg") == 1


def test_a_second_run_fetches_what_the_first_left_on_the_old_host(tmp_path, old_site):
    """Imported once without its pictures (or while the old site failed): the item is not
    marked done, so the next run with --fetch-attachments brings them."""
    folder = "/wp-content/uploads/2019/05"
    old_site.serve(f"{folder}/kids.jpg", jpeg_with_exif(size=(800, 600)))
    body = f'<img src="{old_site.url}{folder}/kids.jpg" alt="Kids">'
    xml = export([Post(44, "Twice", body)], site=old_site.url)
    run(tmp_path, xml)
    assert old_site.url in Article.objects.get(title_en="Twice").body_en
    run(tmp_path, xml, "--fetch-attachments", "--fetch-delay", "0")
    article = Article.objects.get(title_en="Twice")
    assert old_site.url not in article.body_en and "/media-files/wordpress/en/" in article.body_en
    assert not [r for r in item_rows(tmp_path) if r["problem"].startswith("picture")]
    run(tmp_path, xml, "--fetch-attachments", "--fetch-delay", "0")  # now done: unchanged
    assert old_site.asked.count(f"{folder}/kids.jpg") == 1


# --- An import from the admin is a job: a worker killed halfway, another finishes (issue 35) ----


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_an_import_cut_off_by_a_killed_worker_is_finished_by_another_nothing_twice(queued):
    total = 300
    posts = [
        Post(
            n,
            f"Story {n}",
            f'<p>Before <a href="{SITE}/?p={n + 1}">the next story</a>.</p>',  # a later post
            date_gmt=f"2019-05-14 08:{n // 60:02d}:{n % 60:02d}",
            comments=[WpComment(10_000 + n, f"A reader on story {n}")],
        )
        for n in range(1, total + 1)
    ]
    xml = ContentFile(export(posts).encode(), name="site.xml")
    run_ = ImportRun.objects.create(edition="en", export=xml)
    wordpress_jobs.start(run_)  # as the admin's save does (here in autocommit)
    worker = start_worker("imports")
    try:
        assert wait_for(lambda: ImportRun.objects.get(pk=run_.pk).done > 1)  # a second in
        os.kill(worker.pid, signal.SIGKILL)  # mid-import: no chance to finish or say so
        worker.wait()
        cut = ImportRun.objects.get(pk=run_.pk)
        assert cut.state == "running" and 0 < Article.objects.count() < total
        assert requeue_stalled_now() == 1  # the periodic check finds the worker silent
        worker = start_worker("imports")  # another worker takes the job again
        assert wait_for(lambda: ImportRun.objects.get(pk=run_.pk).state != "running", 180)
    finally:
        worker.kill()
        worker.wait()
    finished = ImportRun.objects.get(pk=run_.pk)
    assert finished.state == "done" and (finished.done, finished.total) == (total, total)
    assert finished.report.startswith(RESUMED)
    assert Article.objects.count() == total == len(set(Article.objects.values_list("slug_en")))
    assert Comment.objects.count() == total
    assert ImportedItem.objects.filter(kind="post").count() == total
    first, second = (Article.objects.get(title_en=f"Story {n}") for n in (1, 2))
    # Imported before the cut, relinked by the run that finished.
    assert f'href="{second.get_absolute_url()}"' in first.body_en


@pytest.mark.django_db(transaction=True)  # the import is run by a worker's connection
def test_an_export_that_breaks_halfway_fails_its_run_with_one_line(queued):
    xml = export([Post(1, "Fine"), Post(2, "Also fine")]).replace("</channel>", "<item><title>")
    run_ = ImportRun.objects.create(edition="en", export=ContentFile(xml.encode(), name="x.xml"))
    wordpress_jobs.start(run_)
    run_queued_jobs(["imports"])
    failed = ImportRun.objects.get(pk=run_.pk)
    assert failed.state == "failed" and failed.finished_at is not None
    assert failed.report and "\n" not in failed.report  # the reader's own words, one line
    assert not Article.objects.exists()  # checked whole before anything is written
    wordpress_jobs.start(failed)  # run again (a job twice): it stays as it ended
    run_queued_jobs(["imports"])
    assert ImportRun.objects.get(pk=run_.pk).report == failed.report
