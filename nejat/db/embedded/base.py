import os
import signal
import time
import warnings
from pathlib import Path

from django.db.backends.postgresql import base as postgresql

_servers = {}


def ensure_server(pgdata, database):
    """Start (or join) the embedded server for ``pgdata``; create ``database`` once."""
    pgdata = Path(pgdata)
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


class DatabaseWrapper(postgresql.DatabaseWrapper):
    def get_connection_params(self):
        # PROJECT_DATABASE stays the project's database while tests switch NAME to test_<name>.
        server = ensure_server(self.settings_dict["PGDATA"], self.settings_dict["PROJECT_DATABASE"])
        params = super().get_connection_params()
        # The socket lives in PGDATA unless that path is too long for a Unix socket.
        params["host"] = str(server.get_postmaster_info().socket_dir)
        return params
