import os
import signal
import time
import warnings
from pathlib import Path

from django.db.backends.postgresql import base as postgresql

_servers = {}


def ensure_server(pgdata, database, fresh=False):
    """Start (or join) the embedded server for ``pgdata``; create ``database`` once.

    ``fresh``: start it again if it has stopped meanwhile (the production watchdog)."""
    pgdata = Path(pgdata)
    if fresh and pgdata in _servers:
        _servers[pgdata].ensure_postgres_running()
    if pgdata not in _servers:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers): harmless here.
            warnings.simplefilter("ignore")
            import pgserver  # heavy: imported only when the embedded server is used

        pgdata.parent.mkdir(parents=True, exist_ok=True)
        # cleanup_mode=None: this process never stops the server on exit; see stop_server().
        server = pgserver.get_server(pgdata, cleanup_mode=None)
        # ``database`` comes from settings, never from a request.
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
        if "(1 row)" not in exists:
            server.psql(f'CREATE DATABASE "{database}";')
        _servers[pgdata] = server
    return _servers[pgdata]


def running_server_pid(pgdata):
    """The postmaster's pid if a server runs on ``pgdata`` (read from postmaster.pid), else None."""
    try:
        pid = int((Path(pgdata) / "postmaster.pid").read_text().split()[0])
    except (FileNotFoundError, ValueError, IndexError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # it exists, owned by another user
    return pid


def stop_server(pgdata, timeout=30):
    """Stop the server on ``pgdata`` with PostgreSQL's fast shutdown (SIGINT)."""
    pid = running_server_pid(pgdata)
    if pid is None:
        return False
    os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + timeout
    while running_server_pid(pgdata) and time.monotonic() < deadline:
        time.sleep(0.1)
    _servers.pop(Path(pgdata), None)
    return running_server_pid(pgdata) is None


# Set by `serve --production` for its web server: its watchdog, not a request, starts the server.
WATCHED = "NEJAT_EMBEDDED_DB_WATCHED"


def ready_socket_dir(pgdata):
    """The socket directory of a server on ``pgdata`` that accepts connections, else None.

    Read from ``postmaster.pid`` (line 5: the socket directory, line 8: the status), without
    starting anything."""
    if running_server_pid(pgdata) is None:
        return None
    try:
        lines = (Path(pgdata) / "postmaster.pid").read_text().splitlines()
    except FileNotFoundError:
        return None
    ready = len(lines) >= 8 and lines[7].strip() == "ready"
    return lines[4].strip() if ready else None


class DatabaseWrapper(postgresql.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if os.environ.get(WATCHED):
            socket_dir = ready_socket_dir(self.settings_dict["PGDATA"])
            if socket_dir is None:
                # Readers get the 503 page (nejat.delivery.views.server_error) until the watchdog
                # has started the server again; a request never starts it.
                raise self.Database.OperationalError("The embedded database is restarting.")
            params["host"] = socket_dir
            return params
        # PROJECT_DATABASE stays the project's database while tests switch NAME to test_<name>.
        server = ensure_server(self.settings_dict["PGDATA"], self.settings_dict["PROJECT_DATABASE"])
        # The socket lives in PGDATA unless that path is too long for a Unix socket.
        params["host"] = str(server.get_postmaster_info().socket_dir)
        return params
