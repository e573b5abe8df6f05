"""Real services for the tests that need them, each on a free loopback port, stopped by its PID.

``running_redis()``, ``running_s3()``, ``running_smtp()`` and ``running_postgres()`` are context
managers (the cluster test starts them too); the fixtures below wrap them.
"""

import contextlib
import json
import mailbox
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import boto3
import psycopg
import pytest
import redis

from config.settings import s3_media_backend

# Any key will do for moto; the same names reach the app servers of the cluster test.
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret"}
S3_REGION = "us-east-1"


REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# Debian's libnginx-mod-http-cache-purge (.ci/run installs it): nginx's PURGE.
CACHE_PURGE_MODULE = "/usr/lib/nginx/modules/ngx_http_cache_purge_module.so"


def require_program(path, package):
    """Skip the test when Debian's ``package`` is not installed (``path`` is missing), naming
    it; in CI (``CI`` set), where .ci/run installs it, fail instead."""
    if Path(path).exists():
        return
    message = f"{path} is missing: this test needs Debian's {package} (apt-get install {package})"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; .ci/run installs it")
    pytest.skip(message)


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


def within_a_moment(get, shows, seconds=2):
    """``get()`` until what it returns ``shows`` what is expected, for at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while not shows(answer := get()):
        assert time.monotonic() < deadline, f"not shown within {seconds} s"
        time.sleep(0.05)
    return answer


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
    require_program(REDIS_SERVER, "redis-server")
    port = free_port()
    server = subprocess.Popen(
        [
            REDIS_SERVER,
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


class SmtpServer:
    """aiosmtpd (from PyPI) on a loopback port, keeping what it receives in a Maildir."""

    def __init__(self, port, directory):
        self.port, self.maildir = port, mailbox.Maildir(directory)

    def received(self):
        return [message for _, message in sorted(self.maildir.items())]


@contextlib.contextmanager
def running_smtp(directory):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Mailbox", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def answers():
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", port)) == 0

    try:
        wait_until(answers, server, "aiosmtpd", timeout=20)
        yield SmtpServer(port, directory)
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
    """What the docs ask of a media bucket (docs/operations/many-servers.md): anyone may read
    an object, nobody may list."""
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def new_bucket(endpoint):
    """A fresh bucket on the server, readable by everyone as the docs set one up; its name."""
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = s3_client(endpoint)
    client.create_bucket(Bucket=name)
    client.put_bucket_policy(Bucket=name, Policy=public_read_policy(name))
    return name


def bucket_keys(endpoint, bucket):
    pages = s3_client(endpoint).get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {item["Key"] for page in pages for item in page.get("Contents", [])}


class PostgresOverTcp:
    """PostgreSQL 16 on a loopback TCP port, as DATABASE_URL reaches a real server: the embedded
    server's own binaries (the pgserver wheel), so nothing else need be installed. It can be
    stopped and started again on the same port and data (the cluster test restarts it)."""

    def __init__(self, directory):
        import pgserver.utils  # heavy, and only the cluster test needs it

        self.bin = Path(pgserver.__file__).parent / "pginstall" / "bin"
        self.data = directory / "pgdata"
        self.log = directory / "postgres.log"
        self.port = free_port()
        self.process = None
        # postgres refuses to run as root; pgserver runs it as its own user then, so do we.
        self.user = "pgserver" if os.geteuid() == 0 else None
        if self.user:
            pgserver.utils.ensure_user_exists(self.user)
            shutil.chown(directory, self.user)
        subprocess.run(
            [self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8"],
            user=self.user, check=True, capture_output=True,
        )  # fmt: skip
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def start(self):
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [self.bin / "postgres", "-D", self.data, "-p", str(self.port),
                 "-h", "127.0.0.1", "-k", self.data],
                user=self.user, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_until(self.answers, self.process, "PostgreSQL", timeout=30)

    def answers(self):
        try:
            psycopg.connect(self.url, connect_timeout=1).close()
            return True
        except psycopg.OperationalError:
            return False

    def stop(self):
        """A fast shutdown (SIGINT): sessions are ended, as on a restart for an upgrade."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=30)


@contextlib.contextmanager
def running_postgres(directory):
    server = PostgresOverTcp(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()


ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def running_nginx(directory, app_servers, var_dir, purge_port=None):
    """deploy/nginx/nejat.conf as the docs have it installed, on loopback: ``app_servers``
    ("127.0.0.1:port") in its upstream, static and media from ``var_dir``, a certificate of
    its own, its page cache in ``directory`` and its purge listener on ``purge_port`` (one of its
    own by default). Yields
    ``{"http": port, "https": port, "purge": "http://127.0.0.1:port", "directory": …}``."""
    require_program(NGINX, "nginx")
    require_program(CACHE_PURGE_MODULE, "libnginx-mod-http-cache-purge")
    subprocess.run(
        [shutil.which("openssl") or "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048",
         "-nodes", "-days", "1",
         "-subj", "/CN=nejat.example", "-keyout", str(directory / "key.pem"),
         "-out", str(directory / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    http_port, https_port = free_port(), free_port()
    purge_port = purge_port or free_port()
    site = (ROOT / "deploy" / "nginx" / "nejat.conf").read_text()
    site = re.sub(  # the one app server becomes these
        r"^( +server )127\.0\.0\.1:8000(.*)$",
        lambda line: "\n".join(f"{line[1]}{address}{line[2]}" for address in app_servers),
        site,
        flags=re.MULTILINE,
    )
    for old, new in {
        "/srv/nejat/var": str(var_dir),
        "/var/cache/nginx/nejat": str(directory / "pages"),
        "listen 127.0.0.1:8079;": f"listen 127.0.0.1:{purge_port};",
        "/etc/letsencrypt/live/nejat.example/fullchain.pem": str(directory / "cert.pem"),
        "/etc/letsencrypt/live/nejat.example/privkey.pem": str(directory / "key.pem"),
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen 80 default_server;": f"listen 127.0.0.1:{http_port} default_server;",
        "listen 443 ssl http2 default_server;": (
            f"listen 127.0.0.1:{https_port} ssl http2 default_server;"
        ),
    }.items():
        assert old in site, old
        site = site.replace(old, new)
    site = "\n".join(line for line in site.splitlines() if "[::]" not in line)
    (directory / "site.conf").write_text(site)
    user = "user root;" if os.getuid() == 0 else ""
    (directory / "nginx.conf").write_text(
        f"{user}\nload_module {CACHE_PURGE_MODULE};\nworker_processes 1;\n"
        f"pid {directory}/nginx.pid;\nerror_log {directory}/error.log;\nevents {{}}\n"
        f"http {{ include /etc/nginx/mime.types; access_log off;"
        f" client_body_temp_path {directory}/body; proxy_temp_path {directory}/proxy;"
        f" include {directory}/site.conf; }}\n"
    )
    command = [NGINX, "-p", str(directory), "-c", str(directory / "nginx.conf")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    subprocess.run(command, check=True)
    pid_file = directory / "nginx.pid"
    try:
        deadline = time.monotonic() + 10
        while not pid_file.exists():
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.05)
        yield {
            "http": http_port,
            "https": https_port,
            "purge": f"http://127.0.0.1:{purge_port}",
            "directory": directory,
        }
    finally:
        if pid_file.exists():
            os.kill(int(pid_file.read_text()), signal.SIGQUIT)


def fetch(url, **headers):
    """(status, headers, body) of a GET through nginx as nejat.example (its own certificate
    trusted; redirects not followed)."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    request = urllib.request.Request(url, headers={"Host": "nejat.example", **headers})  # noqa: S310
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def redis_url(tmp_path):
    """A redis-server of the test's own."""
    with running_redis(tmp_path) as url:
        yield url


@pytest.fixture
def smtp_server(tmp_path):
    """A real SMTP server of the test's own; ``.received()`` is what it took, oldest first."""
    with running_smtp(tmp_path / "maildir") as server:
        yield server


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """One S3 server for the test session (it takes a second to start); buckets are per test."""
    with running_s3(tmp_path_factory.mktemp("moto") / "moto.log") as endpoint:
        yield endpoint


@pytest.fixture
def s3_media(settings, monkeypatch, s3_endpoint):
    """The site's media on a fresh bucket of the S3 server, configured as production does it
    (``MEDIA_STORAGE=s3``: config/settings.py). Yields ``(endpoint, bucket)``."""
    bucket = new_bucket(s3_endpoint)
    for name, value in S3_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": s3_media_backend(bucket, s3_endpoint)}
    settings.MEDIA_URL = f"{s3_endpoint}/{bucket}/"
    settings.SERVE_MEDIA = False
    yield s3_endpoint, bucket
