"""What an e-mail service reports back (django-anymail's tracking webhooks, under /anymail/):
a hard bounce or a complaint suppresses the address for good; soft bounces do after
``SOFT_BOUNCES_TO_SUPPRESS`` of them; an unsubscribe through the service leaves every list.

Anymail says "bounced" for soft bounces too with some services (Amazon SES, Postmark's
SoftBounce): each service's own report says which (``is_soft``)."""

from django.conf import settings
from django.db.models import F
from django.dispatch import receiver
from django.http import Http404
from django.utils import timezone

from subscriptions.models import Subscriber, Subscription, Suppression, normalise_email

SOFT_BOUNCES_TO_SUPPRESS = 3


def is_soft(esp_name, raw):
    """Whether a "bounced" event is temporary, by the service's own report."""
    raw = raw if isinstance(raw, dict) else {}
    match esp_name:
        case "Amazon SES":
            return raw.get("bounce", {}).get("bounceType") != "Permanent"
        case "Postmark":
            return raw.get("Type") != "HardBounce"
        case "Mailgun":
            return raw.get("event-data", {}).get("severity") == "temporary"
        case "SendGrid":
            return raw.get("type") == "blocked"
    return False


def suppress(email, reason, detail):
    Suppression.objects.get_or_create(
        email=email, defaults={"reason": reason, "detail": detail[:2000]}
    )


def on_tracking_event(sender, event, esp_name, **kwargs):
    email = normalise_email(event.recipient or "")
    if not email:
        return
    detail = f"{esp_name}: {event.description or event.mta_response or event.event_type}"
    match event.event_type:
        case "complained":
            suppress(email, Suppression.Reason.COMPLAINT, detail)
        case "bounced" if is_soft(esp_name, event.esp_event):
            Subscriber.objects.filter(email=email).update(soft_bounces=F("soft_bounces") + 1)
            if Subscriber.objects.filter(
                email=email, soft_bounces__gte=SOFT_BOUNCES_TO_SUPPRESS
            ).exists():
                suppress(email, Suppression.Reason.SOFT_BOUNCES, detail)
        case "bounced":
            suppress(email, Suppression.Reason.HARD_BOUNCE, detail)
        case "rejected" if event.reject_reason in ("bounced", "invalid"):
            suppress(email, Suppression.Reason.HARD_BOUNCE, detail)
        case "rejected" if event.reject_reason == "spam":
            suppress(email, Suppression.Reason.COMPLAINT, detail)
        case "unsubscribed":
            Subscription.objects.filter(subscriber__email=email, left_at__isnull=True).update(
                left_at=timezone.now()
            )


def connect_signals():
    from anymail.signals import tracking

    receiver(tracking, dispatch_uid="subscriptions.bounces")(on_tracking_event)


def only_with_a_secret(view):
    """Anymail's webhooks answer only where ``ANYMAIL_WEBHOOK_SECRET`` is set: without it
    anyone could post a bounce and suppress any address."""

    def guarded(request, *args, **kwargs):
        if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
            raise Http404("No webhook secret configured")
        return view(request, *args, **kwargs)

    return guarded


def webhook_urls():
    from anymail import urls

    patterns = []
    for pattern in urls.urlpatterns:
        pattern.callback = only_with_a_secret(pattern.callback)
        patterns.append(pattern)
    return patterns, "anymail"
