"""About Us and other pages, Contact us, and the site settings editors change themselves."""

import pytest
from django.core import mail
from django.test import Client

from nejat.pages.demo import build_page
from nejat.pages.models import ContactMessage, Page, SiteSettings
from nejat.publishing import Status
from nejat.security.antispam.models import BlockedTerm
from tests.conftest import browser_like_client
from tests.helpers.forms import contact_data, shown_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def about(db):
    return build_page(
        {"en": ("About Us", "<p>We are a demo.</p>"), "fa": ("درباره ما", "<p>نمونه</p>")},
        Page.Placement.ABOUT,
    )


@pytest.fixture
def staff_address(db):
    row = SiteSettings.load()
    row.contact_email = "desk@example.org"
    row.save()
    return row.contact_email


# --- Pages ---------------------------------------------------------------------------------------


def test_about_us_is_in_the_menu_of_the_editions_where_it_exists(client, about):
    assert f'href="{about.url_in("en")}">About Us<' in client.get("/").content.decode()
    assert f'href="{about.url_in("fa")}">درباره ما<' in client.get("/fa/").content.decode()
    assert 'href="/ar/pages/' not in client.get("/ar/").content.decode()


def test_about_address_leads_to_the_page_or_to_the_editions_that_have_it(client, about):
    assert client.get("/about/")["Location"] == about.url_in("en")
    assert client.get("/fa/about/")["Location"] == about.url_in("fa")
    missing = client.get("/ar/about/")
    assert missing.status_code == 404 and about.url_in("fa") in missing.content.decode()
    page = client.get(about.url_in("fa"))
    assert page.status_code == 200 and "نمونه" in page.content.decode()


def test_no_about_page_at_all_is_a_plain_404(client, db):
    assert client.get("/about/").status_code == 404


def test_draft_pages_are_hidden_and_previewed_by_editors(editor_client):
    draft = build_page({"en": ("Privacy", "<p>Soon.</p>")}, Page.Placement.FOOTER)
    Page.objects.filter(pk=draft.pk).update(status=Status.DRAFT)
    reader = Client()
    assert reader.get(draft.url_in("en")).status_code == 404
    assert "Privacy" not in reader.get("/").content.decode()
    assert editor_client.get(draft.url_in("en")).status_code == 200


def test_footer_pages_are_linked_from_the_footer(client, db):
    page = build_page({"en": ("Privacy notice", "<p>Text</p>")}, Page.Placement.FOOTER)
    footer = client.get("/").content.decode().split('<footer class="site-footer">')[1]
    assert f'href="{page.url_in("en")}"' in footer and "Privacy notice" in footer


# --- Contact us ----------------------------------------------------------------------------------


def test_contact_form_in_every_edition(client, db):
    for prefix in ("", "/ar", "/fa", "/sq"):
        response = client.get(f"{prefix}/contact/")
        assert response.status_code == 200
        assert 'name="shown_at"' in response.content.decode()


def test_a_message_is_stored_then_emailed_to_staff(
    client, staff_address, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fa/contact/", contact_data())
    assert response.status_code == 302 and response["Location"] == "/fa/contact/thanks/"
    message = ContactMessage.objects.get()
    assert (message.status, message.language) == (ContactMessage.Status.NEW, "fa")
    assert message.emailed_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [staff_address]
    assert mail.outbox[0].reply_to == ["reader@example.org"]
    assert client.get("/fa/contact/thanks/").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"name": ""}, "This field is required."),
        ({"message": "   "}, "This field is required."),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"message": "x" * 5001}, "Ensure this value has at most 5000 characters"),
        ({"subject": "y" * 201}, "Ensure this value has at most 200 characters"),
        ({"shown_at": "forged"}, "could not be verified"),
        ({"shown_at": shown_at(seconds_ago=3 * 24 * 3600)}, "open for too long"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_stored(client, db, overrides, error):
    response = client.post("/contact/", contact_data(**overrides))
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not ContactMessage.objects.exists()
    assert "Hello editors" in response.content.decode() or "message" in overrides  # text kept
    if "shown_at" in overrides:  # the form comes back with a token that will pass next time
        token = response.context["form"]["shown_at"].value()
        assert token != overrides["shown_at"]
        assert client.post("/contact/", contact_data(shown_at=token)).status_code == 302


@pytest.mark.parametrize(
    "headers",
    [
        {},  # neither Origin nor Referer: not from a page of this site
        {"Origin": "https://elsewhere.example"},  # a forged cross-site post
        {"Origin": "null", "Referer": "https://elsewhere.example/page"},
    ],
)
def test_a_post_from_elsewhere_is_a_styled_403(db, headers):
    response = Client(headers=headers).post("/fa/contact/", contact_data())
    assert response.status_code == 403
    assert '<html lang="fa" dir="rtl"' in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_a_post_from_this_site_without_origin_is_checked_by_its_referer(db):
    client = Client(headers={"Referer": "http://testserver/contact/"})
    assert client.post("/contact/", contact_data()).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "blocked"),
    [
        ({"website": "http://spam.example"}, None),  # honeypot
        ({"shown_at": "just now"}, None),  # too fast for a person (token made in the test)
        ({"message": "see http://a.example http://b.example http://c.example"}, None),
        ({"message": "Cheap pills here"}, ("word", "cheap pills")),
        ({"email": "bot@spam.example"}, ("email", "spam.example")),
    ],
)
def test_suspected_spam_is_kept_as_spam_and_not_emailed(
    client, staff_address, overrides, blocked, django_capture_on_commit_callbacks
):
    if blocked:
        BlockedTerm.objects.create(kind=blocked[0], value=blocked[1])
    if overrides.get("shown_at") == "just now":
        overrides = {"shown_at": shown_at(seconds_ago=0.5)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", contact_data(**overrides))
    assert response.status_code == 302  # the sender cannot tell
    message = ContactMessage.objects.get()
    assert message.status == ContactMessage.Status.SPAM and message.spam_reason
    assert mail.outbox == []


def test_rate_limit_per_address(client, db, settings):
    settings.ANTISPAM = {**settings.ANTISPAM, "RATE_LIMIT": 2}
    for _ in range(2):
        assert client.post("/contact/", contact_data()).status_code == 302
    response = client.post("/contact/", contact_data())
    assert response.status_code == 429
    assert "several messages in a short time" in response.content.decode()
    assert ContactMessage.objects.count() == 2
    other = browser_like_client(REMOTE_ADDR="198.51.100.7")
    assert other.post("/contact/", contact_data()).status_code == 302


def test_user_text_is_never_rendered_as_html_in_the_admin(editor_client, db):
    ContactMessage.objects.create(
        name="<script>alert(1)</script>",
        email="a@example.org",
        subject="<b>x</b>",
        message="<img src=x onerror=alert(1)>",
        language="en",
    )
    message = ContactMessage.objects.get()
    html = editor_client.get(f"/admin/pages/contactmessage/{message.pk}/change/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html


def test_staff_search_and_mark_messages_handled(editor_client, db):
    message = ContactMessage.objects.create(
        name="N", email="n@example.org", subject="Broken link", message="m", language="en"
    )
    listing = editor_client.get("/admin/pages/contactmessage/?q=Broken").content.decode()
    assert "Broken link" in listing
    editor_client.post(
        "/admin/pages/contactmessage/",
        {"action": "mark_handled", "_selected_action": [message.pk]},
    )
    message.refresh_from_db()
    assert message.status == ContactMessage.Status.HANDLED and message.handled_at
    assert editor_client.get("/admin/pages/contactmessage/add/").status_code == 403


def test_moderators_cannot_read_contact_messages(client, moderator):
    client.force_login(moderator)
    assert client.get("/admin/pages/contactmessage/").status_code == 403


# --- Site settings -------------------------------------------------------------------------------


def test_settings_changes_show_on_the_next_page_view(
    editor_client, client, db, django_capture_on_commit_callbacks
):
    assert "NEJAT Society" in client.get("/").content.decode()  # cached from here on
    row = SiteSettings.load()
    with django_capture_on_commit_callbacks(execute=True):  # the admin's transaction commits
        response = editor_client.post(
            f"/admin/pages/sitesettings/{row.pk}/change/",
            {
                "site_name_en": "Nejat News",
                "site_name_fa": "خبرهای نجات",
                "site_name_ar": "",
                "site_name_sq": "",
                "copyright_first_year": "1999",
                "contact_email": "desk@example.org",
                "facebook": "https://facebook.example/nejat",
                "twitter": "",
                "instagram": "",
                "youtube": "",
                "telegram": "https://t.me/nejat_demo",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    english, persian = client.get("/").content.decode(), client.get("/fa/").content.decode()
    assert ">Nejat News<" in english and "© 1999 - " in english
    assert 'href="https://t.me/nejat_demo"' in english and ">YouTube<" not in english
    assert ">خبرهای نجات<" in persian and "۱۹۹۹" in persian
    assert ">جمعية نجات<" in client.get("/ar/").content.decode()  # no own name: translated default


def test_settings_cost_no_query_once_cached(client, db, django_assert_num_queries, about):
    client.get("/articles/")
    with django_assert_num_queries(1):  # the empty article list (Recent Posts: a shared fragment)
        client.get("/articles/")


def test_there_is_one_settings_row(editor_client, db):
    assert editor_client.get("/admin/pages/sitesettings/").status_code == 302
    assert editor_client.get("/admin/pages/sitesettings/add/").status_code == 403
