"""Whole pages for anonymous readers: cached, never stale, forms still working."""

import gzip
import http.server
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from articles.models import Article
from nejat.comments.models import Comment
from nejat.delivery.page_cache import PageCacheMiddleware, accepts_gzip, share_with_readers
from nejat.ops.jobs import run_queued_jobs
from nejat.pages.models import ContactMessage
from nejat.publishing import Status
from nejat.publishing.cache_tags import changed, shows
from tests.conftest import browser_like_client
from tests.helpers import wsgi
from tests.helpers.forms import form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 3600


@pytest.fixture
def story(article_factory):
    return article_factory(title_en="A story readers share", body_en="<p>First version.</p>")


def test_the_second_reader_costs_no_query(story, django_assert_num_queries):
    first = Client().get(story.url_in("en"))
    with django_assert_num_queries(0):
        second = Client().get(story.url_in("en"))
    assert second.status_code == 200 and second.content == first.content
    assert "s-maxage=" in second["Cache-Control"] and "public" in second["Cache-Control"]
    assert second["Vary"] == "Cookie, Accept-Encoding" and second["ETag"] == first["ETag"]
    for response in (first, second):
        assert not response.cookies, "a cached page sets no cookie"
    head = Client().head(story.url_in("en"))
    assert head.status_code == 200 and head.content == b""


@pytest.mark.parametrize("path", ["/", "/fa/", "/articles/", "/media/photos/", "/contact/"])
def test_lists_and_forms_are_cached_per_edition(path, django_assert_num_queries):
    Client().get(path)
    with django_assert_num_queries(0):
        assert Client().get(path).status_code == 200


def test_search_results_are_kept_per_query_until_a_searched_list_changes(
    story, article_factory, django_capture_on_commit_callbacks
):
    assert Client().get("/search/?q=story")["Cache-Status"] == "nejat; fwd=uri-miss; stored"
    for same in ("/search/?q=story", "/search/?q=+story++&utm_source=x"):
        assert Client().get(same)["Cache-Status"] == "nejat; hit", same
    assert Client().get("/search/?q=other")["Cache-Status"] == "nejat; fwd=uri-miss; stored"
    with django_capture_on_commit_callbacks(execute=True):
        article_factory(title_en="Another story", body_en="<p>A story too.</p>")
    again = Client().get("/search/?q=story")
    assert again["Cache-Status"] == "nejat; fwd=stale; stored"
    assert "Another story" in again.content.decode()


def test_an_edit_shows_at_once(story, django_capture_on_commit_callbacks):
    Client().get(story.url_in("en"))
    with django_capture_on_commit_callbacks(execute=True):  # saved from code, then committed
        story.body_en = "<p>Corrected version.</p>"
        story.save()
    assert "Corrected version." in Client().get(story.url_in("en")).content.decode()


def test_an_unpublished_item_disappears_at_once(story, django_capture_on_commit_callbacks):
    Client().get("/")
    with django_capture_on_commit_callbacks(execute=True):
        story.status = Status.DRAFT
        story.save()
    assert "A story readers share" not in Client().get("/").content.decode()
    assert Client().get(story.url_in("en")).status_code == 404


@pytest.mark.dates
def test_a_scheduled_item_appears_at_its_minute(article_factory):
    start = timezone.now().replace(microsecond=0)
    due = start + timedelta(minutes=30)
    with time_machine.travel(start, tick=False):
        article_factory(title_en="Scheduled piece", publish_at=due)
        home = Client().get("/")
        assert "Scheduled piece" not in home.content.decode()
        assert int(home["Cache-Control"].split("s-maxage=")[1].split(",")[0]) <= 30 * 60
    with time_machine.travel(due - timedelta(seconds=5), tick=False):
        assert "Scheduled piece" not in Client().get("/").content.decode()
    with time_machine.travel(due + timedelta(seconds=1), tick=False):
        assert "Scheduled piece" in Client().get("/").content.decode()


@pytest.mark.dates
def test_staff_get_fresh_pages_and_never_fill_the_cache(story, editor_client):
    Client().get(story.url_in("en"))  # cached for readers
    with time_machine.travel(timezone.now()):
        Article.objects.filter(pk=story.pk).update(title_en="Changed without a signal")
    assert "Changed without a signal" in editor_client.get(story.url_in("en")).content.decode()
    assert "Changed without a signal" not in Client().get(story.url_in("en")).content.decode()
    draft = Article.objects.create(title_en="Staff-only draft", status=Status.DRAFT)
    preview = editor_client.get(draft.url_in("en"))
    assert preview.status_code == 200 and "s-maxage" not in preview.get("Cache-Control", "")
    assert Client().get(draft.url_in("en")).status_code == 404


def test_a_repeat_visit_gets_304(story):
    first = Client().get(story.url_in("en"))
    again = Client().get(story.url_in("en"), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    other = Client().get(story.url_in("en"), headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200


@pytest.mark.dates
def test_forms_on_a_page_cached_two_hours_ago_still_work(story, settings):
    settings.PAGE_CACHE_SECONDS = 4 * 3600  # a long lifetime: the HTML below is two hours old
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        page = Client().get(story.url_in("en"))  # rendered and cached now
        assert "s-maxage" in page["Cache-Control"]
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        reader = browser_like_client()
        cached = reader.get(story.url_in("en"))
        assert cached.content == page.content  # the two-hour-old HTML
        fields = form_fields(cached.content.decode(), "comment-form")
        action = _action(cached)
        bad = reader.post(action, {**fields, "email": "not an address"})
        assert bad.status_code == 400 and "valid email" in bad.content.decode()
        fields.update(name="Reader", email="reader@example.org", text="Two hours later.")
        response = reader.post(action, fields)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Comment.objects.get().text == "Two hours later."

        contact = reader.get("/contact/")
        data = form_fields(contact.content.decode(), "contact-form")
        data.update(name="Reader", email="r@example.org", subject="Hi", message="A question.")
        assert reader.post("/contact/", data).status_code == 302
        assert ContactMessage.objects.count() == 1


def _action(response):
    html = response.content.decode()
    start = html.index('class="form comment-form"')
    return html[html.rindex('action="', 0, start) + 8 :].split('"')[0]


@pytest.fixture
def purge_server():
    """A cache in front that takes PURGE requests (answering 503 while ``down`` is set)."""
    purged, down = [], threading.Event()

    class Purge(http.server.BaseHTTPRequestHandler):
        def do_PURGE(self):
            purged.append(self.path)
            self.send_response(503 if down.is_set() else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Purge)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/purge/all", purged, down
    finally:
        server.shutdown()
        server.server_close()


PURGE = "nejat.delivery.jobs.purge_front_caches"


@pytest.mark.django_db(transaction=True)
def test_a_purge_is_a_job_that_commits_with_the_change(queued, story, settings, purge_server):
    url, purged, _ = purge_server
    settings.PAGE_CACHE_PURGE_URLS = [url]
    with pytest.raises(RuntimeError), transaction.atomic():
        story.title_en = "Rolled back"
        story.save()
        raise RuntimeError("the save fails")
    assert not ProcrastinateJob.objects.filter(task_name=PURGE).exists()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint rolled back
            story.save()
            raise RuntimeError("this part fails")
        story.save()  # the rest of the transaction commits, with its purge

    with transaction.atomic():
        for title in ("Retitled", "Retitled again"):  # one purge for the whole transaction
            story.title_en = title
            story.save()
        assert purged == []
    assert ProcrastinateJob.objects.filter(task_name=PURGE, queue_name="delivery").count() == 2
    run_queued_jobs(["delivery"])
    # The first job takes what both changes left pending: one purge; the second finds none.
    assert purged == ["/purge/all"]
    jobs = ProcrastinateJob.objects.filter(task_name=PURGE).values_list("status", flat=True)
    assert list(jobs) == ["succeeded"] * 2


@pytest.mark.django_db(transaction=True)
def test_a_refused_purge_is_tried_again(queued, story, settings, purge_server):
    url, purged, down = purge_server
    settings.PAGE_CACHE_PURGE_URLS = [url]
    down.set()
    story.title_en = "Retitled"
    story.save()
    run_queued_jobs(["delivery"])
    (job,) = ProcrastinateJob.objects.filter(task_name=PURGE)
    assert (job.status, job.attempts, len(purged)) == ("todo", 1, 1)
    down.clear()
    ProcrastinateJob.objects.filter(pk=job.pk).update(scheduled_at=None)  # its retry is due
    run_queued_jobs(["delivery"])
    assert ProcrastinateJob.objects.get(pk=job.pk).status == "succeeded" and len(purged) == 2


def test_kept_pages_are_sent_compressed_to_browsers_that_accept_it(story):
    plain = Client().get(story.url_in("en"))
    packed = Client().get(story.url_in("en"), headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
    assert packed["ETag"] != plain["ETag"]  # one per representation
    again = Client().get(
        story.url_in("en"),
        headers={"Accept-Encoding": "gzip", "If-None-Match": packed["ETag"]},
    )
    assert again.status_code == 304
    for response in (plain, packed):  # the headers the other middleware add are kept
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Content-Type"] == "text/html; charset=utf-8"


def test_pages_with_secrets_are_never_compressed_by_the_app(story, editor_client):
    """BREACH needs a secret in a compressed body: only pages kept for every reader are
    compressed, never a signed-in editor's page or a form with a CSRF token."""
    for client, path in (
        (editor_client, story.url_in("en")),
        (editor_client, "/admin/"),
        (Client(), "/admin/login/"),
    ):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert "Content-Encoding" not in response, path


def wsgi_get(path, **headers):
    """A request to the WSGI application itself (``config.wsgi``), as granian
    sends it: the cached page's own door, before Django builds a request."""
    answered = wsgi.call("GET", path, **headers)
    return answered.status, answered.headers, answered.content


def test_the_wsgi_door_answers_kept_pages_without_django(story, django_assert_num_queries):
    path = story.url_in("en")
    status, headers, first = wsgi_get(path)  # rendered by Django, then kept
    assert status == "200 OK"
    with django_assert_num_queries(0):
        status, headers, body = wsgi_get(path, Accept_Encoding="gzip")
    assert status == "200 OK" and gzip.decompress(body) == first
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Content-Encoding"] == "gzip"
    status, _headers, body = wsgi_get(path, If_None_Match=headers["ETag"], Accept_Encoding="gzip")
    assert status == "304 Not Modified" and body == b""
    assert Client().get(path).content == first  # the middleware's door: the same page


def test_the_wsgi_door_lets_staff_and_changes_through(story, django_capture_on_commit_callbacks):
    path = story.url_in("en")
    wsgi_get(path)
    with django_capture_on_commit_callbacks(execute=True):
        story.body_en = "<p>Corrected at once.</p>"
        story.save()
    assert b"Corrected at once." in wsgi_get(path)[2]
    Article.objects.filter(pk=story.pk).update(body_en="<p>Only staff see this yet.</p>")
    assert b"Only staff see this yet." not in wsgi_get(path)[2]  # no signal: still kept
    assert b"Only staff see this yet." in wsgi_get(path, Cookie="sessionid=x")[2]


def test_a_persian_address_is_one_page_for_both_doors(article_factory, django_assert_num_queries):
    story = article_factory(title_fa="گزارشی از تهران", body_fa="<p>متن.</p>")
    path = story.url_in("fa")
    assert "%D8" in path or "گ" in path  # a non-ASCII slug
    status, _headers, first = wsgi_get(path)  # rendered by Django, kept under the decoded path
    assert status == "200 OK" and "گزارشی از تهران" in first.decode()
    with django_assert_num_queries(0):
        assert wsgi_get(path)[2] == first  # the WSGI door finds it
        assert Client().get(path).content == first  # and so does the middleware's


def test_an_edit_committed_during_the_render_is_not_hidden(django_capture_on_commit_callbacks):
    """The page rendered from the old content must not be kept as if it showed the new."""

    def render_while_an_editor_saves(request):
        shows("item:articles.article:1")  # the page reads the article …
        page = share_with_readers(HttpResponse("old content"))
        with django_capture_on_commit_callbacks(execute=True):
            changed("item:articles.article:1")  # … and an edit of it commits meanwhile
        return page

    def render(request):
        shows("item:articles.article:1")
        return share_with_readers(HttpResponse("new content"))

    request = RequestFactory().get("/articles/")
    assert PageCacheMiddleware(render_while_an_editor_saves)(request).content == b"old content"
    request = RequestFactory().get("/articles/")
    assert PageCacheMiddleware(render)(request).content == b"new content"


def test_a_page_its_view_calls_private_is_never_kept():
    calls = []

    def private(request):
        calls.append(request)
        page = share_with_readers(HttpResponse("for one reader"))
        page["Cache-Control"] = "private, max-age=60"
        page["X-Reader"] = "one"
        return page

    for _ in range(2):
        response = PageCacheMiddleware(private)(RequestFactory().get("/contact/"))
        assert response["Cache-Control"] == "private, max-age=60"
    assert len(calls) == 2


def test_a_kept_page_carries_its_own_headers_and_no_others():
    def page(request):
        response = share_with_readers(HttpResponse("a page", content_type="text/html"))
        response["Vary"] = "Accept-Language, Cookie"
        response["Content-Language"] = "fa"
        response["X-Per-Reader"] = "not for the next reader"
        return response

    for _ in range(2):  # stored, then answered from the cache
        response = PageCacheMiddleware(page)(RequestFactory().get("/fa/"))
        assert response["Vary"] == "Cookie, Accept-Encoding"
        assert response["Content-Language"] == "fa" and "s-maxage" in response["Cache-Control"]
        assert "X-Per-Reader" not in response


def test_a_page_that_varies_on_what_the_key_leaves_out_is_not_kept():
    def page(request):
        response = share_with_readers(HttpResponse("for this user agent"))
        response["Vary"] = "User-Agent"
        return response

    response = PageCacheMiddleware(page)(RequestFactory().get("/"))
    assert response["Vary"] == "User-Agent" and "s-maxage" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/", "/fa/", "/articles/", "/contact/"])
def test_a_kept_page_answers_with_every_header_the_fresh_page_had(path, settings):
    settings.PAGE_CACHE_SECONDS = 0
    fresh = Client().get(path)
    settings.PAGE_CACHE_SECONDS = 3600
    Client().get(path)
    kept = Client().get(path)
    per_answer = {"cache-control", "etag", "vary", "content-length", "x-request-id", "cache-status"}
    assert {h.lower() for h in fresh.headers} - per_answer <= {h.lower() for h in kept.headers}
    assert kept["X-Request-ID"] != fresh["X-Request-ID"]  # each answer its own id
    for header in fresh.headers:
        if header.lower() not in per_answer:
            assert kept[header] == fresh[header], header


@pytest.mark.parametrize(
    "accept_encoding, gzip_wanted",
    [
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("GZIP", True),
        ("*", True),
        ("", False),
        ("identity", False),
        ("gzip;q=0", False),
        ("gzip; q=0.0, br", False),
        ("*;q=0.5, gzip;q=0", False),
        ("gzip;q=nonsense", False),
    ],
)
def test_gzip_only_where_the_browser_accepts_it(accept_encoding, gzip_wanted):
    assert accepts_gzip(accept_encoding) is gzip_wanted


@pytest.mark.parametrize(
    "if_none_match, not_modified",
    [
        ("{etag}", True),
        ("W/{etag}", True),  # as nginx's gzip passes it on
        ('"other",{etag}', True),
        ('"other" ,  {etag}', True),
        ("*", True),
        ('"other"', False),
        ("garbage", False),
    ],
)
def test_if_none_match_as_rfc_9110_reads_it(story, if_none_match, not_modified):
    etag = Client().get(story.url_in("en"))["ETag"]
    again = Client().get(
        story.url_in("en"), headers={"If-None-Match": if_none_match.format(etag=etag)}
    )
    assert again.status_code == (304 if not_modified else 200)


def test_a_cookie_named_like_the_session_only_in_part_is_still_a_reader(story):
    path = story.url_in("en")
    wsgi_get(path)
    Article.objects.filter(pk=story.pk).update(body_en="<p>Only staff see this yet.</p>")
    for cookie in ("theme=dark", "nosessionid=1; mymessages=2"):
        assert b"Only staff see this yet." not in wsgi_get(path, Cookie=cookie)[2], cookie
    for cookie in ("theme=dark; sessionid=x", "messages=abc"):
        assert b"Only staff see this yet." in wsgi_get(path, Cookie=cookie)[2], cookie


@pytest.mark.parametrize("path", ["/feed/", "/fa/feed/", "/sitemap.xml"])
def test_feeds_and_sitemaps_are_kept_whole(story, path, django_assert_num_queries):
    first = Client().get(path)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = Client().get(path, headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(second.content) == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_with_redis_each_process_keeps_its_own_copy_and_edits_reach_all(
    story, redis_url, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
        },
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    }
    path = story.url_in("en")
    first = Client().get(path)  # rendered, kept in Redis and in this process
    assert caches["default"].get(page_key_for(path)) is not None
    caches["pages"].clear()  # as another process, which has no copy yet
    with django_assert_num_queries(0):
        assert Client().get(path).content == first.content  # from Redis
    caches["default"].delete(page_key_for(path))
    with django_assert_num_queries(0):
        assert Client().get(path).content == first.content  # now from its own copy
    with django_capture_on_commit_callbacks(execute=True):  # an edit in any process
        story.body_en = "<p>Edited where Redis hears it.</p>"
        story.save()
    assert "Edited where Redis hears it." in Client().get(path).content.decode()


def page_key_for(path):
    from nejat.delivery.page_cache import page_key

    return page_key({"HTTP_HOST": "testserver", "wsgi.url_scheme": "http"}, path)


def until(condition, seconds=5):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within 5 s"
        time.sleep(0.01)
