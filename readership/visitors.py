"""Visitors counted without knowing them: a hash of the edition, the address and the browser,
keyed with a random salt of the day. The salt is kept for its day only; once it is gone, a
hash cannot be matched to anyone, not even by trying every address. The address itself is
never stored. This is Plausible's and Umami's way (no cookie)."""

import hashlib
import secrets

from django.utils import timezone

from readership.models import Salt

_salt = {}  # this process's copy of the day's salt: {day: bytes}


def today():
    """The site's day (``TIME_ZONE``): days begin at the newsroom's midnight."""
    return timezone.localdate()


def salt_of(day):
    value = _salt.get(day)
    if value is None:
        Salt.objects.bulk_create([Salt(day=day, value=secrets.token_bytes(32))],
                                 ignore_conflicts=True)  # fmt: skip
        value = bytes(Salt.objects.get(day=day).value)
        _salt.clear()
        _salt[day] = value
    return value


def visitor_hash(day, edition, address, browser):
    text = f"{edition}\n{address}\n{browser}".encode()
    return hashlib.blake2b(text, key=salt_of(day), digest_size=16).digest()


def forget_before(day):
    """The salts of the days before ``day``: their hashes can no longer be made again."""
    Salt.objects.filter(day__lt=day).delete()
