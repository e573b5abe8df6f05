"""Readers comment; moderators approve, reject or mark spam; nothing a reader sends is lost."""

import socket
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail, signing
from django.test import Client

from nejat.comments.models import Comment
from nejat.comments.moderation import moderate
from nejat.publishing import Status
from nejat.security.antispam.forms import SIGNING_SALT
from nejat.security.antispam.models import BlockedTerm
from tests.conftest import browser_like_client

pytestmark = pytest.mark.django_db


def comment_data(**overrides):
    data = {
        "name": "Reader Demo",
        "email": "reader@example.org",
        "text": "Thank you for this report.",
        "website": "",
        "shown_at": signing.dumps(time.time() - 30, salt=SIGNING_SALT),
    }
    data.update(overrides)
    return data


def post_url(item):
    return f"/comments/{ContentType.objects.get_for_model(item).pk}/{item.pk}/"


@pytest.fixture
def article(article_factory):
    return article_factory(title_en="Commented story", title_fa="خبر با دیدگاه")


@pytest.fixture
def reader():
    return browser_like_client()


def approve_all():
    return moderate(Comment.objects.all(), Comment.Status.APPROVED)


def test_a_new_comment_waits_for_moderation(reader, article):
    response = reader.post(post_url(article), comment_data())
    assert response.status_code == 302
    assert response["Location"] == f"{article.url_in('en')}?comment=pending#comments"
    comment = Comment.objects.get()
    assert (comment.status, comment.item, comment.language) == ("pending", article, "en")
    page = reader.get(response["Location"]).content.decode()
    assert "awaiting moderation" in page
    assert "Thank you for this report." not in page  # pending is not shown to anyone
    article.refresh_from_db()
    assert article.comment_count == 0


def test_approved_comments_show_oldest_first_and_count_in_lists(reader, article):
    for text in ("First!", "Second."):
        reader.post(post_url(article), comment_data(text=text))
    approve_all()
    page = reader.get(article.url_in("en")).content.decode()
    assert page.index("First!") < page.index("Second.")
    assert "2 comments" in page
    assert "1 comment" not in reader.get("/").content.decode()
    assert "2 comments" in reader.get("/").content.decode()
    assert "reader@example.org" not in page  # the email is never shown


def test_persian_edition_dates_and_counts(reader, article):
    reader.post(f"/fa{post_url(article)}", comment_data(text="سپاس"))
    approve_all()
    page = reader.get(article.url_in("fa")).content.decode()
    assert "۱ دیدگاه" in page and "سپاس" in page


def test_replies_go_one_level_deep(reader, article):
    reader.post(post_url(article), comment_data(text="Top"))
    approve_all()
    top = Comment.objects.get()
    reader.post(post_url(article), comment_data(text="Reply", parent=top.pk))
    approve_all()
    reply = Comment.objects.get(text="Reply")
    reader.post(post_url(article), comment_data(text="Reply to reply", parent=reply.pk))
    assert Comment.objects.get(text="Reply to reply").parent == top
    page = reader.get(f"{article.url_in('en')}?reply={top.pk}").content.decode()
    assert f'name="parent" value="{top.pk}"' in page and "Replying to" in page


def test_replying_to_a_pending_comment_is_refused(reader, article):
    reader.post(post_url(article), comment_data(text="Not yet approved"))
    pending = Comment.objects.get()
    response = reader.post(post_url(article), comment_data(parent=pending.pk))
    assert response.status_code == 400 and "not available" in response.content.decode()


def test_known_commenters_can_be_approved_at_once(reader, article, settings):
    settings.COMMENTS = {**settings.COMMENTS, "AUTO_APPROVE_KNOWN": True}
    reader.post(post_url(article), comment_data(text="First visit"))
    assert Comment.objects.get().status == "pending"
    approve_all()
    response = reader.post(post_url(article), comment_data(text="Second visit"))
    assert "comment=approved" in response["Location"]
    article.refresh_from_db()
    assert article.comment_count == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "\u202e"}, "This field is required."),
        ({"text": "   "}, "This field is required."),
        ({"email": "nope"}, "Enter a valid email address."),
        ({"text": "x" * 3001}, "at most 3000 characters"),
        ({"shown_at": "tampered"}, "could not be verified"),
    ],
)
def test_bad_input_is_a_clear_form_error(reader, article, overrides, message):
    response = reader.post(post_url(article), comment_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_where_comments_cannot_go(reader, article_factory, article):
    draft = article_factory(status=Status.DRAFT)
    closed = article_factory(allow_comments=False)
    english_only = article_factory(title_en="English only")
    article_type = ContentType.objects.get_for_model(article).pk
    assert reader.post(post_url(draft), comment_data()).status_code == 404
    assert reader.post(f"/comments/{article_type}/999999/", comment_data()).status_code == 404
    assert reader.post(f"/comments/999999/{article.pk}/", comment_data()).status_code == 404
    user_type = ContentType.objects.get(app_label="auth", model="user").pk
    assert reader.post(f"/comments/{user_type}/1/", comment_data()).status_code == 404
    assert reader.post(f"/fa{post_url(english_only)}", comment_data()).status_code == 404
    assert reader.post(post_url(closed), comment_data()).status_code == 403
    assert reader.get(post_url(article)).status_code == 405
    assert not Comment.objects.exists()
    assert "Comments are closed." in reader.get(closed.url_in("en")).content.decode()


def test_a_comment_posted_from_another_site_is_refused(article):
    forged = Client(headers={"Origin": "https://elsewhere.example"}, enforce_csrf_checks=True)
    response = forged.post(post_url(article), comment_data())
    assert response.status_code == 403 and not Comment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "blocked"),
    [
        ({"website": "http://bot.example"}, None),
        ({"shown_at": "fresh"}, None),
        ({"text": "http://a.example http://b.example http://c.example"}, None),
        ({"text": "Buy cheap pills"}, ("word", "cheap pills")),
        ({"email": "x@spam.example"}, ("email", "spam.example")),
    ],
)
def test_suspected_spam_is_kept_as_spam(reader, article, overrides, blocked, moderator):
    moderator.email = "mod@example.org"
    moderator.save()
    if blocked:
        BlockedTerm.objects.create(kind=blocked[0], value=blocked[1])
    if overrides.get("shown_at") == "fresh":
        overrides = {"shown_at": signing.dumps(time.time(), salt=SIGNING_SALT)}
    response = reader.post(post_url(article), comment_data(**overrides))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == "spam" and comment.spam_reason
    assert mail.outbox == []


def test_rate_limit_per_address(reader, article, settings):
    settings.ANTISPAM = {**settings.ANTISPAM, "RATE_LIMIT": 3}
    for n in range(3):
        assert reader.post(post_url(article), comment_data(text=f"n{n}")).status_code == 302
    response = reader.post(post_url(article), comment_data(text="one too many"))
    assert response.status_code == 429 and "one too many" in response.content.decode()
    assert Comment.objects.count() == 3


def test_moderators_are_emailed_after_the_comment_is_saved(
    reader, article, moderator, django_capture_on_commit_callbacks
):
    moderator.email = "mod@example.org"
    moderator.save()
    with django_capture_on_commit_callbacks(execute=True):
        reader.post(post_url(article), comment_data())
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["mod@example.org"]
    body = mail.outbox[0].body
    assert "Thank you for this report." in body
    # whole addresses, which a mail client can open
    assert f"http://testserver{article.get_absolute_url()}" in body
    assert "Moderate: http://testserver/admin/comments/comment/\n" in body


def test_a_failing_mail_server_keeps_the_comment(
    reader, article, moderator, settings, django_capture_on_commit_callbacks
):
    moderator.email = "mod@example.org"
    moderator.save()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    with django_capture_on_commit_callbacks(execute=True):
        response = reader.post(post_url(article), comment_data())
    assert response.status_code == 302
    assert Comment.objects.get().status == "pending"


def test_moderation_states_and_counts(reader, article):
    reader.post(post_url(article), comment_data())
    comments = Comment.objects.all()
    expected = [("approved", 1), ("spam", 0), ("approved", 1), ("removed", 0), ("pending", 0)]
    for status, count in expected:
        moderate(comments, status)
        article.refresh_from_db()
        assert article.comment_count == count, status


def test_moderator_works_the_queue_in_the_admin(client, moderator, article, reader):
    reader.post(post_url(article), comment_data(text="Older approved"))
    approve_all()
    reader.post(post_url(article), comment_data(text="Waiting one"))
    client.force_login(moderator)
    queue = client.get("/admin/comments/comment/?status=all").content.decode()
    assert queue.index("Waiting one") < queue.index("Older approved")  # pending first
    assert "127.0.0.1" in queue and "reader@example.org" in queue
    waiting = Comment.objects.get(text="Waiting one")
    response = client.post(
        "/admin/comments/comment/", {"action": "approve", "_selected_action": [waiting.pk]}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "approved" and waiting.moderated_by == moderator
    assert "Waiting one" in reader.get(article.url_in("en")).content.decode()
    # The change form lets a moderator set the status and nothing else.
    client.post(
        f"/admin/comments/comment/{waiting.pk}/change/",
        {"status": "spam", "text": "rewritten", "name": "someone else"},
    )
    waiting.refresh_from_db()
    assert (waiting.status, waiting.text, waiting.name) == ("spam", "Waiting one", "Reader Demo")
    article.refresh_from_db()
    assert article.comment_count == 1


def test_moderators_can_do_nothing_else(client, moderator, article):
    client.force_login(moderator)
    for url in (
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/comments/comment/add/",
        "/admin/pages/sitesettings/",
        "/admin/auth/user/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.get("/admin/antispam/blockedterm/").status_code == 200


def test_editors_moderate_too(editor_client, reader, article):
    reader.post(post_url(article), comment_data())
    assert editor_client.get("/admin/comments/comment/").status_code == 200


HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "\u202eevil.exe\u202c and \u2066hidden\u2069",
    '"><svg onload=alert(1)>',
    "javascript:alert(document.cookie)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_rendered_inert(reader, article, text):
    reader.post(post_url(article), comment_data(name=text[:80], text=text))
    approve_all()
    page = reader.get(article.url_in("en")).content.decode()
    comments = page[page.index('id="comments"') :]
    for forbidden in ("<script", "<img", 'href="javascript:', "<svg", "\u202e", "\u2066"):
        assert forbidden not in comments


def test_links_in_comments_are_nofollow_ugc(reader, article):
    reader.post(post_url(article), comment_data(text="See https://example.org/report please"))
    approve_all()
    page = reader.get(article.url_in("en")).content.decode()
    assert '<a href="https://example.org/report" rel="nofollow ugc noopener">' in page
