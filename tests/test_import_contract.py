"""The core's layers hold (``[tool.importlinter]`` in pyproject.toml): each room of ``nejat/``
imports only the rooms below it, the core knows no content app (the apps plug into it, never
the other way round; only ``config/`` mounts them), and content apps do not reach into each
other's views and admin. Where the core needs something from a content type (its picture, its
structured data, its sitemap), the model offers a method or an attribute and the core asks the
app registry.
"""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

CORE = settings.BASE_DIR / "nejat"
CONTENT_APPS = ("articles", "publications", "media_gallery", "media_library", "wordpress")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(*args):
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", *args], cwd=settings.BASE_DIR, capture_output=True, text=True
    )


def test_the_layers_of_the_core_hold():
    checked = lint_imports()
    assert checked.returncode == 0, checked.stdout[-4000:]
    assert "0 broken" in checked.stdout and "3 kept" in checked.stdout


def test_the_core_names_no_content_app_url():
    """No ``reverse("articles:…")`` in the core either: URL names belong to their apps."""
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in sorted(Path(CORE).rglob("*.py"))
        if "/migrations/" not in str(path)
        and any(f'"{app}:' in path.read_text() for app in CONTENT_APPS)
    ]
    assert offenders == []


def test_the_readme_map_names_every_room_and_folder():
    """The README's map of the repository matches the tree: every top-level folder and every
    package of the core is named there, and nothing it names is missing."""
    readme = (settings.BASE_DIR / "README.md").read_text()
    block = readme.split("## The repository", 1)[1].split("```", 2)[1]
    named = {line.split()[0].rstrip("/") for line in block.splitlines() if line.startswith("  ")}
    top = {line.split()[0].rstrip("/") for line in block.splitlines() if line[:1].strip()}
    packages = {p.parent.name for p in CORE.glob("*/__init__.py")} - {"migrations", "templatetags"}
    assert named == packages
    unmapped = {"var", "node_modules"}  # made by make, kept out of git
    folders = {
        p.name
        for p in settings.BASE_DIR.iterdir()
        if p.is_dir() and not p.name.startswith((".", "__")) and p.name not in unmapped
    }
    folders -= {p.name for p in settings.BASE_DIR.glob("*.egg-info")}
    assert folders <= top | {".ci"}, folders - top
