"""Settings come from the environment; the database is PostgreSQL, embedded or DATABASE_URL's."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.processes  # not again in the far zones: no dates here

ROOT = Path(__file__).resolve().parent.parent
PRINT_DB = (
    "import json, django; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; print(json.dumps([db['ENGINE'], db.get('HOST'), "
    "db.get('NAME'), settings.DEBUG]))"
)


def load_settings(code=PRINT_DB, **env):
    """Run ``code`` in a fresh interpreter whose settings come from ``env``."""
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result


def test_without_database_url_the_embedded_postgres_is_used():
    result = load_settings(DEBUG="1")
    engine, host, name, debug = json.loads(result.stdout)
    assert engine == "nejat.ops.db.embedded" and host.endswith("var/pgdata") and name == "nejat"
    assert debug is True


def test_database_url_selects_that_server():
    result = load_settings(SECRET_KEY="x" * 50, DATABASE_URL="postgres://u:p@db.internal:5433/news")
    engine, host, name, debug = json.loads(result.stdout)
    assert (engine, host, name, debug) == (
        "django.db.backends.postgresql",
        "db.internal",
        "news",
        False,
    )


def test_sqlite_is_refused():
    result = load_settings(DEBUG="1", DATABASE_URL="sqlite:///db.sqlite3")
    assert result.returncode != 0 and "must point to PostgreSQL" in result.stderr


def test_a_secret_key_is_required_outside_debug():
    result = load_settings()
    assert result.returncode != 0 and "Set SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("env", "debug"),
    [({}, "True"), ({"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u:p@db/news"}, "False")],
)
def test_manage_py_on_a_bare_checkout_runs_as_make_run_does(env, debug):
    """`.venv/bin/python manage.py …` with nothing configured is a developer's command (DEBUG=1,
    as `make run`); with a server's SECRET_KEY it stays in production mode."""
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings as s; print(s.DEBUG)",
        ],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == debug  # after "N objects imported automatically"


@pytest.mark.parametrize(
    "env",
    [{"DEBUG": "1"}, {"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u:p@db.internal/news"}],
)
def test_connections_are_kept_and_checked_before_reuse(env):
    """A new connection costs about 2 ms; a kept one is checked, so a restarted database is
    reconnected to instead of failing the request."""
    show = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; "
        "print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS']]))"
    )
    result = load_settings(show, **env)
    assert json.loads(result.stdout) == [60, True], result.stderr


SHOW_MEDIA = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "from django.core.files.storage import storages; d = storages['default']; "
    "print(json.dumps([type(d).__name__, d.url('a/b.jpg'), s.MEDIA_URL, s.SERVE_MEDIA, "
    "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))"
)
S3 = {"DEBUG": "1", "MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "news-media"}


def test_media_stays_on_the_local_disk_by_default():
    result = load_settings(SHOW_MEDIA, DEBUG="1")
    backend, url, _media_url, served, images = json.loads(result.stdout)
    assert (backend, url, served, images) == (
        "FileSystemStorage",
        "/media-files/a/b.jpg",
        True,
        ["'self'"],
    )


@pytest.mark.parametrize(
    ("cdn", "expected_url", "origin"),
    [
        ("", "https://s3.example.net/news-media/a/b.jpg", "https://s3.example.net"),
        (
            "https://cdn.example.org/media/",
            "https://cdn.example.org/media/a/b.jpg",
            "https://cdn.example.org",
        ),
    ],
)
def test_media_storage_s3_selects_the_bucket_and_its_cdn(cdn, expected_url, origin):
    env = {**S3, "AWS_S3_ENDPOINT_URL": "https://s3.example.net", "MEDIA_CDN_URL": cdn}
    result = load_settings(SHOW_MEDIA, **env)
    backend, url, _media_url, served, images = json.loads(result.stdout)
    assert (backend, url, served) == ("MediaStore", expected_url, False), result.stderr
    assert images == ["'self'", origin]  # the pages' policy lets the pictures in


@pytest.mark.parametrize("missing", ["AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL"])
def test_media_storage_s3_names_what_it_needs(missing):
    env = {**S3, "AWS_S3_ENDPOINT_URL": "https://s3.example.net"}
    env.pop(missing)
    result = load_settings(SHOW_MEDIA, **env)
    assert result.returncode != 0
    assert "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME and AWS_S3_ENDPOINT_URL" in result.stderr
