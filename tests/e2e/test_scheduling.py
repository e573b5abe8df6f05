"""Scheduling that says so (#33, point 6): in the Persian admin an editor picks a Solar date and
a time to the minute, saves, and is told when readers will see the item; "Publish now" says it
is out. The time's label and the calendar button do not overlap, on a desktop or a phone."""

from datetime import timedelta

import jdatetime
import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from nejat.editions import local_digits
from nejat.publishing import Status
from tests.e2e.conftest import ARTIFACTS, LIVE_DATABASE

pytestmark = [pytest.mark.e2e, LIVE_DATABASE]

# The publish time's parts (labels, inputs, buttons) that touch or overlap: less than 4 px apart.
OVERLAPS = """() => {
  const row = document.querySelector('.field-publish_at');
  const parts = 'input:not([type=hidden]), a, label, .datetimeshortcuts, button';
  const boxes = [...row.querySelectorAll(parts)]
    .filter(el => el.offsetParent !== null)
    .map(el => ({name: el.textContent.trim() || el.name, r: el.getBoundingClientRect()}))
    .filter(b => b.r.width && b.r.height);
  const hits = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].r, b = boxes[j].r;
    const within = (p, q) =>
      p.left >= q.left && p.right <= q.right && p.top >= q.top && p.bottom <= q.bottom;
    const inside = within(a, b) || within(b, a);
    const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (x > -4 && y > 1 && !inside) hits.push([boxes[i].name, boxes[j].name]);
  }
  return hits;
}"""


@pytest.fixture
def desk(db):
    user = User.objects.create_user("desk", password="a desk pass phrase", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def sign_in(page, url):
    page.goto(url)
    page.fill("#id_auth-username", "desk")
    page.fill("#id_auth-password", "a desk pass phrase")
    page.click("input[type=submit]")


@pytest.mark.parametrize(("device", "width"), [("desktop", 1280), ("phone", 390)])
def test_scheduling_on_the_solar_calendar_says_when_readers_see_it(
    page, live_server, desk, article_factory, screenshot, device, width
):
    article = article_factory(title_en="", title_fa="گزارش فردا", status=Status.DRAFT)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, f"{live_server.url}/fa/admin/articles/article/{article.pk}/change/")
    when = timezone.localtime() + timedelta(days=10)
    solar = jdatetime.date.fromgregorian(date=when.date())
    solar_text = f"{solar.year}/{solar.month:02}/{solar.day:02}"
    page.fill("#id_publish_at_0", local_digits(solar_text, "fa"))
    page.fill("#id_publish_at_1", local_digits("09:00", "fa"))
    page.select_option("#id_status", Status.PUBLISHED)
    row = page.locator(".field-publish_at")
    row.scroll_into_view_if_needed()
    assert page.evaluate(OVERLAPS) == []
    row.screenshot(path=str(ARTIFACTS / f"admin-fa-publish-time-{device}.png"))
    page.click("input[name=_save]")

    said = page.locator(".messagelist .success", has_text="زمان‌بندی شد")
    expect(said).to_contain_text("گزارش فردا")
    expect(said).to_contain_text(local_digits(f"{solar.day} ", "fa"))
    expect(said).to_contain_text("۰۹:۰۰")
    expect(said).to_contain_text("تهران")
    saved = Article.objects.get(pk=article.pk)
    assert saved.is_scheduled
    assert timezone.localtime(saved.publish_at).replace(tzinfo=None) == when.replace(
        hour=9, minute=0, second=0, microsecond=0, tzinfo=None
    )

    page.goto(f"{live_server.url}/fa/admin/articles/article/{article.pk}/change/")
    expect(page.locator("#id_publish_at_1")).to_have_value("۰۹:۰۰")  # to the minute
    page.click("input[name=_publish_now]")
    expect(page.locator(".messagelist .success", has_text="منتشر شد")).to_contain_text("گزارش فردا")
    screenshot(page, f"admin-fa-published-now-{device}")
    assert Article.objects.get(pk=article.pk).is_published
