"""Kept pages through nginx's page cache against nginx sending the same page from a file: `make
bench` (not part of the test suite).

    .venv/bin/python bench/front_bench.py [--articles 1000] [--seconds 10] [--connections 16]

Uses serve_bench's database (var/bench-serve-<N>), starts `manage.py serve --production` with
Redis and nginx in front as deploy/nginx/nejat.conf has it (its page cache and purge listener;
tests/helpers/services.py's `running_nginx`, TLS with a certificate of its own), warms each
page, and loads it with wrk over HTTPS (`Accept-Encoding: gzip`). The ceiling is nginx sending
each page's saved gzip from a file (gzip_static), over TLS too, with one worker like the other.
CPU ms per request: nginx's workers, the app's processes, PostgreSQL and Redis. Writes
bench/results/front-<N>.md and .json.
"""

import argparse
import gzip
import json
import os
import ssl
import sys
import tempfile
import urllib.request
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import serve_bench
from serve_bench import ROOT, TICKS, address, cpu_ticks, free_port, wrk

HOST = "nejat.example"
NGINX_OWN_HEADERS = {"server", "date", "content-length", "connection", "content-encoding",
                     "content-type", "etag", "last-modified", "accept-ranges", "vary"}  # fmt: skip
PAGES = [
    ("home", "/"),
    ("article", "{article}"),
    ("list page 50", "/articles/?page=50"),
    ("home (fa)", "/fa/"),
    ("article (fa)", "{article_fa}"),
]


def fetch(url):
    """(headers, gzip body) of a page through nginx, as a browser asks for it."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    request = urllib.request.Request(url, headers={"Host": HOST, "Accept-Encoding": "gzip"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=20, context=context) as response:  # noqa: S310
        return response.headers, response.read()


def load(url, seconds, connections, pids, marker):
    """wrk over HTTPS with the site's Host; CPU of ``pids`` (nginx) and of ``marker``'s."""
    before = cpu_ticks(pids=pids) + (cpu_ticks(marker) if marker else 0)
    result = wrk(url, seconds, connections, headers=[f"Host: {HOST}"])
    used = cpu_ticks(pids=pids) + (cpu_ticks(marker) if marker else 0) - before
    result["cpu_ms"] = used / TICKS * 1000 / max(result["requests"], 1)
    return result


def file_name(page):
    return page.replace(" ", "-").replace("(", "").replace(")", "")


def run(args):
    # deploy/nginx/nejat.conf on loopback, as the tests run it (their helper reads the settings
    # module, which wants DEBUG or a SECRET_KEY; the server gets the bench's own).
    os.environ.setdefault("DEBUG", "1")
    from tests.helpers.services import running_nginx

    var, described = serve_bench.prepare(args.articles)
    urls = described["urls"]
    purge_port, port = free_port(), free_port()
    redis, redis_url = serve_bench.start_redis(var)
    env = {
        "PAGE_CACHE_SECONDS": "3600",
        "REDIS_URL": redis_url,
        "PAGE_CACHE_NGINX_PURGE_URLS": f"http://127.0.0.1:{purge_port}",
        "ALLOWED_HOSTS": f"127.0.0.1,{HOST}",
    }
    rows, kept, sent = [], {}, {}
    process = serve_bench.start_server(var, port, env)
    try:
        with (
            tempfile.TemporaryDirectory() as tmp,
            running_nginx(Path(tmp), [f"127.0.0.1:{port}"], var, purge_port=purge_port) as front,
        ):
            base = f"https://127.0.0.1:{front['https']}"
            master = int((Path(tmp) / "nginx.pid").read_text())
            for name, path in PAGES:
                url = address(base, path.format(**urls))
                for _ in range(3):  # rendered, kept by the app, then by nginx
                    headers, body = fetch(url)
                assert headers.get_all("Cache-Status")[-1] == "nginx; hit", (name, headers)
                kept[file_name(name)] = gzip.decompress(body)
                # The file is sent with the same headers as the kept page (but nginx's own).
                sent[file_name(name)] = [
                    (h, v) for h, v in headers.items() if h.lower() not in NGINX_OWN_HEADERS
                ]
                result = load(url, args.seconds, args.connections, {master}, str(var))
                rows.append({"page": f"{name} · nginx's page cache", "gzip": len(body), **result})
                print(rows[-1], flush=True)
    finally:
        serve_bench.stop_server(process, var, env)
        redis.terminate()
        redis.wait(timeout=10)
    with serve_bench.serving_files(kept, tls=True, headers=sent) as (base, master):
        for name, html in kept.items():
            result = load(f"{base}/{name}.html", args.seconds, args.connections, {master}, None)
            gz = serve_bench.sent_compressed(html)
            rows.append({"page": f"{name} · nginx, file (gzip_static)", "gzip": gz, **result})
            print(rows[-1], flush=True)
    return rows


def table(rows, args):
    files = {file_name(row["page"].split(" · ")[0]): row for row in rows if "file" in row["page"]}
    lines = [
        f"# Kept pages through nginx: {args.articles} articles, {os.cpu_count()} cores, "
        f"{date.today()}",
        "",
        f"wrk over HTTPS (TLS, HTTP/1.1 keep-alive), {args.connections} connections, "
        f"{args.seconds} s a page, `Accept-Encoding: gzip`. nginx as deploy/nginx/nejat.conf "
        "has it (one worker) in front of `manage.py serve --production` with Redis; the ceiling "
        "is the same nginx build sending each page's gzip from a file, with the same headers "
        "(security headers, Cache-Status, …). CPU ms = nginx's workers "
        "+ the app's processes, PostgreSQL and Redis.",
        "",
        "| page | req/s | p50 ms | p99 ms | errors | gzip bytes | CPU ms/req | vs the file |",
        "|---|---|---|---|---|---|---|---|",
    ]
    ratios = []
    for row in rows:
        name = file_name(row["page"].split(" · ")[0])
        ratio = row["rps"] / files[name]["rps"] if name in files else None
        if "file" not in row["page"] and ratio:
            ratios.append(ratio)
        lines.append(
            f"| {row['page']} | {row['rps']:.0f} | {row['p50']:.2f} | {row['p99']:.2f} | "
            f"{row['errors']} | {row['gzip']} | {row['cpu_ms']:.3f} | "
            f"{f'{ratio:.0%}' if ratio else '–'} |"
        )
    errors = sum(row["errors"] for row in rows)
    lines += [
        "",
        f"- {'met' if min(ratios) >= 0.9 else 'NOT MET'}: kept pages through nginx >= 90% of "
        f"nginx sending the same file ({min(ratios):.0%}–{max(ratios):.0%})",
        f"- {'met' if errors == 0 else 'NOT MET'}: 0 errors ({errors})",
    ]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    rows = run(args)
    text = table(rows, args)
    print(text)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"front-{args.articles}.md").write_text(text)
    (results / f"front-{args.articles}.json").write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
