"""deploy/nginx/nejat.conf is a working nginx site: checked by nginx itself, then run on loopback
in front of a stand-in app (HTTP→HTTPS, static and media headers, compression, forwarded
headers). Needs Debian's nginx (.ci/run installs it; skipped without it, except in CI)."""

import gzip
import http.client
import http.server
import ssl
import threading

import pytest

from tests.helpers import services
from tests.helpers.services import ROOT, fetch, running_nginx

pytestmark = pytest.mark.processes  # not again in the far zones: no dates here


@pytest.fixture
def nginx_site(tmp_path):
    seen = {}

    class App(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.update(self.headers)
            body = ("<!doctype html><p>" + "news " * 400 + "</p>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), App)
    threading.Thread(target=app.serve_forever, daemon=True).start()

    var = tmp_path / "var"
    (var / "static" / "css").mkdir(parents=True)
    (var / "static" / "css" / "site.3f2a.css").write_text("body{}")
    (var / "media" / "articles" / "renditions").mkdir(parents=True)
    (var / "media" / "articles" / "renditions" / "a.320w.webp").write_bytes(b"RIFF")
    try:
        with running_nginx(tmp_path, [f"127.0.0.1:{app.server_port}"], var) as ports:
            yield {**ports, "seen": seen}
    finally:
        app.shutdown()


def test_the_nginx_site_serves_as_documented(nginx_site):
    status, headers, _ = fetch(f"http://127.0.0.1:{nginx_site['http']}/fa/?x=1")
    assert status == 301 and headers["Location"] == "https://nejat.example/fa/?x=1"

    base = f"https://127.0.0.1:{nginx_site['https']}"
    status, headers, body = fetch(f"{base}/", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert b"news news" in gzip.decompress(body)
    assert nginx_site["seen"]["X-Forwarded-Proto"] == "https"
    assert nginx_site["seen"]["Host"] == "nejat.example"

    nginx_site["seen"].clear()
    for path in ("/metrics", "/metrics?x=1"):
        assert fetch(f"{base}{path}")[0] == 404
    with pytest.raises(http.client.RemoteDisconnected):  # by address: only the health checks
        fetch(f"http://127.0.0.1:{nginx_site['http']}/metrics", Host="10.0.0.7")
    assert not nginx_site["seen"]  # Prometheus reads the app servers, never through nginx

    status, headers, _ = fetch(f"{base}/static/css/site.3f2a.css")
    assert status == 200 and "immutable" in headers["Cache-Control"]
    status, headers, _ = fetch(f"{base}/media-files/articles/renditions/a.320w.webp")
    assert status == 200 and "immutable" in headers["Cache-Control"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def dropped(port, host, tls=False):
    """Whether nginx closes the connection without an answer (its 444) for this Host."""
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/", headers={"Host": host})
        connection.getresponse()
    except (http.client.RemoteDisconnected, ConnectionResetError):
        return True
    finally:
        connection.close()
    return False


def test_a_host_the_site_is_not_is_dropped_by_nginx(nginx_site):
    nginx_site["seen"].clear()
    for tls, port in ((False, nginx_site["http"]), (True, nginx_site["https"])):
        assert dropped(port, "evil.example", tls)
        assert dropped(port, "127.0.0.1", tls)
        assert not dropped(port, "nejat.example", tls)
    status, _, _ = fetch(f"http://127.0.0.1:{nginx_site['http']}/healthz", Host="10.0.0.7")
    assert status == 200  # a balancer asking by address still reaches the app
    assert nginx_site["seen"]  # only the health check reached the app


@pytest.mark.parametrize(
    ("program", "package", "starts"),
    [
        ("REDIS_SERVER", "redis-server", lambda tmp: services.running_redis(tmp)),
        ("NGINX", "nginx", lambda tmp: running_nginx(tmp, ["127.0.0.1:1"], tmp)),
    ],
)
def test_a_missing_service_skips_locally_and_fails_in_ci(
    monkeypatch, tmp_path, program, package, starts
):
    monkeypatch.setattr(services, program, str(tmp_path / "not-installed" / package))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=f"apt-get install {package}"):
        starts(tmp_path).__enter__()
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match=f"Debian's {package}"):
        starts(tmp_path).__enter__()


def test_production_runs_the_installed_command_and_migrates_as_a_deploy_step():
    units = {path.name: path.read_text() for path in (ROOT / "deploy" / "systemd").iterdir()}
    commands = {
        name: [line.split("=", 1)[1] for line in text.splitlines() if line.startswith("Exec")]
        for name, text in units.items()
    }
    for name, lines in commands.items():
        for line in lines:
            if "manage.py" in line:  # no make, no pip install with the development extras
                assert line.startswith("/srv/nejat/.venv/bin/python manage.py "), (name, line)
            assert "make " not in line and "pip" not in line, (name, line)
    (serve,) = commands["nejat.service"]
    assert "serve --production --no-migrate" in serve
    assert commands["nejat-migrate.service"] == [
        "/srv/nejat/.venv/bin/python manage.py migrate --noinput"
    ]
