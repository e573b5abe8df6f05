"""Sign-in attempts are limited (django-axes): by username and by address, shared by every app
server through the database, said in the admin's language, lifted by a superuser, and silent
about whether a username exists."""

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from tests.conftest import password_step

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture
def staff_user(db):
    return User.objects.create_user("writer", password="the-right-password", is_staff=True)


def sign_in(client, username, password, address="203.0.113.5"):
    return client.post(LOGIN, password_step(username, password), REMOTE_ADDR=address)


def test_five_wrong_passwords_pause_the_username_even_with_the_right_one(staff_user, settings):
    settings.AXES_FAILURE_LIMIT = 5
    client = Client()
    for _ in range(4):
        assert sign_in(client, "writer", "wrong").status_code == 200  # the form again
    locked = sign_in(client, "writer", "wrong")
    assert locked.status_code == 429 and "try again in 15 minutes" in locked.content.decode()
    right = sign_in(client, "writer", "the-right-password", address="198.51.100.7")
    assert right.status_code == 429  # the username is locked from any address
    assert "_auth_user_id" not in client.session
    assert AccessFailureLog.objects.filter(username="writer").count() >= 5  # logged


def test_an_address_is_paused_across_usernames(staff_user):
    client = Client()
    for n in range(5):
        sign_in(client, f"guess{n}", "wrong")
    assert sign_in(client, "writer", "the-right-password").status_code == 429


def test_a_locked_unknown_username_looks_like_a_known_one(staff_user):
    answers = []
    for username in ("writer", "nobody-by-this-name"):
        client = Client()
        for _ in range(5):
            response = sign_in(client, username, "wrong", address=f"192.0.2.{len(answers) + 1}")
        answers.append((response.status_code, response.content.decode().replace(username, "…")))
    assert answers[0] == answers[1]


def test_the_pause_is_said_in_the_admins_language(staff_user):
    client = Client()
    for _ in range(5):
        response = client.post(
            "/fa/admin/login/", password_step("writer", "wrong"), REMOTE_ADDR="192.0.2.9"
        )
    assert response.status_code == 429
    assert 'dir="rtl"' in response.content.decode() and "دقیقه" in response.content.decode()


def test_a_superuser_lifts_the_lock(staff_user):
    client = Client()
    for _ in range(5):
        sign_in(client, "writer", "wrong")
    assert AccessAttempt.objects.filter(username="writer").exists()
    call_command("axes_reset_username", "writer")
    assert (
        sign_in(client, "writer", "the-right-password", address="198.51.100.8").status_code == 302
    )


def test_login_url_names_the_sign_in_page(settings):
    assert reverse(settings.LOGIN_URL) == LOGIN


# Staff addresses a stranger may open: signing in and out, a forgotten password, the admin's
# "view on site" redirect (to a public page).
PUBLIC_UNDER_ADMIN = {
    "two_factor:login",
    "admin:login",
    "admin:logout",
    "admin:view_on_site",
    "admin_password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def staff_addresses(patterns=None, prefix="", namespace=""):
    """(name, address) of every URL pattern under /admin/, each parameter filled with "1"."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$").replace("\\Z", "")
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from staff_addresses(pattern.url_patterns, route, inner)
        elif route.startswith("admin/"):
            name = ":".join(filter(None, [namespace, pattern.name]))
            yield name, "/" + re.sub(r"<[^>]+>|\(\?P<[^>]+>[^)]*\)", "1", route)


def test_every_staff_page_sends_a_stranger_to_sign_in(db):
    addresses = dict(staff_addresses())
    assert {"two_factor:profile", "two_factor:setup", "admin:index"} <= addresses.keys()
    client = Client(raise_request_exception=False)
    for name, address in addresses.items():
        if name in PUBLIC_UNDER_ADMIN:
            continue
        response = client.get(address)
        assert response.status_code == 302, (name, address, response.status_code)
        assert response["Location"].startswith(LOGIN + "?next="), (name, response["Location"])
