"""The core (``nejat/``) knows no content app: the apps plug into it, never the other way round.

Where the core needs something from a content type (its picture, its structured data, its
sitemap), the model offers a method or an attribute and the core asks the app registry. Only the
composition root, ``nejat/urls.py`` (which mounts every app's pages), may import an app.
"""

import ast
from pathlib import Path

from django.conf import settings

CORE = settings.BASE_DIR / "nejat"
CONTENT_APPS = ("articles", "publications", "media_gallery")
COMPOSITION_ROOT = {CORE / "urls.py"}


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def test_the_core_imports_no_content_app():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {module}"
        for path in sorted(Path(CORE).rglob("*.py"))
        if path not in COMPOSITION_ROOT
        for module in imported_modules(path)
        if module.split(".")[0] in CONTENT_APPS
    ]
    assert offenders == []


def test_the_core_names_no_content_app_url():
    """No ``reverse("articles:…")`` in the core either: URL names belong to their apps."""
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in sorted(Path(CORE).rglob("*.py"))
        if path not in COMPOSITION_ROOT
        and "/migrations/" not in str(path)
        and any(f'"{app}:' in path.read_text() for app in CONTENT_APPS)
    ]
    assert offenders == []


def test_the_scanner_sees_an_app_import_where_there_is_one():
    """The composition root does import an app: the check above would see such a line."""
    assert "articles.views" in set(imported_modules(CORE / "urls.py"))
