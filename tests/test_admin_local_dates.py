"""A day in the Persian and Arabic admin meets no Gregorian month name in Persian and no Latin
digit: Solar Hijri dates (nejat/editions/solar_dates.py) and the language's own digits
(nejat/editions/admin_digits.py) on every screen an editor or a moderator opens (#33)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from reversion.models import Version

from nejat.comments.models import Comment
from nejat.editions.admin_digits import NAME, in_local_digits
from nejat.editions.solar_dates import solar_format
from tests.conftest import comment_on
from tests.helpers.forms import save_again
from tests.helpers.pages import VisibleWords

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

ENGLISH_MONTHS = (
    "January February March April May June July August September October November December"
)
# The Gregorian months as Persian writes them (Django's Persian catalogue): not in the fa admin.
GREGORIAN_IN_PERSIAN = "ژانویه فوریه مارس آوریل ژوئن ژوئیه اوت سپتامبر اکتبر نوامبر دسامبر"
MONTHS = {
    "fa": set(ENGLISH_MONTHS.split() + GREGORIAN_IN_PERSIAN.split()),
    "ar": set(ENGLISH_MONTHS.split()),
}


def latin_numbers(words):
    """The words of a page written with Latin digits that are numbers, not names."""
    return {
        word for text in words for word in re.findall(r"\S*[0-9]\S*", text) if not NAME.search(word)
    }


@pytest.fixture
def a_working_day(editor_client, editor, article_factory):
    """What an editor meets in a day: a scheduled and a published article, one saved twice
    (two revisions a day apart), a pending comment, an item in the trash."""
    now = timezone.now()
    scheduled = article_factory(
        title_fa="گزارش فردا", title_en="", publish_at=now + timedelta(days=2)
    )
    article = article_factory(title_fa="گزارش امروز", title_en="", publish_at=now)
    url = f"/admin/articles/article/{article.pk}/change/"
    with time_machine.travel(now - timedelta(days=1)):
        assert save_again(editor_client, url, "article_form").status_code == 302
    editor_client.force_login(editor)  # yesterday's session ended
    assert save_again(editor_client, url, "article_form", title_fa="گزارش").status_code == 302
    comment_on(article, language="fa", text="نظر خواننده")
    trashed = article_factory(title_fa="کهنه", title_en="")
    trashed.move_to_trash()
    return {"article": article, "scheduled": scheduled, "trashed": trashed}


@pytest.mark.parametrize("code", ["fa", "ar"])
def test_a_day_in_the_admin_meets_no_gregorian_month_and_no_latin_digit(
    editor_client, moderator, a_working_day, code
):
    article = a_working_day["article"]
    yesterdays, todays = sorted(Version.objects.get_for_object(article), key=lambda v: v.pk)
    comment = Comment.objects.get()
    base = f"/{code}/admin"
    revision = f"{base}/articles/article/{article.pk}/history/{yesterdays.pk}/"
    pages = [
        f"{base}/",
        f"{base}/articles/article/",
        f"{base}/articles/article/?state=trash",
        f"{base}/articles/article/{article.pk}/change/",
        f"{base}/articles/article/{article.pk}/history/",
        f"{base}/articles/article/{article.pk}/history/compare/"
        f"?version_id1={yesterdays.pk}&version_id2={todays.pk}",
        revision,  # the form, filled with yesterday's revision
        f"{base}/articles/article/{article.pk}/delete/",
        f"{base}/comments/comment/",
        f"{base}/comments/comment/{comment.pk}/change/",
        f"{base}/recent-changes/",
        f"{base}/scheduled/",
    ]
    for url in pages:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        parser = VisibleWords()
        parser.feed(response.content.decode())
        months = {w for text in parser.words for w in re.findall(r"\w+", text)} & MONTHS[code]
        assert not months, (url, months)
        assert not latin_numbers(parser.words), (url, latin_numbers(parser.words))
        dots = [t for t in parser.words if re.search(r"[۰-۹٠-٩]\s*·|·\s*[۰-۹٠-٩]", t)]
        assert not dots, (url, dots)  # a middle dot beside these digits reads as a zero


def test_the_persian_list_shows_solar_publish_times_and_drills_down_by_solar_month(
    editor_client, a_working_day
):
    article = a_working_day["article"]
    listed = editor_client.get("/fa/admin/articles/article/").content.decode()
    assert solar_format(article.publish_at, "DATETIME_FORMAT") in listed
    assert "xfull" not in listed and 'class="xfull"' not in listed  # no Gregorian drill-down
    month = solar_format(timezone.localtime(article.publish_at).date(), "YEAR_MONTH_FORMAT")
    year = re.search(r"[۰-۹]{4}", month)[0]
    links = {
        text.strip(): href.replace("&amp;", "&")
        for href, text in re.findall(r'<a href="(\?publish_at__gte=[^"]*)">([^<]*)</a>', listed)
    }
    assert year in links  # the years first, then the months of the chosen one
    in_year = editor_client.get("/fa/admin/articles/article/" + links[year]).content.decode()
    month_link = re.search(
        r'<a href="(\?publish_at__gte=[^"]*)">– ' + re.escape(month) + "</a>", in_year
    )
    assert month_link, month
    in_month = editor_client.get(
        "/fa/admin/articles/article/" + month_link[1].replace("&amp;", "&")
    ).content.decode()
    assert f"/{article.pk}/change/" in in_month


def test_digits_change_in_words_only():
    html = (
        '<p class="x2">3 results <a href="/admin/x/12/">No. 9903</a> &#8220; editor2 10:30'
        " /x/1/ 1200×800 <code>12</code></p><script>var a = 1;</script><textarea>5</textarea>"
    )
    assert in_local_digits(html, "fa") == (
        '<p class="x2">۳ results <a href="/admin/x/12/">No. ۹۹۰۳</a> &#8220; editor2 ۱۰:۳۰'
        " /x/1/ ۱۲۰۰×۸۰۰ <code>12</code></p><script>var a = 1;</script><textarea>5</textarea>"
    )
    assert in_local_digits("<b>12</b>", "ar") == "<b>١٢</b>"


def test_the_public_sitemap_and_feeds_keep_machine_dates(client, article_factory):
    article_factory(title_fa="گزارش", publish_at=timezone.now())
    sitemap = client.get("/sitemap.xml").content.decode()
    assert re.search(r"<lastmod>20\d\d-\d\d-\d\d", sitemap)


def test_the_persian_admin_names_items_by_their_persian_titles(editor_client, article_factory):
    article_factory(title_en="Water report", title_fa="گزارش آب", publish_at=timezone.now())
    article_factory(
        title_en="Tomorrow's report",
        title_fa="گزارش فردا",
        publish_at=timezone.now() + timedelta(days=1),
    )
    listed = editor_client.get("/fa/admin/articles/article/").content.decode()
    assert "گزارش آب" in listed and "Water report" not in listed
    agenda = editor_client.get("/fa/admin/scheduled/").content.decode()
    assert "گزارش فردا" in agenda and "Tomorrow" not in agenda
    assert "English، فارسی" in agenda and "en · fa" not in agenda  # editions by name
    assert "به وقت " in agenda and "Asia/Tehran" not in agenda  # "به وقت تهران (UTC +۰۳:۳۰)"
    assert "Water report" in editor_client.get("/admin/articles/article/").content.decode()
