"""What a load balancer and an operator rely on (#16): /healthz without the database, /readyz
checking each shared service with a timeout, and a request id in the header and every log line."""

import json
import logging
import re

import pytest
from django.test import Client

from tests.helpers.services import free_port

pytestmark = pytest.mark.django_db


def test_alive_without_touching_the_database_or_asking_for_https(
    settings, django_assert_num_queries
):
    settings.SECURE_SSL_REDIRECT = True  # balancers check over plain HTTP, by IP address
    with django_assert_num_queries(0):
        response = Client().get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store" and "Set-Cookie" not in response


def test_ready_when_database_cache_and_media_answer():
    response = Client().get("/readyz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "cache": "ok", "media": "ok"}


def test_not_ready_names_what_failed(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        },
    }
    response = Client().get("/readyz")
    answer = json.loads(response.content)
    assert response.status_code == 503
    assert answer["database"] == "ok" and answer["media"] == "ok"
    assert answer["cache"] != "ok"


def test_every_request_has_an_id_in_its_header_and_its_log_lines(caplog, article_factory):
    article = article_factory(title_fa="گزارش", body_fa="<p>متن.</p>")
    with caplog.at_level(logging.INFO, logger="nejat.requests"):
        response = Client().get(article.url_in("fa"))
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    (line,) = [r for r in caplog.records if r.name == "nejat.requests"]
    assert line.request_id == request_id
    assert re.fullmatch(r"GET /fa/articles/\S+ 200 [\d.]+ms fa", line.getMessage())


def test_the_proxys_id_is_kept_and_a_strange_one_replaced():
    kept = Client().get("/", HTTP_X_REQUEST_ID="nginx-5f2a9c01")
    assert kept["X-Request-ID"] == "nginx-5f2a9c01"
    replaced = Client().get("/", HTTP_X_REQUEST_ID="<script>")
    assert re.fullmatch(r"[0-9a-f]{32}", replaced["X-Request-ID"])


def test_a_warning_written_during_a_request_carries_its_id(caplog):
    with caplog.at_level(logging.WARNING):
        response = Client().get("/no-such-page/")
    assert response.status_code == 404
    warnings = [r for r in caplog.records if r.name == "django.request"]
    assert warnings and warnings[0].request_id == response["X-Request-ID"]


def test_the_error_page_gives_the_reader_a_reference_to_quote(monkeypatch, caplog):
    from articles.views import ArticleListView

    def broken(self):
        raise RuntimeError("a bug")

    monkeypatch.setattr(ArticleListView, "get_queryset", broken)
    response = Client(raise_request_exception=False).get("/fa/articles/")
    assert response.status_code == 500
    reference = response["X-Request-ID"]
    assert f"<bdi>{reference}</bdi>" in response.content.decode()
    (error,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert error.request_id == reference  # the traceback's line, found by the reference
