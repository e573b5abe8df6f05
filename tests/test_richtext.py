"""Rich text is sanitised with nh3 whenever it is saved: no script reaches a reader."""

import pytest

from nejat.media.richtext import sanitize_html

HOSTILE = [
    ("<p>ok<script>alert(1)</script></p>", "<script"),
    ('<p onclick="steal()">x</p>', "onclick"),
    ('<img src="x.png" onerror="steal()">', "onerror"),
    ('<a href="javascript:alert(1)">link</a>', "javascript:"),
    ('<a href="JaVaScRiPt:alert(1)">link</a>', "javascript"),
    ('<iframe src="https://example.org"></iframe>', "<iframe"),
    ('<p style="background:url(javascript:x)">x</p>', "style="),
    ("<svg><script>alert(1)</script></svg>", "<svg"),
]


@pytest.mark.parametrize(("html", "forbidden"), HOSTILE)
def test_hostile_markup_is_removed(html, forbidden):
    assert forbidden.lower() not in sanitize_html(html).lower()


def test_editorial_markup_survives():
    html = (
        "<h2>Heading</h2><p><strong>bold</strong> <em>it</em><sup>[1]</sup></p>"
        '<blockquote><p>quote</p></blockquote><ol><li>note</li></ol><p dir="rtl">فارسی</p>'
        '<p><a href="https://example.org/a">source</a></p>'
    )
    cleaned = sanitize_html(html)
    for fragment in ("<h2>", "<strong>", "<sup>", "<blockquote>", "<ol>", 'dir="rtl"'):
        assert fragment in cleaned
    assert 'href="https://example.org/a"' in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


@pytest.mark.django_db
def test_body_is_sanitised_on_save_whatever_the_path(article_factory):
    article = article_factory(body_en='<p>hi</p><script>alert(1)</script><p onclick="x()">a</p>')
    article.refresh_from_db()
    assert "<script" not in article.body_en
    assert "onclick" not in article.body_en
    assert "<p>hi</p>" in article.body_en


def test_an_untouched_editor_field_is_stored_empty():
    assert sanitize_html("<p></p>") == ""
