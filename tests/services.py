"""Real services for the tests that need them, each on a free loopback port, stopped by its PID."""

import shutil
import subprocess
import time

import pytest
import redis

from tests.test_serve_lifecycle import free_port


@pytest.fixture
def redis_url(tmp_path):
    """A redis-server of the test's own (Debian's package), with nothing saved to disk."""
    port = free_port()
    server = subprocess.Popen(
        [
            shutil.which("redis-server") or "/usr/bin/redis-server",
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                assert server.poll() is None and time.monotonic() < deadline, "no redis-server"
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
