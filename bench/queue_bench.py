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
import contextlib
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
sys.path.insert(0, str(ROOT / "bench"))
import serve_bench  # noqa: E402

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
    from django.utils import timezone

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
    with override_settings(RENDITIONS_IN_BACKGROUND=background, ALLOWED_HOSTS=["testserver"]):
        started = time.perf_counter()
        answer = client.post("/admin/media_gallery/gallery/add/", form)
        took = time.perf_counter() - started
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return took, timezone.now()


@contextlib.contextmanager
def running_workers(queue, count, environment):
    """``count`` worker processes on ``queue``, running before the work arrives, as on a site."""
    command = [PYTHON, "manage.py", "procrastinate", "worker", "--queues", queue]
    processes = [
        subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(count)
    ]
    try:
        time.sleep(3)  # started and listening
        yield
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=60)


def finished(task, count, seconds=600):
    """When the last of ``count`` jobs of ``task`` succeeded, and jobs a second from the first
    start to the last end (the workers' events)."""
    from procrastinate.contrib.django.models import ProcrastinateEvent

    deadline = time.monotonic() + seconds
    events = ProcrastinateEvent.objects.filter(job__task_name=task)
    while events.filter(type="succeeded").count() < count:
        assert time.monotonic() < deadline, f"{task}: not done in {seconds} s"
        time.sleep(0.05)
    first = events.filter(type="started").earliest("at").at
    last = events.filter(type="succeeded").latest("at").at
    return last, count / (last - first).total_seconds()


def forget(task):
    from procrastinate.contrib.django.models import ProcrastinateJob

    ProcrastinateJob.objects.filter(task_name=task).delete()


def run(args):
    django_setup()
    from django.contrib.auth import get_user_model
    from django.core.mail import EmailMessage
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.utils import timezone

    from media_gallery.models import Gallery

    call_command("migrate", interactive=False, verbosity=0)  # a database built before the queue
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
        with running_workers("media", workers, environment):
            queued, answered = upload_gallery(client, archive, background=True)
            last, rate = finished(ENCODE, args.photos)
        rows.append({
            "work": f"gallery of {args.photos} photos, {workers} worker{'s' * (workers > 1)}",
            "request_s": queued, "inline_s": inline, "jobs_per_s": rate,
            "last_s": (last - answered).total_seconds(),
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
            with (
                running_workers("mail", workers, mail_env),
                override_settings(EMAIL_BACKEND="nejat.ops.mail.QueuedEmailBackend"),
            ):
                started = time.perf_counter()
                for n in range(args.mails):
                    EmailMessage(f"Bench {n}", "A line.", to=[f"reader{n}@example.org"]).send()
                queueing = (time.perf_counter() - started) / args.mails
                answered = timezone.now()
                last, rate = finished(SEND, args.mails)
            rows.append({
                "work": f"{args.mails} mails, {workers} worker{'s' * (workers > 1)}",
                "request_s": queueing, "inline_s": None, "jobs_per_s": rate,
                "last_s": (last - answered).total_seconds(),
            })  # fmt: skip
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
        "workers deliver by SMTP to aiosmtpd on loopback. Workers run before the work arrives; jobs/s "
        "= from the first job's start to the last one's end; `done after` = from the answer (the "
        "last mail queued) to the last job done.",
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
    result = serve_bench.run_on_bench_database(
        __file__, [f"--photos={args.photos}", f"--mails={args.mails}"], args.articles
    )
    serve_bench.write_result("queue.md", table(result, args))


if __name__ == "__main__":
    main()
