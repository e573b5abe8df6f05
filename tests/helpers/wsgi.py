"""Requests to the WSGI application itself (``config.wsgi``), as granian hands them over: through
the doors that answer before Django builds a request (kept pages, beacons), and on to Django
for the rest."""

import io
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@dataclass
class Answer:
    status: str  # "204 No Content"
    headers: dict
    content: bytes

    @property
    def status_code(self):
        return int(self.status.split()[0])


def call(method, path, body=b"", environ=None, **headers):
    """``headers`` by name (``Accept_Encoding="gzip"``); ``environ`` adds WSGI keys as a test
    client's ``defaults`` hold them (``REMOTE_ADDR``, ``HTTP_ORIGIN``)."""
    from config.wsgi import application

    environ = {
        "REQUEST_METHOD": method,
        # As a server hands it over: the percent-decoded bytes, as Latin-1 text (PEP 3333).
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        **(environ or {}),
        **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()},
    }
    if body:
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.setdefault("CONTENT_TYPE", "application/x-www-form-urlencoded")
    answered = {}

    def start_response(status, response_headers, exc_info=None):
        answered.update(status=status, headers=dict(response_headers))

    # As Django's test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        content = b"".join(application(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return Answer(answered["status"], answered["headers"], content)
