"""The content API (#39): what a list of fifty articles costs, rendered and kept, and whether a
page deep in the list (from item 50,000) costs what the first does.

    .venv/bin/python bench/api_bench.py [--articles 100000] [--seconds 10] [--connections 16]

On the bench's database of ``--articles`` articles (var/bench-serve-N, made by
bench/serve_bench.py), ``make serve``'s server in production settings with Redis, the API's
limit per client lifted (wrk is one client):

1. ``/api/v1/articles/?limit=50`` with the page cache off: rendered for each request;
2. the same list from item 50,000 (a cursor at that article), page cache off;
3. the first list again with the page cache on: kept.

Requests a second, p50/p99 and CPU per request (server, PostgreSQL and Redis together). Writes
bench/results/api.md.
"""

import argparse
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import serve_bench  # noqa: E402

DEEP = 50_000

CURSOR_AT = """
import json
from api.listing import cursor_of
from articles.models import Article
from django.utils import translation
translation.activate("en")
before = Article.objects.public().order_by("-publish_at", "-pk")[{deep} - 1]
print(json.dumps(cursor_of(False, before.publish_at, before.pk)))
"""


def cursor_at(var, deep):
    """The cursor a client holds after paging to item ``deep`` (the item before it)."""
    environment = serve_bench.server_environment(var, {})
    done = subprocess.run(  # noqa: S603
        [serve_bench.PYTHON, "manage.py", "shell", "-c", CURSOR_AT.format(deep=deep)],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(var, redis_url, args):
    rows = []
    first = "/api/v1/articles/?limit=50"
    cursor = cursor_at(var, min(DEEP, args.articles - 50))
    deep = f"{first}&cursor={cursor}"
    port = serve_bench.free_port()
    base = f"http://127.0.0.1:{port}"
    for kept in ("0", "3600"):
        env = {"PAGE_CACHE_SECONDS": kept, "REDIS_URL": redis_url,
               "API_RATE_LIMIT": "1000000000/m"}  # fmt: skip
        process = serve_bench.start_server(var, port, env)
        try:
            pages = [("a list of 50, kept", first)] if kept != "0" else [
                ("a list of 50, rendered", first),
                (f"the same from item {DEEP:,}, rendered", deep),
            ]  # fmt: skip
            for name, path in pages:
                body = urllib.request.urlopen(base + path, timeout=30).read()  # noqa: S310
                assert len(json.loads(body)["items"]) == 50, name
                result = serve_bench.measure(base, path, args.seconds, args.connections, str(var))
                rows.append({"run": name, "bytes": len(body), **result})
                print(rows[-1], flush=True)
        finally:
            serve_bench.stop_server(process, var, env)
    return rows


def table(rows, args):
    lines = [
        f"# `make bench`: the content API, {args.articles:,} articles, 2 cores, "
        f"{time.strftime('%Y-%m-%d')}",
        "",
        f"wrk, {args.connections} connections, {args.seconds} s a run; production settings, "
        "Redis; CPU is the server's, PostgreSQL's and Redis's together.",
        "",
        "| run | req/s | CPU ms/req | p50 / p99 ms | bytes | errors |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(f"| {row['run']} | {row['rps']:,.0f} | {row['cpu_ms']:.2f} | "
                     f"{row['p50']:.1f} / {row['p99']:.1f} | {row['bytes']:,} | "
                     f"{row['errors']} |")  # fmt: skip
    first, deep = rows[0], rows[1]
    ratio = deep["cpu_ms"] / first["cpu_ms"]
    lines += [
        "",
        f"- From item {DEEP:,}: {ratio:.2f} × the first page's CPU (target 1.2 ×: "
        f"{'met' if ratio <= 1.2 else 'NOT met'}); p50 {deep['p50']:.1f} ms against "
        f"{first['p50']:.1f} ms.",
        f"- Kept: {rows[2]['cpu_ms']:.2f} ms of CPU, "
        f"{first['cpu_ms'] / rows[2]['cpu_ms']:.0f} × less than rendered.",
    ]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    var, _described = serve_bench.prepare(args.articles)
    redis, redis_url = serve_bench.start_redis(var)
    try:
        rows = run(var, redis_url, args)
    finally:
        redis.terminate()
        redis.wait(timeout=10)
    serve_bench.write_result("api.md", table(rows, args))


if __name__ == "__main__":
    main()
