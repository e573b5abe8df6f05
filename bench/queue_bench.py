"""The job queue at work: `make bench` runs it after the pages (not part of the test suite).

    .venv/bin/python bench/queue_bench.py [--photos 50] [--mails 500]

On the bench's database (var/bench-serve-1000, made by bench/serve_bench.py), in processes of
its own:

- **a gallery of 50 photos** uploaded in one ZIP through the admin's add form: how long the
  request takes with the renditions queued (the site's way) and encoded in the request (the old
  way), then how long one and two `procrastinate worker` processes take to encode what was
  queued: photos a second, and seconds from the upload's answer to the last photo's renditions;
- **mail**: the time a request spends queueing one mail, then one and two workers delivering
  them to an SMTP server on loopback (aiosmtpd): mails a second.

Prints a Markdown table and writes it to bench/results/queue.md. The requests run in Django's
test client inside the bench process (DEBUG=1 there, so that a superuser is let in without the
second step); the workers are real processes on the same database.
"""

import argparse
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ENCODE = "nejat.media.jobs.encode_renditions"
SEND = "nejat.ops.mail.send_email"


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def photos_zip(count):
    from nejat.ops.demo_files import demo_image

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(count):  # a camera's picture after the newsroom's resize: 2000 × 1333
            archive.writestr(f"photo-{n:02d}.jpg", demo_image(700 + n, size=(2000, 1333)).read())
    return buffer.getvalue()


def upload_gallery(client, archive, background):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import override_settings

    form = {
        "title_en": f"Bench album {time.time_ns()}",
        "status": "published",
        "publish_at_0": "2024-05-01",
        "publish_at_1": "10:00",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "photos_zip": SimpleUploadedFile("album.zip", archive, "application/zip"),
        "_save": "Save",
    }
    with override_settings(RENDITIONS_IN_BACKGROUND=background):
        started = time.perf_counter()
        answer = client.post("/admin/media_gallery/gallery/add/", form)
        took = time.perf_counter() - started
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return took, time.monotonic()


def statuses(task):
    from procrastinate.contrib.django.models import ProcrastinateJob

    return set(ProcrastinateJob.objects.filter(task_name=task).values_list("status", flat=True))


def drain(task, queue, workers, environment):
    """Start ``workers`` worker processes on ``queue``; seconds until no job of ``task`` waits."""
    started = time.monotonic()
    processes = [
        subprocess.Popen(  # noqa: S603
            [PYTHON, "manage.py", "procrastinate", "worker", "--queues", queue],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    try:
        while statuses(task) & {"todo", "doing"}:
            time.sleep(0.05)
        return time.monotonic(), time.monotonic() - started
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=60)


def forget(task):
    from procrastinate.contrib.django.models import ProcrastinateJob

    ProcrastinateJob.objects.filter(task_name=task).delete()


def run(args):
    django_setup()
    from django.contrib.auth import get_user_model
    from django.core.mail import EmailMessage
    from django.test import Client, override_settings

    from media_gallery.models import Gallery

    environment = {**os.environ, "LOG_LEVEL": "ERROR"}
    user, _ = get_user_model().objects.get_or_create(
        username="bench-queue", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    archive = photos_zip(args.photos)
    rows = []

    # The renditions: queued in the request, then encoded by one worker and by two.
    forget(ENCODE)
    inline, _ = upload_gallery(client, archive, background=False)
    for workers in (1, 2):
        queued, answered = upload_gallery(client, archive, background=True)
        finished, took = drain(ENCODE, "media", workers, environment)
        rows.append({
            "work": f"gallery of {args.photos} photos, {workers} worker{'s' * (workers > 1)}",
            "request_s": queued, "inline_s": inline, "jobs": args.photos,
            "jobs_per_s": args.photos / took, "last_s": finished - answered,
        })  # fmt: skip
        forget(ENCODE)
    Gallery.objects.filter(title_en__startswith="Bench album").delete()

    # Mail: queued by a request's code, delivered by SMTP to aiosmtpd on loopback.
    folder = Path(tempfile.mkdtemp(prefix="nejat-bench-mail-"))
    port = free_port()
    smtp = subprocess.Popen(  # noqa: S603
        [PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Mailbox", str(folder / "maildir")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    mail_env = {**environment, "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}  # fmt: skip
    try:
        time.sleep(1)
        for workers in (1, 2):
            forget(SEND)
            with override_settings(EMAIL_BACKEND="nejat.ops.mail.QueuedEmailBackend"):
                started = time.perf_counter()
                for n in range(args.mails):
                    EmailMessage(f"Bench {n}", "A line.", to=[f"reader{n}@example.org"]).send()
                queueing = (time.perf_counter() - started) / args.mails
            finished, took = drain(SEND, "mail", workers, mail_env)
            rows.append({
                "work": f"{args.mails} mails, {workers} worker{'s' * (workers > 1)}",
                "request_s": queueing, "inline_s": None, "jobs": args.mails,
                "jobs_per_s": args.mails / took, "last_s": took,
            })  # fmt: skip
            assert statuses(SEND) == {"succeeded"}, statuses(SEND)
        forget(SEND)
    finally:
        smtp.terminate()
        smtp.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(rows))


def table(rows, args):
    lines = [
        f"# `make bench`: the job queue, {os.cpu_count()} cores, {date.today()}",
        "",
        f"A gallery of {args.photos} photos (2000 × 1333 JPEG, one ZIP) through the admin's add "
        "form; `request` is the request's time with the renditions queued, `inline` the same "
        "upload encoding them in the request. Mail: `request` is the time to queue one mail; "
        "workers deliver by SMTP to aiosmtpd on loopback. `done after` = from the answer to the "
        "last job done.",
        "",
        "| work | request | inline | jobs/s | done after |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        request = row["request_s"]
        shown = f"{request:.2f} s" if request >= 0.1 else f"{request * 1000:.2f} ms"
        inline = f"{row['inline_s']:.1f} s" if row["inline_s"] else "–"
        lines.append(
            f"| {row['work']} | {shown} | {inline} | {row['jobs_per_s']:.1f} | "
            f"{row['last_s']:.1f} s |"
        )
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", nargs="?", default="report", choices=["report", "run"])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--mails", type=int, default=500)
    args = parser.parse_args()
    if args.command == "run":
        return run(args)
    var = ROOT / "var" / f"bench-serve-{args.articles}"
    if not var.exists():
        raise SystemExit(f"{var} is made by bench/serve_bench.py (make bench) first")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(NEJAT_VAR_DIR=str(var), DEBUG="1")
    done = subprocess.run(  # noqa: S603
        [PYTHON, __file__, "run", f"--photos={args.photos}", f"--mails={args.mails}"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "embedded_db", "stop"], cwd=ROOT, env=env, capture_output=True
    )
    text = table(json.loads(done.stdout.strip().splitlines()[-1]), args)
    print(text)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "queue.md").write_text(text)


if __name__ == "__main__":
    main()
