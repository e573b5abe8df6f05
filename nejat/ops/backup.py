"""One archive holds the whole site: the database and every media file; restoring needs nothing
else.

``write_backup()`` (``manage.py backup``) makes a tar with ``manifest.json`` (what is inside, with
each media file's SHA-256), ``database.dump`` (``pg_dump --format=custom``) and ``media/…``. Media
are read through Django's storage, so the disk or an S3 bucket alike. ``restore_backup()``
(``manage.py restore``) checks the archive first (names, manifest, sizes), then loads the dump
into an *empty* database with ``pg_restore --single-transaction`` and writes the media back into an
empty store, checking every hash. It refuses to mix a backup into a live site.

pg_dump and pg_restore come from the embedded server's package (PostgreSQL 16, which reads servers
up to 16), or from PG_BIN_DIR (a newer server needs its own version's tools).
"""

import hashlib
import importlib.util
import io
import json
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

FORMAT = 1
MANIFEST, DUMP, MEDIA = "manifest.json", "database.dump", "media"


class BackupError(Exception):
    """Something an operator must fix; the message says what."""


def postgres_tool(name):
    """pg_dump/pg_restore: from PG_BIN_DIR, else those shipped with the embedded server."""
    if os.environ.get("PG_BIN_DIR"):
        return str(Path(os.environ["PG_BIN_DIR"]) / name)
    package = importlib.util.find_spec("pgserver").submodule_search_locations[0]
    return str(Path(package) / "pginstall" / "bin" / name)


def _run(tool, *args):
    """The tool, connected as the site is (embedded socket or DATABASE_URL); its error raised."""
    connection.ensure_connection()  # starts the embedded server if needed
    params = connection.get_connection_params()
    environment = os.environ | {
        "PGHOST": str(params.get("host") or ""),
        "PGPORT": str(params.get("port") or ""),
        "PGUSER": str(params.get("user") or ""),
        "PGPASSWORD": str(params.get("password") or ""),
        "PGDATABASE": params["dbname"],
    }
    command = [postgres_tool(tool), *args]  # our arguments; file names we made
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        raise BackupError(f"{tool} failed: {result.stderr.strip()[-2000:]}")


def media_names(storage=default_storage, folder=""):
    """Every file in the media store, by walking it (disk and S3 answer listdir alike)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a store on disk that never held a file has no folder yet
        return
    for name in files:
        yield str(PurePosixPath(folder, name)) if folder else name
    for sub in folders:
        yield from media_names(storage, str(PurePosixPath(folder, sub)) if folder else sub)


def _sha256(fileobj):
    digest = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def write_backup(folder):
    """Writes ``nejat-backup-<time>.tar`` into ``folder`` (atomically) and returns its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = folder / f"nejat-backup-{stamp}.tar"
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMP
        _run("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}")
        partial = folder / f".{target.name}.partial"
        media = {}
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, DUMP)
            for name in sorted(media_names()):
                with default_storage.open(name, "rb") as source:
                    media[name] = _sha256(source)
                    source.seek(0)
                    info = tarfile.TarInfo(f"{MEDIA}/{name}")
                    info.size = default_storage.size(name)
                    info.mtime = int(timezone.now().timestamp())
                    archive.addfile(info, source)
            manifest = json.dumps(
                {"format": FORMAT, "created": timezone.now().isoformat(), "media": media},
                indent=1,
            ).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(manifest)
            archive.addfile(info, fileobj=io.BytesIO(manifest))
        partial.rename(target)
    return target, len(media)


def prune_backups(folder, keep_days):
    """Deletes the archives in ``folder`` older than ``keep_days``, never the newest one;
    returns the names deleted."""
    archives = sorted(
        Path(folder).glob("nejat-backup-*.tar"), key=lambda path: path.stat().st_mtime
    )
    cutoff = timezone.now().timestamp() - keep_days * 86400
    old = [path for path in archives[:-1] if path.stat().st_mtime < cutoff]
    for path in old:
        path.unlink()
    return [path.name for path in old]


def _checked(archive):
    """The manifest, after checking that every member is where a backup puts it."""
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError) as error:
        raise BackupError(f"not a Nejat backup: no readable {MANIFEST} ({error})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r} is not {FORMAT}")
    expected = {DUMP, MANIFEST} | {f"{MEDIA}/{name}" for name in manifest["media"]}
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        if not member.isfile() or path.is_absolute() or ".." in path.parts:
            raise BackupError(f"refused: the archive holds {member.name!r}")
        if member.name not in expected:
            raise BackupError(f"refused: {member.name!r} is not in the manifest")
    missing = expected - set(archive.getnames())
    if missing:
        raise BackupError(f"the archive is incomplete: {sorted(missing)[:5]} missing")
    return manifest


def restore_backup(path):
    """Loads an archive of write_backup() into an empty database and an empty media store."""
    try:
        archive = tarfile.open(path, "r:")  # noqa: SIM115 - closed by the ``with`` below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"cannot read {path}: {error}") from None
    with archive:
        manifest = _checked(archive)
        if connection.introspection.table_names():
            raise BackupError(
                "the database is not empty: restore into a new one (make clean-db for the "
                "embedded database, or point DATABASE_URL at a freshly created database)"
            )
        if next(media_names(), None) is not None:
            raise BackupError(f"the media store is not empty ({settings.MEDIA_ROOT} or bucket)")
        with tempfile.TemporaryDirectory() as work:
            archive.extract(DUMP, work, filter="data")
            _run(
                "pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
                "--exit-on-error", f"--dbname={connection.get_connection_params()['dbname']}",
                str(Path(work) / DUMP),
            )  # fmt: skip
        for name, digest in manifest["media"].items():
            source = archive.extractfile(f"{MEDIA}/{name}")
            if _sha256(source) != digest:
                raise BackupError(f"{name} does not match its hash: the archive is damaged")
            source.seek(0)
            saved = default_storage.save(name, File(source, name=name))
            if saved != name:
                raise BackupError(f"{name} was stored as {saved}")
    return len(manifest["media"])
