"""The content API on the demo site (#39): every kind in every edition, each item found by its
address and its other editions; an item of each kind made a draft, scheduled, trashed or taken
from the edition is neither listed nor found, and is named by removed/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from nejat.publishing import Status
from tests.helpers.api import get, ids

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture(autouse=True)
def no_limit(settings):
    settings.API_RATE_LIMIT = "100000/m"


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
