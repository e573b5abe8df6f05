"""The editors' workplace: an editor writes and publishes; a moderator cannot touch articles."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from nejat.ops.demo_files import demo_image, demo_pdf
from nejat.publishing import Status
from tests.helpers.forms import article_form

pytestmark = pytest.mark.django_db


def test_editor_creates_and_publishes_a_persian_article(editor_client, client):
    response = editor_client.post(
        "/admin/articles/article/add/",
        article_form(
            title_fa="گزارش ویراستار",
            body_fa="<p>متن</p><script>alert(1)</script>",
            featured_image=SimpleUploadedFile("pic.jpg", demo_image(1).read(), "image/jpeg"),
            pdf=SimpleUploadedFile("paper.pdf", demo_pdf().read(), "application/pdf"),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert article.slug_fa == "گزارش-ویراستار"
    assert article.featured_image_width == 960
    assert "<script" not in article.body_fa
    assert client.get(article.url_in("fa")).status_code == 200


def test_an_article_needs_a_title_in_some_language(editor_client):
    response = editor_client.post("/admin/articles/article/add/", article_form())
    assert response.status_code == 200
    assert "Give the item a title in at least one language." in response.content.decode()
    assert not Article.objects.exists()


def test_a_renamed_file_is_refused_as_pdf(editor_client):
    response = editor_client.post(
        "/admin/articles/article/add/",
        article_form(
            title_en="With fake PDF",
            pdf=SimpleUploadedFile("paper.pdf", b"MZ not a pdf at all", "application/pdf"),
        ),
    )
    assert response.status_code == 200
    assert "This file is not a PDF." in response.content.decode()
    assert not Article.objects.exists()


def test_a_text_file_is_refused_as_image(editor_client):
    response = editor_client.post(
        "/admin/articles/article/add/",
        article_form(
            title_en="With fake image",
            featured_image=SimpleUploadedFile("pic.jpg", b"just text", "image/jpeg"),
        ),
    )
    assert response.status_code == 200
    assert not Article.objects.exists()


def test_list_shows_state_editions_and_thumbnail_with_filters(editor_client, article_factory):
    article_factory(title_en="Listed piece", title_fa="قطعه")
    article_factory(title_en="Drafted", status=Status.DRAFT)
    html = editor_client.get("/admin/articles/article/").content.decode()
    assert "Listed piece" in html and "Live" in html and "Draft" in html
    assert ">Preview</a>" in html and ">View</a>" in html
    assert "Missing in fa" in html
    only_missing_fa = editor_client.get("/admin/articles/article/?edition=-fa").content.decode()
    assert "Drafted" in only_missing_fa and "Listed piece" not in only_missing_fa
    assert editor_client.get("/admin/articles/article/?q=Listed").status_code == 200


def test_bulk_publish_and_unpublish(editor_client, article_factory):
    drafts = [article_factory(status=Status.DRAFT) for _ in range(3)]
    ids = [str(a.pk) for a in drafts]
    editor_client.post("/admin/articles/article/", {"action": "publish", "_selected_action": ids})
    assert Article.objects.filter(status=Status.PUBLISHED).count() == 3
    editor_client.post(
        "/admin/articles/article/", {"action": "unpublish", "_selected_action": ids[:1]}
    )
    assert Article.objects.filter(status=Status.DRAFT).count() == 1


def test_related_articles_autocomplete(editor_client, article_factory):
    article_factory(title_en="Findable neighbour")
    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "related",
            "term": "Findable",
        },
    )
    assert response.status_code == 200
    assert "Findable neighbour" in response.content.decode()


def test_admin_pages_load_nothing_from_other_hosts(editor_client, article_factory):
    article = article_factory()
    html = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in html
    assert (
        "googleapis" not in html
        and "//cdn" not in html
        and "https://" not in html.split("<body")[0]
    )


def test_moderator_cannot_see_or_change_articles(client, moderator, article_factory):
    article = article_factory()
    client.force_login(moderator)
    for url in (
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        f"/admin/articles/article/{article.pk}/change/",
    ):
        assert client.get(url).status_code == 403, url


def test_groups_have_the_least_permissions_their_jobs_need():
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {
        "add_article",
        "change_article",
        "view_article",
        "delete_article",
        "add_category",
        "change_category",
        "add_tag",
    } <= editors
    assert not any("user" in perm or "group" in perm for perm in editors)
    moderators = Group.objects.get(name="Moderators").permissions.all()
    assert not moderators.filter(content_type__app_label="articles").exists()
    assert Permission.objects.filter(codename="add_article").exists()


def test_staff_groups_are_restored_with_the_permissions_the_migrations_grant():
    from nejat.security.roles import restore_staff_groups

    def granted():
        return {
            group.name: set(group.permissions.values_list("codename", flat=True))
            for group in Group.objects.all()
        }

    made_by_migrations = granted()
    assert set(made_by_migrations) == {"Editors", "Contributors", "Moderators"}
    Group.objects.all().delete()
    restore_staff_groups()
    assert granted() == made_by_migrations
