"""Backups that restore (nejat/ops/backup.py): the demo site goes into one archive and comes back
into a new database and an empty media folder with every table's rows and every file's bytes the
same, and the restored site takes a new article. A damaged or hostile archive is refused."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from procrastinate.contrib.django.models import ProcrastinateJob

from nejat.ops.backup import prune_backups
from nejat.ops.jobs import nightly_backup, run_queued_jobs
from tests.helpers.servers import ROOT

pytestmark = pytest.mark.processes  # not again in the far zones: no dates here

RESTORED = "nejat_restore_check"


def fingerprints(cursor):
    """Every table's row count and a hash of all its rows, in a stable order."""
    cursor.execute("SET TIME ZONE 'UTC'")  # timestamps as text must not depend on the session
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    prints = {}
    for (table,) in cursor.fetchall():
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608 - names from pg_tables
            f'FROM "{table}" t'
        )
        prints[table] = cursor.fetchone()
    return prints


def file_hashes(folder):
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in Path(folder).rglob("*")
        if path.is_file()
    }


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment | {"DEBUG": "1"} | env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def new_database():
    """An empty database on the test server, as DATABASE_URL; dropped afterwards."""
    params = connection.get_connection_params()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{RESTORED}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{RESTORED}"')
    password = f":{quote(params['password'], safe='')}" if params.get("password") else ""
    port = f":{params['port']}" if params.get("port") else ""
    host = quote(str(params["host"]), safe="")
    yield f"postgresql://{params['user']}{password}@{host}{port}/{RESTORED}", params
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{RESTORED}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_the_demo_site_survives_a_backup_and_a_restore(settings, tmp_path, new_database):
    url, params = new_database
    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=out)
    (archive,) = (tmp_path / "backups").glob("nejat-backup-*.tar")
    with connection.cursor() as cursor:
        before = fingerprints(cursor)
    media_before = file_hashes(settings.MEDIA_ROOT)
    assert len(media_before) > 20 and f"{len(media_before)} media files" in out.getvalue()

    restored_media = tmp_path / "restored-media"
    restored = manage("restore", str(archive), DATABASE_URL=url, MEDIA_ROOT=str(restored_media))
    assert restored.returncode == 0, restored.stderr

    connect = {k: v for k, v in params.items() if k in {"host", "port", "user", "password"}}
    with psycopg.connect(**connect, dbname=RESTORED) as restored_db:
        assert fingerprints(restored_db.cursor()) == before
    assert file_hashes(restored_media) == media_before

    # The restored site goes on: its sequences continue where the old site's stopped.
    new_article = (
        "from articles.models import Article; from nejat.publishing import fill_missing_slugs; "
        "a = Article(title_en='After the restore'); fill_missing_slugs(a); a.save(); print(a.pk)"
    )
    added = manage("shell", "-c", new_article, DATABASE_URL=url, MEDIA_ROOT=str(restored_media))
    assert added.returncode == 0, added.stderr

    again = manage("restore", str(archive), DATABASE_URL=url, MEDIA_ROOT=str(tmp_path / "x"))
    assert again.returncode == 1 and "the database is not empty" in again.stderr


def archive_with(path, members):
    with tarfile.open(path, "w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.django_db
def test_a_hostile_or_damaged_archive_is_refused_before_anything_is_written(tmp_path):
    manifest = json.dumps({"format": 1, "media": {"../../etc/x": "0"}}).encode()
    hostile = archive_with(
        tmp_path / "a.tar",
        {"manifest.json": manifest, "database.dump": b"", "media/../../etc/x": b"x"},
    )
    with pytest.raises(CommandError, match="refused"):
        call_command("restore", str(hostile))
    stranger = archive_with(
        tmp_path / "b.tar",
        {"manifest.json": json.dumps({"format": 1, "media": {}}).encode(), "database.dump": b"",
         "media/extra.html": b"<script>"},
    )  # fmt: skip
    with pytest.raises(CommandError, match="not in the manifest"):
        call_command("restore", str(stranger))
    (tmp_path / "c.tar").write_bytes(b"not a tar file")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("restore", str(tmp_path / "c.tar"))


@pytest.mark.django_db(transaction=True)
def test_the_nightly_job_writes_an_archive_and_keeps_two_weeks(queued, settings, tmp_path):
    settings.BACKUP_DIR, settings.BACKUP_KEEP_DAYS = str(tmp_path), 14
    old, recent = tmp_path / "nejat-backup-20000101-033000.tar", tmp_path / "nejat-backup-2.tar"
    for path, days_ago in ((old, 15), (recent, 13)):
        path.write_bytes(b"an earlier night's archive")
        when = time.time() - days_ago * 86400
        os.utime(path, (when, when))
    job = nightly_backup.defer(timestamp=int(time.time()))  # as the periodic deferrer does
    run_queued_jobs(["backups"])
    assert ProcrastinateJob.objects.get(pk=job).status == "succeeded"
    names = sorted(path.name for path in tmp_path.iterdir())
    assert not old.exists() and recent.exists() and len(names) == 2  # tonight's, and recent
    (tonight,) = (name for name in names if name != recent.name)
    with tarfile.open(tmp_path / tonight) as archive:
        assert {"manifest.json", "database.dump"} <= set(archive.getnames())


def test_the_newest_archive_is_kept_however_old(tmp_path):
    only = tmp_path / "nejat-backup-20000101-033000.tar"
    only.write_bytes(b"the last backup there is")
    os.utime(only, (0, 0))
    assert prune_backups(tmp_path, 14) == [] and only.exists()
