"""deploy/nginx/nejat.conf is a working nginx site: checked by nginx itself, then run on loopback
in front of a stand-in app (HTTP→HTTPS, static and media headers, compression, forwarded
headers). Needs Debian's nginx (.ci/run installs it)."""

import gzip
import http.server
import os
import shutil
import signal
import ssl
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_serve_lifecycle import ROOT, free_port

pytestmark = pytest.mark.processes  # not again in the far zones: no dates here

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture
def nginx_site(tmp_path):
    if not Path(NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: .ci/run installs Debian's nginx package")
        pytest.skip("needs Debian's nginx (apt-get install nginx)")
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
    subprocess.run(
        [shutil.which("openssl") or "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048",
         "-nodes", "-days", "1",
         "-subj", "/CN=nejat.example", "-keyout", str(tmp_path / "key.pem"),
         "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    http_port, https_port = free_port(), free_port()
    site = (ROOT / "deploy" / "nginx" / "nejat.conf").read_text()
    for old, new in {
        "/srv/nejat/var": str(var),
        "/etc/letsencrypt/live/nejat.example/fullchain.pem": str(tmp_path / "cert.pem"),
        "/etc/letsencrypt/live/nejat.example/privkey.pem": str(tmp_path / "key.pem"),
        "127.0.0.1:8000": f"127.0.0.1:{app.server_port}",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
    }.items():
        assert old in site, old
        site = site.replace(old, new)
    site = "\n".join(line for line in site.splitlines() if "[::]" not in line)
    (tmp_path / "site.conf").write_text(site)
    user = "user root;" if os.getuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user}\nworker_processes 1;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{ include /etc/nginx/mime.types; access_log off;"
        f" client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;"
        f" include {tmp_path}/site.conf; }}\n"
    )
    command = [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    subprocess.run(command, check=True)
    try:
        for _ in range(50):
            if (tmp_path / "nginx.pid").exists():
                break
            time.sleep(0.1)
        yield {"http": http_port, "https": https_port, "seen": seen}
    finally:
        pid = int((tmp_path / "nginx.pid").read_text())
        os.kill(pid, signal.SIGQUIT)
        app.shutdown()


def fetch(url, **headers):
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    request = urllib.request.Request(url, headers={"Host": "nejat.example", **headers})  # noqa: S310
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_the_nginx_site_serves_as_documented(nginx_site):
    status, headers, _ = fetch(f"http://127.0.0.1:{nginx_site['http']}/fa/?x=1")
    assert status == 301 and headers["Location"] == "https://nejat.example/fa/?x=1"

    base = f"https://127.0.0.1:{nginx_site['https']}"
    status, headers, body = fetch(f"{base}/", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert b"news news" in gzip.decompress(body)
    assert nginx_site["seen"]["X-Forwarded-Proto"] == "https"
    assert nginx_site["seen"]["Host"] == "nejat.example"

    status, headers, _ = fetch(f"{base}/static/css/site.3f2a.css")
    assert status == 200 and "immutable" in headers["Cache-Control"]
    status, headers, _ = fetch(f"{base}/media-files/articles/renditions/a.320w.webp")
    assert status == 200 and "immutable" in headers["Cache-Control"]
    assert headers["X-Content-Type-Options"] == "nosniff"
