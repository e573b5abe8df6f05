"""Cache tags (#36, docs/decisions/0006-cache-tags.md): a change forgets only the kept pages that
show it, read from each answer's Cache-Status; random query strings cost nothing; a page being
rendered again is answered from its previous copy meanwhile."""

import json

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from nejat.comments.models import Comment
from nejat.comments.moderation import moderate
from nejat.delivery.addresses import page_key
from nejat.delivery.kept_pages import take_render_lock
from nejat.delivery.page_cache import PageCacheMiddleware, share_with_readers
from nejat.publishing import Status
from nejat.publishing.cache_tags import changed, collecting, shows, stop_listening, versions
from tests.conftest import comment_on
from tests.helpers.services import within_a_moment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 3600


def cache_status(path, **headers):
    return Client(headers=headers).get(path)["Cache-Status"]


def listed(path):
    """The page's main column (the sidebar's Recent Posts shows every new article)."""
    page = Client().get(path).content.decode()
    return page[page.index('<main id="content"') : page.index("</main>")]


def warm(*paths):
    for path in paths:
        Client().get(path)
        assert cache_status(path) == "nejat; hit", path


@pytest.fixture
def newsroom(article_factory):
    """Three English articles, one of them in Albanian too, and one Albanian-only."""
    first, second, third = (article_factory(title_en=f"Story {n}") for n in (1, 2, 3))
    second.title_sq, second.body_sq = "Lajm i dytë", "<p>Tekst.</p>"
    second.save()
    albanian = article_factory(title_en="", title_sq="Vetëm shqip", body_sq="<p>Tekst.</p>")
    return first, second, third, albanian


def test_a_comment_approved_on_one_article_leaves_every_other_page_kept(
    newsroom, django_capture_on_commit_callbacks
):
    first, second, third, _albanian = newsroom
    others = [second.url_in("en"), third.url_in("en"), "/fa/"]
    warm(first.url_in("en"), *others)
    comment = comment_on(first, text="A view from a reader")
    with django_capture_on_commit_callbacks(execute=True):
        moderate(Comment.objects.filter(pk=comment.pk), Comment.Status.APPROVED)
    assert cache_status(first.url_in("en")) == "nejat; fwd=stale; stored"
    assert "A view from a reader" in Client().get(first.url_in("en")).content.decode()
    assert [cache_status(path) for path in others] == ["nejat; hit"] * len(others)


def test_an_albanian_correction_forgets_only_the_pages_that_show_that_article(
    newsroom, django_capture_on_commit_callbacks
):
    first, second, third, albanian = newsroom
    english = [first.url_in("en"), third.url_in("en"), "/", "/articles/"]
    warm(*english, albanian.url_in("sq"), second.url_in("sq"), "/sq/", second.url_in("en"))
    with django_capture_on_commit_callbacks(execute=True):
        second.body_sq = "<p>Tekst i korrigjuar.</p>"  # a typo fixed, nothing else
        second.save()
    assert cache_status(second.url_in("sq")) == "nejat; fwd=stale; stored"
    assert cache_status(second.url_in("en")) == "nejat; fwd=stale; stored"  # its other edition
    assert "korrigjuar" in Client().get(second.url_in("sq")).content.decode()
    # Other articles' pages, in either edition, are still kept.
    assert cache_status(first.url_in("en")) == "nejat; hit"
    assert cache_status(albanian.url_in("sq")) == "nejat; hit"
    assert cache_status(third.url_in("en")) == "nejat; hit"


def test_a_new_article_forgets_its_editions_lists_not_the_others(
    newsroom, article_factory, django_capture_on_commit_callbacks
):
    warm("/articles/", "/sq/articles/", "/fa/articles/")
    with django_capture_on_commit_callbacks(execute=True):
        article_factory(title_sq="Lajm i ri", body_sq="<p>I ri.</p>", title_en="")
    assert cache_status("/sq/articles/") == "nejat; fwd=stale; stored"
    assert "Lajm i ri" in Client().get("/sq/articles/").content.decode()
    assert cache_status("/articles/") == "nejat; hit"
    assert cache_status("/fa/articles/") == "nejat; hit"


def test_unpublishing_forgets_the_lists_that_showed_it(
    newsroom, django_capture_on_commit_callbacks
):
    first, *_rest = newsroom
    warm("/articles/")
    assert first.title_en in Client().get("/articles/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        first.status = Status.DRAFT
        first.save()
    assert first.title_en not in Client().get("/articles/").content.decode()


def test_random_query_strings_are_the_page_without_them(newsroom):
    first, *_rest = newsroom
    path = first.url_in("en")
    warm(path)
    for query in ("?x=1", "?utm_source=newsletter&x=2", "?fbclid=abc"):
        assert cache_status(path + query) == "nejat; hit"
    # A parameter some view reads (a list's page) but this one does not: the clean address.
    answer = Client().get(path + "?page=7")
    assert answer.status_code == 301 and answer["Location"] == path
    # The lists read theirs: each page its own copy.
    Client().get("/articles/?page=1")
    assert cache_status("/articles/?page=1&utm_source=x") == "nejat; hit"


def test_a_page_being_rendered_again_is_answered_from_its_previous_copy(
    newsroom, django_capture_on_commit_callbacks
):
    first, *_rest = newsroom
    path = first.url_in("en")
    warm(path)
    with django_capture_on_commit_callbacks(execute=True):
        first.body_en = "<p>Corrected.</p>"
        first.save()
    key = page_key(Client().get(path).wsgi_request.META, path)  # (renders it, freeing the lock)
    with django_capture_on_commit_callbacks(execute=True):
        first.body_en = "<p>Corrected again.</p>"
        first.save()
    assert take_render_lock(key)  # another request is rendering it
    meanwhile = Client().get(path)
    assert meanwhile["Cache-Status"] == "nejat; hit; detail=stale"
    assert "Corrected." in meanwhile.content.decode()


def test_staff_and_posts_bypass_the_cache_and_say_why(newsroom, editor_client):
    first, *_rest = newsroom
    assert editor_client.get(first.url_in("en"))["Cache-Status"] == (
        "nejat; fwd=bypass; detail=signed-in"
    )
    assert Client().head("/")["Cache-Status"] in {"nejat; fwd=uri-miss; stored", "nejat; hit"}


def test_a_page_carries_the_tags_of_what_it_shows(newsroom):
    first, *_rest = newsroom
    with collecting() as tags:
        Client().get(first.url_in("en"))
    mine = f"item:articles.article:{first.pk}"
    assert mine in tags
    assert f"comments:articles.article:{first.pk}" in tags
    # The site's name, through the site context; not the other articles of Recent Posts (a late
    # fragment, put in when the page is served).
    assert any(tag.endswith("pages.sitesettings:en") or "sitesettings:1" in tag for tag in tags)
    assert not any(tag.startswith("item:articles.article:") and tag != mine for tag in tags)


def test_while_the_database_is_away_readers_get_the_previous_copy(
    django_capture_on_commit_callbacks,
):
    def render(request):
        shows("item:articles.article:1")
        return share_with_readers(HttpResponse("before the change"))

    def database_away(request):
        return HttpResponse("Back in a moment", status=503)  # what the outage page answers

    PageCacheMiddleware(render)(RequestFactory().get("/articles/"))
    with django_capture_on_commit_callbacks(execute=True):
        changed("item:articles.article:1")  # stale now; rendering it again fails
    answer = PageCacheMiddleware(database_away)(RequestFactory().get("/articles/"))
    assert (answer.status_code, answer.content) == (200, b"before the change")
    assert answer["Cache-Status"] == "nejat; hit; detail=stale-if-error"
    never_kept = PageCacheMiddleware(database_away)(RequestFactory().get("/other/"))
    assert never_kept.status_code == 503  # nothing to fall back on


def another_process_changes(*tags, announce=None):
    """What another process's commit does: new versions, announced on the channel."""
    from nejat.ops.db import connection_of_its_own
    from nejat.publishing.cache_tags import CHANNEL, UPSERT

    with connection_of_its_own() as conn:
        new = dict(conn.execute(UPSERT, [sorted(tags)]).fetchall())
        notice = announce or json.dumps(new)
        conn.execute("SELECT pg_notify(%s, %s)", [CHANNEL, notice])
    return new


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("announce", [None, "reload"], ids=["versions", "too-long-to-announce"])
def test_a_change_committed_elsewhere_is_heard_here(announce):
    versions().current()  # this process listens
    new = another_process_changes("item:articles.article:77", announce=announce)
    heard = within_a_moment(
        lambda: versions().current().versions.get("item:articles.article:77"),
        lambda version: version == new["item:articles.article:77"],
    )
    assert heard


@pytest.mark.django_db(transaction=True)
def test_a_process_starting_reads_what_changed_before_it():
    new = another_process_changes("list:articles.article:sq")
    stop_listening()  # as if this process had just started
    assert (
        versions().current().versions["list:articles.article:sq"] == new["list:articles.article:sq"]
    )


def test_a_cdn_in_front_is_told_each_pages_tags_when_asked(newsroom, settings):
    first, second, *_rest = newsroom
    path = first.url_in("en")
    Client().get(path)
    assert "Surrogate-Key" not in Client().get(path)  # not unless asked (bytes on every page)
    settings.PAGE_CACHE_TAG_HEADERS = True
    kept = Client().get(path)
    keys = kept["Surrogate-Key"].split(" ")
    assert f"item:articles.article:{first.pk}" in keys
    assert f"item:articles.article:{second.pk}" in keys  # in Recent Posts, put in when served
    assert kept["Cache-Tag"].split(",") == keys


def test_a_corrected_title_changes_its_item_not_its_lists(article_factory):
    """Lists show the title through the item's own tag; which lists show the item depends on
    which titles it has, not on their words."""
    from articles.models import Article
    from nejat.publishing.cache_tags import item_tag, list_tag, part_tag
    from nejat.publishing.public_changes import changes_of_instance

    article = Article.objects.get(pk=article_factory(title_en="One", title_fa="یک").pk)
    article.title_fa = "یک، اصلاح شده"
    assert changes_of_instance(article) == [item_tag(Article, article.pk)]
    article.title_sq = "Një"  # a new edition: it joins the Albanian lists, its category's too
    assert changes_of_instance(article) == [
        item_tag(Article, article.pk),
        list_tag(Article, "sq"),
        part_tag(Article, "sq", f"category:{article.category_id}"),
    ]


@pytest.fixture
def sections(category_factory, article_factory):
    """Two categories, the second with a subcategory, each with an English article."""
    world = category_factory(name_en="World", slug_en="world")
    region = category_factory(name_en="Region", slug_en="region")
    city = category_factory(name_en="City", slug_en="city", parent=region)
    for category in (world, region, city):
        article_factory(title_en=f"From {category.name_en}", category=category)
    return world, region, city


def test_a_new_article_forgets_its_categorys_pages_not_the_others(
    sections, article_factory, django_capture_on_commit_callbacks
):
    _world, _region, city = sections
    warm("/articles/category/world/", "/articles/category/region/", "/articles/category/city/")
    with django_capture_on_commit_callbacks(execute=True):
        article_factory(title_en="News from the city", category=city)
    # Its category and the wider one that lists its subcategories' articles.
    for path in ("/articles/category/city/", "/articles/category/region/"):
        assert cache_status(path) == "nejat; fwd=stale; stored"
        assert "News from the city" in listed(path)
    assert cache_status("/articles/category/world/") == "nejat; hit"
    assert cache_status("/articles/") == "nejat; fwd=uri-miss; stored"  # (never asked before)


def test_an_article_moved_between_categories_leaves_one_and_joins_the_other(
    sections, django_capture_on_commit_callbacks
):
    from articles.models import Article

    world, _region, city = sections
    paths = ["/articles/category/world/", "/articles/category/region/"]
    warm(*paths, "/articles/category/city/")
    article = Article.objects.get(title_en="From World")
    with django_capture_on_commit_callbacks(execute=True):
        article.category = city
        article.save()
    pages = [listed(path) for path in paths]
    assert "From World" not in pages[0] and "From World" in pages[1]
    # A bulk change does not say which categories it moved articles between: all of them.
    warm(*paths)
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=article.pk).update(category=world)
    assert [cache_status(path) for path in paths] == ["nejat; fwd=stale; stored"] * 2


def test_a_subcategory_moved_moves_its_articles_between_wider_categories(
    sections, django_capture_on_commit_callbacks
):
    world, _region, city = sections
    warm("/articles/category/world/", "/articles/category/region/")
    with django_capture_on_commit_callbacks(execute=True):
        city.parent = world
        city.save()
    world_page = listed("/articles/category/world/")
    region_page = listed("/articles/category/region/")
    assert "From City" in world_page and "From City" not in region_page


@pytest.mark.dates
def test_every_page_of_a_paginated_list_is_kept_apart(article_factory):
    """A paginated view reads its page number without declaring it (a month's archive)."""
    from django.utils.timezone import localtime

    stories = [article_factory(title_en=f"Month story {n}") for n in range(12)]  # two pages
    month = localtime(stories[0].publish_at)
    path = f"/articles/{month:%Y}/{month:%m}/"
    pages = [Client().get(f"{path}?page={n}") for n in (1, 2)]
    assert [page.status_code for page in pages] == [200, 200]
    assert pages[0].content != pages[1].content
    assert Client().get(f"{path}?page=2")["Cache-Status"] == "nejat; hit"
