"""Error reports and log lines (docs/operations/monitoring.md): sentry-sdk is loaded only with
SENTRY_DSN, and LOG_FORMAT=json writes one JSON object a line. The production server sending
both for real: tests/test_monitoring_in_production.py."""

import io
import json
import logging
import subprocess
import sys

import pytest

from nejat.ops.log_format import JsonFormatter
from nejat.ops.request_log import RequestIdFilter, current_request_id
from tests.helpers.servers import ROOT

SETUP = "import django, sys; django.setup(); import sentry_sdk; print(sentry_sdk.is_initialized())"


def python(code, **env):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PATH": "/usr/bin:/bin",
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )


def test_sentry_is_loaded_only_with_a_dsn():
    without = python("import django, sys; django.setup(); print('sentry_sdk' in sys.modules)")
    assert without.stdout.split() == ["False"], without.stderr
    # A port nothing listens on: nothing is sent before an error, and none happens.
    dsn = "http://key@127.0.0.1:9/1"
    assert python(SETUP, SENTRY_DSN=dsn).stdout.split() == ["True"]


@pytest.mark.parametrize("wrong", ["xml", "JSON "])
def test_an_unknown_log_format_stops_the_site_at_start(wrong):
    started = python("import config.settings", LOG_FORMAT=wrong)
    assert started.returncode != 0 and "LOG_FORMAT" in started.stderr.splitlines()[-1]


def test_a_json_line_has_the_fields_the_request_id_and_the_traceback():
    logger = logging.getLogger("nejat.tests.json")
    handler = logging.StreamHandler(stream := io.StringIO())
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    token = current_request_id.set("json-unit-0001")
    try:
        try:
            1 / 0  # noqa: B018
        except ZeroDivisionError:
            logger.exception("گزارش %s failed", "renditions", extra={"job": 7})
    finally:
        current_request_id.reset(token)
        logger.removeHandler(handler)
    (text,) = stream.getvalue().splitlines()
    line = json.loads(text)
    assert line["message"] == "گزارش renditions failed" and "گزارش" in text  # as written
    assert line["level"] == "ERROR" and line["logger"] == "nejat.tests.json"
    assert line["request_id"] == "json-unit-0001" and line["job"] == 7
    assert "ZeroDivisionError" in line["exception"]
    assert set(line) == {"time", "level", "logger", "message", "request_id", "job", "exception"}


def test_an_error_report_carries_the_id_of_its_request():
    from nejat.ops.errors import with_request_id
    from nejat.ops.request_log import current_request_id

    assert with_request_id({"message": "outside a request"}, {}) == {"message": "outside a request"}
    token = current_request_id.set("0123456789abcdef")
    try:
        event = with_request_id({"tags": {"kind": "x"}}, {})
    finally:
        current_request_id.reset(token)
    assert event["tags"] == {"kind": "x", "request_id": "0123456789abcdef"}
