"""Real services for the tests that need them, each on a free loopback port, stopped by its PID.

``running_redis()`` and ``running_s3()`` are context managers (the cluster test starts them too);
the fixtures below wrap them.
"""

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import boto3
import pytest
import redis

from nejat.settings import s3_media_backend

# Any key will do for moto; the same names reach the app servers of the cluster test.
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret"}
S3_REGION = "us-east-1"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(ready, process, what, timeout=20):
    """Poll ``ready()`` until it is true; fail at once if ``process`` died."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, f"{what} exited with {process.returncode}"
        assert time.monotonic() < deadline, f"{what} did not start in {timeout} s"
        time.sleep(0.05)


def stop(process):
    """Stop by PID: SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def running_redis(directory):
    """A redis-server (Debian's package) with nothing saved to disk; yields its URL."""
    port = free_port()
    server = subprocess.Popen(
        [
            shutil.which("redis-server") or "/usr/bin/redis-server",
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(directory),
        ],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"

    def answers():
        try:
            return redis.Redis.from_url(url).ping()
        except redis.ConnectionError:
            return False

    try:
        wait_until(answers, server, "redis-server", timeout=10)
        yield url
    finally:
        stop(server)


@contextlib.contextmanager
def running_s3(log_path):
    """moto's S3-compatible server (``moto[server]`` from PyPI); yields its endpoint URL.

    The site talks to it with the same boto3 client as to a real store: nothing is mocked
    inside the process under test.
    """
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def answers():
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):  # noqa: S310
                return True
        except (urllib.error.URLError, OSError):
            return False

    try:
        wait_until(answers, server, "moto's S3 server", timeout=30)
        yield endpoint
    finally:
        stop(server)


def s3_client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3_REGION,
        aws_access_key_id=S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def public_read_policy(bucket):
    """What the README asks of a media bucket: anyone may read an object, nobody may list."""
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def new_bucket(endpoint):
    """A fresh bucket on the server, readable by everyone as the README sets one up; its name."""
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = s3_client(endpoint)
    client.create_bucket(Bucket=name)
    client.put_bucket_policy(Bucket=name, Policy=public_read_policy(name))
    return name


def bucket_keys(endpoint, bucket):
    pages = s3_client(endpoint).get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {item["Key"] for page in pages for item in page.get("Contents", [])}


@pytest.fixture
def redis_url(tmp_path):
    """A redis-server of the test's own."""
    with running_redis(tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """One S3 server for the test session (it takes a second to start); buckets are per test."""
    with running_s3(tmp_path_factory.mktemp("moto") / "moto.log") as endpoint:
        yield endpoint


@pytest.fixture
def s3_media(settings, monkeypatch, s3_endpoint):
    """The site's media on a fresh bucket of the S3 server, configured as production does it
    (``MEDIA_STORAGE=s3``: nejat/settings.py). Yields ``(endpoint, bucket)``."""
    bucket = new_bucket(s3_endpoint)
    for name, value in S3_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": s3_media_backend(bucket, s3_endpoint)}
    settings.MEDIA_URL = f"{s3_endpoint}/{bucket}/"
    settings.SERVE_MEDIA = False
    yield s3_endpoint, bucket
