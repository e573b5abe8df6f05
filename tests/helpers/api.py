"""The content API as a client asks it (tests/test_api*.py)."""

from django.test import Client


def get(address, **params):
    """(response, its JSON or None)."""
    response = Client().get(address, params)
    json = response.json() if response["Content-Type"] == "application/json" else None
    return response, json


def ids(page):
    return [item["id"] for item in page["items"]]
