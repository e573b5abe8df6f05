"""What readers get: status codes, content, pagination, editions and right-to-left pages."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone
from django.utils.html import escape

from nejat.models import set_edition_tags
from nejat.publishing import Status

pytestmark = pytest.mark.django_db


def main_of(response):
    """The page's main column, without the Recent Posts sidebar."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.dates
def test_home_lists_newest_first_with_everything_an_entry_shows(client, article_factory):
    older = article_factory(title_en="Older story", publish_at=timezone.now() - timedelta(days=2))
    newer = article_factory(
        title_en="Newer story", lead_en="A short lead.", image_alt_en="Hills at dawn"
    )
    html = client.get("/").content.decode()
    assert html.index("Newer story") < html.index("Older story")
    assert newer.category.name_en in html
    assert "A short lead." in html
    assert "Read more" in html
    assert "0 comments" in html
    assert newer.publish_at.astimezone(timezone.get_current_timezone()).strftime("%Y") in html
    for service in ("facebook", "twitter", "pinterest", "whatsapp", "telegram", "skype", "email"):
        assert f'href="{newer.get_short_url()}?share={service}"' in html
    assert older.get_absolute_url() in html


@pytest.mark.parametrize(
    "service, address",
    [
        ("facebook", "https://www.facebook.com/sharer/sharer.php?u={url}"),
        ("twitter", "https://twitter.com/intent/tweet?url={url}&text={title}"),
        ("whatsapp", "https://wa.me/?text={title}%20{url}"),
        ("email", "mailto:?subject={title}&body={url}"),
    ],
)
def test_a_cards_share_link_goes_to_the_service(client, article_factory, service, address):
    """Under a list's cards, share links are the item's short address with ?share=: the page
    stays light, and the reader lands on the service with the item's address and title."""
    article = article_factory(title_en="Rain & sun", title_fa="باران")
    for prefix, title in (("", "Rain%20%26%20sun"), ("/fa", "%D8%A8%D8%A7%D8%B1%D8%A7%D9%86")):
        short = (prefix + "/articles/{}/").format(article.pk)
        response = client.get(f"{short}?share={service}")
        url = quote(f"http://testserver{short}", safe="")
        assert response.status_code == 302
        assert response["Location"] == address.format(url=url, title=title)


def test_an_unknown_share_service_is_the_article(client, article_factory):
    article = article_factory(title_en="Rain")
    response = client.get(f"{article.get_short_url()}?share=myspace")
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()


@pytest.mark.dates
def test_base_layout_menu_sidebar_and_footer(client, article_factory):
    for n in range(7):
        article_factory(title_en=f"Story {n}", publish_at=timezone.now() - timedelta(hours=n + 1))
    html = client.get("/").content.decode()
    for label in (
        "Home",
        "Articles",
        "Media",
        "Cartoons",
        "NewsPics",
        "Photo Gallery",
        "Videos",
        "Publications",
        "Books",
        "Nejat NewsLetter",
        "Pars Brief",
        "Contact us",
        "Editions",
        "عربي",
        "فارسی",
        "Shqip",
    ):
        assert f">{label}<" in html, label
    sidebar = html[html.index("Recent Posts") :]
    assert [f"Story {n}" in sidebar for n in range(7)] == [True] * 5 + [False] * 2
    year = timezone.localdate().year  # the footer's year is the site zone's
    assert f"© 2003 - {year} NEJAT Society. All Rights Reserved." in html
    assert "Back To Top" in html and 'class="menu-toggle"' in html
    footer = html[html.index('<footer class="site-footer">') :]
    for network in ("Facebook", "Twitter / X", "Instagram", "YouTube"):
        assert f">{network}</a></li>" in footer


@pytest.mark.dates
def test_lists_paginate_ten_a_page_with_newer_and_older_links(client, article_factory):
    for n in range(23):
        article_factory(title_en=f"Item {n:02d}", publish_at=timezone.now() - timedelta(hours=n))
    first = client.get("/").content.decode()
    assert first.count('class="card"') == 10
    assert "Older Posts" in first and "Newer Posts" not in first
    second = client.get("/?page=2").content.decode()
    assert "Older Posts" in second and "Newer Posts" in second
    third = client.get("/articles/?page=3").content.decode()
    assert third.count('class="card"') == 3
    assert "Older Posts" not in third


@pytest.mark.parametrize("page", ["abc", "0", "4", "-1", "9999999999999999999999"])
def test_bad_page_numbers_are_404(client, article_factory, page):
    for _ in range(23):
        article_factory()
    assert client.get(f"/?page={page}").status_code == 404


def test_article_page_shows_its_parts(client, article_factory):
    related = article_factory(title_en="Related piece")
    article = article_factory(
        title_en="Main piece",
        lead_en="The lead.",
        dateline_en="TEHRAN",
        byline_en="By: Demo Person – Demo Outlet",
        editor_initials="MHA/PA",
        source_name="Demo Review",
        source_url="https://example.org/demo",
        body_en="<p>Body <strong>text</strong></p>",
    )
    article.related.add(related)
    set_edition_tags(article, {"en": ["education"], "fa": ["آموزش"]})
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    for fragment in (
        "Main piece",
        "The lead.",
        "TEHRAN -",
        escape("By: Demo Person – Demo Outlet"),
        "MHA/PA",
        "Link to the source",
        "https://example.org/demo",
        "<strong>text</strong>",
        "Also read:",
        "Related piece",
        "/tags/education/",
    ):
        assert fragment in html, fragment
    assert "آموزش" not in html  # the Persian edition's tag


def test_wrong_or_missing_slug_redirects_permanently(client, article_factory):
    article = article_factory(title_en="Right slug")
    for wrong in (f"/articles/{article.pk}/", f"/articles/{article.pk}/wrong-slug/"):
        response = client.get(wrong)
        assert response.status_code == 301
        assert response["Location"] == f"/articles/{article.pk}/right-slug/"


def test_an_article_without_a_slug_is_served_at_its_short_address(client, article_factory):
    article = article_factory(title_en="No slug yet")
    type(article).objects.filter(pk=article.pk).update(slug_en=None)
    assert client.get(f"/articles/{article.pk}/").status_code == 200
    assert client.get(f"/articles/{article.pk}/anything/")["Location"] == f"/articles/{article.pk}/"


def test_persian_slug_in_its_own_script(client, article_factory):
    article = article_factory(title_en="", title_fa="گزارش تازه")
    url = article.url_in("fa")
    assert client.get(url).status_code == 200
    assert client.get(f"/fa/articles/{article.pk}/").status_code == 301
    assert client.get(f"/fa/articles/{article.pk}/گزارش-تازه/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/articles/999999/",
        "/articles/999999/x/",
        "/articles/abc/",
        "/articles/category/nope/",
        "/tags/nope/",
        "/no-such-page/",
    ],
)
def test_unknown_addresses_are_404_with_the_styled_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert 'class="site-header"' in response.content.decode()


@pytest.mark.dates
def test_drafts_and_scheduled_are_404_for_readers(client, article_factory):
    draft = article_factory(status=Status.DRAFT)
    scheduled = article_factory(publish_at=timezone.now() + timedelta(days=1))
    for article in (draft, scheduled):
        assert client.get(article.get_absolute_url()).status_code == 404
        assert article.title_en not in client.get("/").content.decode()


def test_editors_preview_drafts_with_no_cache_headers(editor_client, article_factory):
    draft = article_factory(title_en="Secret draft", status=Status.DRAFT)
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this is a draft." in response.content.decode()
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_moderators_cannot_preview_drafts(client, moderator, article_factory):
    client.force_login(moderator)
    assert client.get(article_factory(status=Status.DRAFT).get_absolute_url()).status_code == 404


def test_editions_have_lang_and_direction(client, db):
    for prefix, lang, direction in [
        ("/", "en", "ltr"),
        ("/ar/", "ar", "rtl"),
        ("/fa/", "fa", "rtl"),
        ("/sq/", "sq", "ltr"),
    ]:
        html = client.get(prefix).content.decode()
        assert f'<html lang="{lang}" dir="{direction}"' in html


def test_an_edition_lists_only_items_with_text_in_its_language(client, article_factory):
    article_factory(title_en="English only story")
    article_factory(title_en="", title_fa="خبر فقط فارسی")
    english, persian = client.get("/").content.decode(), client.get("/fa/").content.decode()
    assert "English only story" in english and "خبر فقط فارسی" not in english
    assert "خبر فقط فارسی" in persian and "English only story" not in persian


def test_article_missing_from_an_edition_is_404_there(client, article_factory):
    article = article_factory(title_en="Only in English")
    assert client.get(f"/fa/articles/{article.pk}/").status_code == 404


def test_editions_menu_leads_to_the_same_article_in_other_languages(client, article_factory):
    article = article_factory(title_en="Shared story", title_fa="داستان مشترک")
    html = client.get(article.url_in("en")).content.decode()
    assert f'href="{article.url_in("fa")}" lang="fa"' in html
    assert 'href="/ar/" lang="ar"' in html  # no Arabic text: that edition's home page


def test_editions_menu_keeps_the_list_page(client, db):
    html = client.get("/articles/").content.decode()
    assert 'href="/fa/articles/" lang="fa"' in html


def test_category_page_in_its_edition(client, article_factory, category_factory):
    category = category_factory(name_en="World", slug_en="world", name_fa="جهان", slug_fa="جهان")
    article_factory(title_en="In world", title_fa="در جهان", category=category)
    article_factory(title_en="Elsewhere")
    english = client.get("/articles/category/world/")
    assert "In world" in main_of(english) and "Elsewhere" not in main_of(english)
    persian = client.get("/fa/articles/category/جهان/")
    assert persian.status_code == 200 and "در جهان" in persian.content.decode()
    assert 'href="/fa/articles/category/%D8%AC%D9%87%D8%A7%D9%86/"' in english.content.decode()


def test_tag_page_lists_tagged_articles(client, article_factory):
    tagged = article_factory(title_en="Tagged one")
    set_edition_tags(tagged, {"en": ["health"]})
    article_factory(title_en="Untagged one")
    html = main_of(client.get("/tags/health/"))
    assert "Tagged one" in html and "Untagged one" not in html


def test_error_pages_speak_the_editions_language(client, db):
    response = client.get("/fa/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="fa" dir="rtl"' in html
    assert "Page not found" not in html  # the Persian catalogue translates it


def test_the_dateline_opens_the_first_paragraph_and_never_joins_a_heading(client, article_factory):
    article = article_factory(
        dateline_fa="تهران", title_fa="گزارش", body_fa="<p>داوطلبان آمدند.</p>"
    )
    html = client.get(article.url_in("fa")).content.decode()
    assert '<p><span class="dateline">تهران -</span> داوطلبان آمدند.</p>' in html
    article.body_fa = "<h2>بخش نخست</h2><p>داوطلبان آمدند.</p>"
    article.dateline_fa = "تهران <b>"  # the editor's text, never markup
    article.save()
    html = client.get(article.url_in("fa")).content.decode()
    assert (
        '<p class="dateline-alone"><span class="dateline">تهران &lt;b&gt; -</span> </p>'
        "<h2>بخش نخست</h2>"
    ) in html
