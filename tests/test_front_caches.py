"""nginx keeps the pages the page cache keeps and forgets only those that show a change (#36,
nejat/delivery/front_caches.py): deploy/nginx/nejat.conf as documented, in front of the app,
each answer's Cache-Status read; the purge job run as a worker runs it."""

import gzip
import http.server
import json
import threading
import urllib.parse

import pytest
from django.test import Client
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from nejat.comments.models import Comment
from nejat.comments.moderation import moderate
from nejat.delivery import front_caches
from nejat.delivery.front_caches import FrontCachedPage, PendingPurge
from nejat.delivery.jobs import forget_old_front_cached_pages
from nejat.ops.jobs import run_queued_jobs
from tests.conftest import comment_on
from tests.helpers.services import fetch, running_nginx

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.processes]
PURGE = "nejat.delivery.jobs.purge_front_caches"


@pytest.fixture
def nginx(live_server, tmp_path, settings, queued):
    """nginx with its page cache in front of the app (the live server), as going live sets it."""
    settings.PAGE_CACHE_SECONDS = 3600
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "nejat.example"]
    (tmp_path / "var").mkdir()
    app = live_server.url.removeprefix("http://")
    with running_nginx(tmp_path, [app], tmp_path / "var") as ports:
        settings.PAGE_CACHE_NGINX_PURGE_URLS = [ports["purge"]]
        Client().get("/")  # the site's settings, made by the first page ever rendered
        yield f"https://127.0.0.1:{ports['https']}"


def read(base, path, **headers):
    """(body, nginx's Cache-Status, the app's) of a page, as a browser asks for it."""
    status, answer, body = fetch(
        base + urllib.parse.quote(path, safe="/?=&%"), **{"Accept-Encoding": "gzip", **headers}
    )
    assert status == 200, (path, status)
    if answer["Content-Encoding"] == "gzip":
        body = gzip.decompress(body)
    statuses = answer.get_all("Cache-Status")
    return body.decode(), statuses[-1], statuses[0]


def nginx_status(base, path, **headers):
    return read(base, path, **headers)[1]


def purged():
    """The purge jobs due now, run as the worker runs them."""
    run_queued_jobs(["delivery"])


def warm(base, *paths):
    """Each page kept by nginx (the changes made so far purged first, as a worker would have)."""
    purged()
    for path in paths:
        read(base, path)
        assert nginx_status(base, path) == "nginx; hit", path


@pytest.fixture
def newsroom(article_factory):
    first, second = article_factory(title_en="Story one"), article_factory(title_en="Story two")
    persian = article_factory(title_en="", title_fa="گزارش مدرسه", body_fa="<p>متن.</p>")
    return first, second, persian


def test_a_comment_approved_leaves_every_other_page_kept_by_nginx(nginx, newsroom):
    first, second, persian = newsroom
    body, by_nginx, by_app = read(nginx, first.url_in("en"))
    assert (by_nginx, by_app) == ("nginx; fwd=uri-miss", "nejat; fwd=uri-miss; stored")
    others = [second.url_in("en"), persian.url_in("fa"), "/fa/"]
    warm(nginx, first.url_in("en"), *others)

    comment = comment_on(first, text="A view from a reader")
    moderate(Comment.objects.filter(pk=comment.pk), Comment.Status.APPROVED)
    assert nginx_status(nginx, first.url_in("en")) == "nginx; hit"  # not yet told
    purged()
    body, by_nginx, _ = read(nginx, first.url_in("en"))
    assert "A view from a reader" in body and by_nginx == "nginx; fwd=uri-miss"
    assert [nginx_status(nginx, path) for path in others] == ["nginx; hit"] * len(others)

    # And once more, a moment later: a page on its way to nginx when the first purge came.
    again = ProcrastinateJob.objects.filter(task_name=PURGE, status="todo").latest("id")
    assert again.args["tags"] == [
        f"comments:articles.article:{first.pk}",
        f"count:articles.article:{first.pk}",
    ]
    assert again.scheduled_at > timezone.now()


def test_a_persian_correction_reaches_nginx_and_its_list(nginx, newsroom):
    first, _second, persian = newsroom
    warm(nginx, persian.url_in("fa"), "/fa/", "/fa/articles/", first.url_in("en"))
    persian.title_fa = "گزارش مدرسه، اصلاح شده"
    persian.save()
    purged()
    for path in (persian.url_in("fa"), "/fa/"):
        body, by_nginx, _ = read(nginx, path)
        assert "اصلاح شده" in body and by_nginx == "nginx; fwd=uri-miss", path
    assert nginx_status(nginx, first.url_in("en")) == "nginx; hit"  # another edition


def test_recent_posts_on_every_page_are_current_through_nginx(nginx, newsroom, article_factory):
    """The sidebar's Recent Posts is put into each kept page when the app serves it; nginx keeps
    the whole page, so a new article purges the pages that show the fragment."""
    first, second, _persian = newsroom
    warm(nginx, first.url_in("en"), second.url_in("en"))
    article_factory(title_en="Just published")
    purged()
    assert "Just published" in read(nginx, first.url_in("en"))[0]  # (its sidebar made again)
    body, by_nginx, by_app = read(nginx, second.url_in("en"))
    assert "Just published" in body
    assert (by_nginx, by_app) == ("nginx; fwd=uri-miss", "nejat; hit")  # not rendered again
    # A correction of an article the fragment shows now, learnt when it was rendered again.
    latest = first.__class__.objects.get(title_en="Just published")
    warm(nginx, second.url_in("en"))
    latest.title_en = "Just published, corrected"
    latest.save()
    purged()
    assert "Just published, corrected" in read(nginx, second.url_in("en"))[0]


def test_nginx_keeps_one_copy_per_page(nginx, newsroom):
    first, *_ = newsroom
    path = first.url_in("en")
    warm(nginx, path)
    for query in ("?utm_source=a", "?utm_source=b", "?x=1"):
        _body, by_nginx, by_app = read(nginx, path + query)
        assert (by_nginx, by_app) == ("nginx; fwd=uri-miss", "nejat; hit"), query
        assert nginx_status(nginx, path + query) == "nginx; fwd=uri-miss"  # never kept
    assert nginx_status(nginx, path, Cookie="sessionid=anything") == "nginx; fwd=bypass"
    assert nginx_status(nginx, path, Cookie="theme=dark") == "nginx; hit"
    ids = {fetch(nginx + path)[1]["X-Request-ID"] for _ in range(2)}
    assert len(ids) == 2  # each answer its own id, not the one of the request it was kept from
    # A reader whose browser takes no gzip: nginx unzips its one copy.
    status, answer, body = fetch(nginx + path)
    assert status == 200 and "Content-Encoding" not in answer and b"Story one" in body
    kept = FrontCachedPage.objects.filter(key__startswith="nejat.example")
    assert [row.key for row in kept] == [f"nejat.example{path}"]


def test_a_refused_purge_keeps_its_tags_for_the_next_try(settings, article_factory, queued):
    settings.PAGE_CACHE_NGINX_PURGE_URLS = ["http://127.0.0.1:1"]  # nobody listens
    story = article_factory(title_en="Story")
    FrontCachedPage.objects.create(
        key=f"nejat.example{story.url_in('en')}",
        tags=[f"item:articles.article:{story.pk}"],
        kept_at=timezone.now(),
    )
    story.title_en = "Retitled"
    story.save()
    run_queued_jobs(["delivery"])
    failed = ProcrastinateJob.objects.filter(task_name=PURGE).order_by("id").last()
    assert (failed.status, failed.attempts) == ("todo", 1)  # to be tried again
    assert f"item:articles.article:{story.pk}" in PendingPurge.objects.values_list("tag", flat=True)


def test_a_cdn_is_told_the_tags_by_post(settings, article_factory, queued, purge_server):
    url, bodies = purge_server
    settings.PAGE_CACHE_PURGE_TAGS_URL = url
    settings.PAGE_CACHE_PURGE_TAGS_TOKEN = "cdn-token-for-tests"
    story = article_factory(title_en="Story")
    run_queued_jobs(["delivery"])
    (body,) = bodies
    assert f"item:articles.article:{story.pk}" in json.loads(body["data"])["tags"]
    assert body["authorization"] == "Bearer cdn-token-for-tests"
    assert not PendingPurge.objects.exists()


def test_records_of_pages_no_cache_can_keep_are_forgotten(settings, queued):
    settings.PAGE_CACHE_SECONDS = 3600
    now = timezone.now()
    FrontCachedPage.objects.create(key="nejat.example/old/", tags=["a"], kept_at=now.replace(
        year=now.year - 1))  # fmt: skip
    FrontCachedPage.objects.create(key="nejat.example/new/", tags=["a"], kept_at=now)
    forget_old_front_cached_pages.defer(timestamp=0)
    run_queued_jobs(["maintenance"])
    assert list(FrontCachedPage.objects.values_list("key", flat=True)) == ["nejat.example/new/"]


def test_only_the_clean_address_may_be_kept_by_nginx(settings):
    settings.PAGE_CACHE_NGINX_PURGE_URLS = ["http://127.0.0.1:1"]
    path = "/fa/مقاله/"

    def asked(query, key=None):
        """nginx's key ($host$request_uri) in its header."""
        key = f"nejat.example{urllib.parse.quote(path)}?{query}" if key is None else key
        environ = {"HTTP_HOST": "nejat.example:443", "QUERY_STRING": query,
                   "HTTP_X_FRONT_CACHE_KEY": key}  # fmt: skip
        return front_caches.asked_by_its_address(environ, path)

    assert asked("page=2")
    assert not asked("page=2", key=f"nejat.example{urllib.parse.quote(path).lower()}?page=2")
    assert not asked("page=2&utm_source=x")  # a parameter no view reads
    assert not asked("q=a&page=2")  # another order
    assert not asked("page=2", key="")  # not through nginx
    assert not asked("page=2", key=f"nejat.example{path}?page=3")
    settings.PAGE_CACHE_NGINX_PURGE_URLS = []
    assert not asked("page=2")


@pytest.fixture
def purge_server():
    """A CDN's purge API: takes POSTs and remembers them."""
    bodies = []

    class Purge(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            data = self.rfile.read(int(self.headers["Content-Length"]))
            bodies.append({"data": data, "authorization": self.headers["Authorization"]})
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Purge)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/purge", bodies
    finally:
        server.shutdown()
        server.server_close()
