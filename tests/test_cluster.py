"""The site as several servers run it, on one machine, with real components (#16).

PostgreSQL over TCP, redis-server, an S3 server (moto), two production app servers (`manage.py
serve --production`, as on each machine of a cluster) and nginx in front of both with
deploy/nginx/nejat.conf. The checks run in this file's order on one cluster (`make
cluster-test` runs only them):

1. load through nginx over every page type in two editions; one app server is killed with
   SIGKILL midway and started again: no reader sees a failure;
2. an article published through A's admin is on B's pages at once, B's page cache included;
3. a photo uploaded through A is served through B from the bucket, nothing on a local disk
   (and the demo content, loaded with MEDIA_STORAGE=s3, is all in the bucket);
4. a comment posted through B is in A's moderation queue; the sixth of six comments from one
   address, spread over A and B, is refused with 429;
5. PostgreSQL restarted under load: readers get the styled 503 at most until 5 s after it is
   back, every accepted comment is kept, never a 500;
6. each app server's `serve` runs a job worker: every periodic job is run once per tick for the
   whole cluster;
7. a job worker killed with SIGKILL while it encodes a big picture's renditions: another worker
   finishes the job, every rendition made once, and the page on the other server shows them;
8. each server's nginx keeps pages in its own cache: a change made by another process is on
   both within a moment (a worker's purge), and every other page stays kept by both;
9. every process is stopped by its PID at the end, even when a check failed.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import psutil
import psycopg
import pytest
import requests

from nejat.ops.demo_files import demo_image
from tests.helpers.forms import form_fields
from tests.helpers.services import (
    ROOT,
    S3_CREDENTIALS,
    bucket_keys,
    free_port,
    new_bucket,
    running_nginx,
    running_postgres,
    running_redis,
    running_s3,
    stop,
    wait_until,
    within_a_moment,
)

pytestmark = [
    pytest.mark.processes,
    pytest.mark.cluster,
    pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning"),  # nginx's cert
]

HOST = "nejat.example"
STAFF = ("desk", "a long pass phrase for the desk")
LOAD_SECONDS = 30
RETRY_AFTER_BACK = 5  # the issue: readers see the 503 at most until 5 s after the database


class AppServer:
    """`manage.py serve --production` on a port of its own, as one machine of the cluster runs
    it; its var/ (collected static files, log) is its own, like a machine's disk."""

    def __init__(self, name, directory, environment):
        self.name, self.port = name, free_port()
        self.var = directory / name
        self.var.mkdir()
        self.environment = {**environment, "NEJAT_VAR_DIR": str(self.var)}
        self.process = None
        self.base = f"http://127.0.0.1:{self.port}"

    def start(self):
        with (self.var / "serve.log").open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "serve", "--production", f"127.0.0.1:{self.port}"],
                cwd=ROOT, env=self.environment, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_until(self.healthy, self.process, f"app server {self.name}", timeout=90)

    def healthy(self):
        try:
            return requests.get(f"{self.base}/healthz", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def pids(self):
        if self.process is None or self.process.poll() is not None:
            return []
        children = psutil.Process(self.process.pid).children(recursive=True)
        return [self.process.pid, *(child.pid for child in children)]

    def kill(self):
        """SIGKILL to the command and its granian processes: a machine that died."""
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        pids = self.pids()
        if self.process is not None:
            stop(self.process)
        for pid in pids:  # granian's processes, should the command have left any
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


class Visitor:
    """One browser: its cookies (sent whichever server answers, as they all are one site) and its
    address, which nginx would have put in X-Forwarded-For."""

    def __init__(self, address="198.51.100.10"):
        self.cookies, self.address = {}, address

    def request(self, method, url, **kwargs):
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",  # what nginx says in front of every server
            "X-Forwarded-For": self.address,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **kwargs.pop("headers", {}),
        }
        if method == "POST":
            headers.setdefault("Origin", f"https://{HOST}")
            headers.setdefault("Referer", f"https://{HOST}/")
        response = requests.request(
            method, url, headers=headers, allow_redirects=False, timeout=20, **kwargs
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.request("POST", url, **kwargs)


def manage(environment, *arguments, **kwargs):
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300, check=False,
        **kwargs,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


SETUP_SCRIPT = """
import json
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import translation
from articles.models import Article
from media_gallery.models import Cartoon, Gallery, NewsPic, Video
from publications.models import Book, Brief, Newsletter

user = User.objects.create_user("{user}", password="{password}", is_staff=True)
user.groups.set(Group.objects.filter(name__in=["Editors", "Moderators"]))
pages = {{}}
for code in ("en", "fa"):
    with translation.override(code):
        urls = [reverse(name) for name in (
            "home", "articles:list", "articles:feed", "publications:newsletter",
            "publications:pars_brief", "publications:books", "media_gallery:photos",
            "media_gallery:videos", "media_gallery:cartoons", "media_gallery:newspics",
            "pages:about", "pages:contact",
        )]
        urls.append(reverse("search") + "?q=" + ("news" if code == "en" else "خبر"))
        for model in (Article, Newsletter, Brief, Book, Gallery, Video, Cartoon, NewsPic):
            item = model.objects.public().first()
            urls.append(item.get_absolute_url())
        pages[code] = urls
article = Article.objects.public().filter(allow_comments=True).first()
pages["commentable"] = article.get_absolute_url()
# What load_demo put in the bucket: a featured picture with its renditions, a newsletter's PDF.
from nejat.media.uploads import rendition_names
picture = Article.objects.exclude(featured_image="").first().featured_image_picture
pages["demo_files"] = [
    picture.file.name, *rendition_names(picture.manifest),
    Newsletter.objects.exclude(pdf="").first().pdf.name,
]
print(json.dumps(pages))
"""


def children():
    return {child.pid for child in psutil.Process().children()}


def started_since(before, nginx_pids):
    """The processes this cluster started: the test process's children that were not there
    before (a browser of other tests was, and may start helpers of its own any time), their
    children, and each nginx's master (it leaves its parent) with its workers."""
    roots = [psutil.Process(pid) for pid in children() - before]
    roots += [psutil.Process(pid) for pid in nginx_pids]
    pids = set()
    for root in roots:
        with contextlib.suppress(psutil.NoSuchProcess):
            pids |= {root.pid, *(child.pid for child in root.children(recursive=True))}
    return pids


@pytest.fixture(scope="module")
def cluster():
    directory = Path(tempfile.mkdtemp(prefix="nejat-cluster-"))
    directory.chmod(0o755)  # PostgreSQL runs as another user when the tests run as root
    before = children()  # e.g. another test's S3 server or browser: not this cluster's
    with contextlib.ExitStack() as services:
        database = services.enter_context(running_postgres(directory))
        redis_url = services.enter_context(running_redis(directory))
        s3 = services.enter_context(running_s3(directory / "moto.log"))
        bucket = new_bucket(s3)
        purge_ports = [free_port(), free_port()]
        environment = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "REDIS"))},
            **S3_CREDENTIALS,
            "DEBUG": "0",
            "SECRET_KEY": "cluster-test-" + "k" * 40,
            "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
            "BEHIND_TLS_PROXY": "1",
            "TRUSTED_PROXIES": "1",
            "DATABASE_URL": database.url,
            "REDIS_URL": redis_url,
            "MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": s3,
            "WEB_WORKERS": "1",  # two servers on two cores
            "ANTISPAM_MIN_SECONDS": "0",  # a script posts as fast as it reads
            # A killed worker's job is run again sooner than the 60 s of production (check 7).
            "JOBS_STALLED_AFTER_SECONDS": "20",
            # Each server's nginx keeps pages; every process that changes one purges both.
            "PAGE_CACHE_NGINX_PURGE_URLS": ",".join(f"http://127.0.0.1:{p}" for p in purge_ports),
            "PYTHONUNBUFFERED": "1",
        }
        manage(environment, "migrate", "--noinput")
        manage(environment, "load_demo")
        setup = SETUP_SCRIPT.format(user=STAFF[0], password=STAFF[1])
        pages = json.loads(manage(environment, "shell", "-c", setup).splitlines()[-1])
        servers = [AppServer(name, directory, environment) for name in ("a", "b")]
        for server in servers:
            services.callback(server.stop)
        starting = [threading.Thread(target=server.start) for server in servers]
        for thread in starting:
            thread.start()
        for thread in starting:
            thread.join()
        for server in servers:
            assert server.healthy(), (server.var / "serve.log").read_text()[-3000:]
        fronts = []  # each server's nginx, both app servers in its upstream
        for name, purge_port in zip("ab", purge_ports, strict=True):
            (directory / f"nginx-{name}").mkdir()
            fronts.append(services.enter_context(running_nginx(
                directory / f"nginx-{name}", [f"127.0.0.1:{s.port}" for s in servers],
                servers[0].var, purge_port=purge_port,
            )))  # fmt: skip
        yield {
            "a": servers[0],
            "b": servers[1],
            "nginx": f"https://127.0.0.1:{fronts[0]['https']}",
            "nginx_b": f"https://127.0.0.1:{fronts[1]['https']}",
            "environment": environment,
            "database": database,
            "s3": s3,
            "bucket": bucket,
            "pages": pages,
        }
        # What runs now, checks passed or not (the server killed in check 1 runs again).
        nginx_pids = [int((front["directory"] / "nginx.pid").read_text()) for front in fronts]
        running = started_since(before, nginx_pids)
    # 9. Everything is stopped by its PID, whatever happened above (a process may take a moment
    # to exit after its signal).
    _gone, left = psutil.wait_procs(processes(running), timeout=15)
    shutil.rmtree(directory, ignore_errors=True)
    assert left == [], f"left running: {left}"


def processes(pids):
    found = []
    for pid in pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            process = psutil.Process(pid)
            if process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
    return found


class Load:
    """Readers through nginx: a few at a time, each asking for page after page (bounded: a
    fixed number of readers, no more), every answer recorded with its time."""

    def __init__(self, base, paths, readers=4):
        self.base, self.paths, self.readers = base, paths, readers
        self.results = []  # (time, status, path)
        self.running = False

    def reader(self, offset):
        session = requests.Session()
        n = offset
        while self.running:
            path = self.paths[n % len(self.paths)]
            n += 1
            try:
                response = session.get(
                    self.base + path, headers={"Host": HOST}, timeout=20, verify=False
                )
                self.results.append((time.monotonic(), response.status_code, path, response))
            except requests.RequestException as error:
                self.results.append((time.monotonic(), type(error).__name__, path, None))

    @contextlib.contextmanager
    def running_for(self, seconds):
        self.running = True
        threads = [threading.Thread(target=self.reader, args=(n * 7,)) for n in range(self.readers)]
        for thread in threads:
            thread.start()
        started = time.monotonic()
        try:
            yield started
            remaining = seconds - (time.monotonic() - started)
            if remaining > 0:
                time.sleep(remaining)
        finally:
            self.running = False
            for thread in threads:
                thread.join()

    def statuses(self):
        return Counter(status for _t, status, _p, _r in self.results)


def every_page(cluster):
    return cluster["pages"]["en"] + cluster["pages"]["fa"]


def test_1_a_killed_app_server_costs_readers_nothing(cluster):
    load = Load(cluster["nginx"], every_page(cluster))
    with load.running_for(LOAD_SECONDS):
        time.sleep(LOAD_SECONDS / 3)
        cluster["a"].kill()
        cluster["a"].start()
    statuses = load.statuses()
    assert set(statuses) == {200}, statuses
    assert len(load.results) > 100, statuses
    print(f"\ncheck 1: {len(load.results)} pages in {LOAD_SECONDS} s, {statuses}")


def log_in(server):
    visitor = Visitor()
    page = visitor.get(f"{server.base}/admin/login/")
    fields = form_fields(page.text, "login-form") if 'id="login-form"' in page.text else {}
    fields.update({"auth-username": STAFF[0], "auth-password": STAFF[1]})
    fields.setdefault("login_view-current_step", "auth")
    fields["csrfmiddlewaretoken"] = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text
    )[1]
    answer = visitor.post(f"{server.base}/admin/login/", data=fields)
    assert answer.status_code == 302, answer.text[:2000]
    return visitor


def test_2_an_article_published_through_a_is_on_b_at_once(cluster):
    a, b = cluster["a"], cluster["b"]
    reader = Visitor()
    before = reader.get(f"{b.base}/articles/")
    assert reader.get(f"{b.base}/articles/").headers["ETag"] == before.headers["ETag"]  # kept

    editor = log_in(a)
    form = editor.get(f"{a.base}/admin/articles/article/add/")
    assert form.status_code == 200
    fields = form_fields(form.text, "article_form")
    fields.update(title_en="Published on A, read on B", body_en="<p>From server A.</p>")
    fields.update(status="published", _save="Save")
    saved = editor.post(f"{a.base}/admin/articles/article/add/", data=fields)
    assert saved.status_code == 302, saved.text[:3000]

    # B hears of the change on its listener's connection (nejat/publishing/cache_tags.py):
    # within milliseconds, a little later when the machine is busy. Never a page older than that.
    after = within_a_moment(
        lambda: reader.get(f"{b.base}/articles/"),
        lambda page: "Published on A, read on B" in page.text,
    )
    assert after.headers["ETag"] != before.headers["ETag"]
    # The session A gave works on B: the staff's next click may reach either.
    assert editor.get(f"{b.base}/admin/").status_code == 200


def test_3_a_photo_uploaded_through_a_is_served_through_b_from_the_bucket(cluster):
    a, b = cluster["a"], cluster["b"]
    editor = log_in(a)
    form = editor.get(f"{a.base}/admin/media_gallery/cartoon/add/")
    fields = form_fields(form.text, "cartoon_form")
    fields.update(title_en="Drawn on A", status="published", _save="Save")
    photo = demo_image(21, size=(1200, 800)).read()
    saved = editor.post(
        f"{a.base}/admin/media_gallery/cartoon/add/",
        data=fields,
        files={"image": ("drawn.jpg", photo, "image/jpeg")},
    )
    assert saved.status_code == 302, saved.text[:3000]

    bucket_url = f"{cluster['s3']}/{cluster['bucket']}/"
    deadline = time.monotonic() + 20  # the renditions are made after the commit, on A
    while True:
        listing = Visitor().get(f"{b.base}/media/cartoons/").text
        if "Drawn on A" in listing and ".webp" in listing.split("Drawn on A")[0][-3000:]:
            break
        assert time.monotonic() < deadline, "no renditions on B's page"
        time.sleep(0.5)
    images = re.findall(re.escape(bucket_url) + r"[^\s\"',]+", listing)
    drawn = [url for url in images if "drawn" in url]
    assert drawn and all(u.startswith(bucket_url) for u in drawn)
    for url in drawn:
        assert requests.get(url, timeout=10).status_code == 200, url
    keys = bucket_keys(cluster["s3"], cluster["bucket"])
    assert any("renditions/drawn" in key and key.endswith(".webp") for key in keys)
    # The demo content was loaded into the bucket too (`load_demo` with MEDIA_STORAGE=s3).
    assert set(cluster["pages"]["demo_files"]) <= keys and len(keys) > 100
    for server in (a, b):
        written = list((server.var / "media").rglob("*")) if (server.var / "media").exists() else []
        assert written == [], f"{server.name} wrote media to its disk"


def comment_form(visitor, server, path):
    page = visitor.get(server.base + path)
    assert page.status_code == 200
    fields = form_fields(page.text, "comment-form")
    action = re.search(r'action="(/[^"]*comments/\d+/\d+/)"', page.text)[1]
    return fields, action


def post_comment(server, path, address, text):
    visitor = Visitor(address)
    fields, action = comment_form(visitor, server, path)
    fields.update(name="Reader", email="reader@example.org", text=text)
    return visitor.post(server.base + action, data=fields)


def test_4_comments_reach_one_queue_and_one_limit(cluster):
    a, b = cluster["a"], cluster["b"]
    path = cluster["pages"]["commentable"]
    answers = [
        post_comment((b, a)[n % 2], path, "203.0.113.44", f"Cluster comment {n}").status_code
        for n in range(6)
    ]
    assert answers == [302] * 5 + [429]

    moderator = log_in(a)
    queue = moderator.get(f"{a.base}/admin/comments/comment/")
    assert queue.status_code == 200
    assert all(f"Cluster comment {n}" in queue.text for n in range(5))
    assert "Cluster comment 5" not in queue.text


def test_5_a_database_restart_under_load(cluster):
    a, b, database = cluster["a"], cluster["b"], cluster["database"]
    path = cluster["pages"]["commentable"]
    load = Load(cluster["nginx"], every_page(cluster))
    accepted, refused = [], Counter()
    with load.running_for(20) as started:
        time.sleep(3)
        database.stop()
        stopped = time.monotonic()
        for n in range(6):  # readers go on commenting while it is down
            answer = post_comment((a, b)[n % 2], path, f"192.0.2.{n + 1}", f"During outage {n}")
            refused[answer.status_code] += 1
        time.sleep(max(0, 3 - (time.monotonic() - stopped)))
        database.start()
        back = time.monotonic()
        for n in range(4):
            text = f"After restart {n}"
            answer = post_comment((a, b)[n % 2], path, f"192.0.2.{n + 20}", text)
            if answer.status_code == 302:
                accepted.append(text)
    statuses = load.statuses()
    assert 500 not in statuses and set(statuses) <= {200, 503}, statuses
    late = [t - back for t, status, _p, _r in load.results if status == 503 and t > back]
    assert max(late, default=0) <= RETRY_AFTER_BACK, f"503 {max(late):.1f} s after the database"
    unavailable = [r for _t, status, _p, r in load.results if status == 503]
    for response in unavailable[:3]:
        assert response.headers["Retry-After"] and 'rel="stylesheet"' in response.text
    assert started < stopped < back

    moderator = log_in(a)
    queue = moderator.get(f"{a.base}/admin/comments/comment/")
    assert all(text in queue.text for text in accepted) and len(accepted) >= 2, accepted
    print(  # make cluster-test shows it: the figures for docs/operations/many-servers.md
        f"\ncheck 5: database down {back - stopped:.1f} s; {len(load.results)} pages read, "
        f"{statuses}; last 503 {max(late, default=0):.1f} s after it was back; "
        f"comments while down: {dict(refused)}; after: {len(accepted)} of 4 accepted and kept"
    )


def query(cluster, sql, *params):
    with psycopg.connect(cluster["database"].url, autocommit=True) as connection:
        return connection.execute(sql, params).fetchall()


PERIODIC = ("nejat.ops.jobs.retry_stalled_jobs", "nejat.publishing.jobs.record_publications")


def test_6_each_periodic_job_runs_once_per_tick_for_the_cluster(cluster):
    def ticks():  # (task, tick) -> how many jobs were deferred for it
        rows = query(
            cluster,
            "SELECT task_name, args->>'timestamp', count(*) FROM procrastinate_jobs"
            " WHERE task_name = ANY(%s) GROUP BY 1, 2",
            list(PERIODIC),
        )
        return {(task, tick): count for task, tick, count in rows}

    # The minute job has had at least two ticks (the cluster has been up for minutes by now).
    seen = within_a_moment(
        ticks, lambda t: sum(task == PERIODIC[1] for task, _ in t) >= 2, seconds=90
    )
    assert set(seen.values()) == {1}, seen  # two workers' deferrers, one job a tick
    # One worker per app server, both sending heartbeats (the rows of workers killed in check 1
    # or stopped by the database's restart in check 5 fall silent).
    within_a_moment(
        lambda: query(
            cluster,
            "SELECT count(*) FROM procrastinate_workers"
            " WHERE last_heartbeat > now() - interval '20 seconds'",
        ),
        lambda alive: alive == [(2,)],
        seconds=30,
    )
    print(f"\ncheck 6: {len(seen)} periodic jobs, each deferred once a tick by two workers")


def job_workers(server):
    """The `procrastinate worker` process that `serve` started on this app server."""
    processes = psutil.Process(server.process.pid).children(recursive=True)
    return [p for p in processes if "procrastinate" in p.cmdline() and "worker" in p.cmdline()]


def busiest(workers, seconds=0.5):
    """The worker using the processor: the one encoding."""
    before = {p.pid: sum(p.cpu_times()[:2]) for p in workers}
    time.sleep(seconds)
    used = {p: sum(p.cpu_times()[:2]) - before[p.pid] for p in workers}
    worker = max(used, key=used.get)
    assert used[worker] > seconds / 4, used  # busy, not idle
    return worker


def test_7_a_killed_workers_job_is_finished_by_another_once(cluster):
    a, b = cluster["a"], cluster["b"]
    editor = log_in(a)
    form = editor.get(f"{a.base}/admin/media_gallery/cartoon/add/")
    fields = form_fields(form.text, "cartoon_form")
    fields.update(title_en="Big on A", status="published", _save="Save")
    photo = demo_image(23, size=(6000, 4000)).read()  # seconds to encode
    saved = editor.post(
        f"{a.base}/admin/media_gallery/cartoon/add/",
        data=fields,
        files={"image": ("big-one.jpg", photo, "image/jpeg")},
    )
    assert saved.status_code == 302, saved.text[:3000]

    def job():
        return query(
            cluster,
            "SELECT id, status, attempts FROM procrastinate_jobs"
            " WHERE task_name = 'nejat.media.jobs.encode_renditions'"
            " AND args->>'label' = 'media_gallery.Cartoon' ORDER BY id DESC LIMIT 1",
        )[0]

    job_id = within_a_moment(job, lambda row: row[1] == "doing", seconds=30)[0]
    worker = busiest(job_workers(a) + job_workers(b))
    worker.kill()  # SIGKILL: no chance to finish the job or say so
    worker.wait(10)
    assert job()[:2] == (job_id, "doing")  # taken, and nobody is doing it

    # Within JOBS_STALLED_AFTER_SECONDS and a 15 s check, another worker runs it again.
    finished = within_a_moment(job, lambda row: row[1] == "succeeded", seconds=120)
    assert finished[0] == job_id
    keys = bucket_keys(cluster["s3"], cluster["bucket"])
    made = [key for key in keys if "renditions/big-one" in key]
    assert len(made) == len(set(made)) == 8  # four widths, WebP and JPEG: each once
    listing = within_a_moment(
        lambda: Visitor().get(f"{b.base}/media/cartoons/").text,
        lambda text: "Big on A" in text and "renditions/big-one" in text,
    )
    assert "Big on A" in listing
    for server in (a, b):  # `serve` started the killed worker again
        assert len(job_workers(server)) == 1
    print("\ncheck 7: the job of the killed worker was finished by another, once")


def nginx_status(base, path):
    """nginx's entry in a page's Cache-Status, and the page."""
    answer = requests.get(  # (nginx's own test certificate)
        base + path,
        headers={"Host": HOST},
        timeout=20,
        verify=False,  # noqa: S501
    )
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.headers["Cache-Status"].rsplit(", ", 1)[-1], answer.text


OLDEST_ARTICLE = """
from articles.models import Article
print(Article.objects.public("en").order_by("publish_at").first().url_in("en"))
"""
CORRECT_TITLE = """
from articles.models import Article
article = Article.objects.public("en").order_by("publish_at").first()
article.title_en = "{title}"
article.save()
"""


def test_8_a_change_reaches_both_servers_nginx(cluster):
    fronts = [cluster["nginx"], cluster["nginx_b"]]
    # The oldest article (in no sidebar's Recent Posts), and other editions' other items.
    oldest = manage(cluster["environment"], "shell", "-c", OLDEST_ARTICLE).splitlines()[-1]
    others = cluster["pages"]["fa"][-7:]
    for base, path in [(base, path) for base in fronts for path in (oldest, *others)]:
        within_a_moment(
            lambda: nginx_status(base, path)[0],  # noqa: B023
            lambda status: status == "nginx; hit",
        )
    title = "Corrected by another process"
    manage(cluster["environment"], "shell", "-c", CORRECT_TITLE.format(title=title))
    # Its purge job, run by one of the servers' workers, reaches both nginx.
    for base in fronts:
        within_a_moment(lambda: nginx_status(base, oldest)[1], lambda page: title in page)  # noqa: B023
    kept = [nginx_status(base, path)[0] for base in fronts for path in others]
    assert kept == ["nginx; hit"] * len(kept)  # other items: still kept by both
    print("\ncheck 8: a correction reached both servers' nginx; the other pages stayed kept")
