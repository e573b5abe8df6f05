"""A mailing to 100,000 subscribers: `make bench` runs it last (not part of the test suite).

    .venv/bin/python bench/mailing_bench.py [--subscribers 100000] [--workers 2]

On the bench's database (var/bench-serve-1000, made by bench/serve_bench.py): 100,000 invented
subscribers to the English weekly digest, a digest of five articles, an SMTP sink on loopback
(aiosmtpd's Sink: it takes each message and keeps nothing), and ``--workers`` job-queue worker
processes in production settings (DEBUG=0), each running one sender of the mailing
(MAILING_SENDERS). Measured: mails a second from the mailing's start to its end, the workers'
memory (RSS) sampled every second, and that every subscriber has exactly one delivery, sent.
Writes bench/results/mailing.md.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import serve_bench  # noqa: E402

PYTHON = sys.executable
DOMAIN = "bench.example"


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


def run(args):
    serve_bench.django_setup()
    from django.core.management import call_command
    from django.utils import timezone

    from articles.models import Article
    from subscriptions import sending
    from subscriptions.models import Delivery, Mailing, Subscriber, Subscription

    call_command("migrate", verbosity=0)
    Mailing.objects.filter(subject__startswith="Bench").delete()
    Subscriber.objects.filter(email__endswith=f"@{DOMAIN}").delete()
    now = timezone.now()
    for start in range(0, args.subscribers, 10_000):
        made = Subscriber.objects.bulk_create(
            Subscriber(email=f"reader{n}@{DOMAIN}", edition="en", confirmed_at=now)
            for n in range(start, min(start + 10_000, args.subscribers))
        )
        Subscription.objects.bulk_create(
            Subscription(subscriber=s, kind="digest", edition="en", confirmed_at=now) for s in made
        )
    Subscription.objects.exclude(subscriber__email__endswith=f"@{DOMAIN}").delete()
    mailing = Mailing.objects.create(kind="digest", edition="en", subject="Bench: the week",
                                     introduction="Five stories.")  # fmt: skip
    mailing.articles.set(Article.objects.public("en")[:5])

    port = serve_bench.free_port()
    sink = subprocess.Popen(  # noqa: S603
        [PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c",
         "aiosmtpd.handlers.Sink"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(serve_bench.PRODUCTION, EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
               EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(port), SITE_URL="https://nejat.example",
               MAILING_SENDERS=str(args.workers), LOG_LEVEL="WARNING")  # fmt: skip
    command = [PYTHON, "manage.py", "procrastinate", "worker", "--queues", "mailings"]
    workers = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,  # noqa: S603
                                stderr=subprocess.DEVNULL) for _ in range(args.workers)]  # fmt: skip
    samples = []
    try:
        time.sleep(3)
        began = time.monotonic()
        sending.start(mailing)
        while Mailing.objects.get(pk=mailing.pk).state != Mailing.State.SENT:
            assert time.monotonic() - began < 3600, "not sent within an hour"
            samples.append([round(rss_mb(w.pid), 1) for w in workers])
            time.sleep(1)
    finally:
        for process in (*workers, sink):
            process.terminate()
            process.wait(timeout=60)
    mailing.refresh_from_db()
    seconds = (mailing.finished_at - mailing.started_at).total_seconds()
    counts = sending.progress(mailing)
    per_address = Delivery.objects.filter(mailing=mailing).values("email").distinct().count()
    totals = [sum(sample) for sample in samples]
    warm = totals[min(10, len(totals) - 1)]
    print(json.dumps({
        "subscribers": args.subscribers, "workers": args.workers, "seconds": seconds,
        "rate": args.subscribers / seconds, "counts": counts, "addresses": per_address,
        "rss_after_10s": warm, "rss_peak": max(totals), "rss_end": totals[-1],
    }))  # fmt: skip


def table(result):
    c = result["counts"]
    sent = c["sent"] + c["handed"]
    lines = [
        f"# `make bench`: a mailing to {result['subscribers']:,} subscribers, 2 cores, "
        f"{time.strftime('%Y-%m-%d')}",
        "",
        f"{result['workers']} job-queue workers (DEBUG=0), one sender each, to an SMTP sink on "
        "loopback (aiosmtpd's Sink); the database is the bench's embedded PostgreSQL. Each mail "
        "is a weekly digest of five articles with the reader's own List-Unsubscribe and links.",
        "",
        "| mails | seconds | mails/s | sent | failed | addresses | workers' RSS after 10 s | "
        "peak | at the end |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {result['subscribers']} | {result['seconds']:.1f} | {result['rate']:.0f} | {sent} | "
        f"{c['failed']} | {result['addresses']} | {result['rss_after_10s']:.0f} MB | "
        f"{result['rss_peak']:.0f} MB | {result['rss_end']:.0f} MB |",
        "",
        "Targets: >= 200 mails/s; memory flat; every subscriber exactly one delivery.",
        "",
        f"- {'met' if result['rate'] >= 200 else 'NOT MET'}: >= 200 mails/s ({result['rate']:.0f})",
        f"- {'met' if result['rss_peak'] <= result['rss_after_10s'] * 1.2 else 'NOT MET'}: "
        f"memory flat (peak {result['rss_peak']:.0f} MB, {result['rss_after_10s']:.0f} MB "
        "after 10 s)",
        f"- {'met' if sent == result['subscribers'] == result['addresses'] else 'NOT MET'}: "
        f"one delivery each ({sent} sent, {result['addresses']} addresses)",
    ]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", nargs="?", default="report", choices=["report", "run"])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if args.command == "run":
        return run(args)
    arguments = [f"--subscribers={args.subscribers}", f"--workers={args.workers}"]
    result = serve_bench.run_on_bench_database(__file__, arguments, args.articles)
    serve_bench.write_result("mailing.md", table(result))


if __name__ == "__main__":
    main()
