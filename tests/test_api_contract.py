"""The content API keeps its word, on the demo site: its OpenAPI schema is valid, every address
answers in every edition as the schema says (openapi-core checks each answer), and the schema
recorded in docs/api/openapi-v1.json still holds: a field, a parameter or an address taken away
fails here (``make api-schema`` records what was added). Every kind in every edition is found by
its address and its other editions; an item of each kind made a draft, scheduled, trashed or
taken from the edition is neither listed nor found, and is named by removed/. (One module: the
demo site is loaded once for all of them.)"""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_spec_validator import validate

from nejat.publishing import Status
from tests.helpers.api import get, ids

pytestmark = [pytest.mark.django_db]

RECORDED = Path(__file__).resolve().parent.parent / "docs" / "api" / "openapi-v1.json"
EDITIONS = ("", "/fa", "/ar", "/sq")
ASKED = {  # what each address is asked besides its defaults
    "search": {"q": "the"},
    "removed": {"since": "2000-01-01T00:00:00+00:00"},
    "articles": {"limit": 3},
}


@pytest.fixture(autouse=True)
def no_limit(settings):
    settings.API_RATE_LIMIT = "100000/m"


def schema_of(prefix=""):
    return Client().get(f"{prefix}/api/v1/schema/").json()


def test_every_address_answers_as_its_schema_says_in_every_edition(demo_content):
    for prefix in EDITIONS:
        schema = schema_of(prefix)
        validate(schema)  # OpenAPI 3.1
        checker = OpenAPI.from_dict(schema)
        for path, operations in schema["paths"].items():
            name = operations["get"]["operationId"]
            if name in ("openapi-json", "openapi-view", "oembed"):  # (oembed: below)
                continue
            for address, params in addresses(path, name, prefix):
                response = Client().get(address, params)
                assert response.status_code == 200, address
                checker.validate_response(
                    DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
                )


def addresses(path, name, prefix):
    """Each address to ask: an item's with the id of its list's first item."""
    if "{pk}" not in path:
        yield path, ASKED.get(name, {})
        return
    listed = Client().get(path.rsplit("{pk}", 1)[0], {"limit": 1}).json()["items"]
    for item in listed:
        yield path.replace("{pk}", str(item["id"])), {}


def test_oembed_answers_as_its_schema_says(demo_content):
    schema = schema_of()
    checker = OpenAPI.from_dict(schema)
    for kind in ("articles", "videos"):
        page = Client().get(f"/api/v1/{kind}/", {"limit": 1}).json()["items"][0]["url"]
        response = Client().get("/api/v1/oembed/", {"url": page})
        assert response.status_code == 200
        checker.validate_response(
            DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
        )


def test_nothing_recorded_has_gone_and_the_record_is_current(db):
    recorded, live = json.loads(RECORDED.read_text()), schema_of()
    gone = sorted(missing(recorded, live))
    assert not gone, f"Taken from the API (clients depend on them): {gone}"
    added = sorted(missing(live, recorded))
    assert not added, f"New in the API: run `make api-schema` to record {added}"


def missing(old, new):
    """What ``old`` names that ``new`` does not: addresses, their parameters, fields."""
    for path, operations in old["paths"].items():
        if path not in new["paths"]:
            yield f"address {path}"
            continue
        have = {param["name"] for param in new["paths"][path]["get"].get("parameters", [])}
        for param in operations["get"].get("parameters", []):
            if param["name"] not in have:
                yield f"parameter {param['name']} of {path}"
    for name, component in old["components"]["schemas"].items():
        fields = new["components"]["schemas"].get(name, {}).get("properties", {})
        for field in component.get("properties", {}):
            if field not in fields:
                yield f"field {name}.{field}"


def test_every_edition_lists_every_kind_and_each_item(demo_content):
    for prefix in ("", "/fa", "/ar", "/sq"):
        response, index = get(f"{prefix}/api/v1/")
        assert response.status_code == 200, prefix
        assert index["direction"] == ("rtl" if prefix in ("/fa", "/ar") else "ltr")
        for kind in index["kinds"]:
            response, page = get(kind["url"])
            assert response.status_code == 200, kind
            for item in page["items"]:
                assert item["type"] == kind["type"] and item["edition"] == index["edition"]
                detail_response, detail = get(item["api_url"])
                assert detail_response.status_code == 200
                assert detail == item
                for other in item["editions"]:  # the same item in its other editions
                    assert get(other["api_url"])[1]["edition"] == other["edition"]


@pytest.mark.dates  # (a publish time tomorrow)
def test_nothing_readers_cannot_see_is_listed_or_found(demo_content):
    """For each kind, one public item made a draft, one scheduled, one in the trash, one with
    its title taken from the edition: none is listed or found, and each is in removed/."""
    started = timezone.now()
    _index_response, index = get("/api/v1/")
    for kind in index["kinds"]:
        listed = get(kind["url"], limit=100)[1]["items"]
        if len(listed) < 4:
            continue
        hidden = []
        for item, change in zip(listed, ("draft", "scheduled", "trash", "edition"), strict=False):
            hidden.append((item, change))
            found = model_of(kind["type"]).objects.get(pk=item["id"])
            if change == "draft":
                found.status = Status.DRAFT
            elif change == "scheduled":
                found.publish_at = timezone.now() + timedelta(days=1)
            elif change == "edition":
                found.title_en = ""
            if change == "trash":
                found.move_to_trash()
            else:
                found.save()
        after = ids(get(kind["url"], limit=100)[1])
        removed = get("/api/v1/removed/", since=started.isoformat(), limit=1000)[1]["items"]
        for item, change in hidden:
            assert item["id"] not in after, (kind, change)
            assert get(item["api_url"])[0].status_code == 404, (kind, change)
            assert {"type": item["type"], "id": item["id"]} in [
                {"type": gone["type"], "id": gone["id"]} for gone in removed
            ], (kind, change)


def model_of(type_name):
    from api import kinds

    return next(kind.model for kind in kinds.KINDS if kind.type == type_name)
