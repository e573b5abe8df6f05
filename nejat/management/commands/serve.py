import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from nejat.db.embedded.base import running_server_pid, stop_server


def _interrupt(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = (
        "What `make run` runs: migrate, load the demo content once, make sure an admin exists, "
        "serve with runserver; on Ctrl-C or SIGTERM stop the web server and the embedded database."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, addrport, **options):
        # Also when started in the background, where SIGINT is ignored by default.
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)
        pgdata = settings.DATABASES["default"].get("PGDATA")
        server = None
        try:
            call_command("migrate", interactive=False, verbosity=1)
            call_command("load_demo")
            call_command("make_renditions")  # whatever a stopped run left pending
            call_command("sweep_uploads")  # files replaced or deleted a day ago or more
            call_command("ensure_admin")
            connections.close_all()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Serving on http://{addrport}/ (admin: /admin/). "
                    "Ctrl-C stops the site and its database."
                ),
            )
            self.stdout.flush()
            # runserver (and its autoreloader child) in a process group of their own, so that
            # stopping this command stops both however the signal arrived.
            server = subprocess.Popen(  # noqa: S603
                [sys.executable, str(settings.BASE_DIR / "manage.py"), "runserver", addrport],
                process_group=0,
            )
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            # Cleaning up is not interrupted: a second Ctrl-C, or a web server that is already
            # gone, must not skip stopping the database.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            try:
                if server is not None:
                    stop_process_group(server)
            finally:
                connections.close_all()
                if pgdata and running_server_pid(pgdata):
                    stop_server(pgdata)
                    self.stdout.write("Embedded database stopped; `make run` finds its data again.")


def stop_process_group(process, timeout=10):
    """Stop ``process`` and its children; nothing to do when they have already exited."""
    try:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        process.wait()  # already gone: reap it
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
