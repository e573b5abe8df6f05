"""DKIM signatures for mail the site hands to its own SMTP server (``DKIM_*`` settings). The
signature covers List-Unsubscribe and List-Unsubscribe-Post, which RFC 8058 requires for a mail
program to offer one-click unsubscribe (dkimpy's default header list leaves the second out)."""

from functools import cache

from django.conf import settings

SIGNED_HEADERS = [
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"mime-version",
    b"content-type",
    b"list-id",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
    b"from",
]  # fmt: skip  (the second "from" over-signs it: a From added on the way breaks the signature)


@cache
def private_key():
    with open(settings.DKIM_PRIVATE_KEY_FILE, "rb") as key:
        return key.read()


def signed(data):
    if not settings.DKIM_PRIVATE_KEY_FILE:
        return data
    import dkim

    signature = dkim.sign(
        data,
        settings.DKIM_SELECTOR.encode(),
        settings.DKIM_DOMAIN.encode(),
        private_key(),
        include_headers=SIGNED_HEADERS,
    )
    return signature + data
