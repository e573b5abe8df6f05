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
        server = pgserver.get_server(pgdata, cleanup_mode="stop")
        # ``database`` comes from settings, never from a request.
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
        if "(1 row)" not in exists:
            server.psql(f'CREATE DATABASE "{database}";')
        _servers[pgdata] = server
    return _servers[pgdata]


class DatabaseWrapper(postgresql.DatabaseWrapper):
    def get_connection_params(self):
        # PROJECT_DATABASE stays the project's database while tests switch NAME to test_<name>.
        server = ensure_server(self.settings_dict["PGDATA"], self.settings_dict["PROJECT_DATABASE"])
        params = super().get_connection_params()
        # The socket lives in PGDATA unless that path is too long for a Unix socket.
        params["host"] = str(server.get_postmaster_info().socket_dir)
        return params
