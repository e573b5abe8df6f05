"""The site started as `make run` and `make serve` start it, in processes of its own: where the
repository is, waiting for its home page, and the production command with its environment.
A free port comes from tests/helpers/services.py (``free_port``)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def wait_for_home(port, process, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.5)
    raise AssertionError("the site did not answer")


def port_is_closed(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-test-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
}


def environment_for(var, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    environment.update(PRODUCTION, NEJAT_VAR_DIR=str(var), PYTHONUNBUFFERED="1", **env)
    return environment


def start(var, port, workers=2, **env):
    """The production command with two processes (``workers``), its output (access log included) in
    ``var/serve.log``: a pipe nobody reads would fill up and stall the server."""
    with (var / "serve.log").open("w") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "serve",
                "--production",
                f"127.0.0.1:{port}",
                f"-w{workers}",
            ],
            cwd=ROOT,
            env=environment_for(var, **env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
