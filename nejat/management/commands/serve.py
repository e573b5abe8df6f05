import io
import os
import shutil
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands.runserver import naiveip_re
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from nejat.ops import metrics
from nejat.ops.db.embedded.base import WATCHED, ensure_server, running_server_pid, stop_server
from nejat.ops.processes import DIE_WITH_PARENT, preexec_dying_with

WATCH_EVERY_SECONDS = 1
# How long granian's workers may finish their requests on SIGTERM; this command waits a little
# longer before it kills what is left (systemd's TimeoutStopSec in deploy/ is longer still).
GRACEFUL_SECONDS = 20


def _interrupt(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = (
        "`make run`: migrate, load the demo content once, make sure an admin exists, serve with "
        "runserver. `--production` (`make serve`): refuse an unsafe configuration, migrate "
        "(unless --no-migrate, as deploy/systemd runs it), "
        "compile translations, collect static files, serve with granian and keep the embedded "
        "database running. Ctrl-C or SIGTERM stops the web server and the embedded database."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--production", action="store_true")
        parser.add_argument(
            "--no-migrate",
            dest="migrate",
            action="store_false",
            help="do not migrate at start (production: `manage.py migrate` is a step of the "
            "deploy, run once); refuse to start if a migration is not applied",
        )
        parser.add_argument(
            "--no-worker",
            dest="job_worker",
            action="store_false",
            help="start no job-queue worker beside the web server (workers run elsewhere: "
            "`manage.py procrastinate worker`, deploy/systemd/nejat-worker.service)",
        )
        parser.add_argument(
            "-w",
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_WORKERS", 0)) or None,
            help="granian worker processes (WEB_WORKERS; default: one per core with a shared "
            "cache (REDIS_URL), else one)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("WEB_THREADS", 2)),
            help="threads running Django in each worker (WEB_THREADS; default 2), so that one "
            "slow request does not hold up a worker's others",
        )

    def handle(
        self,
        addrport,
        production=False,
        workers=None,
        threads=2,
        migrate=True,
        job_worker=True,
        **options,
    ):
        host, port = host_and_port(addrport)
        if production:
            refuse_unsafe_configuration()
            workers = worker_count(workers)
        # Also when started in the background, where SIGINT is ignored by default.
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)
        pgdata = settings.DATABASES["default"].get("PGDATA")
        server, stop_with, job_workers, metrics_dir = None, signal.SIGINT, [], None
        first_admin = io.StringIO()
        try:
            if migrate:
                call_command("migrate", interactive=False, verbosity=1)
            else:
                refuse_an_unmigrated_database()
            if production:
                call_command("compile_translations")
                call_command("collectstatic", interactive=False, verbosity=0)
            else:
                call_command("load_demo")
                # A new admin's one-time password is shown under "Serving on" and again at the
                # stop, not above the start-up lines that would scroll it away.
                call_command("ensure_admin", stdout=first_admin)
                if not settings.TWO_FACTOR_REQUIRED:
                    self.stdout.write(
                        "Two-step sign-in is not asked on this local site "
                        "(TWO_FACTOR_REQUIRED=1 make run asks it, as production does)."
                    )
            connections.close_all()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Serving on http://{addrport}/ (admin: /admin/). "
                    "Ctrl-C stops the site and its database."
                ),
            )
            self.stdout.write(first_admin.getvalue(), ending="")
            self.stdout.flush()
            # The web server (and its children) in a process group of its own, so that
            # stopping this command stops them all however the signal arrived.
            command = granian(host, port, workers, threads) if production else runserver(addrport)
            # It ends with this command even when this command is killed (nejat/ops/processes.py).
            environment = {**os.environ, DIE_WITH_PARENT: "1"}
            environment.pop(metrics.MULTIPROCESS_DIR, None)
            web_environment = dict(environment)
            if production:
                environment[WATCHED] = "1"
                # granian's workers write their metrics in a fresh folder; /metrics adds them up.
                metrics_dir = metrics.fresh_directory()
                web_environment |= {WATCHED: "1", metrics.MULTIPROCESS_DIR: metrics_dir}
            server = start_child(command, web_environment)
            stop_with = signal.SIGTERM if production else signal.SIGINT  # each one's graceful stop
            # The job queue's worker beside it (nejat/ops/jobs.py), started again if it dies.
            job_workers = [start_child(worker_command(), environment)] if job_worker else []
            watch(server, job_workers, environment, pgdata, self.stdout, metrics_dir)
        except KeyboardInterrupt:
            pass
        finally:
            # Cleaning up is not interrupted: a second Ctrl-C, or a web server that is already
            # gone, must not skip stopping the database.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            try:
                for worker in job_workers:  # a job running is finished first (graceful)
                    stop_process_group(
                        worker, timeout=GRACEFUL_SECONDS + 5, first_signal=signal.SIGTERM
                    )
                if server is not None:
                    stop_process_group(server, timeout=GRACEFUL_SECONDS + 5, first_signal=stop_with)
            finally:
                if metrics_dir:
                    shutil.rmtree(metrics_dir, ignore_errors=True)
                connections.close_all()
                if pgdata and running_server_pid(pgdata):
                    stop_server(pgdata)
                    self.stdout.write("Embedded database stopped; the next start finds its data.")
                self.stdout.write(first_admin.getvalue(), ending="")


def refuse_unsafe_configuration():
    """One line and no start when the configuration is not fit for the public."""
    if settings.DEBUG:
        raise CommandError("Refusing to serve in production with DEBUG=1: set DEBUG=0.")
    if not os.environ.get("SECRET_KEY"):
        raise CommandError("Refusing to serve in production without SECRET_KEY.")
    if not os.environ.get("ALLOWED_HOSTS"):
        raise CommandError("Refusing to serve in production without ALLOWED_HOSTS (host names).")


def refuse_an_unmigrated_database():
    """With --no-migrate: one line and no start while a migration is not applied (a release
    whose deploy skipped `manage.py migrate` would otherwise fail on its first request)."""
    executor = MigrationExecutor(connections["default"])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise CommandError(
            f"Refusing to serve: {len(plan)} migration(s) not applied "
            f"({plan[0][0].app_label}.{plan[0][0].name} first). Run `manage.py migrate` once "
            "(a step of the deploy), then start the servers."
        )


def host_and_port(addrport):
    """The address as runserver reads it ("8000", "0.0.0.0:8000", "[::1]:8000",
    "localhost:8000"), for granian: host without brackets, port."""
    match = naiveip_re.fullmatch(addrport)
    if match is None:
        raise CommandError(f'"{addrport}" is not a port number or an address:port pair.')
    return (match["ipv6"] or "").strip("[]") or match["addr"] or "127.0.0.1", int(match["port"])


def shares_its_cache():
    return settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache"


def worker_count(asked):
    """One per core when the processes share a cache (REDIS_URL), else one. The cache tags' versions
    are shared either way (``nejat.publishing.cache_tags``), so no page goes stale; but in a
    process's own memory each would keep its own copy of every page and count its own rate limits (a
    password reset's), letting a client through as many times as there are processes."""
    if shares_its_cache() or settings.PAGE_CACHE_SECONDS <= 0:
        return asked or os.cpu_count() or 1
    if asked and asked > 1:
        raise CommandError(
            f"Refusing to start {asked} processes without a shared cache: each would keep "
            "its own pages and rate limits. Set REDIS_URL, or WEB_WORKERS=1."
        )
    return 1


def runserver(addrport):
    return [sys.executable, str(settings.BASE_DIR / "manage.py"), "runserver", addrport]


def granian(host, port, workers, threads):
    """The production server: granian (HTTP in Rust, Django in its threads). Measured on our
    pages by ``make bench --compare-gunicorn``: the same CPU as gunicorn for a page Django
    renders, or less; for a page kept by the page cache 3.7 times gunicorn's requests per
    second, neither writing an access log (docs/development/benchmarks.md)."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface=wsgi",
        f"--host={host}",
        f"--port={port}",
        f"--workers={max(workers, 1)}",
        f"--blocking-threads={max(threads, 1)}",
        "--respawn-failed-workers",
        f"--workers-kill-timeout={GRACEFUL_SECONDS}",
        # nginx in front logs every request; granian's own log halves cached pages' throughput.
        "--access-log" if os.environ.get("WEB_ACCESS_LOG") == "1" else "--no-access-log",
        "config.wsgi:application",
    ]


def worker_command():
    """The job queue's worker: the queues WORKER_QUEUES names, else every queue
    (``nejat.ops.jobs``)."""
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "procrastinate", "worker"]
    if settings.WORKER_QUEUES:
        command += ["--queues", ",".join(settings.WORKER_QUEUES)]
    return command


def start_child(command, environment):
    """``command`` in a process group of its own, ending with this command however it ends."""
    return subprocess.Popen(  # noqa: S603
        command,
        process_group=0,
        env=environment,
        preexec_fn=preexec_dying_with(os.getpid()),
    )


def watch(server, workers, environment, pgdata, out, metrics_dir=None):
    """Until the web server exits: start the embedded database again whenever it has died
    (readers meanwhile get the 503 page, ``nejat.delivery.views.server_error``), and a job
    worker that has exited (what it was running is run again: ``nejat.ops.jobs``); forget the
    live gauges of web workers that died (``nejat.ops.metrics``). The periodic work (scheduled
    publications, sessions, sweeps) is the queue's, once per cluster."""
    while server.poll() is None:
        if metrics_dir:
            metrics.mark_dead_processes(metrics_dir)
        if pgdata and running_server_pid(pgdata) is None:
            out.write("The embedded database stopped; starting it again.")
            out.flush()
            ensure_server(pgdata, settings.DATABASES["default"]["PROJECT_DATABASE"], fresh=True)
        for number, worker in enumerate(workers):
            if worker.poll() is not None:
                out.write(f"The job worker exited ({worker.returncode}); starting it again.")
                out.flush()
                workers[number] = start_child(worker_command(), environment)
        time.sleep(WATCH_EVERY_SECONDS)


def stop_process_group(process, timeout=10, first_signal=signal.SIGINT):
    """Stop ``process`` and its children; nothing to do when they have already exited."""
    try:
        os.killpg(process.pid, first_signal)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        process.wait()  # already gone: reap it
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
