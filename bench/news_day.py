"""A news day under load: `make bench` runs it after serve_bench.py (not part of the test suite).

    .venv/bin/python bench/news_day.py [--seconds 120] [--warm-seconds 300] [--rate 200]
                                       [--random-requests 20000] [--base URL]

The bench's 10,000-article database (``serve_bench.prepare(10000)``: four editions, category
"News", tags, comments) is copied to var/news-day-10000, so that every run starts from the same
day. ``manage.py serve --production`` (granian, a procrastinate worker, embedded PostgreSQL) and
a Redis of its own serve it. Readers ask for every public address (each edition's home, list,
category, tag, month and section pages, every article in every edition it has, feeds, about,
contact) with a Zipf-like popularity (s = 1; the homes and first list pages first, the rest
shuffled), through wrk and a Lua script (news_day.lua) that logs each answer's time, address and
``Cache-Status``. Before the runs, the addresses are asked for once, most popular first, for at
most ``--warm-seconds`` (a news site's cache is warm).

Two runs of ``--seconds`` each: at a fixed ``--rate`` (wrk paced from Lua's ``delay()``), then as
fast as the machine allows (16 connections). Meanwhile a child process with the server's settings
(Django on the same database: real saves, signals and cache tags; the server hears of them through
PostgreSQL's NOTIFY) publishes an article every 30 s, approves a pending comment every 10 s (as
the admin's action does: ``moderate()``) and corrects an article's title in another edition every
20 s; after each commit it polls the item's page, its edition's home and its first list page
every 20 ms until the change shows there (the staleness). The site-wide version of the page cache
(every page forgotten at any change) is computed by replaying the same run's logged requests
against its change times. Last, ``--random-requests`` requests to popular pages with random
``?x=`` / ``?utm_source=`` parameters, while a second wrk measures an article's p99 (compared
with the same wrk alone), and the memory of every cache before and after.

Prints a Markdown table with verdicts and writes bench/results/news-day.md and .json.
"""

import argparse
import bisect
import contextlib
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import serve_bench  # noqa: E402

ROOT = serve_bench.ROOT
PYTHON = serve_bench.PYTHON
ARTICLES = 10_000
LUA = BENCH / "news_day.lua"
# The changes of a news day: (kind, every so many seconds, first after).
CHANGES = [("comment", 10, 5), ("correction", 20, 10), ("publication", 30, 15)]
# Cache-Status kinds as the Lua script logs them.
KINDS = {
    "H": "hit",
    "S": "stale hit",
    "M": "rendered (uri-miss)",
    "R": "rendered (stale)",
    "B": "bypass",
    "N": "no Cache-Status",
}
TARGETS = """Targets (2 cores): hit ratio >= 95% at 200 req/s and >= 98% at the highest rate;
staleness <= 1 s; 0 errors; random query strings: every cache's memory flat and the other
readers' p99 unchanged."""


# --- Inside Django (subcommands run in a child process with the bench's settings) ----------------


def addresses(out):
    """Every public address readers can reach, by popularity rank: the homes and the first list
    pages first, then everything else shuffled (a fixed seed)."""
    serve_bench.django_setup()
    from math import ceil

    from django.conf import settings
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    from articles.models import Article, Category
    from nejat.editions import edition_codes, localized_field
    from nejat.models import Tag

    per_page = settings.ARTICLES_PER_PAGE

    def paged(url, count):
        return [url] + [f"{url}?page={n}" for n in range(2, ceil(count / per_page) + 1)]

    homes, first_lists, rest, optional = [], [], [], []
    for code in edition_codes():
        with translation.override(code):
            public = Article.objects.public(code)
            count = public.count()
            homes.append(reverse("home"))
            first_lists.append(reverse("articles:list"))
            rest += paged(reverse("articles:list"), count)[1:]
            for category in Category.objects.all():
                if category.in_edition(code):
                    rest += paged(category.url_in(code), public.filter(category=category).count())
            for tag in Tag.objects.filter(language=code):
                if url := tag.url_in(code):
                    rest += paged(url, public.filter(tags=tag).count())
            # A month's first page only (what readers reach from an article's date).
            for month in public.dates("publish_at", "month"):
                rest.append(reverse("articles:month", kwargs={"year": month.year,
                                                              "month": month.month}))  # fmt: skip
            for name in ("articles:feed", "articles:feed_atom", "pages:about", "pages:contact",
                         "publications:books", "publications:newsletter",
                         "publications:pars_brief", "media_gallery:photos",
                         "media_gallery:videos", "media_gallery:cartoons",
                         "media_gallery:newspics"):  # fmt: skip
                with contextlib.suppress(NoReverseMatch):
                    rest.append(reverse(name))
                    optional.append(rest[-1])  # (an about page may not exist: asked once)
            slug = localized_field("slug", code)
            for article in public.only("pk", slug).order_by("pk").iterator(chunk_size=2000):
                rest.append(article.url_in(code))
    random.Random(36).shuffle(rest)  # noqa: S311 - a fixed order, not a secret
    Path(out).write_text(json.dumps({"ranked": homes + first_lists + rest, "optional": optional}))


def changes(seconds, base, tag):
    """The news day's changes (``CHANGES``) from now on for ``seconds``, after a line "GO" on
    stdin; prints one JSON line: each change with its commit time and its staleness on the
    item's page, its edition's home and its first list page."""
    serve_bench.django_setup()
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone, translation

    from articles.models import Article, Category
    from nejat.comments.models import Comment
    from nejat.comments.moderation import moderate
    from nejat.editions import edition_codes, localized_field
    from nejat.publishing import Status

    codes = list(edition_codes())
    schedule = sorted(
        (first + period * n, kind, n)
        for kind, period, first in CHANGES
        for n in range(int(seconds))
        if first + period * n < seconds - 1
    )
    # Pending comments written beforehand (a pending one shows nowhere: no page is forgotten),
    # on articles near the top of each edition's list, where the home and the list show them.
    article_type = ContentType.objects.get_for_model(Article)
    pending = {}
    for _at, kind, n in schedule:
        if kind == "comment":
            code = codes[(n + 2) % len(codes)]
            article = Article.objects.public(code)[1 + n % 5]
            pending[n] = (code, Comment.objects.create(
                content_type=article_type, object_id=article.pk, name="Reader",
                email=f"reader{n}@example.org", text=f"Comment {tag}-{n} on a news day.",
                language=code, status=Comment.Status.PENDING,
            ))  # fmt: skip
    category = Category.objects.filter(slug_en="news").first()

    def pages(code, item_url):
        with translation.override(code):
            return {"page": item_url, "home": reverse("home"), "list": reverse("articles:list")}

    print("READY", flush=True)
    sys.stdin.readline()
    start = time.time()
    done, pollers = [], []
    for at, kind, n in schedule:
        time.sleep(max(0.0, start + at - time.time()))
        if kind == "publication":
            code = codes[n % len(codes)]
            title = f"News day {tag}-{n}: the river report"
            article = Article(category=category, status=Status.PUBLISHED,
                              publish_at=timezone.now(), comment_count=0,
                              **{localized_field("title", code): title,
                                 localized_field("lead", code): "Published during the run.",
                                 localized_field("body", code): "<p>Just in.</p>"})  # fmt: skip
            with transaction.atomic():
                article.save()
            committed = time.time()
            urls = pages(code, article.url_in(code))
            shows = {name: text_shown(title) for name in urls}
        elif kind == "correction":
            code = codes[(n + 1) % len(codes)]
            article = Article.objects.public(code)[1 + n % 5]
            field = localized_field("title", code)
            title = re.sub(r" \(corrected [^)]*\)$", "", getattr(article, field))
            title += f" (corrected {tag}-{n})"
            setattr(article, field, title)
            with transaction.atomic():
                article.save()
            committed = time.time()
            urls = pages(code, article.url_in(code))
            shows = {name: text_shown(title) for name in urls}
        else:
            code, comment = pending[n]
            article = Article.objects.get(pk=comment.object_id)
            urls = pages(code, article.url_in(code))
            # The home and the list show the article's count of comments: changed from before.
            before = {name: comments_shown(fetch(base, urls[name]), urls["page"])
                      for name in ("home", "list")}  # fmt: skip
            with transaction.atomic():
                moderate(Comment.objects.filter(pk=comment.pk), Comment.Status.APPROVED)
            committed = time.time()
            shows = {"page": text_shown(comment.text)}
            for name in ("home", "list"):
                shows[name] = count_changed(urls["page"], before[name])
        record = {"kind": kind, "n": n, "edition": code, "at": at, "committed": committed,
                  "urls": urls, "staleness": {}}  # fmt: skip
        done.append(record)
        for name, url in urls.items():
            poller = threading.Thread(
                target=poll, args=(base, url, shows[name], committed, record["staleness"], name)
            )
            poller.start()
            pollers.append(poller)
    for poller in pollers:
        poller.join()
    print(json.dumps(done), flush=True)


def fetch(base, path):
    try:
        with urllib.request.urlopen(serve_bench.address(base, path), timeout=10) as answer:  # noqa: S310
            return answer.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"


def answers(base, path):
    try:
        with urllib.request.urlopen(serve_bench.address(base, path), timeout=30):  # noqa: S310
            return True
    except urllib.error.HTTPError:
        return False


def text_shown(text):
    escaped = html.escape(text)  # (as Django's templates escape it)
    return lambda page: escaped in page or text in page


def comments_shown(page, item_url):
    """The text of the comment count on the card that links to ``item_url``, or None."""
    at = page.find(f'href="{item_url}"')
    if at < 0:
        return None
    found = re.search(r'<span class="comments">(.*?)</span>', page[at:], re.S)
    return found.group(1) if found else None


def count_changed(item_url, before):
    return lambda page: comments_shown(page, item_url) not in (before, None)


def poll(base, path, shows, committed, into, name, give_up=15.0):
    """Ask for ``path`` every 20 ms until ``shows(page)``; the seconds since the commit."""
    while time.time() - committed < give_up:
        if shows(fetch(base, path)):
            into[name] = time.time() - committed
            return
        time.sleep(0.02)
    into[name] = None


# --- Outside: the orchestra ---------------------------------------------------------------------


def prepare():
    """serve_bench's 10,000-article database (built once), copied so that each run starts from
    the same day (its changes would otherwise pile up in it, and in serve_bench's runs)."""
    source, _described = serve_bench.prepare(ARTICLES)
    var = ROOT / "var" / f"news-day-{ARTICLES}"
    for directory in (source, var):
        if (directory / "pgdata").exists():
            embedded_db("stop", directory)
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    var.chmod(0o755)
    for part in ("pgdata", "media"):
        if (source / part).exists():  # cp -a: owners too (the embedded server runs as its own user)
            subprocess.run(["cp", "-a", str(source / part), str(var / part)], check=True)  # noqa: S603, S607
    return var


def embedded_db(action, var):
    serve_bench.manage("embedded_db", action, environment=serve_bench.server_environment(var, {}))


def child_environment(var, env):
    return serve_bench.server_environment(var, env)


def start_site(var, env):
    """The site as readers reach it, and how to stop it: ``manage.py serve --production`` with a
    Redis of its own. (nginx in front, later: start it here and answer with its address.)"""
    redis, redis_url = serve_bench.start_redis(var)
    env = {**env, "PAGE_CACHE_SECONDS": "3600", "REDIS_URL": redis_url}
    port = serve_bench.free_port()
    process = serve_bench.start_server(var, port, env)

    def stop():
        serve_bench.stop_server(process, var, env)
        redis.terminate()
        redis.wait(timeout=10)

    return {"base": f"http://127.0.0.1:{port}", "env": env, "redis_url": redis_url, "stop": stop,
            "pids": {redis.pid}}  # fmt: skip


def zipf_draws(count, size, seed, s=1.0):
    weights, total = [], 0.0
    for rank in range(1, size + 1):
        total += rank**-s
        weights.append(total)
    rng = random.Random(seed)  # noqa: S311 - repeatable draws
    return [bisect.bisect_left(weights, rng.random() * total) for _ in range(count)]


def run_wrk(tmp, name, base, paths, draws, seconds, connections, rate=0, mode="zipf", quota=0):
    """wrk with news_day.lua, one connection per thread (so each answer is matched to the
    address asked), ``rate`` requests/s in all (0: as fast as it goes). Returns wrk's figures
    and the log of answers: (ms since the epoch, address index, status, kind)."""
    folder = Path(tmp) / name
    folder.mkdir()
    (folder / "paths").write_text("\n".join(paths) + "\n")
    (folder / "draws").write_text("\n".join(map(str, draws)) + "\n")
    settings = (
        f'ND_PATHS = "{folder / "paths"}"\nND_DRAWS = "{folder / "draws"}"\n'
        f'ND_TRACE = "{folder / "trace."}"\nND_THREADS = {connections}\n'
        f'ND_RATE = {rate / connections}\nND_MODE = "{mode}"\n'
        f"ND_QUOTA = {-(-quota // connections) if quota else 0}\n"
    )
    (folder / "script.lua").write_text(settings + LUA.read_text())
    out = subprocess.run(  # noqa: S603
        [shutil.which("wrk") or "wrk", f"-t{connections}", f"-c{connections}", f"-d{seconds}s",
         "--latency", "--timeout", "10s", "-s", str(folder / "script.lua"), base],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    result = parse_wrk(out)
    trace = []
    for part in folder.glob("trace.*"):
        for line in part.read_text().splitlines():
            at, index, status, kind = line.split()
            trace.append((float(at), int(index), int(status), kind))
    trace.sort()
    result["logged"] = len(trace)
    result["kinds"] = {KINDS[k]: sum(1 for t in trace if t[3] == k) for k in KINDS}
    result["bad"] = sum(1 for t in trace if t[2] >= 400)
    return result, trace


def parse_wrk(out):
    """wrk's figures, read as serve_bench.wrk() reads them."""

    def latency(pct):
        value, unit = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(map(int, sockets.groups())) if sockets else 0),
    }


def start_changes(var, site, base, seconds, tag):
    process = subprocess.Popen(  # noqa: S603
        [PYTHON, __file__, "changes", f"--seconds={seconds}", f"--base={base}", f"--tag={tag}"],
        cwd=ROOT, env=child_environment(var, site["env"]), stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    if process.stdout.readline().strip() != "READY":
        raise SystemExit("the changes' process did not start")
    return process


def news_day_run(tmp, name, var, site, base, paths, args, rate):
    """One run: wrk at ``rate`` (0: the highest), the changes beside it, CPU from /proc."""
    connections = 4 if rate else 16
    draws = zipf_draws(400_000, len(paths), seed=len(name))
    changer = start_changes(var, site, base, args.seconds, name)
    # (CPU of processes that end during the run is not counted: none of the site's should.)
    pids = serve_bench.site_processes(var, leave_out={changer.pid}, also=site["pids"])
    before = serve_bench.ticks(pids)
    changer.stdin.write("GO\n")
    changer.stdin.flush()
    started = time.time()
    result, trace = run_wrk(tmp, name, base, paths, draws, args.seconds, connections, rate)
    pids |= serve_bench.site_processes(
        var, {changer.pid}, site["pids"]
    )  # (backends started meanwhile)
    used = serve_bench.ticks(pids) - before
    out, _ = changer.communicate(timeout=120)
    made = json.loads(out.strip().splitlines()[-1])
    result.update(name=name, started=started, rate_asked=rate, connections=connections,
                  cpu_ms=used / serve_bench.TICKS * 1000 / max(result["requests"], 1),
                  changes=made)  # fmt: skip
    served = len(trace) or 1
    kept = result["kinds"]["hit"] + result["kinds"]["stale hit"]
    result["hit_ratio"] = kept / served
    result["fresh_hit_ratio"] = result["kinds"]["hit"] / served
    # Without the first visits (addresses not kept yet): what changes cost, warm-up aside.
    result["hit_ratio_kept"] = kept / max(served - result["kinds"]["rendered (uri-miss)"], 1)
    rerendered = {}
    for _at, index, _status, kind in trace:
        if kind == "R":
            page = page_kind(paths[index])
            rerendered[page] = rerendered.get(page, 0) + 1
    result["rerendered_by_page"] = rerendered
    print(f"{name}: {json.dumps({k: v for k, v in result.items() if k != 'changes'})}", flush=True)
    return result, trace


def page_kind(path):
    """home, list, category, tag, month, article, feed or other: for the table of renders."""
    path = re.sub(r"^/(fa|ar|sq)/", "/", path)
    for kind, pattern in (("home", r"^/$"), ("list", r"^/articles/(\?|$)"),
                          ("feed", r"/feed/"), ("category", r"^/articles/category/"),
                          ("month", r"^/articles/\d{4}/\d\d/"), ("tag", r"^/tags/"),
                          ("article", r"^/articles/\d+/")):  # fmt: skip
        if re.search(pattern, path):
            return kind
    return "other"


def site_wide_replay(traces, change_times, window):
    """The site-wide version's hit ratio on the same requests: a request is a hit when its
    address was asked for since the last change of any kind (search is never in the list).
    ``traces``: every logged request of the day in order (the warm-up's too, so the cache is as
    warm as it was); ``window``: (from, to) ms of the run to count."""
    changes_ms = sorted(t * 1000 for t in change_times)
    last_asked, hits, counted, first = {}, 0, 0, 0
    for at, index, _status, _kind in traces:
        since = bisect.bisect_right(changes_ms, at)
        last_change = changes_ms[since - 1] if since else float("-inf")
        if window[0] <= at <= window[1]:
            counted += 1
            first += index not in last_asked
            hits += last_asked.get(index, float("-inf")) > last_change
        last_asked[index] = at
    return hits / max(counted, 1), hits / max(counted - first, 1)


def memory(var, site):
    """RSS (MB) of the server's processes (granian, the worker, `serve`), of PostgreSQL's, and
    Redis's own count of its memory and keys."""
    import redis

    rss = {"server": 0, "postgres": 0}
    for pid in serve_bench.site_processes(var, also=site["pids"]):
        proc = Path(f"/proc/{pid}")
        try:
            comm = (proc / "comm").read_text().strip()
            status = (proc / "status").read_text()
            kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        except (OSError, AttributeError):
            continue
        if comm.startswith("redis"):
            continue
        rss["postgres" if comm.startswith("postgres") else "server"] += kb / 1024
    client = redis.Redis.from_url(site["redis_url"])
    return {
        "server_rss_mb": rss["server"],
        "postgres_rss_mb": rss["postgres"],
        "redis_used_mb": client.info("memory")["used_memory"] / 2**20,
        "redis_keys": client.dbsize(),
    }


def random_queries(tmp, var, site, base, paths, args):
    """``--random-requests`` to the 50 most popular pages with random parameters, paced at
    ``--random-rate``, while a second wrk asks for one article at 100 requests/s; the same
    second wrk alone first."""
    popular = paths[:50]
    article = next(p for p in paths if "/articles/" in p and p.count("/") >= 4)
    seconds = max(int(args.random_requests / args.random_rate), 5)
    alone, _ = run_wrk(tmp, "reader-alone", base, [article], [0], seconds, 2, rate=100)
    before = memory(var, site)
    outcome = {}

    def load():
        outcome["random"] = run_wrk(
            tmp, "random", base, popular, zipf_draws(50_000, len(popular), seed=7),
            seconds + 10, 4, rate=args.random_rate, mode="random", quota=args.random_requests,
        )[0]  # fmt: skip

    thread = threading.Thread(target=load)
    thread.start()
    time.sleep(0.5)
    beside, _ = run_wrk(tmp, "reader-beside", base, [article], [0], seconds, 2, rate=100)
    thread.join()
    after = memory(var, site)
    return {"page": article, "alone": alone, "beside": beside, "random": outcome["random"],
            "memory_before": before, "memory_after": after}  # fmt: skip


def staleness(runs):
    """Median and max seconds per kind of change and page; None where a change never showed."""
    table = {}
    for run in runs:
        for change in run["changes"]:
            for page, seconds in change["staleness"].items():
                table.setdefault((change["kind"], page), []).append(seconds)
    summary = {}
    for (kind, page), values in sorted(table.items()):
        shown = sorted(v for v in values if v is not None)
        summary[f"{kind} · {page}"] = {
            "changes": len(values),
            "never": len(values) - len(shown),
            "median": shown[len(shown) // 2] if shown else None,
            "max": shown[-1] if shown else None,
        }
    return summary


def report(runs, stale, randomly, args, address_count):
    lines = [
        f"# News day: {ARTICLES} articles in four editions, {os.cpu_count()} cores, {date.today()}",
        "",
        f"{address_count} public addresses, Zipf-like popularity (s = 1); wrk with "
        "bench/news_day.lua, `Accept-Encoding: gzip`, one connection per wrk thread; "
        f"{args.seconds} s a run after a warm-up (every address once, most popular first, at "
        f"most {args.warm_seconds} s: {args.warmed} of them asked for). "
        "A first visit (`fwd=uri-miss`) is an address not kept yet: the ratio without them "
        "is what the changes cost. During each run: an article published every 30 s, a "
        "comment approved every 10 s, a title corrected in another edition every 20 s. "
        "`manage.py serve --production` (granian), embedded PostgreSQL, Redis. CPU ms = "
        "server processes + PostgreSQL (its backends too) + Redis per request, the changes' "
        "own database work included. Hit ratio = answers from the "
        "cache (fresh or the stale copy while one request renders) / all answers. "
        "**Site-wide version: computed** by replaying the same run's logged requests against "
        "its change times (a hit when the address was asked for since the last change).",
        "",
        "| run | req/s | p50 ms | p99 ms | errors | CPU ms/req | hit ratio | site-wide version "
        "(computed) | hit ratio, first visits aside | site-wide, first visits aside | fresh hits "
        "| stale hits | rendered: first visit / after a change |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        k = run["kinds"]
        lines.append(
            f"| {run['label']} | {run['rps']:.0f} | {run['p50']:.1f} | {run['p99']:.1f} | "
            f"{run['errors'] + run['bad']} | {run['cpu_ms']:.2f} | {run['hit_ratio']:.1%} | "
            f"{run['site_wide_hit_ratio']:.1%} | {run['hit_ratio_kept']:.1%} | "
            f"{run['site_wide_hit_ratio_kept']:.1%} | {k['hit']} | {k['stale hit']} | "
            f"{k['rendered (uri-miss)']} / {k['rendered (stale)']} |"
        )
    lines += ["", "Pages rendered again after a change, by kind: " + "; ".join(
        f"{run['label']}: " + (", ".join(f"{n} {kind}" for kind, n in sorted(
            run["rerendered_by_page"].items(), key=lambda item: -item[1])) or "none")
        for run in runs) + "."]  # fmt: skip
    lines += ["", "Staleness (seconds from the commit until the change shows):", "",
              "| change · page | changes | median s | max s | never shown |", "|---|---|---|---|---|"]  # fmt: skip
    for name, row in stale.items():
        med = "–" if row["median"] is None else f"{row['median']:.2f}"
        top = "–" if row["max"] is None else f"{row['max']:.2f}"
        lines.append(f"| {name} | {row['changes']} | {med} | {top} | {row['never']} |")
    if randomly:
        b, a = randomly["memory_before"], randomly["memory_after"]
        r = randomly["random"]
        lines += [
            "",
            f"Random query strings: {r['requests']} requests ({r['rps']:.0f}/s) to the 50 most "
            f"popular pages with `?x=…` / `?utm_source=…`; an article "
            f"(`{randomly['page']}`) at 100 requests/s beside them, and alone before.",
            "",
            "| | before | after |",
            "|---|---|---|",
            f"| server processes' RSS, MB | {b['server_rss_mb']:.0f} | {a['server_rss_mb']:.0f} |",
            f"| PostgreSQL's RSS, MB | {b['postgres_rss_mb']:.0f} | {a['postgres_rss_mb']:.0f} |",
            f"| Redis used_memory, MB | {b['redis_used_mb']:.1f} | {a['redis_used_mb']:.1f} |",
            f"| Redis keys | {b['redis_keys']} | {a['redis_keys']} |",
            "",
            f"The article's p99: {randomly['alone']['p99']:.1f} ms alone, "
            f"{randomly['beside']['p99']:.1f} ms beside the random query strings "
            f"(p50 {randomly['alone']['p50']:.1f} / {randomly['beside']['p50']:.1f} ms); "
            f"random-query answers: {r['errors'] + r['bad']} errors, "
            + ", ".join(f"{n} {kind}" for kind, n in r["kinds"].items() if n)
            + ".",
        ]
    lines += ["", TARGETS.replace("\n", " "), "", *verdicts(runs, stale, randomly)]
    return "\n".join(lines) + "\n"


def verdicts(runs, stale, randomly):
    """Each target of the issue, met or how far off, from this run's figures."""
    fixed, highest = runs[0], runs[-1]
    shown = [row["max"] for row in stale.values() if row["max"] is not None]
    never = sum(row["never"] for row in stale.values())
    worst = max(shown) if shown else None
    errors = sum(run["errors"] + run["bad"] for run in runs)
    checks = [
        (f"hit ratio >= 95% at {fixed['rate_asked']} req/s",
         fixed["hit_ratio"] >= 0.95 and fixed["rps"] >= 0.95 * fixed["rate_asked"],
         f"{fixed['hit_ratio']:.1%} at {fixed['rps']:.0f} req/s"
         + (" (the rate asked was not reached)" if fixed["rps"] < 0.95 * fixed["rate_asked"]
            else "") + f"; site-wide version {fixed['site_wide_hit_ratio']:.1%}"),
        ("hit ratio >= 98% at the highest rate", highest["hit_ratio"] >= 0.98,
         f"{highest['hit_ratio']:.1%} at {highest['rps']:.0f} req/s; site-wide version "
         f"{highest['site_wide_hit_ratio']:.1%}"),
        ("staleness <= 1 s", worst is not None and worst <= 1 and not never,
         f"worst {worst:.2f} s" + (f", {never} never shown" if never else "")
         if worst is not None else f"{never} never shown"),
        ("0 errors", errors == 0, f"{errors} errors"),
    ]  # fmt: skip
    if randomly:
        b, a = randomly["memory_before"], randomly["memory_after"]
        grown = {
            "server RSS": a["server_rss_mb"] - b["server_rss_mb"],
            "Redis": a["redis_used_mb"] - b["redis_used_mb"],
        }
        flat = (
            grown["server RSS"] <= 20
            and grown["Redis"] <= 2
            and a["redis_keys"] <= b["redis_keys"] + 5
        )
        checks.append(("random query strings: memory of every cache flat", flat,
                       f"server RSS {grown['server RSS']:+.0f} MB, Redis "
                       f"{grown['Redis']:+.1f} MB, keys {a['redis_keys'] - b['redis_keys']:+d}"))  # fmt: skip
        ratio = randomly["beside"]["p99"] / max(randomly["alone"]["p99"], 0.001)
        checks.append(("random query strings: other readers' p99 unchanged (<= 1.5×)",
                       ratio <= 1.5, f"{randomly['alone']['p99']:.1f} → "
                       f"{randomly['beside']['p99']:.1f} ms, {ratio:.2f}×"))  # fmt: skip
    return [
        f"- {'met' if met else 'NOT MET'}: {target} ({figure})" for target, met, figure in checks
    ]


def warm_up(tmp, base, paths, seconds):
    """Every address once, most popular first, for at most ``seconds``."""
    if seconds <= 0:
        return [], {"requests": 0}
    result, trace = run_wrk(tmp, "warm", base, paths, list(range(len(paths))), seconds, 4,
                            quota=len(paths))  # fmt: skip
    print(f"warm-up: {result['requests']} requests of {len(paths)} addresses", flush=True)
    return trace, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", nargs="?", default="run",
                        choices=["run", "addresses", "changes"])  # fmt: skip
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--warm-seconds", type=int, default=300)
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--random-requests", type=int, default=20_000)
    parser.add_argument("--random-rate", type=int, default=500)
    parser.add_argument("--base", help="where readers and the probes ask (default: the site)")
    parser.add_argument("--tag", default="")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    if args.command == "addresses":
        return addresses(args.out)
    if args.command == "changes":
        return changes(args.seconds, args.base, args.tag)
    if not shutil.which("wrk"):
        raise SystemExit("news_day.py needs wrk: apt-get install wrk redis-server")

    var = prepare()
    # wrk's scripts and logs, kept for a look after the run (outside ``var``, whose name marks
    # the processes whose CPU is counted).
    tmp = ROOT / "var" / "news-day-traces"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    listing = Path(tmp) / "addresses.json"
    environment = child_environment(var, {})
    subprocess.run([PYTHON, __file__, "addresses", f"--out={listing}"],  # noqa: S603
                   cwd=ROOT, env=environment, check=True)  # fmt: skip
    listed = json.loads(listing.read_text())
    site = start_site(var, {})
    base = args.base or site["base"]
    try:
        missing = {p for p in listed["optional"] if not answers(base, p)}
        paths = [serve_bench.address("", p) for p in listed["ranked"] if p not in missing]
        print(f"{len(paths)} public addresses ({len(missing)} absent left out)", flush=True)
        day, warmed = warm_up(tmp, base, paths, args.warm_seconds)
        args.warmed = warmed["requests"]
        runs = []
        for label, name, rate in ((f"{args.rate} req/s", "fixed", args.rate),
                                  ("highest rate", "highest", 0)):  # fmt: skip
            run, trace = news_day_run(tmp, name, var, site, base, paths, args, rate)
            run["label"] = label
            day += trace
            runs.append(run)
        change_times = [c["committed"] for run in runs for c in run["changes"]]
        day.sort()
        for run, window_end in zip(
            runs, [r["started"] for r in runs[1:]] + [float("inf")], strict=True
        ):
            window = (run["started"] * 1000, window_end * 1000)
            replayed = site_wide_replay(day, change_times, window)
            run["site_wide_hit_ratio"], run["site_wide_hit_ratio_kept"] = replayed
        randomly = None
        if args.random_requests:
            randomly = random_queries(tmp, var, site, base, paths, args)
    finally:
        site["stop"]()
    stale = staleness(runs)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    data = {"runs": runs, "staleness": stale, "random_query_strings": randomly,
            "addresses": len(paths), "seconds": args.seconds, "warmed": args.warmed}  # fmt: skip
    (results / "news-day.json").write_text(json.dumps(data, indent=1, default=str) + "\n")
    text = report(runs, stale, randomly, args, len(paths))
    print(text)
    (results / "news-day.md").write_text(text)


if __name__ == "__main__":
    main()
