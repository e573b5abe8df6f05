"""Every public page type, rendered in each edition, shows no English interface string."""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import loader
from django.utils import translation

from nejat.models import set_edition_tags

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


def contains_words(text, fragment):
    """``fragment`` as whole words ("book" is not in "Facebook")."""
    return re.search(rf"(?<![A-Za-z]){re.escape(fragment)}(?![A-Za-z])", text) is not None


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
        english_only = article_factory(title_en="English only")
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
        ]
    return addresses


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_english_interface_string_on_any_page(client, pages, code):
    fragments = english_fragments(code)
    assert len(fragments) > 50  # the catalogue is really there
    for address in pages[code]:
        response = client.get(address)
        assert response.status_code in {200, 404}, address
        leaks = {
            (fragment, chunk)
            for chunk in visible_text(response.content.decode())
            for fragment in fragments
            if contains_words(chunk, fragment)
        }
        assert not leaks, f"{address}: {sorted(leaks)}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_server_error_page_is_translated_too(code):
    with translation.override(code):
        html = loader.render_to_string("500.html", {"edition": code})
    leaks = {f for c in visible_text(html) for f in english_fragments(code) if contains_words(c, f)}
    assert not leaks
