"""No lost work in the admin (nejat.editorial.autosave): drafts kept while typing, offered back
when the form is opened again, and files kept across a form that came back with an error."""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone, translation

from articles.models import Article
from nejat.editorial.autosave.models import Draft, KeptUpload
from nejat.ops.demo_files import demo_pdf
from nejat.publishing import Status
from tests.helpers.forms import form_fields

pytestmark = pytest.mark.django_db


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def autosave_url(article=None):
    return (
        f"/admin/articles/article/{article.pk}/autosave/"
        if article
        else ("/admin/articles/article/autosave/")
    )


def offers(page):
    """The drafts the form offers back, without the pattern ``autosave.js`` fills for the
    browser's own copy (always in the page, with the same words)."""
    found = re.search(r'<ul class="messagelist unsaved-draft">(.*?)</ul>', page, re.S)
    return found.group(1) if found else ""


def opened_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, form_fields(response.content.decode(), "article_form")


def test_a_draft_is_kept_without_touching_the_item_and_offered_back(editor_client, article_factory):
    article = article_factory(title_fa="گزارش", body_fa="<p>متن منتشرشده.</p>", title_en="")
    _response, fields = opened_form(editor_client, change_url(article))
    fields["body_fa"] = "<p>متن منتشرشده.</p><p>بند تازه‌ای که هنوز ذخیره نشده.</p>"

    kept = editor_client.post(autosave_url(article), fields)
    assert kept.status_code == 200 and kept.json() == {"saved": True}
    article.refresh_from_db()
    assert "بند تازه" not in article.body_fa  # the published text is untouched
    draft = Draft.objects.get()
    assert draft.data["body_fa"] == [fields["body_fa"]]
    assert "csrfmiddlewaretoken" not in draft.data

    # Kept again seconds later: still one draft, with the newer text (a NUL pasted in is dropped:
    # PostgreSQL's JSON cannot hold it).
    fields["title_fa"] = "گزارش\x00 تازه"
    assert editor_client.post(autosave_url(article), fields).status_code == 200
    assert Draft.objects.get().data["title_fa"] == ["گزارش تازه"]

    # Opened again: offered, not applied.
    offered, reopened = opened_form(editor_client, change_url(article))
    page = offered.content.decode()
    assert "?draft=restore" in page and 'id="unsaved-draft-data"' not in page
    assert reopened["title_fa"] == "گزارش"

    restored = editor_client.get(change_url(article) + "?draft=restore").content.decode()
    data = re.search(r'<script id="unsaved-draft-data" type="application/json">(.*?)</script>',
                     restored, re.S).group(1)  # fmt: skip
    assert json.loads(data)["title_fa"] == ["گزارش تازه"]
    assert "The item was saved since then" not in offers(page)


def test_a_draft_older_than_the_item_says_so_before_it_is_restored(editor_client, article_factory):
    article = article_factory(title_fa="گزارش", title_en="", status=Status.DRAFT)
    _response, fields = opened_form(editor_client, change_url(article))
    editor_client.post(autosave_url(article), {**fields, "title_fa": "گزارش نیمه‌کاره"})
    # Meanwhile the item is published from the list (or another tab).
    editor_client.post(
        "/admin/articles/article/",
        {"action": "publish_now", "_selected_action": [article.pk]},
    )
    page = editor_client.get(change_url(article)).content.decode()
    assert "The item was saved since then" in offers(page) and "?draft=restore" in page


def test_saving_the_form_forgets_the_draft(editor_client, article_factory):
    article = article_factory(title_fa="گزارش", title_en="")
    _response, fields = opened_form(editor_client, change_url(article))
    fields["title_fa"] = "گزارش ویرایش‌شده"
    editor_client.post(autosave_url(article), fields)

    saved = editor_client.post(change_url(article), fields)
    assert saved.status_code == 302
    assert not Draft.objects.exists()
    article.refresh_from_db()
    assert article.title_fa == "گزارش ویرایش‌شده"
    offered, _fields = opened_form(editor_client, change_url(article))
    assert "?draft=restore" not in offered.content.decode()


def test_a_new_items_draft_is_offered_on_the_add_form_and_forgotten_once_saved(editor_client):
    _response, fields = opened_form(editor_client, "/admin/articles/article/add/")
    fields.update(title_fa="خبر تازه", body_fa="<p>نوشته‌ای که نباید گم شود.</p>")
    editor_client.post(autosave_url(), fields)
    draft = Draft.objects.get()
    assert draft.object_id == "" and draft.new_item_key == fields["autosave_key"]

    offered, _fields = opened_form(editor_client, "/admin/articles/article/add/")
    assert f"?draft={draft.new_item_key}" in offered.content.decode()
    assert _fields["autosave_key"] != draft.new_item_key  # a new form, a new draft

    assert editor_client.post("/admin/articles/article/add/", fields).status_code == 302
    assert Article.objects.get().title_fa == "خبر تازه"
    assert not Draft.objects.exists()


def test_two_new_articles_written_in_two_tabs_keep_two_drafts(editor_client):
    add = "/admin/articles/article/add/"
    _response, first = opened_form(editor_client, add)
    _response, second = opened_form(editor_client, add)
    editor_client.post(autosave_url(), {**first, "title_fa": "خبر یکم"})
    editor_client.post(autosave_url(), {**second, "title_fa": "خبر دوم"})
    editor_client.post(autosave_url(), {**first, "title_fa": "خبر یکم، بیشتر"})  # kept again
    kept = {d.new_item_key: d.data["title_fa"] for d in Draft.objects.all()}
    assert kept == {first["autosave_key"]: ["خبر یکم، بیشتر"], second["autosave_key"]: ["خبر دوم"]}

    # The add form offers both; restoring one carries on with its key.
    offered = editor_client.get(add).content.decode()
    assert offers(offered).count("Your unsaved changes of") == 2
    restored, fields = opened_form(editor_client, f"{add}?draft={second['autosave_key']}")
    assert fields["autosave_key"] == second["autosave_key"]
    data = re.search(r'<script id="unsaved-draft-data" type="application/json">(.*?)</script>',
                     restored.content.decode(), re.S).group(1)  # fmt: skip
    assert json.loads(data)["title_fa"] == ["خبر دوم"]

    # Discarding one leaves the other; saving the other forgets it.
    discard = {"discard": "1", "autosave_key": first["autosave_key"]}
    assert editor_client.post(autosave_url(), discard).status_code == 302
    saved = editor_client.post(add, {**fields, "title_fa": "خبر دوم"})
    assert saved.status_code == 302 and not Draft.objects.exists()

    # A draft without a form's key is refused, not kept under a shared one.
    assert editor_client.post(autosave_url(), {"title_fa": "x"}).status_code == 400
    assert editor_client.post(autosave_url(), {"autosave_key": "nope"}).status_code == 400


def test_discarding_deletes_the_draft_and_reopens_the_form(editor_client, article_factory):
    article = article_factory(title_fa="گزارش", title_en="")
    _response, fields = opened_form(editor_client, change_url(article))
    editor_client.post(autosave_url(article), {**fields, "title_fa": "چیزی دیگر"})

    discarded = editor_client.post(autosave_url(article), {"discard": "1"})
    assert discarded.status_code == 302 and discarded["Location"] == change_url(article)
    assert not Draft.objects.exists()
    article.refresh_from_db()
    assert article.title_fa == "گزارش"


def test_drafts_are_each_editors_own(editor_client, client, article_factory):
    article = article_factory(title_fa="گزارش", title_en="")
    _response, fields = opened_form(editor_client, change_url(article))
    editor_client.post(autosave_url(article), {**fields, "title_fa": "پیش‌نویس من"})

    other = User.objects.create_user("second", password="another-password-1", is_staff=True)
    other.groups.add(Group.objects.get(name="Editors"))
    client.force_login(other)
    assert "?draft=restore" not in client.get(change_url(article)).content.decode()


def test_who_may_not_change_an_item_cannot_keep_a_draft_of_it(client, article_factory):
    article = article_factory(title_fa="گزارش", title_en="")
    moderator = User.objects.create_user("mod", password="a-moderator-password", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    assert client.post(autosave_url(), {"title_fa": "x"}).status_code == 403
    assert client.post(autosave_url(article), {"title_fa": "x"}).status_code == 404  # unseen
    client.logout()
    assert client.post(autosave_url(article), {"title_fa": "x"}).status_code == 302  # sign in
    assert not Draft.objects.exists()


def test_autosave_answers_only_posts_and_known_items(editor_client):
    assert editor_client.get(autosave_url()).status_code == 405
    missing = "/admin/articles/article/999999/autosave/"
    assert editor_client.post(missing, {"title_fa": "x"}).status_code == 404


def pdf_upload(name="report.pdf"):
    return SimpleUploadedFile(name, demo_pdf().read(), "application/pdf")


@pytest.mark.dates
def test_a_chosen_pdf_is_kept_across_a_form_error_and_saved_on_the_next_try(
    editor_client, article_factory
):
    article = article_factory(title_fa="گزارش", title_en="")
    _response, fields = opened_form(editor_client, change_url(article))
    fields["publish_at_0"] = "not a date"  # an error elsewhere in the form
    first = editor_client.post(change_url(article), {**fields, "pdf": pdf_upload()})
    assert first.status_code == 200
    page = first.content.decode()
    assert "Kept from your last try" in page and "report.pdf" in page
    kept = KeptUpload.objects.get()
    again = form_fields(page, "article_form")
    assert again["kept-upload:pdf"] == str(kept.token)

    again["publish_at_0"] = timezone.localdate().isoformat()  # corrected; no file chosen again
    assert editor_client.post(change_url(article), again).status_code == 302
    article.refresh_from_db()
    assert article.pdf.name.endswith(".pdf") and "kept-uploads" not in article.pdf.name
    assert article.pdf.read().startswith(b"%PDF")
    assert not KeptUpload.objects.exists()


def test_a_kept_file_is_its_uploaders_only_and_a_new_choice_wins(
    editor_client, client, article_factory
):
    article = article_factory(title_fa="گزارش", title_en="")
    _response, fields = opened_form(editor_client, change_url(article))
    bad = {**fields, "publish_at_0": "not a date"}
    page = editor_client.post(change_url(article), {**bad, "pdf": pdf_upload()}).content.decode()
    token = form_fields(page, "article_form")["kept-upload:pdf"]

    # Another editor sending the token gets nothing from it.
    other = User.objects.create_user("second", password="another-password-1", is_staff=True)
    other.groups.add(Group.objects.get(name="Editors"))
    client.force_login(other)
    client.post(change_url(article), {**fields, "kept-upload:pdf": token})
    article.refresh_from_db()
    assert not article.pdf

    # The uploader chooses another file: that one is saved.
    chosen = {**fields, "kept-upload:pdf": token, "pdf": pdf_upload("second.pdf")}
    assert editor_client.post(change_url(article), chosen).status_code == 302
    article.refresh_from_db()
    assert "second" in article.pdf.name


def test_a_file_that_fails_its_own_check_is_not_kept(editor_client, article_factory):
    article = article_factory(title_fa="گزارش", title_en="")
    _response, fields = opened_form(editor_client, change_url(article))
    fake = SimpleUploadedFile("paper.pdf", b"MZ not a pdf at all", "application/pdf")
    page = editor_client.post(change_url(article), {**fields, "pdf": fake}).content.decode()
    assert "Kept from your last try" not in page
    assert not KeptUpload.objects.exists()


@pytest.mark.dates
def test_the_daily_sweep_forgets_kept_files_after_a_day(editor_client, article_factory):
    article = article_factory(title_fa="گزارش", title_en="")
    _response, fields = opened_form(editor_client, change_url(article))
    bad = {**fields, "publish_at_0": "not a date"}
    editor_client.post(change_url(article), {**bad, "pdf": pdf_upload()})
    editor_client.post(change_url(article), {**bad, "pdf": pdf_upload("today.pdf")})
    KeptUpload.objects.exclude(name="today.pdf").update(
        created_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    call_command("sweep_uploads", verbosity=0)
    assert list(KeptUpload.objects.values_list("name", flat=True)) == ["today.pdf"]


def test_the_persian_form_says_it_in_persian(editor_client, article_factory):
    article = article_factory(title_fa="گزارش", title_en="")
    _response, fields = opened_form(editor_client, change_url(article))
    editor_client.post(autosave_url(article), fields)
    with translation.override("fa"):
        page = editor_client.get("/fa" + change_url(article)).content.decode()
    assert "تغییرهای ذخیره‌نشده شما" in offers(page) and "Your unsaved changes" not in page


def test_a_draft_says_when_the_browser_saw_its_last_change(editor_client, editor, article_factory):
    """The browser keeps its own copy between two sends (autosave.js), and offers it instead of
    the server's draft when it is newer: the draft carries the time of its last change for that,
    and the page names where the copy is kept, the editor's own, the same in every edition."""
    article = article_factory(title_fa="گزارش", title_en="")
    _response, fields = opened_form(editor_client, change_url(article))
    stamp = "1765000000000"
    editor_client.post(autosave_url(article), {**fields, "autosave_changed_at": stamp})
    assert Draft.objects.get().data["autosave_changed_at"] == [stamp]

    key = f'data-local-key="nejat-draft:{editor.pk}:articles.article:{article.pk}"'
    for prefix in ("", "/fa", "/ar"):
        page = editor_client.get(prefix + change_url(article)).content.decode()
        assert f'data-draft-key="" data-changed-at="{stamp}"' in offers(page)
        assert key in page
    page = editor_client.get("/admin/articles/article/add/").content.decode()
    assert f'data-local-key="nejat-draft:{editor.pk}:articles.article:new"' in page
    # The words of the offer, for the browser's copy, are the server's, in the editor's language.
    with translation.override("fa"):
        page = editor_client.get("/fa" + change_url(article)).content.decode()
    pattern = re.search(r'<template id="unsaved-draft-offer">(.*?)</template>', page, re.S)
    assert "تغییرهای ذخیره‌نشده شما" in pattern.group(1) and '<time class="draft-time">' in page


def test_a_kept_file_is_private(editor_client, client, article_factory, settings):
    article = article_factory(title_fa="گزارش", title_en="")
    _response, fields = opened_form(editor_client, change_url(article))
    bad = {**fields, "publish_at_0": "not a date"}
    editor_client.post(change_url(article), {**bad, "pdf": pdf_upload("with-gps.pdf")})
    kept = KeptUpload.objects.get()
    # Not under MEDIA_ROOT (which nginx and Django's media view serve), and no address at all.
    assert (settings.PRIVATE_MEDIA_ROOT / kept.file.name).is_file()
    assert not (settings.MEDIA_ROOT / kept.file.name).exists()
    assert not list(settings.MEDIA_ROOT.rglob("with-gps*"))
    address = f"{settings.MEDIA_URL}{kept.file.name}"
    assert client.get(address).status_code == 404
    assert editor_client.get(address).status_code == 404
    with pytest.raises(ValueError):
        kept.file.url  # noqa: B018
    # Deleting the row (the daily sweep, a saved form) deletes the file too.
    path = settings.PRIVATE_MEDIA_ROOT / kept.file.name
    KeptUpload.objects.all().delete()
    assert not path.exists()
