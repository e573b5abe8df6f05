"""Staff sessions end after STAFF_IDLE_MINUTES idle, and a password change ends the others;
readers still get no session at all (the page cache keeps their pages), nor does a stranger at the
sign-in page; expired sessions are deleted by the server's watch and the daily sweep."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from procrastinate.contrib.django import app

from nejat.ops.jobs import clear_sessions
from tests.conftest import password_step

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.dates
def test_an_idle_session_ends_and_an_active_one_goes_on(editor):
    start = timezone.now()
    active, idle = signed_in(editor), signed_in(editor)
    with time_machine.travel(start + timedelta(minutes=100)):
        assert active.get("/admin/").status_code == 200  # used: the count starts again
    with time_machine.travel(start + timedelta(minutes=130)):
        assert active.get("/admin/").status_code == 200
        assert idle.get("/admin/").status_code == 302  # two hours idle: signed out


def test_a_password_change_ends_the_other_sessions(editor):
    editor.set_password("old-password-for-tests")
    editor.save()
    here, elsewhere = signed_in(editor), signed_in(editor)
    response = here.post(
        "/admin/password_change/",
        {
            "old_password": "old-password-for-tests",
            "new_password1": "a-new-password-nobody-guesses",
            "new_password2": "a-new-password-nobody-guesses",
        },
    )
    assert response.status_code == 302
    assert here.get("/admin/").status_code == 200  # this session goes on
    assert elsewhere.get("/admin/").status_code == 302  # the stolen one does not
    assert User.objects.get(pk=editor.pk).check_password("a-new-password-nobody-guesses")


def test_readers_get_no_session_cookie(article_factory):
    response = Client().get(article_factory(title_en="Read me").url_in("en"))
    assert response.status_code == 200 and not response.cookies


def test_strangers_at_the_sign_in_page_store_no_session():
    before = Session.objects.count()
    for address in ["/admin/login/", "/fa/admin/login/", "/admin/login/?next=/admin/"] * 10:
        response = Client().get(address)
        assert response.status_code == 200 and settings.SESSION_COOKIE_NAME not in response.cookies
    assert Session.objects.count() == before


def test_the_sign_in_page_still_signs_in_after_a_blank_visit():
    User.objects.create_user("writer", password="the-right-password", is_staff=True)
    client = Client()
    client.get("/admin/login/")
    response = client.post("/admin/login/", password_step("writer", "the-right-password"))
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert Session.objects.count() == 1


@pytest.mark.dates
@pytest.mark.django_db
def test_the_hourly_job_deletes_expired_sessions():
    store = SessionStore()
    store["kept"] = 1
    store.create()
    expired = SessionStore()
    expired["gone"] = 1
    expired.create()
    Session.objects.filter(pk=expired.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    clear_sessions(timestamp=int(timezone.now().timestamp()))  # what a worker runs each hour
    assert list(Session.objects.values_list("pk", flat=True)) == [store.session_key]
    assert (clear_sessions.name, "") in app.periodic_registry.periodic_tasks  # each hour
