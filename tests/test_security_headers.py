"""What the Mozilla HTTP Observatory grades, in the documented production configuration."""

import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.test import Client

from tests.helpers.servers import ROOT

pytestmark = [pytest.mark.django_db, pytest.mark.processes]  # no dates: once is enough

DOCUMENTED = {  # docs/operations/going-live.md, "Going live on one server"
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "nejat.example",
    "CSRF_TRUSTED_ORIGINS": "https://nejat.example",
    "BEHIND_TLS_PROXY": "1",
    "SERVE_MEDIA": "0",
}


def check_deploy(**env):
    # Not the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE: no production sets it.
    left_out = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in left_out}
    environment.update(DOCUMENTED, **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_in_the_documented_configuration():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    without_tls = check_deploy(BEHIND_TLS_PROXY="0")
    assert without_tls.returncode != 0 and "W004" in without_tls.stderr + without_tls.stdout


def test_preload_can_be_turned_off_on_purpose():
    assert check_deploy(HSTS_PRELOAD="0", HSTS_INCLUDE_SUBDOMAINS="0").returncode == 0


@pytest.fixture
def behind_tls(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True


@pytest.mark.parametrize("path", ["/", "/fa/", "/contact/", "/admin/login/"])
def test_the_headers_an_observatory_grades(behind_tls, path):
    plain = Client().get(path, headers={"X-Forwarded-Proto": "http"})
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    response = Client().get(path, headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
    for cookie in response.cookies.values():  # the admin's CSRF cookie: read by no script here
        assert cookie["secure"], cookie.key


def directives(header):
    return dict(part.strip().partition(" ")[::2] for part in header.split(";"))


@pytest.mark.parametrize("path", ["/", "/fa/", "/contact/", "/admin/login/", "/fa/admin/"])
def test_every_page_has_a_policy_without_inline_scripts(path):
    response = Client().get(path, follow=True)
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]


def test_readers_pages_allow_no_inline_style_and_frames_only_from_video_sites():
    policy = directives(Client().get("/fa/")["Content-Security-Policy"])
    assert policy["script-src"] == policy["style-src"] == policy["img-src"] == "'self'"
    assert set(policy["frame-src"].split()) == {
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
        "https://www.aparat.com",
    }


def test_a_page_from_the_cache_keeps_the_same_policy(settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 3600  # (off in the other tests)
    first = Client().get("/sq/")
    with django_assert_num_queries(0):  # from the cache
        again = Client().get("/sq/")
    assert again["ETag"] == first["ETag"] and "s-maxage" in again["Cache-Control"]
    assert "nonce" not in first["Content-Security-Policy"]  # a kept page never carries one
    for header in ("Content-Security-Policy", "Permissions-Policy", "Referrer-Policy"):
        assert again[header] == first[header]


def test_the_editors_import_map_carries_the_nonce_of_the_staff_policy(editor_client):
    response = editor_client.get("/fa/admin/articles/article/add/")
    policy = directives(response["Content-Security-Policy"])
    nonce = policy["script-src"].split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    assert f'<script type="importmap" nonce="{nonce}">' in html
    assert policy["frame-src"] == "'none'" and "'unsafe-inline'" in policy["style-src"]
    assert (
        editor_client.get("/fa/admin/")["Content-Security-Policy"]
        != response["Content-Security-Policy"]
    )  # each request its own nonce


def test_report_only_rolls_a_policy_out_without_enforcing_it(settings, editor_client):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    for response in (Client().get("/"), editor_client.get("/admin/articles/article/add/")):
        assert "Content-Security-Policy" not in response
        assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]
    assert "'nonce-" in response["Content-Security-Policy-Report-Only"]


def test_csp_report_only_is_a_variable():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CONTENT_SECURITY_POLICY, bool(s.CONTENT_SECURITY_POLICY_REPORT_ONLY))"
    )
    environment = dict(os.environ, CSP_REPORT_ONLY="1", DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.stdout.split() == ["None", "True"], result.stderr


def test_a_browsers_report_is_logged_and_nothing_else(caplog):
    report = {
        "csp-report": {
            "document-uri": "https://nejat.example/fa/",
            "violated-directive": "script-src-elem",
            "blocked-uri": "https://tracker.example/x.js",
        }
    }
    client = Client(enforce_csrf_checks=True)
    answer = client.post("/csp-report/", json.dumps(report), content_type="application/csp-report")
    assert answer.status_code == 204
    assert "script-src-elem: https://tracker.example/x.js blocked on" in caplog.text
    assert client.post("/csp-report/", "not json", content_type="text/plain").status_code == 400
    too_big = {"csp-report": {"blocked-uri": "x" * 20_000, "violated-directive": "img-src"}}
    assert client.post("/csp-report/", too_big, content_type="application/json").status_code == 413
    assert client.get("/csp-report/").status_code == 405


@pytest.mark.parametrize("path", ["/", "/fa/", "/admin/login/", "/no-such-page/", "/sitemap.xml"])
def test_a_host_the_site_does_not_serve_gets_400_and_no_traceback(caplog, path):
    response = Client(raise_request_exception=False).get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "evil.example" not in response.content.decode()
    assert not [record for record in caplog.records if record.levelname in {"ERROR", "CRITICAL"}]


def canonical_link(response):
    return re.search(r'<link rel="canonical" href="([^"]+)"', response.content.decode())[1]


def test_absolute_addresses_take_one_form_of_the_host(settings):
    # A port and a case the client made up: neither reaches the page (nor the page cache's key).
    made_up = Client().get("/", HTTP_HOST="LocalHost.:8123")
    assert canonical_link(made_up) == "http://localhost/"
    # The port the request arrived on (`make run`'s 127.0.0.1:8000) is the site's own.
    local = Client().get("/", HTTP_HOST="127.0.0.1:8000", SERVER_PORT="8000")
    assert canonical_link(local) == "http://127.0.0.1:8000/"
    settings.SITE_HOST = "nejat.example"  # SITE_URL=https://nejat.example, which is allowed
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "nejat.example", "www.nejat.example"]
    assert canonical_link(Client().get("/fa/", HTTP_HOST="Nejat.Example:8443")).endswith(
        "://nejat.example/fa/"
    )
    # Another allowed name keeps its own: a form posted there is checked against it.
    www = Client().get("/fa/", HTTP_HOST="www.nejat.example")
    assert canonical_link(www).endswith("://www.nejat.example/fa/")
    posted = Client(enforce_csrf_checks=True).post(
        "/fa/contact/", {}, HTTP_HOST="www.nejat.example", HTTP_ORIGIN="http://www.nejat.example"
    )
    assert posted.status_code != 403


def test_site_url_is_a_variable_and_an_allowed_host():
    code = "from django.conf import settings; print(settings.SITE_HOST, settings.ALLOWED_HOSTS)"
    environment = dict(
        os.environ, SITE_URL="https://News.Example/", DJANGO_SETTINGS_MODULE="config.settings"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.stdout.startswith("news.example ") and "'news.example'" in result.stdout, (
        result.stderr
    )


def test_a_report_cannot_forge_log_lines(caplog):
    forged = "https://x.example/\n2026-01-01 00:00:00,000 ERROR django [-] admin signed in\r\x1b[2J"
    report = {"csp-report": {"violated-directive": "img-src\u2028", "blocked-uri": forged}}
    answer = Client().post("/csp-report/", json.dumps(report), content_type="application/json")
    assert answer.status_code == 204
    (line,) = [
        record.getMessage() for record in caplog.records if record.name == "nejat.security.csp"
    ]
    assert "\n" not in line and "\r" not in line and "\x1b" not in line and "\u2028" not in line
    assert "https://x.example/\\n2026-01-01" in line and "\\x1b[2J" in line


def test_reports_are_limited_per_address(settings, caplog):
    settings.CSP_REPORT_LIMIT = 3
    report = json.dumps({"csp-report": {"violated-directive": "img-src", "blocked-uri": "x"}})

    def send(address):
        return (
            Client()
            .post("/csp-report/", report, content_type="application/json", REMOTE_ADDR=address)
            .status_code
        )

    assert [send("203.0.113.9") for _ in range(5)] == [204, 204, 204, 429, 429]
    assert send("198.51.100.1") == 204  # another address has its own count
    assert len([r for r in caplog.records if r.name == "nejat.security.csp"]) == 4
