"""Sign-in attempts are limited (django-axes): by username and by address, shared by every app
server through the database, said in the admin's language, lifted by a superuser, and silent
about whether a username exists."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

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
