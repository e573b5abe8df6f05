"""A mailing sent to every recipient exactly once, whatever stops a worker on the way.

Each recipient has a ``Delivery`` row. Senders (jobs on the ``mailings`` queue) claim rows in
batches under a lease (``MAILING_LEASE_SECONDS``, renewed while they work), and for each row:

1. tell the mail server the sender, the recipient and the message, all but its final ".";
2. send the database "this row is handed" (``ledger``: a statement that commits by itself
   once the database reads it) and, without waiting for its answer, the ".";
3. record the server's answer, again without waiting.

A sender killed before step 2 leaves a message the server never completed: the server discards
it, and another sender takes the row once the lease has run out. A sender killed after step 2
has handed both lines to the operating system, which delivers them after the process is gone:
the mail is complete and the row is never sent again. Between the two writes of step 2 (a few
microseconds) a killed sender loses one mail; nothing can make one go out twice. A row handed
with no answer after its lease is *uncertain* (``progress``): its sender died between step 2
and step 3, and the mail server almost surely has the mail; an editor may send it again.

Through an e-mail service's API (``MAIL_DELIVERY_BACKEND`` is not SMTP), step 2's "." is the
whole call: a sender killed during it leaves an *uncertain* row, never a mail sent twice.
"""

import contextlib
import logging
import re
import secrets
import smtplib
import socket
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.db.models.functions import Now
from django.utils import timezone
from procrastinate.exceptions import AlreadyEnqueued

from subscriptions import contents
from subscriptions.ledger import Ledger
from subscriptions.models import Delivery, Mailing, Subscription

logger = logging.getLogger(__name__)

BATCH = 100


def start(mailing):
    """Every active subscriber of the mailing's list gets a delivery; senders start on commit."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if mailing.state not in (Mailing.State.DRAFT, Mailing.State.SCHEDULED):
            return mailing
        add_recipients(mailing)
        mailing.state, mailing.started_at = Mailing.State.SENDING, timezone.now()
        mailing.save(update_fields=["state", "started_at"])
        defer_senders(mailing)
    return mailing


def add_recipients(mailing):
    """One row per active subscriber of the list, in one statement (100,000 in a second)."""
    active = Subscription.objects.active().filter(kind=mailing.kind, edition=mailing.edition)
    recipients = active.values_list("subscriber_id", "subscriber__email")
    sql, params = recipients.query.sql_with_params()
    table = Delivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (mailing_id, subscriber_id, email, state, claimed_by, attempts,"  # noqa: S608
            f" answer) SELECT %s, sub.*, 'pending', '', 0, '' FROM ({sql}) AS sub"
            " ON CONFLICT (mailing_id, email) DO NOTHING",
            [mailing.pk, *params],
        )


def defer_senders(mailing, at=None, slots=None):
    """``MAILING_SENDERS`` sender jobs (or ``slots``), now or ``at`` a time; a slot whose job
    still waits is not deferred twice."""
    from subscriptions.jobs import send_mailing

    for slot in range(slots or settings.MAILING_SENDERS):
        job = send_mailing.configure(queueing_lock=f"mailing-{mailing.pk}-{slot}", schedule_at=at)
        with contextlib.suppress(AlreadyEnqueued), transaction.atomic():  # (a savepoint)
            job.defer(mailing_id=mailing.pk)


def schedule(mailing):
    """A draft goes out at its ``send_at`` (``jobs.start_scheduled_mailings``); False without
    a time in the future."""
    return bool(
        Mailing.objects.filter(
            pk=mailing.pk, state=Mailing.State.DRAFT, send_at__gt=timezone.now()
        ).update(state=Mailing.State.SCHEDULED)
    )


def send_test(mailing, address):
    """The mailing to one address, as its readers will get it (links to the subscribe page
    stand in for theirs), through the mail queue."""
    validate_email(address)
    contents.Prepared(mailing).message_for(Delivery(mailing=mailing, email=address)).send()


def pause(mailing):
    Mailing.objects.filter(pk=mailing.pk, state=Mailing.State.SENDING).update(
        state=Mailing.State.PAUSED
    )


def resume(mailing):
    with transaction.atomic():
        if Mailing.objects.filter(pk=mailing.pk, state=Mailing.State.PAUSED).update(
            state=Mailing.State.SENDING
        ):
            defer_senders(mailing)


def progress(mailing):
    """{state: count} of the mailing's deliveries, and how many of the handed are
    ``uncertain`` (counted in "handed" too)."""
    counts = dict.fromkeys([*Delivery.State.values, "uncertain"], 0)
    counts.update(mailing.deliveries.values_list("state").annotate(Count("id")).order_by())
    if counts[Delivery.State.HANDED]:
        counts["uncertain"] = mailing.deliveries.uncertain().count()
    return counts


def send_again_where_uncertain(mailing):
    """The uncertain rows (``DeliveryQuerySet.uncertain``) sent again: an editor's choice,
    which may send a reader the mail a second time. How many."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        count = mailing.deliveries.uncertain().update(
            state=Delivery.State.PENDING, claimed_by="", answer="sent again by an editor"
        )
        if count and mailing.state in (Mailing.State.SENT, Mailing.State.SENDING):
            mailing.state, mailing.finished_at = Mailing.State.SENDING, None
            mailing.save(update_fields=["state", "finished_at"])
            defer_senders(mailing)
    return count


def seconds_between_mails():
    """Each sender's pace, so that all of them together keep MAILING_RATE_PER_MINUTE."""
    per_minute = settings.MAILING_RATE_PER_MINUTE
    return 60 * settings.MAILING_SENDERS / per_minute if per_minute else 0


class Sender:
    """One sender's run through a mailing (``send(mailing_id)``)."""

    def __init__(self, mailing):
        self.mailing = mailing
        self.token = secrets.token_hex(8)
        self.content = contents.Prepared(mailing)
        self.transport = transport()
        self.ledger = Ledger()
        self.interval = seconds_between_mails()
        self.next_at = time.monotonic()
        self.claimed_at = time.monotonic()
        self.ours = set()

    def run(self):
        try:
            while self.still_sending():
                rows = self.claim()
                if not rows:
                    self.finish_if_done()
                    return
                for row in self.recipients(rows):
                    self.send_one(row)
                self.settle()
        finally:
            self.transport.close()
            self.ledger.close()

    def still_sending(self):
        return Mailing.objects.filter(pk=self.mailing.pk, state=Mailing.State.SENDING).exists()

    def claim(self):
        """Up to BATCH rows, pending or left by a sender whose lease ran out, for this one.
        Leases are read on the database's clock, the only one all senders share."""
        lease_over = Now() - timedelta(seconds=settings.MAILING_LEASE_SECONDS)
        due = Q(retry_at__isnull=True) | Q(retry_at__lte=Now())
        claimable = Q(state=Delivery.State.PENDING) & due
        claimable |= Q(state=Delivery.State.CLAIMED, claimed_at__lt=lease_over)
        self.claimed_at = time.monotonic()
        with transaction.atomic():
            ids = list(
                Delivery.objects.select_for_update(skip_locked=True)
                .filter(claimable, mailing=self.mailing)
                .order_by("id")
                .values_list("id", flat=True)[:BATCH]
            )
            Delivery.objects.filter(id__in=ids).update(
                state=Delivery.State.CLAIMED, claimed_by=self.token, claimed_at=Now()
            )
        self.ours = set(ids)
        return list(Delivery.objects.filter(id__in=ids).select_related("subscriber").order_by("id"))

    def keep_claims(self):
        """Renew the lease on this sender's rows once half of it has passed (the database's
        clock runs at least as long as this one since the claim): a row is marked *handed*
        without waiting, so no other sender may have taken it over by then."""
        if time.monotonic() - self.claimed_at < settings.MAILING_LEASE_SECONDS / 2:
            return
        self.settle()
        self.claimed_at = time.monotonic()
        mine = Delivery.objects.filter(claimed_by=self.token, state=Delivery.State.CLAIMED)
        with transaction.atomic():
            self.ours = set(mine.select_for_update().values_list("id", flat=True))
            mine.update(claimed_at=Now())

    def recipients(self, rows):
        """The rows whose list is still theirs: one who left or was suppressed since is skipped."""
        active = set(
            Subscription.objects.active()
            .filter(kind=self.mailing.kind, edition=self.mailing.edition)
            .filter(subscriber__email__in=[row.email for row in rows])
            .values_list("subscriber__email", flat=True)
        )
        gone = [row.pk for row in rows if row.email not in active]
        if gone:
            Delivery.objects.filter(pk__in=gone, claimed_by=self.token).update(
                state=Delivery.State.SKIPPED
            )
        return [row for row in rows if row.email in active]

    def send_one(self, row):
        self.wait_for_the_rate()
        message = self.content.message_for(row)

        def handed():
            """True if the row is still this sender's, which is then written *handed*."""
            self.keep_claims()
            if row.pk not in self.ours:
                return False
            self.ledger.handed(row, self.token)
            return True

        try:
            code, answer = self.transport.hand(message, handed)
        except HandingInterrupted as error:
            # The message was completed but its answer never came: it stays handed.
            row.answer = f"no answer: {error}"[:300]
            self.ledger.answer(row, self.token)
            raise SendingInterrupted(str(error)) from error
        except (smtplib.SMTPException, OSError) as error:
            # The server went away: this row again later (it was not handed), the job retries.
            row.state = Delivery.State.PENDING
            self.ledger.answer(row, self.token)
            raise SendingInterrupted(str(error)) from error
        if code is not None:  # (None: taken over by another sender, not ours to send)
            self.record(row, code, answer)

    def record(self, row, code, answer):
        """The server's answer, written without waiting (``ledger``)."""
        row.answer, row.attempts = f"{code} {answer}"[:300], row.attempts + 1
        if 200 <= code < 300:
            row.state, row.retry_at = Delivery.State.SENT, None
        elif 400 <= code < 500 and row.attempts < settings.MAILING_ATTEMPTS:
            row.state = Delivery.State.PENDING
            row.retry_at = timezone.now() + timedelta(minutes=5 * row.attempts)
        else:
            row.state, row.retry_at = Delivery.State.FAILED, None
        self.ledger.answer(row, self.token)
        if code >= 500 and contents.is_hard_bounce(code, row.answer):
            contents.suppress_bounce(row.email, row.answer)

    def settle(self):
        """Wait for what the ledger wrote; a row marked handed that was not this sender's any
        more would be a broken lease (never seen: ``keep_claims``), and is said loudly."""
        for row_id in self.ledger.settle():
            logger.error("Delivery %s was completed after another sender took it over.", row_id)

    def wait_for_the_rate(self):
        if self.interval:
            delay = self.next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.next_at = max(self.next_at, time.monotonic()) + self.interval

    def finish_if_done(self):
        with transaction.atomic():
            mailing = Mailing.objects.select_for_update().get(pk=self.mailing.pk)
            left = mailing.deliveries.filter(state__in=[Delivery.State.PENDING,
                                                        Delivery.State.CLAIMED])  # fmt: skip
            if mailing.state != Mailing.State.SENDING:
                return
            if not left.exists():
                mailing.state, mailing.finished_at = Mailing.State.SENT, timezone.now()
                mailing.save(update_fields=["state", "finished_at"])
                return
            # Another sender's claims (it finishes them, or its job runs again), or addresses
            # to try again later: a sender comes back for them then.
            next_try = left.filter(state=Delivery.State.PENDING).aggregate(Min("retry_at"))
            if next_try["retry_at__min"]:
                defer_senders(mailing, at=next_try["retry_at__min"], slots=1)


class SendingInterrupted(Exception):
    pass


class HandingInterrupted(Exception):
    """The server went away after the message was completed, before its answer."""


def send(mailing_id):
    mailing = Mailing.objects.get(pk=mailing_id)
    if mailing.state == Mailing.State.SENDING:
        Sender(mailing).run()
    return progress(mailing)


# --- Transports ---------------------------------------------------------------------------------


def transport():
    backend = settings.MAIL_DELIVERY_BACKEND
    if backend == "django.core.mail.backends.smtp.EmailBackend":
        return SmtpTransport()
    return BackendTransport(backend)


LEADING_DOT = re.compile(rb"(?m)^\.")


class SmtpTransport:
    """SMTP, with the message completed ("." alone on a line) only after ``handed()`` commits."""

    def __init__(self):
        self.smtp = None

    def connect(self):
        if self.smtp is None:
            smtp = smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT,
                                timeout=settings.EMAIL_TIMEOUT)  # fmt: skip
            # Commands are small and each waits for its answer: no waiting to fill a packet.
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            smtp.ehlo()
            if settings.EMAIL_USE_TLS:
                smtp.starttls()
                smtp.ehlo()
            if settings.EMAIL_HOST_USER:
                smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
            self.smtp = smtp
        return self.smtp

    def hand(self, message, handed):
        """(code, answer) of the server, or (None, "") when ``handed()`` found the row taken."""
        smtp = self.connect()
        data = contents.as_bytes(message)
        code, answer = smtp.mail(message.from_email)
        if code == 250:
            code, answer = smtp.rcpt(message.to[0])
        if code in (250, 251):
            code, answer = smtp.docmd("DATA")
        if code != 354:
            smtp.rset()
            return code, answer.decode(errors="replace")
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        smtp.send(LEADING_DOT.sub(b"..", data))
        if not handed():
            self.close()  # the server discards a message never completed
            return None, ""
        try:
            smtp.send(b".\r\n")
            code, answer = smtp.getreply()
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise HandingInterrupted(str(error)) from error
        return code, answer.decode(errors="replace")

    def close(self):
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None


class BackendTransport:
    """Any Django mail backend (django-anymail's e-mail services): handed, then sent."""

    def __init__(self, backend):
        self.connection = get_connection(backend, fail_silently=False)

    def hand(self, message, handed):
        if not handed():
            return None, ""
        message.connection = self.connection
        return (250, "accepted") if message.send() else (550, "not sent")

    def close(self):
        self.connection.close()
