"""Readership (#38): what counting costs next to kept pages, and 100,000 beacons counted exactly.

    .venv/bin/python bench/readership_bench.py [--seconds 10] [--connections 16]
                                               [--beacons 100000] [--rounds 3]

On the bench's database (var/bench-serve-1000, made by bench/serve_bench.py), in production
settings, first with Redis (the many-servers set-up: one granian process per core, the tally in
Redis) and then without it (one box: one process, the tally in the unlogged table):

1. a kept article page with the beacon off (READERSHIP_BEACON=0), then on, ``--rounds`` times in
   turn: requests a second and CPU per request (the server, PostgreSQL and Redis together), the
   median of each;
2. the same page with a beacon for each page view (wrk sending GET and POST in turn);
3. beacons alone: requests a second and CPU per beacon;
4. ``--beacons`` beacons from a client that counts the 204s it gets, then the flush job: the
   views counted must be exactly the beacons sent.

Writes bench/results/readership.md.
"""

import argparse
import http.client
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import serve_bench  # noqa: E402

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

# wrk: a page view, then its beacon, then the next page view …
MIXED = """
local n = 0
request = function()
  n = n + 1
  if n % 2 == 1 then
    return wrk.format("GET", "{page}", {{["Accept-Encoding"] = "gzip"}})
  end
  return wrk.format("POST", "/hit/", {{
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = "{origin}", ["User-Agent"] = "{browser}"}}, "{body}")
end
"""
BEACONS = """
wrk.method = "POST"
wrk.body = "{body}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Origin"] = "{origin}"
wrk.headers["User-Agent"] = "{browser}"
"""


def wrk_script(base, path, seconds, connections, script, var):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    before = serve_bench.cpu_ticks(str(var))
    out = subprocess.run(  # noqa: S603
        [shutil.which("wrk") or "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
         "-s", lua.name,
         base + path],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    used = serve_bench.cpu_ticks(str(var)) - before
    Path(lua.name).unlink()
    requests = int(out.split(" requests in")[0].split()[-1])
    rps = float(out.split("Requests/sec:")[1].split()[0])
    errors = out.split("Non-2xx or 3xx responses:")[1].split()[0] if "Non-2xx" in out else "0"
    return {"requests": requests, "rps": rps, "errors": int(errors),
            "cpu_ms": used / serve_bench.TICKS * 1000 / max(requests, 1)}  # fmt: skip


def send_beacons(port, count, body, threads=8):
    """``count`` beacons over keep-alive connections; how many got their 204, and the seconds."""
    answered = [0] * threads
    headers = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": BROWSER,
               "Origin": f"http://127.0.0.1:{port}"}  # fmt: skip

    def run(index, share):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(share):
            connection.request("POST", "/hit/", body, headers)
            response = connection.getresponse()
            response.read()
            answered[index] += response.status == 204
        connection.close()

    shares = [count // threads + (index < count % threads) for index in range(threads)]
    workers = [threading.Thread(target=run, args=(index, share))
               for index, share in enumerate(shares)]  # fmt: skip
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(answered), time.monotonic() - started


def django_shell(var, env, code):
    environment = serve_bench.server_environment(var, env)
    done = subprocess.run(  # noqa: S603
        [serve_bench.PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=environment,
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


COUNTED = (
    "import json; from django.db.models import Sum; from readership import flushing;"
    "from readership.models import DailyViews; flushing.flush();"
    "print(json.dumps(DailyViews.objects.aggregate(views=Sum('views'))['views'] or 0))"
)
FORGET = (
    "import json; from readership.models import DailyViews, Hit; DailyViews.objects.all().delete();"
    "Hit.objects.all().delete(); print(json.dumps(0))"
)


def run_setup(name, var, described, args, redis_url):
    """Kept pages with the beacon off and on, ``--rounds`` times in turn (medians: the machine's
    drift hits both), then the beacons' runs with the beacon on."""
    port = serve_bench.free_port()
    base, origin = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port}"
    page = described["urls"]["article"]
    body = f"e=en&i=articles.article:{described['article_id']}"
    fill = {"page": page, "origin": origin, "browser": BROWSER, "body": body}
    kept, beacons = {"off": [], "on": []}, []
    for round_ in range(args.rounds):
        for state in ("off", "on"):
            # One client sends every beacon here: no limit per visitor.
            env = {"PAGE_CACHE_SECONDS": "3600", "READERSHIP_BEACON": str(int(state == "on")),
                   "REDIS_URL": redis_url, "READERSHIP_BEACONS_PER_MINUTE": str(10**9)}  # fmt: skip
            process = serve_bench.start_server(var, port, env)
            try:
                urllib.request.urlopen(base + page).read()  # noqa: S310 - kept from now on
                result = serve_bench.measure(base, page, args.seconds, args.connections, str(var))
                kept[state].append(result)
                print(name, "kept page, beacon", state, result, flush=True)
                if state == "on" and round_ == args.rounds - 1:
                    beacons = beacon_runs(name, var, env, port, base, page, fill, args)
            finally:
                serve_bench.stop_server(process, var, env)
    medians = [
        {"setup": name, "run": f"kept page, beacon {state}", "of": len(runs),
         **sorted(runs, key=lambda result: result["rps"])[len(runs) // 2]}
        for state, runs in kept.items()
    ]  # fmt: skip
    return medians + beacons


def beacon_runs(name, var, env, port, base, page, fill, args):
    rows = []
    mixed = wrk_script(base, page, args.seconds, args.connections, MIXED.format(**fill), var)
    rows.append({"setup": name, "run": "page views with their beacons", **mixed,
                 "pages": mixed["rps"] / 2})  # fmt: skip
    print(rows[-1], flush=True)
    alone = wrk_script(base, "/hit/", args.seconds, args.connections,
                       BEACONS.format(**fill), var)  # fmt: skip
    rows.append({"setup": name, "run": "beacons alone", **alone})
    print(rows[-1], flush=True)
    django_shell(var, env, COUNTED)  # what wrk sent: counted, then forgotten
    django_shell(var, env, FORGET)
    answered, seconds = send_beacons(port, args.beacons, fill["body"])
    counted = django_shell(var, env, COUNTED)
    rows.append({"setup": name, "run": f"{args.beacons:,} beacons, then the flush",
                 "answered": answered, "counted": counted, "seconds": seconds})  # fmt: skip
    print(rows[-1], flush=True)
    django_shell(var, env, FORGET)
    return rows


def table(rows, args):
    kept = {(row["setup"], row["run"]): row for row in rows}
    lines = [
        f"# `make bench`: readership, 2 cores, {time.strftime('%Y-%m-%d')}",
        "",
        f"The bench's 1,000 articles; production settings; wrk, {args.connections} connections, "
        f"{args.seconds} s a run. CPU is the server's, PostgreSQL's and Redis's together.",
        "",
        "| set-up | run | req/s | CPU ms/req | p50 / p99 ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        if "rps" in row:
            latency = f"{row['p50']:.2f} / {row['p99']:.2f}" if "p50" in row else "–"
            run = f"{row['run']} (median of {row['of']})" if "of" in row else row["run"]
            lines.append(f"| {row['setup']} | {run} | {row['rps']:,.0f} | "
                         f"{row['cpu_ms']:.3f} | {latency} | {row['errors']} |")  # fmt: skip
    lines.append("")
    verdicts = []
    for setup in ("Redis", "no Redis"):
        off = kept.get((setup, "kept page, beacon off"))
        on = kept.get((setup, "kept page, beacon on"))
        mixed = kept.get((setup, "page views with their beacons"))
        alone = kept.get((setup, "beacons alone"))
        exact = kept.get((setup, f"{args.beacons:,} beacons, then the flush"))
        if not (off and on and mixed and alone and exact):
            continue
        ratio = on["rps"] / off["rps"]
        verdicts.append(f"- {setup}: kept pages with the beacon on at {ratio:.1%} of off "
                        f"(target within 5%: {'met' if ratio >= 0.95 else 'not met'}); with a "
                        f"beacon for each view, {mixed['pages']:,.0f} pages/s "
                        f"({mixed['pages'] / off['rps']:.1%} of pages alone)")  # fmt: skip
        verdicts.append(f"- {setup}: a beacon costs {alone['cpu_ms']:.3f} ms of CPU, "
                        f"{alone['cpu_ms'] / off['cpu_ms']:.1f} × a kept page "
                        f"({off['cpu_ms']:.3f} ms)")  # fmt: skip
        exactly = exact["counted"] == exact["answered"] == args.beacons
        verdicts.append(f"- {setup}: {exact['answered']:,} beacons answered in "
                        f"{exact['seconds']:.0f} s, {exact['counted']:,} counted after the flush "
                        f"({'exact' if exactly else 'NOT exact'})")  # fmt: skip
    return "\n".join(lines + verdicts) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--beacons", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="kept page off and on, in turn")
    args = parser.parse_args()
    var, described = serve_bench.prepare(args.articles)
    described["article_id"] = int(described["urls"]["article"].split("/")[2])
    redis, redis_url = serve_bench.start_redis(var)
    try:
        rows = run_setup("Redis", var, described, args, redis_url)
    finally:
        redis.terminate()
        redis.wait(timeout=10)
    rows += run_setup("no Redis", var, described, args, "")
    text = table(rows, args)
    serve_bench.write_result("readership.md", text)


if __name__ == "__main__":
    main()
