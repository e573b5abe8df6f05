"""One freshness rule, whoever writes: cached output is refreshed after the change commits.

These tests change content from code, as an importer, a command or the shell would, not through
the admin (whose forms are tested elsewhere), and check that the cache tags they change are
known only once the transaction has committed.
"""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from articles.models import Article, Category
from media_gallery.models import Gallery, Photo
from media_library.models import LibraryImage
from nejat.comments.models import Comment
from nejat.comments.moderation import moderate
from nejat.models import Tag, set_edition_tags
from nejat.ops.demo_files import demo_image
from nejat.pages.models import ContactMessage, Page, SiteSettings
from nejat.publishing import Status
from nejat.publishing.cache_tags import versions
from nejat.publishing.public_changes import PublicChangesQuerySet, changes_public_pages
from publications.factories import NewsletterFactory, NewsletterItemFactory
from tests.conftest import comment_on
from tests.helpers.wxr import Post, export
from wordpress.importer import Importer

pytestmark = pytest.mark.django_db


@pytest.fixture
def bumps(django_capture_on_commit_callbacks):
    """Run ``change()`` in a transaction: no tag it changes may be known before the commit, and
    they must be after it. Returns how many tags changed."""

    def check(change):
        before = dict(versions().current().versions)
        with django_capture_on_commit_callbacks() as on_commit:
            change()
            assert versions().current().versions == before, "known before the commit"
        for callback in on_commit:
            callback()
        after = versions().current().versions
        return sum(version > before.get(tag, 0) for tag, version in after.items())

    return check


def test_saving_deleting_and_tagging_from_code(bumps, article_factory):
    article = article_factory(title_en="Code-made")
    assert bumps(lambda: article_factory(title_en="Another"))
    assert bumps(lambda: Article.objects.filter(pk=article.pk).get().save())
    assert bumps(lambda: set_edition_tags(article, {"en": ["fresh"]}))
    assert bumps(lambda: Tag.objects.filter(name="fresh").update(name="fresher") or None)
    tag = Tag.objects.get(name="fresher")
    tag.name = "renamed"
    assert bumps(tag.save)
    assert bumps(article.delete)


def test_categories_pages_settings_and_rows(bumps, category_factory):
    category = category_factory()
    category.name_en = "Renamed section"
    assert bumps(category.save)
    assert bumps(lambda: Page.objects.create(title_en="About", status=Status.PUBLISHED))
    settings_row = SiteSettings.load()
    settings_row.site_name_en = "Renamed site"
    assert bumps(settings_row.save)
    issue = NewsletterFactory()
    assert bumps(lambda: NewsletterItemFactory(newsletter=issue))
    gallery = Gallery.objects.create(title_en="Album", status=Status.PUBLISHED)
    assert bumps(lambda: Photo.objects.create(gallery=gallery, image=demo_image(1)))


def test_what_readers_never_see_does_not_refresh_caches(bumps):
    def receive_a_message():
        ContactMessage.objects.create(
            name="R", email="r@example.org", subject="S", message="M", language="en"
        )

    assert bumps(receive_a_message) == 0


def test_approving_a_comment_refreshes_the_counts_readers_see(bumps, article_factory):
    article = article_factory()
    comment = comment_on(article)
    assert bumps(lambda: moderate(Comment.objects.filter(pk=comment.pk), "approved"))


def test_site_name_and_menu_change_at_once(client, django_capture_on_commit_callbacks):
    assert "Renamed site" not in client.get("/").content.decode()  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        row = SiteSettings.load()
        row.site_name_en = "Renamed site"
        row.save()
        about = Page.objects.create(
            title_en="Who we are", status=Status.PUBLISHED, placement=Page.Placement.ABOUT
        )
    html = Client().get("/").content.decode()
    assert "Renamed site" in html and f'href="{about.get_absolute_url()}"' in html


def test_slugs_are_derived_on_every_save_without_help(category_factory):
    """No writer has to remember to fill slugs: the model does it on save."""
    article = Article.objects.create(title_fa="گزارش تازه", author_fa="نویسنده نمونه")
    assert article.slug_fa == "گزارش-تازه" and article.author_slug_fa == "نویسنده-نمونه"
    category = Category.objects.create(name_ar="ثقافة")
    assert category.slug_ar == "ثقافة"
    for model in (Gallery, Page):
        assert model.objects.create(title_sq="Një album").slug_sq == "një-album"


@pytest.mark.dates
def test_bulk_publish_saves_each_item(editor_client, article_factory):
    long_ago = timezone.now() - timedelta(days=400)
    ahead = timezone.now() + timedelta(days=2)
    old_draft = article_factory(status=Status.DRAFT, publish_at=long_ago)
    scheduled_draft = article_factory(status=Status.DRAFT, publish_at=ahead)
    stamp = Article.objects.get(pk=old_draft.pk).updated_at
    ids = [str(old_draft.pk), str(scheduled_draft.pk)]
    editor_client.post("/admin/articles/article/", {"action": "publish", "_selected_action": ids})
    old_draft.refresh_from_db()
    scheduled_draft.refresh_from_db()
    assert old_draft.is_published and old_draft.publish_at > long_ago + timedelta(days=399)
    assert old_draft.updated_at > stamp  # sitemaps' lastmod follows
    assert scheduled_draft.is_scheduled and scheduled_draft.publish_at == ahead


def test_every_model_that_changes_public_pages_announces_its_bulk_writes():
    """``update()``, ``bulk_create()`` and ``bulk_update()`` send no signal: the managers of
    such models announce them, the base manager (renditions, focal points) too."""
    models = [model for model in apps.get_models() if changes_public_pages(model)]
    assert len(models) >= 15
    for model in models:
        for manager in (model._default_manager, model._base_manager):
            assert isinstance(manager.get_queryset(), PublicChangesQuerySet), model


def test_bulk_writes_refresh_caches_once_per_commit(bumps, article_factory, settings):
    article = article_factory(title_en="Bulk")
    assert bumps(lambda: Article.objects.filter(pk=article.pk).update(body_en="<p>New</p>"))
    assert bumps(lambda: Article._base_manager.filter(pk=article.pk).update(lead_en="Lead"))
    assert bumps(lambda: Article.objects.filter(pk=0).update(lead_en="Nothing")) == 0
    gallery = Gallery.objects.create(title_en="Album", status=Status.PUBLISHED)
    photos = [Photo(gallery=gallery, image=demo_image(seed)) for seed in (1, 2)]
    assert bumps(lambda: Photo.objects.bulk_create(photos))
    for photo in photos:
        photo.caption = "Renamed"
    assert bumps(lambda: Photo.objects.bulk_update(photos, ["caption"]))

    def many_changes():
        for n in range(20):
            Article.objects.filter(pk=article.pk).update(lead_en=f"Lead {n}")
            article_factory(title_en=f"Story {n}")

    settings.PAGE_CACHE_PURGE_URLS = ["http://127.0.0.1:1/purge"]
    assert bumps(many_changes)
    purges = ProcrastinateJob.objects.filter(task_name="nejat.delivery.jobs.purge_front_caches")
    assert purges.count() == 1  # one purge per commit, however many changes


def test_a_focal_point_moved_in_the_library_reaches_cached_pages(
    settings, article_factory, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 3600
    settings.RENDITIONS_IN_BACKGROUND = False
    image = LibraryImage.objects.create(image=demo_image(3))
    article = article_factory(title_en="Rain", featured_image=image.image.name)
    Article.objects.filter(pk=article.pk).update(featured_image_renditions=image.renditions)
    before = Client().get("/articles/").content.decode()
    assert "focus-75-0" not in before and Client().get("/articles/").content.decode() == before
    with django_capture_on_commit_callbacks(execute=True):
        image.focal_x, image.focal_y = 80, 10  # a face near the top right
        image.save()
    assert 'class="focus-75-0"' in Client().get("/articles/").content.decode()


def test_the_imports_relinking_reaches_cached_pages(
    settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """The import mends links between posts with ``update()`` once every item is in."""
    settings.PAGE_CACHE_SECONDS = 3600
    old = "http://old.example.org"
    posts = [
        Post(70, "Earlier story", "The first."),
        Post(71, "Later story", f'See <a href="{old}/2019/05/earlier-story/">the first</a>.'),
    ]
    source = tmp_path / "export.xml"
    source.write_text(export(posts), encoding="utf-8")
    importer = Importer("en")
    relink = Importer.relink
    monkeypatch.setattr(Importer, "relink", lambda self: None)  # later, on its own
    with django_capture_on_commit_callbacks(execute=True):
        importer.run(source)
    earlier, later = (Article.objects.get(title_en=t) for t in ("Earlier story", "Later story"))
    page = later.url_in("en")
    kept = Client().get(page).content.decode()
    assert link_to("the first", kept) == f"{old}/2019/05/earlier-story/"
    with django_assert_num_queries(0):
        assert Client().get(page).content.decode() == kept  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        relink(importer)

    relinked = Client().get(page).content.decode()
    assert link_to("the first", relinked) == earlier.get_absolute_url()


def link_to(words, html):
    """Where the link with these words points."""
    return re.search(rf'<a href="([^"]*)"[^>]*>{words}</a>', html)[1]
