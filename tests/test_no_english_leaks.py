"""Every public page type, rendered in each edition, shows no English interface string."""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import loader
from django.utils import timezone, translation

from articles.models import Article
from media_gallery.models import Cartoon, Gallery, NewsPic, Photo, Video, refresh_gallery
from nejat.models import set_edition_tags
from nejat.ops.demo_files import demo_image
from nejat.publishing import Status, fill_missing_slugs
from publications.factories import (
    BookFactory,
    BriefEntryFactory,
    BriefFactory,
    NewsletterFactory,
    NewsletterItemFactory,
)

# Translations of every page: slow, and no date or zone changes a word (not again in far zones).
pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).resolve().parent.parent / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
VISIBLE_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "value"}


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class VisibleText(HTMLParser):
    """Text a reader sees or hears in the page's language: text nodes and a few attributes.

    Scripts are skipped, and so are elements that declare another language (the Editions menu
    names each edition in its own language on purpose).
    """

    def __init__(self):
        super().__init__()
        self.chunks, self.page_lang, self._stack = [], None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_lang = attrs.get("lang")
        foreign = tag in {"script", "style"} or attrs.get("lang", self.page_lang) != self.page_lang
        if tag not in VOID:
            self._stack.append(foreign)
        if not any(self._stack) and not foreign:
            self.chunks += [v for k, v in attrs.items() if k in VISIBLE_ATTRIBUTES and v]

    def handle_endtag(self, tag):
        if tag not in VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if not any(self._stack) and data.strip():
            self.chunks.append(" ".join(data.split()))


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return parser.chunks


def english_fragments(code):
    """Source strings of the catalogue that the edition translates differently, in pieces."""
    fragments = set()
    for entry in polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po")):
        translations = [entry.msgstr, *entry.msgstr_plural.values()]
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            if msgid in translations:
                continue  # the same word in both languages ("Email", "Pars Brief")
            for piece in re.split(r"%\(\w+\)s|%d|<[^>]+>", msgid):
                piece = piece.strip(" .:-")
                if len(piece) >= 4 and re.search(r"[A-Za-z]{3}", piece):
                    fragments.add(piece)
    return fragments


def publish(model, **fields):
    item = model(status=Status.PUBLISHED, **fields)
    fill_missing_slugs(item)
    item.save()
    return item


def english_words(code):
    """One pattern finding any of the edition's English fragments as whole words ("book" is not
    in "Facebook"); a pattern per fragment made the check take minutes."""
    longest_first = sorted(english_fragments(code), key=len, reverse=True)
    words = "|".join(map(re.escape, longest_first))
    return re.compile(rf"(?<![A-Za-z])(?:{words})(?![A-Za-z])")


def leaks_in(html, pattern):
    return {(match, chunk) for chunk in visible_text(html) for match in pattern.findall(chunk)}


TEXT = {
    "ar": ("خبر عربي", "وسم", "قسم"),
    "fa": ("خبر فارسی", "برچسب", "بخش"),
    "sq": ("Lajm shqip", "etiketë", "seksion"),
}


@pytest.fixture
def pages(article_factory, category_factory, editor):
    """One address per public page type, for each edition."""
    addresses = {}
    for code, (title, tag, section) in TEXT.items():
        category = category_factory(**{f"name_{code}": section, f"slug_{code}": f"cat-{code}"})
        articles = [
            article_factory(**{f"title_{code}": f"{title} {n}", "title_en": ""}, category=category)
            for n in range(12)
        ]
        articles[0].related.add(articles[1])
        set_edition_tags(articles[0], {code: [tag]})
        Article.objects.filter(pk=articles[0].pk).update(
            **{f"author_{code}": section, f"author_slug_{code}": f"author-{code}"}
        )
        english_only = article_factory(title_en="English only")
        titled = {f"title_{code}": title, "title_en": ""}
        newsletter = NewsletterFactory(**titled)
        NewsletterItemFactory(newsletter=newsletter, **{f"title_{code}": title})
        brief = BriefFactory(**titled)
        BriefEntryFactory(brief=brief, **{f"text_{code}": title})
        book = BookFactory(**titled)
        gallery = publish(Gallery, **titled)
        Photo.objects.create(gallery=gallery, image=demo_image(1), **{f"caption_{code}": title})
        refresh_gallery(gallery)
        video = publish(Video, embed_url="https://youtu.be/abcdefghijk", **titled)
        cartoon = publish(Cartoon, image=demo_image(2), **titled)
        newspic = publish(NewsPic, image=demo_image(3), **titled)
        removed = article_factory(**{f"title_{code}": f"{title} removed", "title_en": ""})
        removed.delete()  # to the trash: 410 Gone
        month = timezone.localtime(articles[0].publish_at)
        addresses[code] = [
            f"/{code}/",
            f"/{code}/?page=2",
            f"/{code}/articles/",
            f"/{code}/articles/category/cat-{code}/",
            articles[0].tags.get().get_absolute_url(),
            articles[0].url_in(code),
            f"/{code}/publications/books/",
            f"/{code}/publications/newsletter/",
            f"/{code}/publications/pars-brief/",
            f"/{code}/media/photos/",
            f"/{code}/media/videos/",
            f"/{code}/media/cartoons/",
            f"/{code}/media/newspics/",
            f"/{code}/about/",
            f"/{code}/contact/",
            f"/{code}/no-such-page/",  # 404
            f"/{code}/articles/{english_only.pk}/",  # 404 naming the editions it is in
            removed.url_in(code),  # 410
            f"/{code}/contact/thanks/",
            f"/{code}/search/?q={title.split()[0]}",
            f"/{code}/search/?q=nothing-matches-this",
            f"/{code}/articles/{month.year}/{month.month:02d}/",
            f"/{code}/articles/author/author-{code}/",
            newsletter.url_in(code),
            brief.url_in(code),
            book.url_in(code),
            gallery.url_in(code),
            gallery.photo_url(1, code),
            video.url_in(code),
            cartoon.url_in(code),
            newspic.url_in(code),
        ]
    return addresses


@pytest.mark.dates
@pytest.mark.parametrize("code", TRANSLATED)
def test_no_english_interface_string_on_any_page(client, pages, code):
    assert len(english_fragments(code)) > 50  # the catalogue is really there
    pattern = english_words(code)
    for address in pages[code]:
        response = client.get(address)
        assert response.status_code in {200, 404, 410}, address
        leaks = leaks_in(response.content.decode(), pattern)
        assert not leaks, f"{address}: {sorted(leaks)}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_server_error_page_is_translated_too(code):
    with translation.override(code):
        html = loader.render_to_string("500.html", {"edition": code})
    assert not leaks_in(html, english_words(code))


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@pytest.mark.parametrize("domain", ["django", "djangojs"])
@pytest.mark.parametrize("code", TRANSLATED)
def test_catalogues_are_complete_and_keep_their_placeholders(code, domain):
    catalogue = polib.pofile(str(LOCALE / code / "LC_MESSAGES" / f"{domain}.po"))
    assert not catalogue.untranslated_entries()
    assert not catalogue.fuzzy_entries()
    for entry in catalogue.translated_entries():
        expected = set(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                assert set(PLACEHOLDER.findall(text)) == expected, (entry.msgid, text)


def test_the_check_finds_an_english_string_as_whole_words_only():
    pattern = english_words("fa")
    page = '<html lang="fa"><body><h2>Recent Posts</h2><p title="Search">خبر</p></body></html>'
    assert {match for match, _chunk in leaks_in(page, pattern)} >= {"Recent Posts", "Search"}
    assert not leaks_in('<html lang="fa"><p>Researches</p><p lang="en">Search</p></html>', pattern)
