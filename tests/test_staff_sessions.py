"""Staff sessions end after STAFF_IDLE_MINUTES idle, and a password change ends the others;
readers still get no session at all (the page cache keeps their pages)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


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
