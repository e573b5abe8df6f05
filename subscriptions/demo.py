"""Invented demo subscribers (example.org addresses) in each edition, one suppressed address,
and a weekly digest waiting to be sent."""

from django.utils import timezone

from nejat.editions import edition_codes
from subscriptions.models import Kind, Mailing, Subscriber, Subscription, Suppression


def load():
    if Subscriber.objects.exists():
        return
    now = timezone.now()
    for code in edition_codes():
        for n in (1, 2):
            subscriber = Subscriber.objects.create(
                email=f"reader{n}.{code}@example.org", edition=code, confirmed_at=now,
                consent=f"{now:%Y-%m-%d %H:%M} UTC demo subscriber",
            )  # fmt: skip
            for kind in (Kind.NEWSLETTER, Kind.DIGEST):
                Subscription.objects.create(
                    subscriber=subscriber, kind=kind, edition=code, confirmed_at=now
                )
    Suppression.objects.create(
        email="bounced@example.org", reason=Suppression.Reason.HARD_BOUNCE,
        detail="550 5.1.1 <bounced@example.org>: no such user (demo)",
    )  # fmt: skip
    Mailing.objects.create(
        kind=Kind.DIGEST, edition="en", subject="The week at the NEJAT Society (demo)",
        introduction="Five stories from this week, in short.",
    )  # fmt: skip
