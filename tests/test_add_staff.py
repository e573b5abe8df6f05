"""`manage.py add_staff`: the newsroom adds an editor or a moderator from the shell (#33)."""

import io

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import RequestFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long pass phrase for the night desk"


def add_staff(*args, password=PASSWORD):
    out = io.StringIO()
    call_command("add_staff", *args, stdin=io.StringIO(password + "\n"), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(("role", "group"), [("editor", "Editors"), ("moderator", "Moderators")])
def test_a_staff_account_joins_its_group_and_signs_in(role, group):
    said = add_staff("night", "--role", role, "--email", "night@example.org")
    user = User.objects.get(username="night")
    assert user.is_staff and not user.is_superuser and user.email == "night@example.org"
    assert [g.name for g in user.groups.all()] == [group]
    assert user.check_password(PASSWORD) and group in said
    signing_in = RequestFactory().post("/admin/login/")
    assert authenticate(signing_in, username="night", password=PASSWORD) == user


def test_a_weak_password_or_a_taken_name_saves_nothing():
    with pytest.raises(CommandError, match=r"too short|too common"):
        add_staff("night", "--role", "editor", password="night")
    assert not User.objects.filter(username="night").exists()
    add_staff("night", "--role", "editor")
    with pytest.raises(CommandError, match="already an account"):
        add_staff("Night", "--role", "moderator")
    assert User.objects.get(username="night").groups.get().name == "Editors"


def test_an_unknown_role_is_refused_with_the_choices():
    with pytest.raises(CommandError, match="editor"):
        add_staff("night", "--role", "publisher")
