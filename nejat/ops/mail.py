"""Every mail the site sends goes out from a job-queue worker, never inside a request.

``EMAIL_BACKEND`` is ``QueuedEmailBackend``: whatever sends a mail (a moderation notice, a
contact notice, Django's password reset) gets a ``send_email`` job instead, written in the
current transaction, so a mail exists if and only if the change it tells of was saved. The
worker hands it to ``MAIL_DELIVERY_BACKEND`` (SMTP, an e-mail service through django-anymail,
the console), retrying with back-off while the server refuses or cannot be reached.

Each message is checked when it is queued (``message()`` refuses a header with a line break),
so a bad one fails in the request that made it, where its caller can say so, not later in a
worker. Attachments are not carried: no mail of the site has one, and a job's arguments are JSON.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

logger = logging.getLogger(__name__)

FIELDS = ("subject", "body", "from_email", "to", "cc", "bcc", "reply_to", "extra_headers")


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            message.message()  # raises BadHeaderError here, in the sender's request
            send_email.defer(message=as_json(message))
        return len(email_messages)


def as_json(message):
    if message.attachments:
        raise ValueError("mail with attachments cannot be queued")
    fields = {name: getattr(message, name) for name in FIELDS}
    fields["from_email"] = fields["from_email"] or settings.DEFAULT_FROM_EMAIL
    fields["alternatives"] = [list(pair) for pair in getattr(message, "alternatives", [])]
    return fields


def from_json(fields):
    fields = dict(fields)
    alternatives = fields.pop("alternatives", [])
    fields["headers"] = fields.pop("extra_headers")
    return EmailMultiAlternatives(alternatives=[tuple(pair) for pair in alternatives], **fields)


@app.task(queue="mail", retry=RetryStrategy(max_attempts=8, exponential_wait=5))
def send_email(message):
    """Send one queued mail through the real backend; an error raises, and the job is tried
    again (after 5 s, 25 s, 2 min, 10 min, … about a day in all) before it is marked failed."""
    with get_connection(settings.MAIL_DELIVERY_BACKEND, fail_silently=False) as connection:
        return connection.send_messages([from_json(message)])
