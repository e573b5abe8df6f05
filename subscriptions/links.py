"""The signed links mailed to a subscriber: confirm (they expire), and manage or leave (they
do not: an unsubscribe link must work in a mail read a year later). Each carries the
subscriber's key, so a link to deleted data, or made before the key changed, is refused."""

import math
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from subscriptions.models import Subscriber

CONFIRM, MANAGE, LEAVE = "confirm", "manage", "leave"
URL_NAMES = {
    CONFIRM: "subscriptions:confirm",
    MANAGE: "subscriptions:manage",
    LEAVE: "subscriptions:unsubscribe",
}


class BadLink(Exception):
    """Expired, forged, or for data no longer kept."""


def token(subscriber, purpose, list_key=""):
    payload = {"s": subscriber.pk, "k": subscriber.key, "t": math.ceil(time.time() * 1000)}
    if list_key:
        payload["l"] = list_key
    return signing.dumps(payload, salt=f"subscriptions.{purpose}", compress=True)


def read(value, purpose):
    """(subscriber, list key or "", when the link was made) of a link's token; ``BadLink``
    otherwise."""
    max_age = settings.SUBSCRIPTIONS["CONFIRM_DAYS"] * 86400 if purpose == CONFIRM else None
    try:
        payload = signing.loads(value, salt=f"subscriptions.{purpose}", max_age=max_age)
        subscriber = Subscriber.objects.get(pk=payload["s"], key=payload["k"])
        made_at = datetime.fromtimestamp(payload["t"] / 1000, tz=UTC)
    except (signing.BadSignature, Subscriber.DoesNotExist, KeyError, TypeError, ValueError):
        raise BadLink from None
    return subscriber, payload.get("l", ""), made_at


def absolute(path, request=None):
    """A link for a mail: under SITE_URL, else the address the request came to."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    if request is not None:
        return request.build_absolute_uri(path)
    return f"http://{settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else 'localhost'}{path}"


def link(subscriber, purpose, edition, list_key="", request=None):
    """The absolute address of a ``purpose`` link, in ``edition``'s language."""
    with translation.override(edition):
        path = reverse(URL_NAMES[purpose], kwargs={"token": token(subscriber, purpose, list_key)})
    return absolute(path, request)
