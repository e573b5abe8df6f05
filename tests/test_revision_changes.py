"""Revisions an editor can read (#33, point 4): History says what each save changed, per
edition, in the reader's language; Compare shows the words, not the HTML, each edition in its
own direction, only fields the form shows; a second save records no new publish time; a
restore says all that it brings back and is noted in History."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from reversion.models import Version

from nejat.models import set_edition_tags
from nejat.publishing import Status
from publications.factories import NewsletterFactory, NewsletterItemFactory
from tests.helpers.forms import form_fields, save_again
from tests.helpers.pages import section_of

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def admin_url(item, view, *args, code="fa"):
    meta = item._meta
    with translation.override(code):
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[item.pk, *args])


def history_rows(client, item):
    html = client.get(admin_url(item, "history")).content.decode()
    table = html.split('id="change-history"', 1)[1].split("</table>", 1)[0]
    return [re.sub(r"\s+", " ", row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]]


@pytest.fixture
def edited_twice(editor_client, article_factory):
    """An article saved in the English admin, then its Persian text and tags changed."""
    article = article_factory(
        title_en="Water report",
        title_fa="گزارش آب",
        body_fa=(
            '<p>متن دیروز.</p><h2>بخش دوم</h2><p>با <a href="/fa/x/%D8%A2%D8%A8/">پیوند</a></p>'
        ),
        status=Status.PUBLISHED,
    )
    set_edition_tags(article, {"fa": ["تهران", "آب"]})
    english = admin_url(article, "change", code="en")
    assert save_again(editor_client, english, "article_form").status_code == 302
    changed = save_again(
        editor_client,
        english,
        "article_form",
        body_fa="<p>متن امروز.</p><h2>بخش دوم</h2><p>با پیوند</p>",
        edition_tags_fa="آب، اقتصاد",
    )
    assert changed.status_code == 302
    return article


def test_compare_shows_each_editions_words_in_its_direction(editor_client, edited_twice):
    article = edited_twice
    first, second = Version.objects.get_for_object(article).order_by("pk")
    page = editor_client.get(
        admin_url(article, "compare"), {"version_id1": second.pk, "version_id2": first.pk}
    )  # in either order: from the older to the newer
    assert page.status_code == 200
    html = page.content.decode()
    persian = section_of(html, "فارسی")
    assert 'lang="fa" dir="rtl"' in persian
    assert "<del>دیروز</del><ins>امروز</ins>" in persian
    assert "⟨/fa/x/آب/⟩" in persian  # the link's address, decoded
    assert "&lt;p&gt;" not in html and "&lt;h2&gt;" not in html  # words, not HTML
    assert '<th scope="row">متن</th>' in persian and "[fa]" not in html
    assert "<del>تهران</del><ins>اقتصاد</ins>" in persian  # tags, with the Persian comma
    assert "آب، " in persian
    assert "<h2>English</h2>" not in html  # nothing else changed
    for internal in ("featured_image_width", "renditions", "search_", "updated_at", "زمان انتشار"):
        assert internal not in html, internal
    assert "Compare" not in html and "Revert" not in html


def test_history_says_what_each_save_changed_in_the_readers_language(editor_client, edited_twice):
    article = edited_twice
    english_history = admin_url(article, "history", code="en")
    assert "Persian" not in editor_client.get(english_history).content.decode()  # endonyms
    newest, first = history_rows(editor_client, article)
    assert "فارسی: متن، برچسب‌ها" in newest
    assert "زمان انتشار" not in newest and "Publish time" not in newest and "[fa]" not in newest
    assert "متن" not in first  # the first revision: nothing before it to compare with
    english_rows = [
        re.sub(r"\s+", " ", row)
        for row in re.findall(
            r"<tr>(.*?)</tr>", editor_client.get(english_history).content.decode(), re.S
        )
    ]
    assert any("فارسی: Body, Tags" in row for row in english_rows)


def test_saving_a_form_again_keeps_the_publish_time_to_the_second(editor_client, article_factory):
    planned = timezone.now().replace(microsecond=250000) - timedelta(hours=3, seconds=17)
    article = article_factory(title_fa="گزارش", publish_at=planned, status=Status.PUBLISHED)
    url = admin_url(article, "change")
    fields = form_fields(editor_client.get(url).content.decode(), "article_form")
    assert re.fullmatch(r"[۰-۹]{2}:[۰-۹]{2}", fields["publish_at_1"])  # to the minute
    for _twice in range(2):
        assert save_again(editor_client, url, "article_form").status_code == 302
        article.refresh_from_db()
        assert article.publish_at == planned
    english = admin_url(article, "change", code="en")
    assert re.fullmatch(
        r"\d{2}:\d{2}",
        form_fields(editor_client.get(english).content.decode(), "article_form")["publish_at_1"],
    )
    assert save_again(editor_client, english, "article_form").status_code == 302
    article.refresh_from_db()
    assert article.publish_at == planned
    later = timezone.localtime(planned + timedelta(days=1))
    moved = save_again(
        editor_client, english, "article_form", publish_at_0=later.strftime("%Y-%m-%d"),
        publish_at_1=later.strftime("%H:%M"),
    )  # fmt: skip
    assert moved.status_code == 302
    article.refresh_from_db()
    assert article.publish_at == later.replace(second=0, microsecond=0)
    newest = history_rows(editor_client, article)[0]
    assert "زمان انتشار" in newest  # a real change is recorded


def test_a_restore_says_all_it_brings_back_and_is_noted(editor_client, editor):
    issue = NewsletterFactory(title_fa="شماره ۱۰", status=Status.PUBLISHED)
    NewsletterItemFactory(newsletter=issue, title_fa="خبر نخست")
    url = admin_url(issue, "change")
    yesterday = timezone.now() - timedelta(days=1)
    with time_machine.travel(yesterday):
        assert save_again(editor_client, url, "newsletter_form").status_code == 302
    editor_client.force_login(editor)  # yesterday's session ended
    NewsletterItemFactory(newsletter=issue, title_fa="خبر دوم")
    renamed = save_again(editor_client, url, "newsletter_form", title_fa="شماره یازده")
    assert renamed.status_code == 302
    first = Version.objects.get_for_object(issue).order_by("pk").first()
    restore = editor_client.get(admin_url(issue, "revision", first.pk)).content.decode()
    notice = restore.split('class="restore-changes"', 1)[1].split("</div>", 1)[0]
    assert "شماره <del>یازده</del><ins>۱۰</ins>" in notice
    assert re.search(r"<del>[^<]*خبر دوم", notice)  # the row that the restore takes away
    assert (
        save_again(
            editor_client, admin_url(issue, "revision", first.pk), "newsletter_form"
        ).status_code
        == 302
    )
    issue.refresh_from_db()
    assert issue.title_fa == "شماره ۱۰"
    newest = history_rows(editor_client, issue)[0]
    when = re.escape("بازگرداندن نسخهٔ")
    assert re.search(when, newest), newest  # "Restored the version of" with its Solar date
    assert re.search(r"[۰-۹]{4}", newest) and not re.search(r"\b20\d\d\b", newest)


def test_compare_without_two_revisions_is_a_clear_400(editor_client, edited_twice):
    url = admin_url(edited_twice, "compare")
    for query in ({}, {"version_id1": "x", "version_id2": "1"}):
        response = editor_client.get(url, query)
        assert response.status_code == 400
        assert response.content.decode().strip()
