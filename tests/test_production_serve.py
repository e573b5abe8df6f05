"""`make serve`: the production site refuses an unsafe configuration, serves with granian, rides
out a crash of its embedded database with a 503 page (never a 500) and stops on SIGTERM."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from nejat.ops.db.embedded.base import running_server_pid
from tests.helpers.servers import ROOT, environment_for, port_is_closed, start, wait_for_home
from tests.helpers.services import free_port, within_a_moment

pytestmark = pytest.mark.processes  # not again in the far zones: no dates here
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def output_of(process, var):
    process.wait(timeout=60)
    return (var / "serve.log").read_text()


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - http://127…
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()  # case-insensitive
    except OSError:
        return None, {}, ""


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"DEBUG": "1"}, "DEBUG=1"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({}, "without a shared cache"),  # two processes, no REDIS_URL: two sets of limits
    ],
)
def test_an_unsafe_configuration_is_refused_in_one_line(var_dir, env, says):
    process = start(var_dir, free_port(), **env)
    output = output_of(process, var_dir)
    assert process.returncode != 0
    assert says in output.strip().splitlines()[-1]


def test_two_processes_show_an_edit_at_once_survive_a_database_crash_and_stop_on_sigterm(
    site_copy, redis_url
):
    var_dir, pgdata, port = site_copy, site_copy / "pgdata", free_port()
    site = start(var_dir, port, REDIS_URL=redis_url)
    try:
        wait_for_home(port, site)
        home = f"http://127.0.0.1:{port}/"
        before = [status(home)[2] for _ in range(8)]  # kept by whichever process answers
        assert before[0] and len(set(before)) == 1
        publish_from_another_process(var_dir, REDIS_URL=redis_url)
        # Both processes (eight requests), each once its listener heard of the change: within
        # milliseconds, a little later on a busy machine (tests/test_cluster.py).
        within_a_moment(
            lambda: {status(home)[2] for _ in range(8)},
            lambda after: len(after) == 1 and "Published from the shell" in next(iter(after)),
        )

        seen = set()
        os.kill(running_server_pid(pgdata), signal.SIGQUIT)  # PostgreSQL's crash-like stop
        deadline = time.monotonic() + 60
        recovered = False
        for n in range(10_000):
            # A new search each time: never kept, so each one needs the database. (A list page
            # rendered just before the kill took effect would be kept, and then served from the
            # cache, stale-if-error included, for as long as the database is away.)
            code, headers, body = status(f"http://127.0.0.1:{port}/search/?q=crash{n}")
            seen.add(code)
            if code == 503:
                assert headers.get("Retry-After") == "5" and "Back in a moment" in body
            if code == 200 and 503 in seen:
                recovered = True
                break
            assert time.monotonic() < deadline, f"no recovery; saw {seen}"
            time.sleep(0.05)
        assert recovered and 500 not in seen and seen <= {200, 503}
        assert running_server_pid(pgdata)
    finally:
        site.send_signal(signal.SIGTERM)
        output = output_of(site, var_dir)
    assert "starting it again" in output
    assert running_server_pid(pgdata) is None
    assert port_is_closed(port)


def test_without_redis_a_change_from_another_process_reaches_the_kept_page(site_copy):
    """The embedded default (no REDIS_URL): the content version lives in PostgreSQL, so a
    correction made from ``manage.py shell`` (or an import, a job worker) is on the next page,
    and so is a new "Most read" ranked from a reader's beacon."""
    var_dir, port = site_copy, free_port()
    site = start(var_dir, port, workers=1)
    try:
        wait_for_home(port, site)
        publish_from_another_process(var_dir)
        shown = "Article.objects.get(title_en='Published from the shell')"
        url = output_of_shell(var_dir, f"print({shown}.url_in('en'))")[-1]
        page = f"http://127.0.0.1:{port}{url}"
        first, second = status(page), status(page)
        assert first[0] == 200 and first[2] == second[2]
        assert second[1]["ETag"] == first[1]["ETag"] and "s-maxage" in second[1]["Cache-Control"]
        api = f"http://127.0.0.1:{port}/api/v1/articles/?limit=5"  # the content API, kept too
        assert status(api)[0] == 200 and status(api)[1]["Cache-Status"] == "nejat; hit"
        output_of_shell(var_dir, f"a = {shown}; a.lead_en = 'Corrected from the shell'; a.save()")
        code, _headers, body = status(page)
        assert code == 200 and "Corrected from the shell" in body
        assert "Corrected from the shell" in status(api)[2]

        # A change the job worker makes (the one `serve` started beside the web server): a new
        # picture's renditions are encoded there, and the kept page shows them once they are.
        picture = (
            "from django.core.files.base import ContentFile;"
            "from nejat.ops.demo_files import demo_image;"
            f"a = {shown}; a.featured_image = ContentFile(demo_image(5).read(), 'by-worker.jpg');"
            "a.save()"
        )
        output_of_shell(var_dir, picture)
        encoded = re.compile(r"renditions/by-worker[^\"' ]*\.webp")
        within_a_moment(lambda: status(page)[2], encoded.search, seconds=60)

        # A reader's beacon, answered by the server's own door, counted and ranked by another
        # process (the jobs' code, run from the shell): the kept page's sidebar shows it.
        item = re.search(r'data-item="([^"]+)"', status(page)[2])[1]
        assert beacon(port, {"e": "en", "i": item}) == 204
        ranked = "from readership import flushing, most_read; flushing.flush();"
        output_of_shell(var_dir, ranked + "print(most_read.refresh())")
        box = re.compile(r"Most read.*Published from the shell", re.DOTALL)
        within_a_moment(lambda: status(page)[2], box.search)
    finally:
        site.send_signal(signal.SIGTERM)
        output_of(site, var_dir)


def beacon(port, data):
    """What the site's script sends once a page has loaded, as a browser sends it."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/hit/",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Origin": f"http://127.0.0.1:{port}", "User-Agent": BROWSER},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - http://127…
        return response.status


def output_of_shell(var, code, **env):
    """Lines printed by ``code`` run in ``manage.py shell`` (articles.models.Article imported)."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", f"from articles.models import Article;{code}"],
        cwd=ROOT,
        env=environment_for(var, **env),
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    return done.stdout.splitlines()


def publish_from_another_process(var, **env):
    """An editor's save in a process of its own, as the admin's would be in another worker."""
    factory = "from articles.factories import ArticleFactory;ArticleFactory"
    output_of_shell(var, f"{factory}(title_en='Published from the shell')", **env)


@pytest.mark.django_db
def test_a_database_outage_is_a_translated_503_never_a_500(monkeypatch):
    from django.db import OperationalError
    from django.test import Client

    from articles.views import ArticleListView

    def unreachable(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(ArticleListView, "get_queryset", unreachable)
    response = Client(raise_request_exception=False).get("/fa/articles/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    html = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in html and "Back in a moment" not in html
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("addrport", "host", "port"),
    [
        ("8000", "127.0.0.1", 8000),
        ("0.0.0.0:8080", "0.0.0.0", 8080),  # noqa: S104 - what an operator types
        ("[::1]:8000", "::1", 8000),
        ("localhost:8001", "localhost", 8001),
    ],
)
def test_the_address_is_read_as_runserver_reads_it(addrport, host, port):
    from nejat.management.commands.serve import host_and_port

    assert host_and_port(addrport) == (host, port)


@pytest.mark.parametrize("addrport", ["localhost", "127.0.0.1:", ":80", "[::1]"])
def test_a_wrong_address_is_one_line(addrport):
    from django.core.management.base import CommandError

    from nejat.management.commands.serve import host_and_port

    with pytest.raises(CommandError, match="not a port number"):
        host_and_port(addrport)


def test_without_migrating_a_server_refuses_an_unmigrated_database(var_dir):
    """deploy/systemd runs `serve --production --no-migrate`: migrating is a deploy step."""
    result = subprocess.run(
        [sys.executable, "manage.py", "serve", "--production", "--no-migrate", "127.0.0.1:1"],
        cwd=ROOT,
        env=environment_for(var_dir, WEB_WORKERS="1"),  # a fresh database: nothing applied
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "migration(s) not applied" in last and "manage.py migrate" in last
    assert "Applying" not in result.stdout
    assert running_server_pid(var_dir / "pgdata") is None  # and it stopped its database
