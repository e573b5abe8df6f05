"""The production server under load: `make bench` (not part of the test suite).

    .venv/bin/python bench/serve_bench.py [--articles 1000] [--seconds 10] [--connections 16]

Builds its own database (var/bench-serve-<N>: N articles across the four editions, with images,
tags and comments; later runs reuse it), starts `manage.py serve --production` on it (gunicorn,
DEBUG=0) with the page cache off and then on, loads each page with wrk (Debian's `wrk`), and
serves a saved copy of the home page from nginx as the ceiling. Prints one Markdown table and
writes it to bench/results/: requests/s, p50, p99, errors, SQL queries, HTML and gzip bytes, CPU
milliseconds per request (the server's processes and PostgreSQL's, read from /proc before and
after each run: steady when the machine is shared, unlike requests/s) and the ratios.
"""

import argparse
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
    ("search", "/search/?q=school"),
    ("feed", "/feed/"),
    ("home (fa)", "/fa/"),
    ("article (fa)", "{article_fa}"),
    ("search (fa)", "/fa/search/?q=مدرسه"),
]
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "bench-" + "k" * 50, "ALLOWED_HOSTS": "127.0.0.1"}


# --- Inside Django (subcommands run in a child process with the bench's settings) ----------------


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nejat.settings")
    import django

    django.setup()


def build(count):
    """N articles in the four editions, sharing 20 stored images; tags and comments."""
    django_setup()
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.utils import timezone

    from articles.models import Article, Category
    from nejat.comments.models import Comment
    from nejat.demo_files import demo_image
    from nejat.models import set_edition_tags
    from nejat.publishing import Status

    call_command("migrate", verbosity=0)
    if Article.objects.count() >= count:
        return
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


def describe():
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
        for name, path in PAGES:
            client.get(path.format(**urls))  # warm the site context
            with CaptureQueriesContext(connection) as captured:
                client.get(path.format(**urls))
            queries[name] = len(captured)
    print(json.dumps({"urls": urls, "queries": queries}))


# --- Outside: the orchestra ---------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_ticks(marker):
    """utime+stime of every process whose command line names ``marker`` (our var dir)."""
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker not in (proc / "cmdline").read_bytes().decode(
                errors="ignore"
            ) and marker not in (proc / "environ").read_bytes().decode(errors="ignore"):
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total


def wrk(url, seconds, connections):
    out = subprocess.run(  # noqa: S603
        [shutil.which("wrk") or "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
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


def start_server(var, port, env):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(PRODUCTION, NEJAT_VAR_DIR=str(var), LOG_LEVEL="ERROR", **env)
    log = (var / "serve.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        [PYTHON, "manage.py", "serve", "--production", f"127.0.0.1:{port}", "-w", "3"],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return process
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not start: see {var / 'serve.log'}")


def address(base, path):
    """An ASCII address: Persian search words and slugs percent-encoded (once)."""
    return base + urllib.parse.quote(path, safe="/?=&%")


def measure(base, path, seconds, connections, marker):
    urllib.request.urlopen(address(base, path), timeout=10).read()  # noqa: S310 - warm
    before = cpu_ticks(marker)
    result = wrk(address(base, path), seconds, connections)
    used = cpu_ticks(marker) - before
    result["cpu_ms"] = used / TICKS * 1000 / max(result["requests"], 1)
    return result


def nginx_ceiling(html, seconds, connections):
    """nginx serving a saved copy of the home page: what a static file costs on this machine."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "index.html").write_bytes(html)
        port = free_port()
        user = "user root;" if os.getuid() == 0 else ""
        (tmp / "nginx.conf").write_text(
            f"{user}\nworker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
            f"events {{}}\nhttp {{ access_log off; server {{ listen 127.0.0.1:{port};"
            f" root {tmp}; location / {{ default_type text/html; }} }} }}\n"
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        subprocess.run([nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf")], check=True)  # noqa: S603
        time.sleep(0.5)
        try:
            return measure(
                f"http://127.0.0.1:{port}", "/index.html", seconds, connections, str(tmp)
            )
        finally:
            os.kill(int((tmp / "nginx.pid").read_text()), signal.SIGQUIT)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", nargs="?", default="run", choices=["run", "build", "describe"])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if args.command == "build":
        return build(args.articles)
    if args.command == "describe":
        return describe()

    var = ROOT / "var" / f"bench-serve-{args.articles}"
    var.mkdir(parents=True, exist_ok=True)
    var.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(NEJAT_VAR_DIR=str(var), DEBUG="1", RENDITIONS_IN_BACKGROUND="0")
    print(f"Building {args.articles} articles in {var} (once) …", flush=True)
    subprocess.run([PYTHON, __file__, "build", f"--articles={args.articles}"], env=env, check=True)  # noqa: S603
    described = json.loads(
        subprocess.run(  # noqa: S603
            [PYTHON, __file__, "describe"], env=env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    rows, port = [], free_port()
    base = f"http://127.0.0.1:{port}"
    for cache_seconds in ("0", "3600"):
        server = start_server(var, port, {"PAGE_CACHE_SECONDS": cache_seconds})
        try:
            for name, path in PAGES:
                path = path.format(**described["urls"])
                html = urllib.request.urlopen(address(base, path)).read()  # noqa: S310
                result = measure(base, path, args.seconds, args.connections, str(var))
                cached = cache_seconds != "0" and not name.startswith("search")
                rows.append({
                    "page": name + (" · cached" if cached else ""), **result,
                    "queries": 0 if cached else described["queries"][name],
                    "bytes": len(html), "gzip": len(gzip.compress(html)),
                })  # fmt: skip
                print(rows[-1], flush=True)
                if name == "home" and not cached:
                    home_html = html
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    ceiling = nginx_ceiling(home_html, args.seconds, args.connections)
    rows.append({"page": "nginx, saved home page", **ceiling, "queries": 0, "bytes": len(home_html),
                 "gzip": len(gzip.compress(home_html))})  # fmt: skip

    lines = [
        f"# `make bench`: {args.articles} articles, {os.cpu_count()} cores, {date.today()}",
        "",
        f"wrk, {args.connections} connections, {args.seconds} s a page; gunicorn with 3 workers, "
        "DEBUG=0, embedded PostgreSQL. CPU ms = server processes + PostgreSQL per request.",
        "",
        "| page | req/s | p50 ms | p99 ms | errors | SQL | HTML bytes | gzip bytes | CPU ms/req | vs nginx |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['page']} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} | "
            f"{row['errors']} | {row['queries']} | {row['bytes']} | {row['gzip']} | "
            f"{row['cpu_ms']:.2f} | {row['rps'] / ceiling['rps']:.0%} |"
        )
    table = "\n".join(lines) + "\n"
    print(table)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"serve-{args.articles}.md").write_text(table)


if __name__ == "__main__":
    main()
