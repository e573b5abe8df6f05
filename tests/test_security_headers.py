"""What the Mozilla HTTP Observatory grades, in the documented production configuration."""

import os
import secrets
import subprocess
import sys

import pytest
from django.test import Client

from tests.test_serve_lifecycle import ROOT

pytestmark = pytest.mark.django_db

DOCUMENTED = {  # README, "Going live on one server", step 3
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
