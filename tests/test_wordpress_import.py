"""Importing a WordPress export (manage.py import_wxr): what becomes what, twice, and old URLs."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone, translation
from PIL import Image

from articles.models import Article, Category
from nejat.comments.models import Comment
from nejat.demo_files import demo_image, demo_pdf
from nejat.pages.models import Page
from tests.html_forms import form_fields
from tests.test_images import jpeg_with_exif
from tests.wxr_fixtures import Post, WpComment, export
from wordpress.content import convert, wpautop
from wordpress.models import ImportedItem, OldAddress

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


def test_a_superuser_imports_an_export_from_the_admin(
    superuser_client, editor, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wordpress.models import ImportRun

    xml = export(newsroom(), categories=[("culture", "Culture", "")]).encode()
    page = superuser_client.get("/admin/wordpress/importrun/add/")
    assert page.status_code == 200
    data = form_fields(page.content.decode(), "importrun_form")
    data.update(edition="en", export=SimpleUploadedFile("site.xml", xml), _save="Save")
    with django_capture_on_commit_callbacks(execute=True):
        saved = superuser_client.post("/admin/wordpress/importrun/add/", data)
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


def test_the_admins_import_takes_a_mapping_and_refuses_a_broken_one(
    superuser_client, django_capture_on_commit_callbacks
):
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
    with django_capture_on_commit_callbacks(execute=True):
        saved = superuser_client.post("/admin/wordpress/importrun/add/", data)
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


def test_progress_reports_items_done_of_total(tmp_path):
    from wordpress.importer import Importer

    path = tmp_path / "export.xml"
    path.write_text(export(newsroom()), encoding="utf-8")
    seen = []
    Importer("en", progress=lambda report, rate: seen.append((report.done, report.total))).run(path)
    assert seen[0] == (1, 7) and seen[-1] == (7, 7)
