"""The mailings' background work, on its own queue (``mailings``), so that a mailing to 100,000
never holds up a password reset on the ``mail`` queue."""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from subscriptions import sending
from subscriptions.models import Mailing


@app.task(queue="mailings", retry=RetryStrategy(max_attempts=10, exponential_wait=4))
def send_mailing(mailing_id):
    """One sender through a mailing (``subscriptions.sending``); a mail server that goes away
    raises, and the job is tried again later, where it left off."""
    return sending.send(mailing_id)


@app.periodic(cron="* * * * *")
@app.task(queue="mailings", queueing_lock="start_scheduled_mailings")
def start_scheduled_mailings(timestamp):
    """Every minute, the mailings whose time has come start."""
    from django.utils import timezone

    due = Mailing.objects.filter(state=Mailing.State.SCHEDULED, send_at__lte=timezone.now())
    for mailing in due:
        sending.start(mailing)
    return len(due)


@app.periodic(cron="0 6 * * 1")
@app.task(queue="mailings", queueing_lock="offer_weekly_digests")
def offer_weekly_digests(timestamp):
    """Monday at 06:00 UTC: a draft digest of the week's articles for each edition that has
    readers of its digest, for an editor to check and send (``contents.offer_digests``)."""
    from subscriptions import contents

    return len(contents.offer_digests())
