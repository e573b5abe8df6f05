"""Feeds, sitemaps, robots.txt, share cards, structured data and archives."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from media_gallery.models import Video
from nejat.models import set_edition_tags
from nejat.ops.demo_files import demo_image
from nejat.publishing import Status, fill_missing_slugs

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def reader():
    return Client()


@pytest.fixture
def pictured(article_factory):
    return article_factory(
        title_en="Rivers & <Bridges>",
        title_fa="رودها و پل‌ها",
        lead_en='A lead with "quotes" & <angle brackets>.',
        byline_en="By: Demo Writer",
        author_en="Demo Writer",
        author_fa="نویسنده نمونه",
        featured_image=demo_image(8),
    )


# --- Feeds ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/feed/", "/feed/atom/", "/fa/feed/", "/fa/feed/atom/"])
def test_edition_feeds_parse_cleanly(reader, pictured, article_factory, path):
    for n in range(25):
        article_factory(title_en=f"Item {n}", title_fa=f"مورد {n}")
    response = reader.get(path)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == 20
    assert feed.version in {"rss20", "atom10"}


def test_feed_entries_carry_summary_author_date_and_image(reader, pictured):
    feed = feedparser.parse(reader.get("/feed/").content)
    entry = feed.entries[0]
    assert entry.title == "Rivers & <Bridges>"
    assert "quotes" in entry.summary and entry.published_parsed
    assert entry.author == "By: Demo Writer"
    enclosure = entry.enclosures[0]
    assert enclosure.type == "image/jpeg" and enclosure.href.startswith("http://testserver/")
    assert int(enclosure.length) > 0


def test_category_and_tag_feeds(reader, article_factory, category_factory):
    world = category_factory(name_en="World", slug_en="world")
    inside = article_factory(title_en="Inside", category=world)
    article_factory(title_en="Outside")
    set_edition_tags(inside, {"en": ["rivers"]})
    for path in ("/articles/category/world/feed/", "/tags/rivers/feed/atom/"):
        feed = feedparser.parse(reader.get(path).content)
        assert not feed.bozo and [e.title for e in feed.entries] == ["Inside"]
    html = reader.get("/articles/category/world/").content.decode()
    assert 'type="application/rss+xml"' in html and "/articles/category/world/feed/" in html
    assert reader.get("/tags/nope/feed/").status_code == 404


def test_feeds_are_cached_and_refreshed_once_a_change_commits(
    reader, article_factory, django_assert_num_queries, django_capture_on_commit_callbacks
):
    article_factory(title_en="First")
    reader.get("/feed/")
    with django_assert_num_queries(0):
        reader.get("/feed/")
    with django_capture_on_commit_callbacks() as on_commit:
        article_factory(title_en="Second")  # saved from code: no admin involved
    assert "Second" not in reader.get("/feed/").content.decode()  # not committed yet
    for callback in on_commit:
        callback()
    assert "Second" in reader.get("/feed/").content.decode()


# --- Sitemaps and robots.txt ---------------------------------------------------------------------


@pytest.mark.dates
def test_sitemap_index_and_alternates(reader, pictured, article_factory):
    draft = article_factory(title_en="Hidden draft", status=Status.DRAFT)
    index = ET.fromstring(reader.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert "http://testserver/sitemap-article.xml" in sections
    assert "http://testserver/sitemap-video.xml" in sections
    urlset = ET.fromstring(reader.get("/sitemap-article.xml").content)
    urls = {u.find(f"{SITEMAP}loc").text: u for u in urlset.iter(f"{SITEMAP}url")}
    english = f"http://testserver{pictured.url_in('en')}"
    persian = f"http://testserver{pictured.url_in('fa')}"
    assert english in urls and persian in urls
    assert not any("hidden-draft" in url for url in urls) and draft.pk
    links = {link.get("hreflang"): link.get("href") for link in urls[english].iter(f"{XHTML}link")}
    assert links["fa"] == persian and links["x-default"] == english and "ar" not in links
    # A full timestamp with the site zone's offset: the same instant as the last save.
    lastmod = datetime.fromisoformat(urls[english].find(f"{SITEMAP}lastmod").text)
    assert lastmod == pictured.updated_at.replace(microsecond=0)
    assert lastmod.utcoffset() == timezone.localtime(pictured.updated_at).utcoffset()
    index_lastmod = datetime.fromisoformat(index.find(f"{SITEMAP}sitemap/{SITEMAP}lastmod").text)
    assert index_lastmod.tzinfo is not None


def test_robots_txt(reader):
    text = reader.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text and "Disallow: /fa/search/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


# --- Share cards and structured data -------------------------------------------------------------


def ld_json(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_share_card_tags_are_present_and_escaped(reader, pictured):
    html = reader.get(pictured.url_in("en")).content.decode()
    assert '<meta property="og:title" content="Rivers &amp; &lt;Bridges&gt;">' in html
    assert 'content="A lead with &quot;quotes&quot; &amp; &lt;angle brackets&gt;."' in html
    assert '<meta property="og:locale" content="en_US">' in html
    assert '<meta property="og:locale:alternate" content="fa_IR">' in html
    assert '<meta property="og:locale:alternate" content="ar_AR">' not in html
    image = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert image.startswith("http://testserver/") and image.endswith(".jpg")
    assert 'name="twitter:card" content="summary_large_image"' in html


def test_news_article_json_ld(reader, pictured):
    html = reader.get(pictured.url_in("fa")).content.decode()
    (data,) = ld_json(html)
    assert data["@type"] == "NewsArticle" and data["headline"] == "رودها و پل‌ها"
    assert data["author"] == {"@type": "Person", "name": "نویسنده نمونه"}
    assert data["inLanguage"] == "fa" and data["image"][0].startswith("http://testserver/")
    assert data["publisher"]["@type"] == "Organization"


def test_json_ld_cannot_break_out_of_its_script(reader, article_factory):
    article = article_factory(title_en="</script><script>alert(1)</script>")
    html = reader.get(article.url_in("en")).content.decode()
    assert "</script><script>alert(1)" not in html
    assert ld_json(html)[0]["headline"] == "</script><script>alert(1)</script>"


def test_video_and_organization_json_ld(reader):
    video = Video(
        status=Status.PUBLISHED, title_en="Talk", embed_url="https://youtu.be/abcdefghijk"
    )
    fill_missing_slugs(video)
    video.save()
    (data,) = ld_json(reader.get(video.get_absolute_url()).content.decode())
    assert data["@type"] == "VideoObject" and "youtube-nocookie" in data["embedUrl"]
    (home,) = ld_json(reader.get("/").content.decode())
    assert home["@type"] == "Organization"


# --- Archives ------------------------------------------------------------------------------------


@pytest.mark.dates
def test_month_archive_paginates_and_links(reader, article_factory):
    may = timezone.make_aware(datetime(2024, 5, 10, 12, 0))
    for n in range(12):
        article_factory(title_en=f"May story {n}", publish_at=may)
    article_factory(title_en="June story", publish_at=timezone.make_aware(datetime(2024, 6, 2)))
    first = reader.get("/articles/2024/05/")
    assert first.status_code == 200 and first.content.decode().count('class="card"') == 10
    assert "June story" not in first.content.decode().split("<aside")[0]
    assert "Older Posts" in first.content.decode()
    assert reader.get("/articles/2024/05/?page=2").content.decode().count('class="card"') == 2
    assert reader.get("/articles/2024/13/").status_code == 404
    assert reader.get("/articles/1999/01/").status_code == 404
    assert '<html lang="fa"' in reader.get("/fa/articles/2024/05/").content.decode()
    article = Article.objects.get(title_en="June story")
    assert 'href="/articles/2024/06/"' in reader.get(article.url_in("en")).content.decode()


def test_author_archive_in_each_edition(reader, pictured, article_factory):
    article_factory(title_en="Someone else's")
    english = reader.get("/articles/author/demo-writer/")
    assert english.status_code == 200
    assert "Rivers &amp; &lt;Bridges&gt;" in english.content.decode()
    assert "Someone else" not in english.content.decode().split("<aside")[0]
    persian = reader.get("/fa/articles/author/نویسنده-نمونه/")
    assert persian.status_code == 200 and "رودها و پل‌ها" in persian.content.decode()
    assert reader.get("/articles/author/nobody/").status_code == 404
    html = reader.get(pictured.url_in("en")).content.decode()
    assert 'href="/articles/author/demo-writer/"' in html
