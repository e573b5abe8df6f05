"""The page-weight budgets of a site read on slow phones, and nothing loaded from other hosts."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
STATIC = Path(__file__).resolve().parent.parent / "static"


@pytest.fixture
def demo(demo_content, db):
    """The demo site, loaded once for this module (tests/conftest.py)."""


def test_home_page_html_is_under_100_kb_in_every_edition(client, demo):
    for prefix in ("", "/ar", "/fa", "/sq"):
        assert len(client.get(f"{prefix}/").content) < 100_000, prefix


def test_css_under_30_kb_and_javascript_under_10_kb():
    assert (STATIC / "css" / "site.css").stat().st_size < 30_000
    assert sum(path.stat().st_size for path in (STATIC / "js").glob("*.js")) < 10_000


@pytest.mark.parametrize("path", ["/", "/fa/", "/media/photos/", "/publications/books/"])
def test_public_pages_load_nothing_from_other_hosts(client, demo, path):
    html = client.get(path).content.decode()
    loaded = re.findall(
        r'<(?:script|img|source|iframe|link)\b[^>]*\b(?:src|srcset|href)="([^"]*)"', html
    )
    external = [url for url in loaded if re.match(r"(https?:)?//", url)]
    # Only <link rel="alternate|canonical"> point at (our own) absolute addresses.
    assert all(url.startswith("http://testserver/") for url in external), external
