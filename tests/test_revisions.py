"""Every edit can be undone: revisions keep every language, the tags and the inline rows."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from nejat.models import set_edition_tags
from nejat.pages.models import SiteSettings
from nejat.publishing import Status
from publications.factories import NewsletterFactory, NewsletterItemFactory
from tests.conftest import _staff_in
from tests.helpers.forms import form_fields, save_again
from tests.helpers.pages import section_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague_client(db):
    client = Client()
    client.force_login(_staff_in("Editors", "colleague"))
    return client


def change_url(item):
    meta = item._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[item.pk])


def fa_tags(article):
    return sorted(tag.name for tag in article.tags.all() if tag.language == "fa")


@pytest.mark.dates
def test_yesterdays_persian_text_is_restored_after_a_colleague_overwrote_it(
    editor_client, colleague_client, article_factory
):
    article = article_factory(
        title_en="Water report",
        title_fa="گزارش آب",
        body_fa="<p>متن دیروز مترجم.</p>",
        title_ar="تقرير الماء",
        body_ar="<p>النص العربي.</p>",
    )
    set_edition_tags(article, {"fa": ["تهران", "آب"], "en": ["water"]})
    url = change_url(article)
    with time_machine.travel(timezone.now() - timedelta(days=1)):  # yesterday, the translator
        assert save_again(editor_client, url, "article_form").status_code == 302
    editor_client.force_login(User.objects.get(username="editor"))  # yesterday's session ended
    response = save_again(  # today a colleague overwrites the Persian and empties the Arabic
        colleague_client,
        url,
        "article_form",
        body_fa="<p>متن بازنویسی شده.</p>",
        title_ar="",
        body_ar="",
        edition_tags_fa="اقتصاد",
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body_fa == "<p>متن بازنویسی شده.</p>" and fa_tags(article) == ["اقتصاد"]

    yesterday, today = sorted(Version.objects.get_for_object(article), key=lambda v: v.pk)
    assert yesterday.revision.user.username == "editor"
    assert today.revision.user.username == "colleague"
    history = editor_client.get(url.replace("/change/", "/history/"))
    assert history.status_code == 200 and "colleague" in history.content.decode()
    compare = editor_client.get(
        url.replace("/change/", "/history/compare/"),
        {"version_id1": yesterday.pk, "version_id2": today.pk},
    )
    html = compare.content.decode()
    assert compare.status_code == 200
    persian, arabic = (section_of(html, name) for name in ("فارسی", "عربي"))
    assert "متن <del>دیروز</del>" in persian
    assert "بازنویسی" in persian and "&lt;p&gt;" not in persian  # the words, not the HTML
    assert "تقرير الماء" in arabic and "<del>" in arabic  # the Arabic emptied

    revision_url = reverse("admin:articles_article_revision", args=[article.pk, yesterday.pk])
    opened = editor_client.get(revision_url)  # the form, filled with yesterday's revision
    assert "متن دیروز مترجم." in form_fields(opened.content.decode(), "article_form")["body_fa"]
    assert save_again(editor_client, revision_url, "article_form").status_code == 302
    article.refresh_from_db()
    assert article.body_fa == "<p>متن دیروز مترجم.</p>"
    assert article.title_ar == "تقرير الماء" and article.body_ar == "<p>النص العربي.</p>"
    assert article.title_en == "Water report" and fa_tags(article) == ["آب", "تهران"]
    assert Version.objects.get_for_object(article).count() == 3  # the restore is a revision too


def test_search_columns_are_not_kept_in_revisions(editor_client, article_factory):
    article = article_factory(title_fa="گزارش", body_fa="<p>متن.</p>")
    assert save_again(editor_client, change_url(article), "article_form").status_code == 302
    stored = Version.objects.get_for_object(article).get().field_dict
    assert stored["title_fa"] == "گزارش" and stored["body_fa"] == "<p>متن.</p>"
    assert not [name for name in stored if name.startswith("search_")]


def test_bulk_actions_record_what_they_did(editor_client, article_factory):
    drafts = [article_factory(status=Status.DRAFT) for _ in range(2)]
    ids = [str(article.pk) for article in drafts]
    editor_client.post("/admin/articles/article/", {"action": "publish", "_selected_action": ids})
    for article in drafts:
        version = Version.objects.get_for_object(article).get()
        assert version.revision.comment == "Published with the bulk action."
        assert version.revision.user.username == "editor"
        assert version.field_dict["status"] == Status.PUBLISHED


def test_a_newsletter_items_persian_text_comes_back(editor_client):
    issue = NewsletterFactory(title_fa="شماره ۱۰")
    item = NewsletterItemFactory(newsletter=issue, title_fa="خبر نخست")
    url = change_url(issue)
    assert save_again(editor_client, url, "newsletter_form").status_code == 302
    first = Version.objects.get_for_object(issue).get()
    page = form_fields(editor_client.get(url).content.decode(), "newsletter_form")
    row = next(name for name, value in page.items() if value == "خبر نخست")
    assert (
        save_again(editor_client, url, "newsletter_form", **{row: "خبر عوض شده"}).status_code == 302
    )
    item.refresh_from_db()
    assert item.title_fa == "خبر عوض شده"
    revision_url = reverse("admin:publications_newsletter_revision", args=[issue.pk, first.pk])
    assert save_again(editor_client, revision_url, "newsletter_form").status_code == 302
    item.refresh_from_db()
    assert item.title_fa == "خبر نخست"


def test_site_settings_keep_revisions(superuser_client):
    client = superuser_client
    settings_row = SiteSettings.load()
    url = change_url(settings_row)
    assert save_again(client, url, "sitesettings_form", site_name_fa="نجات").status_code == 302
    assert save_again(client, url, "sitesettings_form", site_name_fa="نام تازه").status_code == 302
    versions = Version.objects.get_for_object(settings_row).order_by("pk")
    assert [v.field_dict["site_name_fa"] for v in versions] == ["نجات", "نام تازه"]


def test_recent_changes_say_which_edition_changed_who_and_when(
    editor_client, colleague_client, article_factory, moderator
):
    article = article_factory(title_en="Water report", title_fa="گزارش آب", body_fa="<p>یک.</p>")
    url = change_url(article)
    assert save_again(editor_client, url, "article_form").status_code == 302
    assert (
        save_again(colleague_client, url, "article_form", body_fa="<p>دو.</p>").status_code == 302
    )
    with CaptureQueriesContext(connection) as queries:
        page = editor_client.get(reverse("admin:recent_changes"))
    assert page.status_code == 200
    again = len(queries)
    for n in range(3):  # more changed items, no more queries: no query per row
        save_again(editor_client, change_url(article_factory(title_en=f"More {n}")), "article_form")
    with CaptureQueriesContext(connection) as queries:
        editor_client.get(reverse("admin:recent_changes"))
    assert len(queries) == again
    table = page.content.decode().split('id="recent-changes"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]  # after the heading
    newest, first = rows[0], rows[1]
    assert "colleague" in newest and "Water report" in newest
    assert re.search(r"<td>فارسی</td>", newest)  # only the Persian text changed
    assert "editor" in first and re.search(r"<td>English, فارسی</td>", first)  # its first revision
    assert "Recent changes" in editor_client.get("/admin/").content.decode()
    moderator_client = Client()
    moderator_client.force_login(moderator)
    assert moderator_client.get(reverse("admin:recent_changes")).status_code == 403


def test_the_second_of_two_editors_is_warned_instead_of_overwriting(
    editor_client, colleague_client, article_factory
):
    article = article_factory(title_en="Shared piece", title_fa="نوشته", body_fa="<p>اول.</p>")
    url = change_url(article)
    assert save_again(editor_client, url, "article_form").status_code == 302
    mine = form_fields(editor_client.get(url).content.decode(), "article_form")  # opened
    meanwhile = save_again(colleague_client, url, "article_form", body_fa="<p>نسخه همکار.</p>")
    assert meanwhile.status_code == 302

    mine.update(body_ar="<p>ترجمتي.</p>", _save="Save")
    warned = editor_client.post(url, mine)
    html = warned.content.decode()
    assert warned.status_code == 200 and "Someone saved this item after you opened it" in html
    assert "colleague" in html and "Body (فارسی)" in html  # who, and what they changed
    article.refresh_from_db()
    assert article.body_fa == "<p>نسخه همکار.</p>" and article.body_ar == ""  # nothing lost
    again = {**form_fields(html, "article_form"), "_save": "Save"}
    assert again["body_ar"] == "<p>ترجمتي.</p>"  # the editor's text is still in the form
    assert editor_client.post(url, again).status_code == 302  # knowingly saved again
    article.refresh_from_db()
    assert article.body_ar == "<p>ترجمتي.</p>"


@pytest.mark.dates
def test_a_scheduled_item_going_live_is_recorded_once(article_factory):
    from nejat.publishing.revisions import record_scheduled_publications

    now = timezone.now()
    with time_machine.travel(now - timedelta(hours=2)):  # scheduled two hours ago, for one hour ago
        planned = article_factory(title_en="Planned", publish_at=now - timedelta(hours=1))
    article_factory(title_en="Still ahead", publish_at=now + timedelta(hours=1))
    article_factory(title_en="Published at once")
    assert record_scheduled_publications() == 1
    (version,) = Version.objects.get_for_object(planned)
    assert version.revision.comment == "Published at its scheduled time."
    assert record_scheduled_publications() == 0  # once


@pytest.mark.dates
def test_publish_now_pulls_a_scheduled_item_forward(editor_client, article_factory):
    now = timezone.now()
    scheduled = article_factory(title_en="Tomorrow's", publish_at=now + timedelta(days=1))
    old = article_factory(title_en="Already out", publish_at=now - timedelta(days=3))
    editor_client.post(
        "/admin/articles/article/",
        {"action": "publish_now", "_selected_action": [scheduled.pk, old.pk]},
    )
    scheduled.refresh_from_db()
    old.refresh_from_db()
    assert scheduled.is_published and scheduled.publish_at <= timezone.now()
    assert old.publish_at < now - timedelta(days=2)  # an item already out keeps its date
    comment = Version.objects.get_for_object(scheduled).get().revision.comment
    assert comment == "Published now with the bulk action."


@pytest.mark.dates
def test_publish_now_from_the_form_itself(editor_client, article_factory):
    scheduled = article_factory(
        title_en="Tomorrow's", publish_at=timezone.now() + timedelta(days=1)
    )
    url = f"/admin/articles/article/{scheduled.pk}/change/"
    page = editor_client.get(url).content.decode()
    assert 'name="_publish_now"' in page
    fields = {**form_fields(page, "article_form"), "title_en": "Today's", "_publish_now": "1"}
    assert editor_client.post(url, fields).status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.is_published and scheduled.publish_at <= timezone.now()
    assert scheduled.title_en == "Today's"  # with the rest of the form

    # A contributor sees no such button, and a crafted one publishes nothing.
    writer = _staff_in("Contributors", "writer")
    draft = article_factory(title_en="Mine", status=Status.DRAFT, created_by=writer)
    client = Client()
    client.force_login(writer)
    mine = f"/admin/articles/article/{draft.pk}/change/"
    page = client.get(mine).content.decode()
    assert 'name="_publish_now"' not in page
    client.post(mine, {**form_fields(page, "article_form"), "_publish_now": "1"})
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
