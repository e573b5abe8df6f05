"""Readers subscribe by e-mail (#37): double opt-in through a real SMTP server, in each
edition's language and direction; signed links to confirm, choose, leave (RFC 8058's one-click
POST) and take away or delete what is kept; no way to mail-bomb a stranger."""

import json
import re
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from nejat.ops.jobs import run_queued_jobs
from subscriptions import links
from subscriptions.models import Subscriber, Subscription, Suppression

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mailbox(settings, queued, smtp_server):
    """Mail as production sends it: queued, then delivered by SMTP to the test's server."""
    settings.EMAIL_BACKEND = "nejat.ops.mail.QueuedEmailBackend"
    settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    settings.SUBSCRIPTIONS = {**settings.SUBSCRIPTIONS, "FROM_EMAIL": "news@nejat.example"}
    return smtp_server


def subscribe(client, edition="", email="reader@example.org", lists=("newsletter",), **extra):
    data = {"subscribe-email": email, "subscribe-lists": list(lists), "subscribe-website": "",
            **extra}  # fmt: skip
    return client.post(f"{edition}/subscribe/", data)


def delivered(mailbox):
    run_queued_jobs(["mail"])
    return mailbox.received()


def parts(mail):
    """(text, html) of a mail."""
    found = {part.get_content_type(): part.get_payload(decode=True).decode() for part in
             mail.walk() if not part.is_multipart()}  # fmt: skip
    return found["text/plain"], found["text/html"]


def link_in(text, name):
    (url,) = re.findall(rf"https?://[^\s\"<]+/subscribe/{name}/[^\s\"<]+/", text)
    return url.split("testserver", 1)[1]


@pytest.mark.parametrize(
    ("edition", "direction", "word"),
    [
        ("", "ltr", "Confirm"),
        ("/fa", "rtl", "تأیید"),
        ("/ar", "rtl", "تأكيد"),
        ("/sq", "ltr", "Konfirmo"),
    ],
)
def test_a_reader_of_each_edition_subscribes_and_confirms(
    client, mailbox, edition, direction, word
):
    page = client.get(f"{edition}/").content.decode()
    assert 'name="subscribe-email"' in page  # the footer's form, on every page
    answer = subscribe(client, edition, lists=("newsletter", "digest"))
    assert answer.status_code == 302 and answer["Location"].endswith("/subscribe/check-your-inbox/")
    (mail,) = delivered(mailbox)
    assert mail["To"] == "reader@example.org" and mail["From"] == "news@nejat.example"
    text, html = parts(mail)
    code = edition.strip("/") or "en"
    assert f'<html lang="{code}" dir="{direction}">' in html
    assert f'dir="{direction}" style=' in html  # the CSS is in style attributes
    assert "<style" not in html.split("</head>")[1]
    assert word in str(make_header(decode_header(mail["Subject"]))) + text
    # Nothing is active before the link is followed; following it is a button, not the GET.
    subscriber = Subscriber.objects.get()
    assert not Subscription.objects.active().exists()
    confirm = link_in(text, "confirm")
    assert link_in(html, "confirm") == confirm
    assert client.get(confirm).status_code == 200
    assert not Subscription.objects.active().exists()
    answer = client.post(confirm)
    assert answer.status_code == 302
    active = Subscription.objects.active()
    assert {(s.kind, s.edition) for s in active} == {("newsletter", code), ("digest", code)}
    assert "by the link" in Subscriber.objects.get(pk=subscriber.pk).consent


@pytest.mark.dates
def test_one_confirmation_a_day_whoever_asks(client, mailbox):
    """A stranger who types someone's address again and again sends them one mail a day."""
    for _ in range(3):
        assert subscribe(client, email="Someone@Example.org").status_code == 302
    assert len(delivered(mailbox)) == 1
    Subscriber.objects.update(confirmation_sent_at=timezone.now() - timedelta(days=1, minutes=1))
    subscribe(client, email="someone@example.org", lists=("brief",))
    assert len(delivered(mailbox)) == 2
    assert Subscriber.objects.get().email == "someone@example.org"


@pytest.mark.dates
def test_lists_a_stranger_adds_after_the_mail_are_not_confirmed_by_its_link(client, mailbox):
    subscribe(client, lists=("newsletter",))
    (mail,) = delivered(mailbox)
    Subscription.objects.update(requested_at=timezone.now() - timedelta(minutes=5))
    subscribe(client, lists=("digest",))  # no second mail today
    client.post(link_in(parts(mail)[0], "confirm"))
    assert [s.kind for s in Subscription.objects.active()] == ["newsletter"]


def test_too_many_requests_from_one_client_get_a_429(client, mailbox, settings):
    settings.SUBSCRIPTIONS = {**settings.SUBSCRIPTIONS, "RATE_LIMIT_PER_HOUR": 2}
    statuses = [subscribe(client, email=f"r{n}@example.org").status_code for n in range(3)]
    assert statuses == [302, 302, 429]


def test_bad_input_gets_a_clear_400(client, mailbox):
    answer = subscribe(client, email="not an address")
    assert answer.status_code == 400 and "valid email" in answer.content.decode()
    answer = subscribe(client, lists=())
    assert answer.status_code == 400 and "Choose at least one list" in answer.content.decode()
    assert not Subscriber.objects.exists()


def test_a_bot_is_answered_like_a_reader_and_nothing_is_sent(client, mailbox):
    assert subscribe(client, **{"subscribe-website": "http://spam.example"}).status_code == 302
    assert delivered(mailbox) == [] and not Subscriber.objects.exists()


def test_a_post_from_another_site_is_refused(mailbox):
    forged = Client(headers={"Origin": "https://elsewhere.example"})
    assert subscribe(forged).status_code == 403
    assert not Subscriber.objects.exists()


def confirmed_reader(edition="en", kinds=("newsletter", "digest")):
    subscriber = Subscriber.objects.create(email="reader@example.org", edition=edition,
                                           confirmed_at=timezone.now())  # fmt: skip
    for kind in kinds:
        Subscription.objects.create(subscriber=subscriber, kind=kind, edition=edition,
                                    confirmed_at=timezone.now())  # fmt: skip
    return subscriber


@pytest.mark.dates
def test_one_click_unsubscribe_is_one_post_without_cookies_or_origin(mailbox):
    subscriber = confirmed_reader()
    url = links.link(subscriber, links.LEAVE, "en", list_key="newsletter:en")
    path = url.split("testserver", 1)[-1].split("localhost", 1)[-1]
    mail_program = Client()  # no Origin, no cookie: RFC 8058
    answer = mail_program.post(path, "List-Unsubscribe=One-Click",
                               content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert answer.status_code == 200  # never a redirect
    assert [s.kind for s in Subscription.objects.active()] == ["digest"]  # that list only
    assert (
        mail_program.post(
            path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )


@pytest.mark.dates
def test_forged_expired_and_stale_links_are_refused(client, mailbox, settings):
    subscriber = confirmed_reader()
    manage = links.token(subscriber, links.MANAGE)
    assert client.get(f"/subscribe/yours/{manage[:-3]}xyz/").status_code == 400
    # A confirmation link works for CONFIRM_DAYS.
    settings.SUBSCRIPTIONS = {**settings.SUBSCRIPTIONS, "CONFIRM_DAYS": 0}
    confirm = links.token(subscriber, links.CONFIRM)
    answer = client.post(f"/subscribe/confirm/{confirm}/")
    assert answer.status_code == 400 and "does not work" in answer.content.decode()
    # A manage link cannot confirm, nor an unsubscribe link manage.
    assert client.post(f"/subscribe/confirm/{manage}/").status_code == 400
    leave = links.token(subscriber, links.LEAVE, "newsletter:en")
    assert client.get(f"/subscribe/yours/{leave}/").status_code == 400
    # Deleted data: its links no longer work.
    subscriber.delete()
    assert client.get(f"/subscribe/yours/{manage}/").status_code == 400


@pytest.mark.dates
def test_a_reader_chooses_lists_downloads_and_deletes_what_is_kept(client, mailbox):
    subscriber = confirmed_reader(kinds=("newsletter",))
    path = f"/fa/subscribe/yours/{links.token(subscriber, links.MANAGE)}/"
    page = client.get(path).content.decode()
    checked = re.findall(r'<input type="checkbox" name="lists" value="([^"]+)"[^>]* checked', page)
    assert checked == ["newsletter:en"]  # and this edition's lists, unchecked
    assert 'value="brief:fa"' in page
    answer = client.post(path, {"lists": ["brief:fa"], "action": "save"})
    assert answer.status_code == 302
    assert [(s.kind, s.edition) for s in Subscription.objects.active()] == [("brief", "fa")]
    # Saved twice, the same.
    client.post(path, {"lists": ["brief:fa"], "action": "save"})
    assert [(s.kind, s.edition) for s in Subscription.objects.active()] == [("brief", "fa")]
    kept = json.loads(client.post(path, {"action": "download"}).content)
    assert kept["email"] == "reader@example.org"
    assert {s["list"] for s in kept["subscriptions"]} == {"newsletter", "brief"}
    client.post(path, {"action": "leave"})
    assert not Subscription.objects.active().exists()
    assert client.post(path, {"action": "delete"}).status_code == 200
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()


@pytest.mark.dates
def test_a_suppressed_address_is_never_active_and_gets_no_mail(client, mailbox):
    Suppression.objects.create(email="reader@example.org", reason=Suppression.Reason.COMPLAINT)
    assert subscribe(client).status_code == 302  # the same answer as anyone's
    assert delivered(mailbox) == []
    confirmed_reader_row = Subscriber.objects.get()
    Subscription.objects.filter(subscriber=confirmed_reader_row).update(confirmed_at=timezone.now())
    assert not Subscription.objects.active().exists()


# --- Editors -----------------------------------------------------------------------------------

WORDPRESS_LIST = """email,edition,lists,consent_at,consent_source
First@Example.org,fa,newsletter|brief,2024-03-01 10:00,WordPress form
second@example.org,,digest,2024-04-02,WordPress form
no-consent@example.org,en,newsletter,,
not an address,en,newsletter,2024-01-01,
third@example.org,xx,newsletter,2024-01-01,
fourth@example.org,en,weekly,2024-01-01,
"""


def upload(content, name="list.csv"):
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


def test_an_import_keeps_only_recorded_consent_and_reports_the_rest(editor_client):
    path = "/admin/subscriptions/subscriber/import/"
    answer = editor_client.post(path, {"file": upload(WORDPRESS_LIST), "edition": "en"})
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "2 imported, 0 already subscribed, 4 not imported." in page
    for reason in ("no recorded consent", "not an e-mail address", "unknown edition",
                   "unknown list"):  # fmt: skip
        assert reason in page
    active = {(s.subscriber.email, s.kind, s.edition) for s in Subscription.objects.active()}
    assert active == {
        ("first@example.org", "newsletter", "fa"),
        ("first@example.org", "brief", "fa"),
        ("second@example.org", "digest", "en"),
    }
    assert "WordPress form" in Subscriber.objects.get(email="first@example.org").consent
    # The same file again: nothing twice.
    answer = editor_client.post(path, {"file": upload(WORDPRESS_LIST), "edition": "en"})
    assert "0 imported, 2 already subscribed, 4 not imported." in answer.content.decode()
    assert Subscription.objects.count() == 3


def test_a_file_that_is_not_a_list_gets_a_clear_400(editor_client):
    path = "/admin/subscriptions/subscriber/import/"
    answer = editor_client.post(path, {"file": upload("name,phone\nA,1\n"), "edition": "en"})
    assert (
        answer.status_code == 400
        and "Columns missing: email, consent_at" in answer.content.decode()
    )
    bad = SimpleUploadedFile("list.csv", "email,consent_at\né,2024\n".encode("latin-1"))
    answer = editor_client.post(path, {"file": bad, "edition": "en"})
    assert answer.status_code == 400 and "not UTF-8" in answer.content.decode()


@pytest.mark.dates
def test_editors_find_filter_and_export_subscribers(editor_client):
    confirmed_reader(kinds=("newsletter",))
    Suppression.objects.create(email="gone@example.org", reason=Suppression.Reason.HARD_BOUNCE,
                               detail="550 5.1.1 no such user")  # fmt: skip
    Subscriber.objects.create(email="gone@example.org", edition="fa", confirmed_at=timezone.now())
    changelist = "/admin/subscriptions/subscriber/"
    page = editor_client.get(changelist + "?state=suppressed").content.decode()
    assert "gone@example.org" in page and "reader@example.org" not in page
    assert "hard bounce" in page
    page = editor_client.get(changelist + "?list=newsletter:en&q=reader").content.decode()
    assert "reader@example.org" in page and "gone@example.org" not in page
    ids = list(Subscriber.objects.values_list("pk", flat=True))
    export = editor_client.post(changelist, {"action": "export_csv", "_selected_action": ids})
    rows = export.content.decode().splitlines()
    assert rows[0].startswith("email,edition,lists") and len(rows) == 3


def test_moderators_see_no_subscriber(client, moderator):
    client.force_login(moderator)
    assert client.get("/admin/subscriptions/subscriber/").status_code == 403
