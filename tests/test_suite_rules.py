"""The suite's own rules, checked by reading the test modules.

`make test` runs the tests marked ``dates`` again in the zones furthest ahead of UTC and behind
it (Makefile, ``test-zones``): a date that depends on the zone or the hour shows there. A test
that uses a date, time or zone API without the marker would miss that second look, so every
such test must carry it (on the test, its class, its module's ``pytestmark``, or on some of
its parameters). Browser and
process tests (``e2e``, ``processes``) run once and are not asked.

No module under tests/ imports from a test module: what tests share lives in tests/helpers/ or,
for fixtures, in a conftest.py, so that a test module reads as the code does and can be moved or
deleted without breaking another.
"""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent

# Modules whose names, once imported into a test module, make a test that uses them a date test.
DATE_MODULES = {
    "datetime",
    "time_machine",
    "zoneinfo",
    "jdatetime",
    "django.utils.timezone",
    "django.utils.dateformat",
    "django.utils.dateparse",
    "nejat.editions.solar_dates",
    "nejat.publishing.schedule",
}
# Names that are date APIs whatever they were imported from.
DATE_WORDS = {"TIME_ZONE", "USE_TZ", "localtime", "localdate"}
RUN_ONCE = {"e2e", "processes"}


def imported_date_names(tree):
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in DATE_MODULES or alias.name.split(".")[0] in DATE_MODULES:
                    names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if node.module in DATE_MODULES or full in DATE_MODULES:
                    names.add(alias.asname or alias.name)
    return names


def words_in(node):
    """Every name and attribute name used inside ``node``."""
    found = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            found.add(child.id)
        elif isinstance(child, ast.Attribute):
            found.add(child.attr)
    return found


def marks(decorators_or_value):
    """The marker names in decorators, or in a ``pytestmark`` value (``pytest.mark.NAME``)."""
    found = set()
    for node in decorators_or_value:
        for child in ast.walk(node):
            if (
                isinstance(child, ast.Attribute)
                and isinstance(child.value, ast.Attribute)
                and child.value.attr == "mark"
            ):
                found.add(child.attr)
    return found


def module_marks(tree):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "pytestmark" for target in node.targets
        ):
            return marks([node.value])
    return set()


def unmarked_date_tests(path):
    """``module::test`` for each test in ``path`` that uses dates without the marker."""
    tree = ast.parse(path.read_text())
    date_words = imported_date_names(tree) | DATE_WORDS
    helpers = {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }

    def uses_dates(function, seen):
        """Its own body, the module's helpers it calls and the fixtures it asks for."""
        if function.name in seen:
            return False
        seen.add(function.name)
        used = words_in(function) | {arg.arg for arg in function.args.args}
        if used & date_words:
            return True
        return any(uses_dates(helpers[name], seen) for name in used & helpers.keys())

    tests = [
        (node, set())
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    ]
    for cls in (node for node in tree.body if isinstance(node, ast.ClassDef)):
        tests += [
            (node, marks(cls.decorator_list))
            for node in cls.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        ]
    in_module = module_marks(tree)
    # Parameters marked in a list of the module's: @pytest.mark.parametrize("x", MARKED_LIST).
    marked_lists = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign) and "dates" in marks([node.value])
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found = []
    for test, class_marks in tests:
        marked = in_module | class_marks | marks(test.decorator_list)
        if any(words_in(decorator) & marked_lists for decorator in test.decorator_list):
            marked.add("dates")
        if "dates" in marked or marked & RUN_ONCE:
            continue
        if uses_dates(test, set()):
            found.append(f"{path.relative_to(TESTS.parent)}::{test.name}")
    return found


def test_every_test_that_uses_dates_is_marked_dates():
    unmarked = [
        name for path in sorted(TESTS.rglob("test_*.py")) for name in unmarked_date_tests(path)
    ]
    assert not unmarked, (
        "these tests use dates, times or zones: mark them @pytest.mark.dates so that they run "
        "again in the far zones:\n" + "\n".join(unmarked)
    )


def test_the_check_finds_a_date_test_without_the_marker(tmp_path):
    source = (
        "import pytest\n"
        "from django.utils import timezone\n"
        "def later():\n    return timezone.now()\n"
        "def test_plain():\n    assert 1\n"
        "def test_through_a_helper():\n    assert later()\n"
        "@pytest.mark.dates\ndef test_marked():\n    assert timezone.now()\n"
        "def test_zone(settings):\n    settings.TIME_ZONE = 'UTC'\n"
    )
    path = TESTS / "test_zz_written_by_the_suite_rules_test.py"
    try:
        path.write_text(source)
        found = unmarked_date_tests(path)
    finally:
        path.unlink()
    assert [name.split("::")[1] for name in found] == ["test_through_a_helper", "test_zone"]


def is_test_module(name):
    """``tests.test_x`` or ``tests.e2e.test_x`` (or something inside one)."""
    parts = name.split(".")
    return parts[0] == "tests" and any(part.startswith("test_") for part in parts[1:])


def imports_of_test_modules(source):
    """The test modules that ``source`` (a module of the tests package) imports from."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if is_test_module(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if is_test_module(node.module):
                found.append(node.module)
            else:  # from tests import test_x
                found += [
                    f"{node.module}.{alias.name}"
                    for alias in node.names
                    if is_test_module(f"{node.module}.{alias.name}")
                ]
        elif isinstance(node, ast.ImportFrom):  # from .test_x import y, from . import test_x
            names = [node.module] if node.module else [alias.name for alias in node.names]
            found += [f"tests.{name}" for name in names if is_test_module(f"tests.{name}")]
    return found


def test_no_module_of_the_tests_imports_from_a_test_module():
    found = [
        f"{path.relative_to(TESTS.parent)}: {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for name in imports_of_test_modules(path.read_text())
    ]
    assert not found, (
        "these import from a test module: move what they share to tests/helpers/ (or a fixture "
        "to a conftest.py) and import it from there:\n" + "\n".join(found)
    )


def test_the_check_finds_an_import_from_a_test_module():
    source = (
        "import os\n"
        "import tests.test_media\n"
        "from tests.test_serve_lifecycle import ROOT\n"
        "from tests.e2e.test_editions import axe_violations\n"
        "from tests import test_admin, helpers\n"
        "from .test_images import save_article\n"
        "from tests.helpers.media import png\n"
        "from tests.e2e.conftest import LIVE_DATABASE\n"
        "from testing.test_x import y\n"
        "def later():\n    from tests.test_publications import upload\n"
    )
    assert imports_of_test_modules(source) == [
        "tests.test_media",
        "tests.test_serve_lifecycle",
        "tests.e2e.test_editions",
        "tests.test_admin",
        "tests.test_images",
        "tests.test_publications",
    ]
