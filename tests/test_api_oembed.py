"""oEmbed (#39): other sites find an article's or a video's card by the page's <link> and get
it from the API; only this site's public articles and videos, in their edition."""

import re
from html import unescape

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def no_limit(settings):
    settings.API_RATE_LIMIT = "100000/m"


def discovered(page_address):
    page = Client().get(page_address).content.decode()
    found = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', page)
    return unescape(found[1])


def test_an_article_s_page_leads_to_its_card_in_its_edition(article_factory):
    article = article_factory(title_en="Harvest", title_fa="برداشت", lead_fa="<b>نه</b> تگ")
    answer = Client().get(discovered(article.url_in("fa")))
    card = answer.json()
    assert answer.status_code == 200 and card["type"] == "rich" and card["version"] == "1.0"
    assert card["title"] == "برداشت" and 'dir="rtl"' in card["html"] and 'lang="fa"' in card["html"]
    assert "&lt;b&gt;" in card["html"] and "<b>" not in card["html"]  # text, never markup
    assert card["width"] and card["height"]
    narrow = Client().get("/api/v1/oembed/", {"url": article.url_in("en"), "maxwidth": 300})
    assert narrow.json()["width"] <= 300


def test_a_linked_video_is_its_site_s_player(settings):
    from media_gallery.models import Video
    from nejat.publishing import Status

    video = Video.objects.create(
        title_en="A talk",
        status=Status.PUBLISHED,
        embed_url="https://www.youtube.com/watch?v=abcdefghijk",
    )
    card = Client().get(discovered(video.url_in("en"))).json()
    assert card["type"] == "video"
    assert "https://www.youtube-nocookie.com/embed/abcdefghijk" in card["html"]
    assert "autoplay=1" not in card["html"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("https://elsewhere.example/articles/1/x/", 404),  # another site
        ("/no/such/page/", 404),
        ("/about/", 404),  # not an article or a video
    ],
)
def test_what_is_not_an_article_or_video_of_this_site_is_a_404(article_factory, url, status):
    article_factory()
    assert Client().get("/api/v1/oembed/", {"url": url}).status_code == status


def test_a_draft_is_a_404_and_xml_a_501(article_factory):
    from nejat.publishing import Status

    draft = article_factory(status=Status.DRAFT)
    assert Client().get("/api/v1/oembed/", {"url": draft.url_in("en")}).status_code == 404
    live = article_factory()
    xml = Client().get("/api/v1/oembed/", {"url": live.url_in("en"), "format": "xml"})
    assert xml.status_code == 501
