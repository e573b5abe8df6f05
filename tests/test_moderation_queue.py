"""The moderation queue as a moderator works it (#20 item 7): it opens on the pending comments,
each row has one-click buttons, the menu counts what waits, and a queue nobody hears of says so."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _

from nejat.comments.models import Comment
from tests.conftest import comment_on

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/comment/"


@pytest.fixture
def queue(moderator, article_factory):
    moderator.email = "mod@example.org"
    moderator.save()
    article = article_factory(title_en="Water report")
    waiting = [comment_on(article, text=f"Waiting {n}") for n in range(3)]
    approved = comment_on(article, text="Already out", status=Comment.Status.APPROVED)
    client = Client()
    client.force_login(moderator)
    return client, waiting, approved


def test_the_queue_opens_on_what_waits_and_all_is_one_click_away(queue):
    client, _waiting, _approved = queue
    page = client.get(QUEUE).content.decode()
    assert all(f"Waiting {n}" in page for n in range(3)) and "Already out" not in page
    everything = client.get(QUEUE + "?status=all").content.decode()
    assert "Already out" in everything and "Waiting 0" in everything
    assert "Waiting 0" not in client.get(QUEUE + "?status=approved").content.decode()


def test_one_click_approves_a_row_and_comes_back_to_the_queue(queue):
    client, waiting, _approved = queue
    page = client.get(QUEUE).content.decode()
    button = f'formaction="/admin/comments/comment/{waiting[0].pk}/moderate/approved/"'
    assert button in page
    answer = client.post(
        f"{QUEUE}{waiting[0].pk}/moderate/approved/", HTTP_REFERER=f"http://testserver{QUEUE}?p=1"
    )
    assert answer.status_code == 302 and answer["Location"] == f"http://testserver{QUEUE}?p=1"
    waiting[0].refresh_from_db()
    assert waiting[0].status == Comment.Status.APPROVED
    client.post(f"{QUEUE}{waiting[1].pk}/moderate/spam/")
    waiting[1].refresh_from_db()
    assert waiting[1].status == Comment.Status.SPAM
    client.get(f"{QUEUE}{waiting[2].pk}/moderate/approved/")  # a link, not a click: nothing
    client.post(f"{QUEUE}{waiting[2].pk}/moderate/pending-forever/")  # not a status one gives
    waiting[2].refresh_from_db()
    assert waiting[2].status == Comment.Status.PENDING


def test_the_menu_counts_the_comments_waiting_in_the_editions_digits(queue):
    client, _waiting, _approved = queue
    assert "3 comments waiting for moderation" in client.get("/admin/").content.decode()
    persian = client.get("/fa/admin/").content.decode()
    assert '<span aria-hidden="true">۳</span>' in persian


def test_staff_who_do_not_moderate_see_no_count(queue):
    contributor = User.objects.create_user("writer", is_staff=True)
    contributor.groups.add(Group.objects.get(name="Contributors"))
    contributors = Client()
    contributors.force_login(contributor)
    assert "waiting for moderation" not in contributors.get("/admin/").content.decode()


def test_a_queue_nobody_is_told_about_says_so(queue, moderator, settings):
    client, _waiting, _approved = queue
    assert "Nobody is told" not in client.get(QUEUE).content.decode()
    moderator.email = ""
    moderator.save()
    settings.COMMENTS = {**settings.COMMENTS, "NOTIFY": []}
    assert "Nobody is told of new comments" in client.get(QUEUE).content.decode()
    other = User.objects.create_user("mod2", email="mod2@example.org", is_staff=True)
    other.groups.add(Group.objects.get(name="Moderators"))
    page = client.get(QUEUE).content.decode()
    assert "Nobody is told" not in page and "Your account has no e-mail address" in page


def test_a_moderator_answers_a_reader_as_the_site(queue, moderator):
    client, waiting, _approved = queue
    change = f"{QUEUE}{waiting[0].pk}/change/"
    assert 'name="reply"' in client.get(change).content.decode()
    saved = client.post(
        change, {"status": "pending", "reply": "Thank you: we are looking into it."}
    )
    assert saved.status_code == 302
    reply = Comment.objects.get(staff_author=moderator)
    assert reply.parent == waiting[0] and reply.status == Comment.Status.APPROVED
    assert reply.language == waiting[0].language
    with translation.override(reply.language):  # not the login name: "The editors", translated
        assert reply.name == str(_("The editors")) != "moderator"
    waiting[0].refresh_from_db()
    assert waiting[0].status == Comment.Status.APPROVED  # answered, so shown
    page = Client().get(waiting[0].item.get_absolute_url()).content.decode()
    thread = page[page.index(f'id="c{waiting[0].pk}"') :]
    assert 'class="comment by-staff"' in thread and "Thank you: we are looking into it." in thread
    badge = re.search(r'<span class="staff-badge">([^<]*)</span>', thread)
    assert badge and badge[1].strip()  # the site's name, not an empty badge
    assert thread.index("Waiting 0") < thread.index("Thank you")
    # Opened and saved again without a reply: nothing new is published.
    client.post(change, {"status": "approved", "reply": "  "})
    assert Comment.objects.filter(staff_author=moderator).count() == 1
