"""Set-up commands that `make run` relies on."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from articles.models import Article
from nejat.editions import edition_codes

pytestmark = pytest.mark.django_db


def test_load_demo_once_covers_the_editions(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    count = Article.objects.count()
    assert 28 <= count <= 40
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Article.objects.count() == count
    for code in edition_codes():
        assert Article.objects.public(code).exists(), code
    assert Article.objects.public("en").count() > 10  # the home page has "Older Posts"
    assert "Older Posts" in client.get("/").content.decode()
    everywhere = [a for a in Article.objects.all() if len(a.editions()) == 4]
    single = [a for a in Article.objects.all() if len(a.editions()) == 1]
    assert everywhere and single
    assert Article.objects.filter(status="draft").count() == 1
    assert sum(a.is_scheduled for a in Article.objects.all()) == 1
    assert all(a.featured_image for a in Article.objects.all())


def test_ensure_admin_uses_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "chief")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-test-password")
    call_command("ensure_admin", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("ensure_admin", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.get(username="chief")
    assert user.is_superuser and user.check_password("a-long-test-password")


def test_ensure_admin_prints_generated_credentials_once(monkeypatch, capsys):
    monkeypatch.delenv("DJANGO_SUPERUSER_USERNAME", raising=False)
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    call_command("ensure_admin")
    first = capsys.readouterr().out
    call_command("ensure_admin")
    assert "password:" in first and capsys.readouterr().out == ""
    assert User.objects.filter(is_superuser=True).count() == 1
