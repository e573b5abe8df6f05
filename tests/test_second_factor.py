"""Two-step sign-in for staff (nejat/security/second_factor.py): sign-in with an authenticator's
code or a backup code, set-up, who must use it, a lost phone, a superuser's reset; and a forgotten
password by e-mail."""

import os
import re
import subprocess
import sys
import time
from base64 import b32decode

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import password_step, with_second_step
from tests.helpers.servers import ROOT

pytestmark = pytest.mark.django_db

SIGN_IN = "/admin/login/"
SET_UP = "/admin/two-step/set-up/"


def code_of(device):
    return f"{totp(device.bin_key):06d}"


@pytest.fixture
def chief(db):
    user = User.objects.create_superuser("chief", "chief@example.org", "the-chiefs-password")
    phone = TOTPDevice.objects.create(user=user, name="default")
    StaticDevice.objects.create(user=user, name="backup").token_set.create(token="k3y0ne42")
    return user, phone


@pytest.mark.dates
def test_a_password_alone_does_not_open_the_admin_to_someone_with_two_steps(chief):
    _user, phone = chief
    client = Client()
    asked = client.post(
        SIGN_IN + "?next=/admin/articles/", password_step("chief", "the-chiefs-password")
    )
    assert asked.status_code == 200 and "_auth_user_id" not in client.session
    assert "six-digit code" in asked.content.decode()
    wrong = client.post(SIGN_IN, {"sign_in-current_step": "token", "token-otp_token": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    throttled = client.post(
        SIGN_IN, {"sign_in-current_step": "token", "token-otp_token": code_of(phone)}
    )
    assert "temporarily disabled because of 1 failed attempt" in throttled.content.decode()
    with time_machine.travel(time.time() + 2):  # a wrong code slows the next try (django-otp)
        right = client.post(
            SIGN_IN + "?next=/admin/articles/",
            {"sign_in-current_step": "token", "token-otp_token": code_of(phone)},
        )
    assert right.status_code == 302 and right["Location"] == "/admin/articles/"
    assert client.get("/admin/").status_code == 200


def test_a_lost_phone_a_backup_code_once_then_a_new_phone(chief):
    client = Client()
    client.post(SIGN_IN, password_step("chief", "the-chiefs-password"))
    client.post(SIGN_IN, {"sign_in-current_step": "token", "wizard_goto_step": "backup"})
    used = client.post(SIGN_IN, {"sign_in-current_step": "backup", "backup-otp_token": "k3y0ne42"})
    assert used.status_code == 302 and client.get("/admin/").status_code == 200
    # The code is spent; the chief turns the lost phone off and must set up the new one.
    again = Client()
    again.post(SIGN_IN, password_step("chief", "the-chiefs-password"))
    again.post(SIGN_IN, {"sign_in-current_step": "token", "wizard_goto_step": "backup"})
    spent = again.post(SIGN_IN, {"sign_in-current_step": "backup", "backup-otp_token": "k3y0ne42"})
    assert spent.status_code == 200 and "_auth_user_id" not in again.session
    assert client.post("/admin/two-step/turn-off/", {"understand": "on"}).status_code == 302
    assert not TOTPDevice.objects.filter(user__username="chief").exists()
    assert client.get("/admin/")["Location"] == SET_UP  # a superuser must have two steps


def set_up_two_steps(client):
    """The set-up wizard, as the editor goes through it with an authenticator app."""
    assert client.get(SET_UP).status_code == 200
    shown = client.post(SET_UP, {"set_up-current_step": "welcome"})
    secret = shown.context["secret_key"]
    assert secret in shown.content.decode() and 'src="/admin/two-step/set-up/qr-code/"' in (
        shown.content.decode()
    )
    qr_code = client.get("/admin/two-step/set-up/qr-code/")
    assert qr_code["Content-Type"].startswith("image/svg+xml")
    code = f"{totp(b32decode(secret)):06d}"
    return client.post(SET_UP, {"set_up-current_step": "generator", "generator-token": code})


def test_a_superuser_sets_up_two_steps_before_any_admin_page(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", "boss-password-1")
    assert client.post(SIGN_IN, password_step("boss", "boss-password-1")).status_code == 302
    assert client.get("/admin/auth/user/")["Location"] == SET_UP
    assert client.get("/fa/admin/articles/article/")["Location"] == "/fa" + SET_UP
    done = set_up_two_steps(client)
    assert done.status_code == 302 and done["Location"] == "/admin/two-step/set-up/done/"
    assert TOTPDevice.objects.get(user=boss).confirmed
    codes = client.post("/admin/two-step/backup-codes/", follow=True)
    assert StaticDevice.objects.get(user=boss).token_set.count() == 10
    assert "keep them apart from your phone" in codes.content.decode()
    assert client.get("/admin/").status_code == 200  # this session gave its code


def test_groups_named_by_the_setting_must_use_two_steps(settings, editor, moderator):
    settings.TWO_FACTOR_REQUIRED_GROUPS = ["Editors"]
    editors, moderators = Client(), Client()
    editors.force_login(editor)
    moderators.force_login(moderator)
    assert editors.get("/admin/")["Location"] == SET_UP
    assert moderators.get("/admin/").status_code == 200  # may, need not
    assert set_up_two_steps(editors).status_code == 302
    assert editors.get("/admin/").status_code == 200
    # The next session without its code is sent to sign in again.
    later = Client()
    later.force_login(editor)
    sent = later.get("/admin/articles/article/")
    assert sent["Location"] == "/admin/login/?next=/admin/articles/article/"
    assert "_auth_user_id" not in later.session


def test_a_superuser_resets_a_colleagues_lost_second_step(superuser_client, editor):
    TOTPDevice.objects.create(user=editor, name="default")
    StaticDevice.objects.create(user=editor, name="backup")
    listing = superuser_client.get("/admin/auth/user/")
    assert "Reset two-step sign-in" in listing.content.decode()
    response = superuser_client.post(
        "/admin/auth/user/", {"action": "reset_second_factor", "_selected_action": [editor.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()
    assert LogEntry.objects.get(object_id=str(editor.pk)).get_change_message() == (
        "Two-step sign-in reset"
    )


def test_only_a_superuser_may_reset(editor):
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    manager = Client()
    manager.force_login(editor)
    listing = manager.get("/admin/auth/user/")
    assert listing.status_code == 200 and "reset_second_factor" not in listing.content.decode()


def test_a_forgotten_password_by_email_still_asks_the_second_step(chief, mailoutbox):
    user, phone = chief
    elsewhere = with_second_step(Client(), user)
    client = Client()
    for address in ("chief@example.org", "nobody@example.org"):
        sent = client.post("/admin/password-reset/", {"email": address})
        assert sent["Location"] == "/admin/password-reset/sent/"  # the same for both
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["chief@example.org"]
    link = re.search(r"https?://[^/\s]+(/\S+)", mailoutbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    weak = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200 and weak.context["form"].errors  # Django's validators
    new = "a-fresh-long-passphrase-77"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done["Location"] == "/admin/password-reset/done/"
    assert elsewhere.get("/admin/").status_code == 302  # the old session ended
    asked = client.post(SIGN_IN, password_step("chief", new))
    assert asked.status_code == 200 and "_auth_user_id" not in client.session
    signed = client.post(
        SIGN_IN, {"sign_in-current_step": "token", "token-otp_token": code_of(phone)}
    )
    assert signed.status_code == 302


def test_the_two_step_pages_speak_the_editors_language(client, django_user_model):
    sign_in = Client().get("/fa/admin/login/").content.decode()
    assert 'dir="rtl"' in sign_in and "گذرواژه‌تان را فراموش کرده‌اید؟" in sign_in
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", "boss-pass-12")
    client.force_login(boss)
    set_up = client.get("/sq/admin/two-step/set-up/").content.decode()
    assert "Konfiguro hyrjen me dy hapa" in set_up and "Tjetri" in set_up
    wrong = client.post(
        "/ar/admin/two-step/set-up/", {"set_up-current_step": "welcome"}
    )  # to the code step
    refused = client.post(
        "/ar/admin/two-step/set-up/", {"set_up-current_step": "generator", "generator-token": "1"}
    )
    assert wrong.status_code == 200 and "الرمز الذي أدخلته غير صحيح." in refused.content.decode()


def test_password_reset_mails_are_limited_per_address(chief, mailoutbox, settings):
    """Each request sends mail: an address may ask PASSWORD_RESET_LIMIT times an hour (the
    counter is in the cache: Redis, shared by every app server, in production)."""
    settings.PASSWORD_RESET_LIMIT = 3
    client = Client(REMOTE_ADDR="198.51.100.3")
    answers = [
        client.post("/admin/password-reset/", {"email": "chief@example.org"}).status_code
        for _ in range(4)
    ]
    assert answers == [302, 302, 302, 429] and len(mailoutbox) == 3
    refused = client.post("/admin/password-reset/", {"email": "chief@example.org"})
    assert "Too many requests from your address" in refused.content.decode()
    assert "NEJAT CMS" in refused.content.decode()  # the admin's page, not a bare error
    elsewhere = Client(REMOTE_ADDR="198.51.100.4")
    assert elsewhere.post("/admin/password-reset/", {"email": "x@example.org"}).status_code == 302


def test_the_local_demo_lets_the_printed_password_in(settings, client, django_user_model):
    settings.TWO_FACTOR_REQUIRED = False  # DEBUG=1 (`make run`) without TWO_FACTOR_REQUIRED=1
    django_user_model.objects.create_superuser("admin", "", "printed-password-1")
    response = client.post(SIGN_IN, password_step("admin", "printed-password-1"))
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 200


@pytest.mark.processes
def test_two_steps_are_required_unless_debug_and_production_refuses_them_off():
    code = "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)"
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "TWO_FACTOR_REQUIRED"}}
    base.update(DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY="k" * 50)

    def required(**env):
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True
        )
        return result.stdout.decode().strip()

    assert required(DEBUG="0") == "True"
    assert required(DEBUG="1") == "False"
    assert required(DEBUG="1", TWO_FACTOR_REQUIRED="1") == "True"
    # Refused by the settings, so by every way of starting the site (serve, gunicorn, …).
    assert required(DEBUG="0", TWO_FACTOR_REQUIRED="0") == ""
    refused = subprocess.run(
        [sys.executable, "manage.py", "serve", "--production"],
        cwd=ROOT,
        env={**base, "DEBUG": "0", "ALLOWED_HOSTS": "x.example", "TWO_FACTOR_REQUIRED": "0"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode != 0
    assert "TWO_FACTOR_REQUIRED=0 is for the local demo" in refused.stderr.strip().splitlines()[-1]
