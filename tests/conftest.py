import io
import shutil
import tempfile
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import Client, override_settings
from django.urls import get_resolver
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.plugin import blocking_manager_key
from xdist import is_xdist_worker

from articles.factories import ArticleFactory, CategoryFactory
from nejat.ops.db.embedded.base import running_server_pid, stop_server
from nejat.ops.demo_files import demo_image
from nejat.publishing.cache_tags import stop_listening
from nejat.security.roles import restore_staff_groups
from tests.helpers.media import FakeVideoSite
from tests.helpers.servers import ROOT

# Real services (redis-server, an S3 server) as fixtures for any test that names them.
pytest_plugins = ["tests.helpers.services", "tests.helpers.sites", "tests.helpers.jobs"]

_embedded = {}


def pytest_sessionstart(session):
    """Remember whether the embedded PostgreSQL was running (a `make run` may be using it).

    With pytest-xdist the workers share the server; only the controller, which outlives
    them, stops it at the end."""
    pgdata = settings.DATABASES["default"].get("PGDATA")
    if pgdata and not is_xdist_worker(session):
        _embedded.update(pgdata=pgdata, was_running=running_server_pid(pgdata) is not None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, with this process's cache tags listener stopped before
    the database is dropped (its connection would keep the database open), and the connections
    of job-queue drains gone (closed, their server processes may linger a moment)."""
    yield
    stop_listening()
    with django_db_blocker.unblock():
        others_have_left()


def others_have_left(seconds=10):
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if not cursor.fetchone()[0]:
                return
            time.sleep(0.05)


def pytest_sessionfinish(session, exitstatus):
    """Stop the embedded server again if this test session started it."""
    if _embedded and not _embedded["was_running"]:
        connections.close_all()
        stop_server(_embedded["pgdata"])


# `make test` hands each module to one worker (pytest-xdist's loadscope: a module's fixtures,
# the demo site or the cluster, are made once) in this order, as workers get free: the longest
# modules first, then the other browser and process tests, then the rest, so that both workers
# finish together. (xdist_group cannot group tests with pytest 9.2: it renames nodeids through
# an attribute pytest no longer reads.)
LONGEST = (
    "tests/test_cluster.py",
    "tests/test_admin_roundtrip.py",
    "tests/e2e/test_editor_workplace.py",
    "tests/test_serve_lifecycle.py",
)


def pytest_collection_modifyitems(config, items):
    def weight(item):
        if item.nodeid.startswith(LONGEST):
            return LONGEST.index(item.nodeid.split("::")[0])
        if item.get_closest_marker("e2e") or item.get_closest_marker("processes"):
            return len(LONGEST)
        return len(LONGEST) + 1

    items.sort(key=weight)  # stable: the files' own order within each kind


@pytest.fixture(scope="session", autouse=True)
def _routes_as_configured():
    """config/urls.py reads SERVE_MEDIA and MEDIA_URL when it is imported: import it with the
    settings of the run, not those a test has changed for itself (tests/helpers/services.py's S3
    media), whichever test a pytest-xdist worker happens to run first."""
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf


@pytest.fixture(scope="session", autouse=True)
def _static_files_looked_up_when_asked():
    """Each test client builds the middleware again, and WhiteNoise would index every static
    file each time (some 500 files: a tenth of a second a test, minutes a run). Looked up when
    asked instead, as WhiteNoise does in development; the servers that the process tests start
    (tests/test_production_serve.py) index them as production does."""
    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Django's advice for test suites: a cheap hasher. Production's PBKDF2 takes half a second
    a password on purpose; the tests make hundreds of accounts. The servers that the process
    tests start keep the real one."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo site (``load_demo``: every edition, pictures, PDFs), loaded once for a module and
    rolled back after it; yields the folder of its files. Its tests use ``db`` as usual: each
    runs in a savepoint inside this transaction."""
    media = tmp_path_factory.mktemp("demo-media")
    in_module = override_settings(MEDIA_ROOT=media, RENDITIONS_IN_BACKGROUND=False)
    with django_db_blocker.unblock(), in_module, transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield media
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /fa/ leaves Persian active in the test's thread: start each test in English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The site context is cached per edition; no test may see another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _plain_static_and_media(settings, tmp_path):
    """Templates resolve static files without a collectstatic manifest; uploads go to a temp dir."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # A test's transaction never commits: renditions are made during the save. The background
    # path has its own tests (tests/test_renditions.py).
    settings.RENDITIONS_IN_BACKGROUND = False
    # Pages are rendered, not served from the page cache: query counts measure the rendering.
    # The cache has its own tests (tests/test_page_cache.py).
    settings.PAGE_CACHE_SECONDS = 0
    # No test asks a real video site for a poster (tests/test_video_posters.py has a fake one).
    settings.VIDEO_OEMBED_ENDPOINTS = {}
    # Production's two-step sign-in, although `make test` runs with DEBUG=1 (which turns it off
    # for the local demo): tests/test_second_factor.py checks both.
    settings.TWO_FACTOR_REQUIRED = True


def commits(item):
    """Whether the test commits (``django_db(transaction=True)``, or a live server that reads
    committed rows): pytest-django empties the database after it."""
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or "live_server" in item.fixturenames


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that commits, the database is emptied; Django makes permissions and content
    types again (with new ids: the cached ones are forgotten). This makes the groups again, for
    the tests that run after it in the same worker (pytest-xdist hands a worker modules in any
    order, so one that commits may come before one that does not)."""
    result = yield
    # (After the last test the test database is gone already.)
    if commits(item) and nextitem is not None:
        with item.config.stash[blocking_manager_key].unblock():
            ContentType.objects.clear_cache()
            restore_staff_groups()
    return result


def browser_like_client(**kwargs):
    """A test client that sends Origin as every browser does with a POST (the public forms
    check it instead of a CSRF cookie, see nejat.security.antispam.forms.posted_from_this_site)."""
    return Client(headers={"Origin": "http://testserver"}, **kwargs)


@pytest.fixture
def client():
    return browser_like_client()


def comment_on(item, **fields):
    """A reader's comment on ``item`` (pending unless ``status`` says otherwise)."""
    from django.contrib.contenttypes.models import ContentType

    from nejat.comments.models import Comment

    values = {"name": "Reader", "email": "r@example.org", "text": "Hello", "language": "en"}
    return Comment.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        **{**values, **fields},
    )


@pytest.fixture
def article_factory(db):
    return ArticleFactory


@pytest.fixture
def category_factory(db):
    return CategoryFactory


def _staff_in(group_name, username):
    user = User.objects.create_user(username, password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db):
    return _staff_in("Editors", "editor")


@pytest.fixture
def moderator(db):
    return _staff_in("Moderators", "moderator")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def password_step(username, password):
    """The sign-in wizard's first step (nejat/security/second_factor.py), as the browser posts
    it."""
    return {"sign_in-current_step": "auth", "auth-username": username, "auth-password": password}


def with_second_step(client, user):
    """Signs the client in as someone who set up two steps and gave this session's code: what a
    superuser, or a member of a group TWO_FACTOR_REQUIRED_GROUPS names, needs for the admin."""
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def superuser_client(client, django_user_model):
    chief = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw-chief")
    return with_second_step(client, chief)


@pytest.fixture
def var_dir():
    """A fresh var/ for a second embedded server, readable by the 'pgserver' user when root."""
    (ROOT / "var").mkdir(exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="serve-test-", dir=ROOT / "var"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def video_site(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeVideoSite)
    server.asked, server.thumbnail = [], demo_image(4, size=(640, 360)).read()
    Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_port}/oembed"
    settings.VIDEO_OEMBED_ENDPOINTS = {"youtube": endpoint, "vimeo": endpoint, "aparat": endpoint}
    yield server
    server.shutdown()
    server.server_close()
