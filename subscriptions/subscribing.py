"""What a reader does with their subscriptions: ask (double opt-in), confirm, change, leave,
take away or delete what is kept. The views and the admin's import call these; no other code
changes a subscription."""

import json
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from subscriptions import mails
from subscriptions.models import Subscriber, Subscription, Suppression, normalise_email

CONFIRMATION_EVERY = timedelta(days=1)  # at most one confirmation mail a day to an address


def ask(email, lists, edition, how, request=None):
    """A reader asked for ``lists`` ([(kind, edition)]) at ``email``. The lists wait for the
    address's confirmation; a confirmation mail goes out unless one went in the last day (so a
    stranger cannot mail-bomb an address). Says nothing of what was there: the reader's answer
    is the same whether the address was known, confirmed or suppressed."""
    email = normalise_email(email)
    now = timezone.now()
    with transaction.atomic():
        subscriber, _new = Subscriber.objects.select_for_update().get_or_create(
            email=email, defaults={"edition": edition}
        )
        waiting = []
        for kind, code in lists:
            subscription, _created = Subscription.objects.get_or_create(
                subscriber=subscriber, kind=kind, edition=code
            )
            if subscription.is_active:
                continue
            subscription.requested_at, subscription.left_at = now, None
            subscription.confirmed_at = None
            subscription.save()
            waiting.append(subscription)
        if not waiting or Suppression.objects.filter(email=email).exists():
            return
        subscriber.note_consent(f"{now:%Y-%m-%d %H:%M} UTC asked for {list_names(waiting)} {how}")
        recently = subscriber.confirmation_sent_at and now - subscriber.confirmation_sent_at
        if not recently or recently > CONFIRMATION_EVERY:
            subscriber.confirmation_sent_at = now
            pending = subscriber.subscriptions.pending()
            mails.confirmation(subscriber, pending, edition, request).send()  # a job, on commit
        subscriber.save()


def confirm(subscriber, link_made_at):
    """The reader followed the confirmation link: the lists asked for before it was mailed
    begin (not one a stranger added since)."""
    now = timezone.now()
    with transaction.atomic():
        pending = subscriber.subscriptions.pending().filter(requested_at__lte=link_made_at)
        names = list_names(pending)
        pending.update(confirmed_at=now)
        if subscriber.confirmed_at is None:
            subscriber.confirmed_at = now
        if names:
            subscriber.note_consent(
                f"{now:%Y-%m-%d %H:%M} UTC confirmed {names} by the link mailed"
            )
        subscriber.save()


def choose(subscriber, keep):
    """From the preferences page (a link from the reader's own inbox): exactly the lists in
    ``keep`` ([(kind, edition)]) are active."""
    now = timezone.now()
    wanted = set(keep)
    with transaction.atomic():
        for kind, code in wanted:
            subscription, _ = Subscription.objects.get_or_create(
                subscriber=subscriber, kind=kind, edition=code
            )
            if not subscription.is_active:
                subscription.confirmed_at, subscription.left_at = now, None
                subscription.save()
        for subscription in subscriber.subscriptions.all():
            if (
                subscription.kind,
                subscription.edition,
            ) not in wanted and subscription.left_at is None:
                subscription.left_at = now
                subscription.save()
        subscriber.note_consent(f"{now:%Y-%m-%d %H:%M} UTC chose {sorted(wanted) or 'no list'}")
        subscriber.save()


def leave(subscriber, list_key=""):
    """Unsubscribe from one list ("kind:edition"), or from every list."""
    lists = subscriber.subscriptions.filter(left_at__isnull=True)
    if list_key:
        kind, _, code = list_key.partition(":")
        lists = lists.filter(kind=kind, edition=code)
    return lists.update(left_at=timezone.now())


def everything_kept(subscriber):
    """What the site keeps about the reader, as they can download it."""
    return json.dumps(
        {
            "email": subscriber.email,
            "edition": subscriber.edition,
            "created_at": subscriber.created_at.isoformat(),
            "confirmed_at": subscriber.confirmed_at and subscriber.confirmed_at.isoformat(),
            "consent": subscriber.consent.splitlines(),
            "subscriptions": [
                {
                    "list": s.kind,
                    "edition": s.edition,
                    "requested_at": s.requested_at.isoformat(),
                    "confirmed_at": s.confirmed_at and s.confirmed_at.isoformat(),
                    "left_at": s.left_at and s.left_at.isoformat(),
                }
                for s in subscriber.subscriptions.all()
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


def forget(subscriber):
    """Delete what is kept about the reader (a suppression, if any, stays: see its reason)."""
    subscriber.delete()


def list_names(subscriptions):
    return ", ".join(f"{s.kind}:{s.edition}" for s in subscriptions)
