"""The newsroom's way in (#33, point 9): articles first in the menu and on the dashboard, a
shortcut to write one, "View site" opening the admin's edition, the trash restored row by row
with only the trash's actions, and the site's replies signed with a name and the site's badge."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from articles.models import Article
from nejat.publishing import State
from tests.helpers.forms import form_fields

pytestmark = pytest.mark.django_db


def models_in_order(html):
    """The models of an app list (the sidebar's or the dashboard's), in the order shown."""
    return re.findall(r'<tr class="model-(\w+)', html)


@pytest.mark.parametrize("code", ["en", "fa"])
def test_articles_come_first_with_a_shortcut_to_write_one(editor_client, code):
    with translation.override(code):
        home, add = reverse("admin:index"), reverse("admin:articles_article_add")
        name = str(Article._meta.verbose_name)
        shortcut_text = translation.gettext("Add %(name)s") % {"name": name}
    dashboard = editor_client.get(home).content.decode()
    assert models_in_order(dashboard.split('id="content-main"', 1)[1])[:2] == [
        "article",
        "category",
    ]
    listing = editor_client.get(f"{home}articles/article/").content.decode()
    sidebar = listing.split('id="nav-sidebar"', 1)[1].split("</nav>", 1)[0]
    assert models_in_order(sidebar)[0] == "article"
    models = models_in_order(sidebar)
    assert models.index("tag") > models.index("comment") > models.index("article")
    shortcut = f'<a class="button newsroom-shortcut" href="{add}">{shortcut_text}</a>'
    assert shortcut in dashboard
    assert f'href="{add}" class="newsroom-shortcut"' in listing  # on every page, in the header


@pytest.mark.parametrize(("code", "home"), [("fa", "/fa/"), ("ar", "/ar/"), ("en", "/")])
def test_view_site_opens_the_edition_of_the_admins_language(editor_client, code, home):
    with translation.override(code):
        html = editor_client.get(reverse("admin:index")).content.decode()
    usertools = html.split('id="user-tools"', 1)[1].split("</div>", 1)[0]
    links = re.findall(r'<a href="([^"]+)"', usertools)
    assert home in links, links


def test_the_trash_is_restored_row_by_row_and_offers_only_its_own_actions(
    editor_client, article_factory
):
    kept, trashed = article_factory(title_fa="ماندنی"), article_factory(title_fa="دورریخته")
    trashed.move_to_trash()
    listing = editor_client.get("/fa/admin/articles/article/").content.decode()
    actions = set(re.findall(r'<option value="(\w+)"', listing.split('name="action"', 1)[1]))
    assert "move_to_trash" in actions and not actions & {"restore_from_trash", "delete_forever"}

    in_trash = editor_client.get("/fa/admin/articles/article/?state=trash").content.decode()
    actions = set(re.findall(r'<option value="(\w+)"', in_trash.split('name="action"', 1)[1]))
    assert actions == {"restore_from_trash", "delete_forever"}
    button = re.search(r'form="restore-from-trash" formaction="([^"]+)"', in_trash)
    assert button and f"/{trashed.pk}/restore/" in button[1]
    assert f"/{kept.pk}/restore/" not in in_trash
    token = form_fields(in_trash, "restore-from-trash")["csrfmiddlewaretoken"]
    assert editor_client.get(button[1]).status_code == 405  # a link followed restores nothing
    restored = editor_client.post(button[1], {"csrfmiddlewaretoken": token}, follow=True)
    assert restored.status_code == 200
    assert "از سطل زباله برگشت" in restored.content.decode()
    trashed.refresh_from_db()
    assert trashed.state != State.TRASH
    history = editor_client.get(f"/fa/admin/articles/article/{trashed.pk}/history/")
    assert "از سطل زباله بازگردانده شد." in history.content.decode()  # noted in History
    listing = editor_client.get("/fa/admin/articles/article/").content.decode()
    assert "Recover deleted" not in listing and "recoverlist" not in listing
