from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from nejat.ops.db.embedded.base import running_server_pid, stop_server


class Command(BaseCommand):
    help = "Start, stop or show the embedded PostgreSQL server (used when DATABASE_URL is unset)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["start", "stop", "status"])

    def handle(self, action, **options):
        database = settings.DATABASES["default"]
        if "PGDATA" not in database:
            raise CommandError("DATABASE_URL is set: there is no embedded server to manage.")
        pgdata = database["PGDATA"]
        if action == "start":
            connection.ensure_connection()
            connection.close()
        elif action == "stop":
            connection.close()
            stop_server(pgdata)
        pid = running_server_pid(pgdata)
        self.stdout.write(f"running (pid {pid}) in {pgdata}" if pid else f"stopped ({pgdata})")
