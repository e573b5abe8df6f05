"""The agenda of scheduled items (nejat/publishing/schedule.py): what goes out when, per day in the
site's zone, per edition; and publish times that say which zone they are in."""

import re
from datetime import timedelta

import jdatetime
import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from nejat.publishing import Status

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

AGENDA = "/admin/scheduled/"


@pytest.fixture
def soon(article_factory):
    """Two items tomorrow morning and evening, one in three days, and what must not show."""
    morning = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
    tomorrow = morning + timedelta(days=1)
    items = {
        "first": article_factory(title_en="Tomorrow at half past nine", publish_at=tomorrow),
        "second": article_factory(
            title_en="", title_fa="فردا عصر", publish_at=tomorrow + timedelta(hours=9)
        ),
        "later": article_factory(title_en="In three days", publish_at=tomorrow + timedelta(days=2)),
    }
    article_factory(title_en="Already out", publish_at=timezone.now() - timedelta(hours=1))
    article_factory(title_en="A draft", status=Status.DRAFT, publish_at=tomorrow)
    article_factory(title_en="In the trash", publish_at=tomorrow).move_to_trash()
    return items


def test_the_agenda_lists_what_is_scheduled_by_day_soonest_first(editor_client, soon):
    page = editor_client.get(AGENDA).content.decode()
    order = [
        page.index(text) for text in ("Tomorrow at half past nine", "فردا عصر", "In three days")
    ]
    assert order == sorted(order)
    assert page.count('class="agenda-day"') == 2  # tomorrow, and three days on
    assert "09:30" in page
    for absent in ("Already out", "A draft", "In the trash"):
        assert absent not in page
    assert f'href="/admin/articles/article/{soon["first"].pk}/change/"' in page


def test_one_edition_and_its_calendar(editor_client, soon):
    persian = editor_client.get("/fa" + AGENDA, {"edition": "fa"}).content.decode()
    assert "فردا عصر" in persian and "Tomorrow at half past nine" not in persian
    assert "۰۹:۳۰" not in persian and "۱۸:۳۰" in persian  # Persian digits, the site's zone
    day = timezone.localdate(soon["second"].publish_at)

    assert (
        str(jdatetime.date.fromgregorian(date=day).year).translate(
            str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
        )
        in persian
    )


def test_a_contributor_sees_their_own_scheduled_items_only(client, soon, article_factory):
    writer = User.objects.create_user("writer", password="a-writer-password", is_staff=True)
    writer.groups.add(Group.objects.get(name="Contributors"))
    mine = soon["later"].publish_at
    article_factory(title_en="My own for later", publish_at=mine, created_by=writer)
    client.force_login(writer)
    page = client.get(AGENDA).content.decode()
    assert "My own for later" in page
    assert "Tomorrow at half past nine" not in page  # someone else's, still embargoed


def test_only_staff_who_see_content_open_it(client, django_user_model):
    nobody = django_user_model.objects.create_user("x", is_staff=True)
    client.force_login(nobody)
    assert client.get(AGENDA).status_code == 403


def test_publish_times_say_their_zone(editor_client, settings):
    form = editor_client.get("/admin/articles/article/add/").content.decode()
    offset = timezone.localtime().strftime("%z")  # the zone's city, named where it is known
    zone = f"UTC {offset[:3]}:{offset[3:]}"
    zone = f"Tehran time ({zone})" if settings.TIME_ZONE == "Asia/Tehran" else zone
    assert f"Times are in the site's time zone: {zone}." in form
    persian = editor_client.get("/fa/admin/articles/article/add/").content.decode()
    words = re.sub(r"<script\b.*?</script>|<[^>]+>", " ", persian, flags=re.S)
    assert "Asia/Tehran" not in words  # the zone is for the scripts (data-time-zone), not read
