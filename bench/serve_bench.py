"""The production server under load: `make bench` (not part of the test suite).

    .venv/bin/python bench/serve_bench.py [--articles 1000] [--seconds 10] [--connections 16]
                                          [--compare-gunicorn]

Builds its own database (var/bench-serve-<N>: N articles across the four editions, with images,
tags and comments; later runs reuse it), starts `manage.py serve --production` on it (granian,
DEBUG=0) with the page cache off and then on, loads each page with wrk (Debian's `wrk`; every
request says `Accept-Encoding: gzip`, as browsers do), and serves a saved copy of the home page
(and its gzip) from nginx as the ceiling. Prints one Markdown table and writes it to
bench/results/: requests/s, p50, p99, errors, SQL queries, HTML and gzip bytes, CPU milliseconds
per request (the server's processes and PostgreSQL's, or nginx's, read from /proc before and
after each run: steady when the machine is shared, unlike requests/s), the ratio to nginx, and
with more than 1,000 articles the ratio of p99 to the 1,000-article run's. `--compare-gunicorn`
also runs the same pages under gunicorn (the measurement behind choosing granian).
"""

import argparse
import contextlib
import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TICKS = os.sysconf("SC_CLK_TCK")
PAGES = [
    ("home", "/"),
    ("article", "{article}"),
    ("list page 50", "/articles/?page=50"),
    ("list page 5000", "/articles/?page=5000"),  # with 100,000 articles only
    ("search", "/search/?q=school"),
    ("feed", "/feed/"),
    ("home (fa)", "/fa/"),
    ("article (fa)", "{article_fa}"),
    ("search (fa)", "/fa/search/?q=مدرسه"),
]
REDIS_PIDS = set()  # the bench's own redis-servers, counted with the site's CPU
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "bench-" + "k" * 50, "ALLOWED_HOSTS": "127.0.0.1"}


# --- Inside Django (subcommands run in a child process with the bench's settings) ----------------


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def build(count):
    """N articles in the four editions, sharing 20 stored images; tags and comments."""
    django_setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from articles.models import Article, Category

    call_command("migrate", verbosity=0)
    if Article.objects.count() >= count:
        return
    with transaction.atomic():  # an interrupted build leaves nothing for the next to duplicate
        Article.objects.all().delete()
        Category.objects.filter(slug_en="news").delete()
        fill(count)
    with connection.cursor() as cursor:
        # Fresh statistics: with none, the planner takes 100,000 new rows for an empty table
        # and one page's query ran for minutes (autovacuum would analyze it later).
        cursor.execute("ANALYZE")


def fill(count):
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from articles.models import Article, Category
    from nejat.comments.models import Comment
    from nejat.models import set_edition_tags
    from nejat.ops.demo_files import demo_image
    from nejat.publishing import Status

    category = Category.objects.create(
        name_en="News", name_fa="خبر", name_ar="أخبار", name_sq="Lajme"
    )
    pictures = []
    for n in range(20):
        seed = Article.objects.create(title_en=f"Picture {n}", featured_image=demo_image(n))
        pictures.append((seed.featured_image.name, seed.featured_image_renditions))
        seed.delete()
    now = timezone.now()
    words = "school river market library garden family teacher volunteer report city".split()
    batch = []
    for n in range(count):
        text = " ".join(words[(n + k) % len(words)] for k in range(60))
        image, manifest = pictures[n % len(pictures)]
        article = Article(
            title_en=f"Story {n}: the {words[n % 10]} of the district",
            title_fa=f"گزارش {n}: مدرسه و کتابخانه محله" if n % 2 == 0 else "",
            title_ar=f"تقرير {n}" if n % 4 == 0 else "",
            title_sq=f"Raport {n}" if n % 4 == 1 else "",
            lead_en="A lead for readers in a hurry.",
            body_en=f"<p>{text}</p>" * 4,
            body_fa="<p>" + "مدرسه کتابخانه بازار خانواده " * 30 + "</p>" if n % 2 == 0 else "",
            category=category,
            status=Status.PUBLISHED,
            publish_at=now - timedelta(minutes=n),
            featured_image=image,
            featured_image_renditions=manifest,
            comment_count=2,
        )
        article.fill_derived_fields()
        batch.append(article)
    Article.objects.bulk_create(batch, batch_size=500)
    article_type = ContentType.objects.get_for_model(Article)
    for article in Article.objects.order_by("-publish_at")[:50]:
        set_edition_tags(article, {"en": ["schools", "district"], "fa": ["آموزش"]})
        Comment.objects.bulk_create(
            Comment(content_type=article_type, object_id=article.pk, name="Reader",
                    email="r@example.org", text="Thank you.", status="approved", language="en")
            for _ in range(2)
        )  # fmt: skip


def describe(articles):
    """The addresses of one article, and the SQL queries each page costs (page cache off)."""
    django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from articles.models import Article

    first = Article.objects.public("en").first()
    first_fa = Article.objects.public("fa").first()
    urls = {"article": first.url_in("en"), "article_fa": first_fa.url_in("fa")}
    queries = {}
    with override_settings(PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        for name, path in pages_for(articles):
            client.get(path.format(**urls))  # warm the site context
            with CaptureQueriesContext(connection) as captured:
                client.get(path.format(**urls))
            queries[name] = len(captured)
    print(json.dumps({"urls": urls, "queries": queries}))


# --- Outside: the orchestra ---------------------------------------------------------------------


def run_on_bench_database(script, arguments, articles):
    """``script run <arguments>`` in a child process on serve_bench's database of ``articles``
    (DEBUG=1 there), the embedded database stopped after; the JSON its last line prints."""
    var = ROOT / "var" / f"bench-serve-{articles}"
    if not var.exists():
        raise SystemExit(f"{var} is made by bench/serve_bench.py (make bench) first")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(NEJAT_VAR_DIR=str(var), DEBUG="1")
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(script), "run", *arguments],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "embedded_db", "stop"], cwd=ROOT, env=env,
        capture_output=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_result(name, text):
    print(text)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / name).write_text(text)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_ticks(marker=None, pids=()):
    """utime+stime of the site whose var dir is ``marker`` (``site_processes``: its server and
    worker, PostgreSQL with its backends, the bench's Redis), or of ``pids`` and their children
    (nginx, which clears its environment)."""
    if pids:
        return ticks(pid for pid, parent in parents().items() if pid in pids or parent in pids)
    return ticks(site_processes(Path(marker), also=REDIS_PIDS))


def parents():
    found = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                found[int(proc.name)] = int(
                    (proc / "stat").read_text().rsplit(")", 1)[1].split()[1]
                )
    return found


def site_processes(var, leave_out=(), also=()):
    """The pids of the site: every process whose command line or environment names ``var``
    (serve, granian's workers, the queue's worker, Redis, PostgreSQL's postmaster), and
    PostgreSQL's backends, which name it nowhere (PostgreSQL writes its process titles over
    both), found as the postmaster's children, and ``also`` (Redis, which writes its title
    over its command line too); ``leave_out`` and their children left out."""
    marker, found, parents = str(var), set(), {}
    try:
        postmaster = int((var / "pgdata" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        postmaster = None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            pid = int(proc.name)
            parents[pid] = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            named = marker in (proc / "cmdline").read_bytes().decode(errors="ignore")
            named = named or marker in (proc / "environ").read_bytes().decode(errors="ignore")
        except (OSError, IndexError, ValueError):
            continue
        if named or parents[pid] == postmaster or pid in also:
            found.add(pid)
    return {pid for pid in found if pid not in leave_out and parents.get(pid) not in leave_out}


def ticks(pids):
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total


def wrk(url, seconds, connections, headers=()):
    """wrk's figures for ``url`` (``headers``: more "Name: value" lines to send)."""
    extra = [argument for header in headers for argument in ("-H", header)]
    out = subprocess.run(  # noqa: S603
        [shutil.which("wrk") or "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
         "-H", "Accept-Encoding: gzip", *extra, url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )

    def latency(pct):
        value, unit = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
    }


def server_environment(var, env):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(PRODUCTION, NEJAT_VAR_DIR=str(var), LOG_LEVEL="ERROR", **env)
    return environment


def start_server(var, port, env, server="granian"):
    """``make serve``'s command (granian), or the same site under gunicorn for comparison (its
    conventional 2 × cores + 1 workers; the embedded database started beforehand). Neither
    writes an access log (nginx in front does)."""
    environment = server_environment(var, env)
    if server == "granian":
        command = [PYTHON, "manage.py", "serve", "--production", f"127.0.0.1:{port}"]
    else:
        manage("embedded_db", "start", environment=environment)
        command = [PYTHON, "-m", "gunicorn", "config.wsgi", f"--bind=127.0.0.1:{port}",
                   f"--workers={2 * (os.cpu_count() or 1) + 1}"]  # fmt: skip
    log = (var / "serve.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return process
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not start: see {var / 'serve.log'}")


def stop_server(process, var, env, server="granian"):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    if server != "granian":  # `manage.py serve` stops its own database
        manage("embedded_db", "stop", environment=server_environment(var, env))


def manage(*arguments, environment):
    subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=environment, check=True,  # noqa: S603
                   capture_output=True)  # fmt: skip


def address(base, path):
    """An ASCII address: Persian search words and slugs percent-encoded (once)."""
    return base + urllib.parse.quote(path, safe="/?=&%")


def measure(base, path, seconds, connections, marker=None, pids=()):
    urllib.request.urlopen(address(base, path), timeout=10).read()  # noqa: S310 - warm
    before = cpu_ticks(marker, pids)
    result = wrk(address(base, path), seconds, connections)
    used = cpu_ticks(marker, pids) - before
    result["cpu_ms"] = used / TICKS * 1000 / max(result["requests"], 1)
    return result


def nginx_ceiling(html, seconds, connections):
    """nginx serving a saved copy of the home page: what a static file costs on this machine."""
    with serving_files({"index": html}) as (base, master):
        return measure(base, "/index.html", seconds, connections, pids={master})


@contextlib.contextmanager
def serving_files(pages, tls=False, headers=None):
    """nginx (one worker) sending each of ``pages`` ({name: HTML}) at ``/<name>.html``, its
    gzip saved beside it (gzip_static), over HTTPS with a certificate of its own when ``tls``,
    with ``headers[name]`` ([(name, value)]) besides nginx's own. Yields the base address and
    nginx's master PID."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, html in pages.items():
            (tmp / f"{name}.html").write_bytes(html)
            (tmp / f"{name}.html.gz").write_bytes(gzip.compress(html, compresslevel=6, mtime=0))
        port = free_port()
        listen = f"127.0.0.1:{port}"
        if tls:
            subprocess.run(  # noqa: S603
                [shutil.which("openssl") or "/usr/bin/openssl", "req", "-x509", "-newkey",
                 "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=nejat.example",
                 "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")],
                check=True, capture_output=True,
            )  # fmt: skip
            listen += f" ssl; ssl_certificate {tmp}/cert.pem; ssl_certificate_key {tmp}/key.pem"
        locations = "".join(
            f" location = /{name}.html {{ {' '.join(add_header(*h) for h in extra)} }}"
            for name, extra in (headers or {}).items()
        )
        user = "user root;" if os.getuid() == 0 else ""
        (tmp / "nginx.conf").write_text(
            f"{user}\nworker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
            f"events {{}}\nhttp {{ access_log off; default_type text/html; gzip_static on;"
            f" server {{ listen {listen}; root {tmp};{locations} }} }}\n"
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        subprocess.run([nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf")], check=True)  # noqa: S603
        master = wait_for_pid(tmp / "nginx.pid")
        try:
            yield f"{'https' if tls else 'http'}://127.0.0.1:{port}", master
        finally:
            os.kill(master, signal.SIGQUIT)


def add_header(name, value):
    assert "$" not in value, value  # (nginx would read a variable)
    return 'add_header {} "{}";'.format(name, value.replace("\\", "\\\\").replace('"', '\\"'))


def wait_for_pid(pidfile, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return int(pidfile.read_text())
        except (OSError, ValueError):
            time.sleep(0.05)
    raise SystemExit(f"no {pidfile}")


def start_redis(var):
    """A redis-server of the bench's own (as the going-live guide sets REDIS_URL, so that
    granian runs one process per core), its CPU counted with the server's: --dir names var."""
    port = free_port()
    redis = subprocess.Popen(  # noqa: S603
        [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port),
         "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(var)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    REDIS_PIDS.add(redis.pid)  # (its title hides the var dir: counted by its pid)
    for _ in range(200):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return redis, url
        time.sleep(0.05)
    raise SystemExit("redis-server did not start")


def sent_compressed(html):
    """Bytes on the wire to a browser that accepts gzip: level 6, as the page cache stores a page
    (``nejat.delivery.page_cache.keep``) and as deploy/nginx/nejat.conf compresses the others."""
    return len(gzip.compress(html, compresslevel=6, mtime=0))


def pages_for(articles):
    """Page 5,000 of the article list exists from 50,000 English articles on: the 100k run."""
    return [(name, path) for name, path in PAGES if articles >= 100_000 or "5000" not in path]


# The issue's targets (#14), checked on each run's table.
TARGETS = """Targets (2 cores): cached pages >= 50% of nginx; uncached article <= 2.5 CPU ms and
>= 400 req/s; home and list <= 2x the article; p99 at 100k <= 1.5x p99 at 1k; 0 errors;
English home < 30 KB of HTML; every home <= 8 KB compressed."""


def run_pages(server, var, args, described):
    rows, port = [], free_port()
    base = f"http://127.0.0.1:{port}"
    label = "" if server == "granian" else f" ({server})"
    redis, redis_url = start_redis(var)
    for cache_seconds in ("0", "3600"):
        env = {"PAGE_CACHE_SECONDS": cache_seconds, "REDIS_URL": redis_url}
        process = start_server(var, port, env, server)
        try:
            for name, path in pages_for(args.articles):
                path = path.format(**described["urls"])
                cached = cache_seconds != "0" and not name.startswith("search")
                if cache_seconds != "0" and not cached:
                    continue  # search is never cached: measured once, with the cache off
                html = urllib.request.urlopen(address(base, path)).read()  # noqa: S310
                result = measure(base, path, args.seconds, args.connections, str(var))
                rows.append({
                    "page": name + (" · cached" if cached else "") + label, **result,
                    "name": name, "cached": cached, "html": html,
                    "queries": 0 if cached else described["queries"][name],
                    "bytes": len(html), "gzip": sent_compressed(html),
                })  # fmt: skip
                print({k: v for k, v in rows[-1].items() if k != "html"}, flush=True)
        finally:
            stop_server(process, var, env, server)
    redis.terminate()
    redis.wait(timeout=10)
    return rows


def p99_at_1000():
    """The 1,000-article run's p99 per page (for the 100k/1k ratio), from its JSON."""
    results = ROOT / "bench" / "results" / "serve-1000.json"
    if not results.exists():
        return {}
    return {row["page"]: row["p99"] for row in json.loads(results.read_text())}


def prepare(articles):
    """Build the bench's database once; the addresses and query counts of its pages."""
    var = ROOT / "var" / f"bench-serve-{articles}"
    var.mkdir(parents=True, exist_ok=True)
    var.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(NEJAT_VAR_DIR=str(var), DEBUG="1", RENDITIONS_IN_BACKGROUND="0")
    print(f"Building {articles} articles in {var} (once) …", flush=True)
    subprocess.run([PYTHON, __file__, "build", f"--articles={articles}"], env=env, check=True)  # noqa: S603
    described = subprocess.run(  # noqa: S603
        [PYTHON, __file__, "describe", f"--articles={articles}"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return var, json.loads(described.stdout.strip().splitlines()[-1])


def table(rows, args, ceiling, small):
    lines = [
        f"# `make bench`: {args.articles} articles, {os.cpu_count()} cores, {date.today()}",
        "",
        f"wrk, {args.connections} connections, {args.seconds} s a page, `Accept-Encoding: gzip`; "
        "`manage.py serve --production` (granian, one worker per core, 2 threads each, no access "
        "log), DEBUG=0, embedded PostgreSQL, Redis (`REDIS_URL`, as the going-live guide sets "
        "it). CPU ms = server processes + PostgreSQL + Redis (nginx: its workers) per request. "
        "Uncached = page cache off; shared fragments (Recent Posts) stay on. gzip bytes = what "
        "is sent at level 6.",
        "",
        "| page | req/s | p50 ms | p99 ms | errors | SQL | HTML bytes | gzip bytes | CPU ms/req "
        "| vs nginx |" + (" p99 vs 1k |" if small else ""),
        "|---|---|---|---|---|---|---|---|---|---|" + ("---|" if small else ""),
    ]
    for row in rows:
        ratio = ""
        if small:
            before = small.get(row["page"])
            ratio = f" {row['p99'] / before:.2f}× |" if before else " – |"
        lines.append(
            f"| {row['page']} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} | "
            f"{row['errors']} | {row['queries']} | {row['bytes']} | {row['gzip']} | "
            f"{row['cpu_ms']:.2f} | {row['rps'] / ceiling['rps']:.0%} |{ratio}"
        )
    lines += ["", TARGETS.replace("\n", " "), "", *verdicts(rows, ceiling, small)]
    return "\n".join(lines) + "\n"


def verdicts(rows, ceiling, small):
    """Each target of the issue, met or how far off, from this run's rows."""
    by_page = {row["page"]: row for row in rows}
    # The production server's rows (a --compare-gunicorn run has gunicorn's too).
    cached = [row for row in rows if row.get("cached") and not row["page"].endswith("(gunicorn)")]
    article, home, listing = by_page["article"], by_page["home"], by_page["list page 50"]
    homes = [row for row in rows if row.get("name", "").startswith("home")]
    checks = [
        ("cached pages >= 50% of nginx",
         min(row["rps"] for row in cached) / ceiling["rps"] >= 0.5,
         f"{min(r['rps'] for r in cached) / ceiling['rps']:.0%}–"
         f"{max(r['rps'] for r in cached) / ceiling['rps']:.0%}"),
        ("uncached article <= 2.5 CPU ms", article["cpu_ms"] <= 2.5,
         f"{article['cpu_ms']:.1f} ms, {article['cpu_ms'] / 2.5:.1f}× the target"),
        ("uncached article >= 400 req/s", article["rps"] >= 400,
         f"{article['rps']:.0f} req/s, {400 / article['rps']:.1f}× short"),
        ("home and list <= 2× the article",
         max(home["cpu_ms"], listing["cpu_ms"]) <= 2 * article["cpu_ms"],
         f"home {home['cpu_ms'] / article['cpu_ms']:.2f}×, "
         f"list {listing['cpu_ms'] / article['cpu_ms']:.2f}×"),
        ("0 errors", sum(row["errors"] for row in rows) == 0,
         f"{sum(row['errors'] for row in rows)} errors"),
        ("English home < 30 KB of HTML", home["bytes"] < 30_000, f"{home['bytes']} bytes"),
        ("every home <= 8 KB compressed", max(row["gzip"] for row in homes) <= 8192,
         f"largest {max(row['gzip'] for row in homes)} bytes"),
    ]  # fmt: skip
    if small:
        # Pages whose work grows with the archive; a kept page's or nginx's p99 is a millisecond
        # or two of scheduling noise on a shared machine (nginx's own is shown beside it).
        ratios = {row["page"]: row["p99"] / small[row["page"]]
                  for row in rows if row["page"] in small and not row.get("cached")
                  and not row["page"].startswith("nginx")}  # fmt: skip
        worst = max(ratios, key=ratios.get)
        nginx = next(row for row in rows if row["page"].startswith("nginx"))
        checks.append(("p99 at 100k <= 1.5× p99 at 1k, rendered pages", ratios[worst] <= 1.5,
                       f"worst {ratios[worst]:.2f}× ({worst}); nginx's own p99 "
                       f"{nginx['p99'] / small[nginx['page']]:.2f}× between the two runs"))  # fmt: skip
    return [
        f"- {'met' if met else 'NOT MET'}: {target} ({figure})" for target, met, figure in checks
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", nargs="?", default="run", choices=["run", "build", "describe"])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--compare-gunicorn", action="store_true")
    args = parser.parse_args()
    if args.command == "build":
        return build(args.articles)
    if args.command == "describe":
        return describe(args.articles)

    var, described = prepare(args.articles)
    rows = run_pages("granian", var, args, described)
    if args.compare_gunicorn:
        rows += run_pages("gunicorn", var, args, described)
    home_html = next(row["html"] for row in rows if row["name"] == "home")
    ceiling = nginx_ceiling(home_html, args.seconds, args.connections)
    rows.append({"page": "nginx, saved home page (gzip_static)", **ceiling, "queries": 0,
                 "bytes": len(home_html), "gzip": sent_compressed(home_html)})  # fmt: skip
    text = table(rows, args, ceiling, p99_at_1000() if args.articles != 1000 else {})
    print(text)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"serve-{args.articles}.md").write_text(text)
    kept = [{k: v for k, v in row.items() if k != "html"} for row in rows]
    (results / f"serve-{args.articles}.json").write_text(json.dumps(kept, indent=1) + "\n")


if __name__ == "__main__":
    main()
