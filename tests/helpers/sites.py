"""A site built once per test run, copied for each test that starts the site in processes.

Starting `manage.py serve` on an empty ``var/`` runs initdb, all migrations and ``load_demo``:
about 25 seconds. The tests that start servers need a working site, not that first start (one
test, in tests/test_serve_lifecycle.py, checks the first start itself). ``built_site`` makes
one ``var/`` (embedded PostgreSQL migrated, demo content, its media), stops its server and
hands out copies; under pytest-xdist the first worker builds it while the other waits.
`make test` names one folder in NEJAT_TEST_SITE for its passes (the Lighthouse pass after the
main one uses the same site) and removes it itself.
"""

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from xdist import is_xdist_worker

from nejat.ops.db.embedded.base import stop_server

ROOT = Path(__file__).resolve().parents[2]
# Under ROOT/var, not /tmp: PostgreSQL runs as the 'pgserver' user when the tests run as root,
# and pytest's own temporary folders are private to root.
SITES = ROOT / "var" / "test-sites"


def site_folder():
    """An empty folder for a site's var/, readable by the 'pgserver' user when root."""
    SITES.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="site-", dir=SITES))
    path.chmod(0o755)
    return path


def manage(var, *args):
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    environment.update(DEBUG="1", NEJAT_VAR_DIR=str(var))
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        timeout=600,
    )


def build(var):
    try:
        manage(var, "migrate", "--noinput")
        manage(var, "load_demo")
    finally:
        stop_server(var / "pgdata")  # a stopped server's folder can be copied
    (var / "built").touch()


@contextlib.contextmanager
def locked(path):
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def built_site_folder(session):
    """This run's built site: one name for the xdist workers of a run (each has its own
    basetemp below the controller's), another for a run beside it; or the one that
    NEJAT_TEST_SITE names, for several runs."""
    if os.environ.get("NEJAT_TEST_SITE"):
        return Path(os.environ["NEJAT_TEST_SITE"])
    run = session.config._tmp_path_factory.getbasetemp()
    if is_xdist_worker(session):
        run = run.parent
    return SITES / f"built-{run.name}"


@pytest.fixture(scope="session")
def built_site(request):
    """The var/ folder of a migrated site with the demo content (read-only: copy it)."""
    var = built_site_folder(request.session)
    var.parent.mkdir(parents=True, exist_ok=True)
    with locked(var.with_suffix(".lock")):
        if not (var / "built").exists():
            shutil.rmtree(var, ignore_errors=True)
            var.mkdir()
            var.chmod(0o755)
            build(var)
    return var


@pytest.fixture
def site_copy(built_site):
    """A var/ of the test's own: a copy of the built site (database files, media)."""
    path = site_folder()
    # cp -a keeps the owner and modes PostgreSQL insists on (0700, the 'pgserver' user).
    copy = shutil.which("cp") or "/bin/cp"
    subprocess.run([copy, "-a", f"{built_site}/.", str(path)], check=True)
    (path / "built").unlink()
    yield path
    stop_server(path / "pgdata")
    shutil.rmtree(path, ignore_errors=True)


def pytest_sessionfinish(session, exitstatus):
    """This run's built site is removed at its end: by the controller under xdist, when every
    worker is done."""
    if is_xdist_worker(session) or os.environ.get("NEJAT_TEST_SITE"):
        return
    var = built_site_folder(session)
    shutil.rmtree(var, ignore_errors=True)
    var.with_suffix(".lock").unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        SITES.rmdir()  # unless a run beside this one uses it
