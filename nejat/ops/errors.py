"""Errors reported to Sentry (or a server that speaks its protocol) when ``SENTRY_DSN`` is set;
without it sentry-sdk is not even imported.

Each event carries the request's id as the tag ``request_id`` (``nejat.ops.request_log``), so
that a report leads to the request's log lines and the id a reader saw on the 500 page. No
personal data is sent: no cookies, user or address (``send_default_pii=False``), no request
body and no local variables of the frames. Only errors, no performance tracing; sentry-sdk
sends them from a thread of its own, off the request's path.
"""

from nejat.ops.request_log import current_request_id


def report_errors_to_sentry(dsn, environment, release=None):
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        # No personal data: no cookies, user or address, no request bodies (a comment's or a
        # contact message's fields), no local variables of the failing frames (a session key).
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        integrations=[DjangoIntegration()],
        before_send=with_request_id,
    )


def with_request_id(event, hint):
    """Sentry's ``before_send``: the id of the request being handled, when there is one."""
    request_id = current_request_id.get()
    if request_id != "-":
        event.setdefault("tags", {})["request_id"] = request_id
    return event
