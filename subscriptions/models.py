"""Who asked for which mail, and who must never be mailed.

A **subscriber** is one address (lowercased). Each **subscription** is one list in one edition
(the Nejat Newsletter in Persian, the weekly digest in English, …), pending until the reader
follows the link mailed to them (double opt-in), and left when they unsubscribe. A
**suppression** is an address no list mail may reach: a hard bounce, a complaint, an editor's
decision; it outlives the subscriber's data.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nejat.editions import edition_codes


def new_key():
    """Part of every link mailed to a subscriber: a new key voids the old links."""
    return secrets.token_urlsafe(12)


def normalise_email(address):
    return address.strip().lower()


class Kind(models.TextChoices):
    NEWSLETTER = "newsletter", _("Nejat Newsletter")
    DIGEST = "digest", _("Weekly digest of articles")
    BRIEF = "brief", _("Pars Brief")


EDITIONS = [(code, code) for code in edition_codes()]


class Subscriber(models.Model):
    email = models.EmailField(_("e-mail address"), unique=True)
    key = models.CharField(max_length=32, default=new_key, editable=False)
    edition = models.CharField(
        _("edition"), max_length=5, choices=EDITIONS, help_text=_("The language of its mails.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("address confirmed"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(
        _("last confirmation mail"), null=True, blank=True, editable=False
    )
    soft_bounces = models.PositiveSmallIntegerField(_("soft bounces"), default=0, editable=False)
    consent = models.TextField(
        _("consent"),
        blank=True,
        help_text=_("How and when the reader asked for each list, one line each."),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def note_consent(self, line):
        self.consent = f"{self.consent}\n{line}".strip()


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        """Confirmed, not left, and its address not suppressed: who a list mail goes to."""
        suppressed = Suppression.objects.filter(email=OuterRef("subscriber__email"))
        return self.filter(confirmed_at__isnull=False, left_at__isnull=True).exclude(
            Exists(suppressed)
        )

    def pending(self):
        return self.filter(confirmed_at__isnull=True, left_at__isnull=True)


class Subscription(models.Model):
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(_("list"), max_length=12, choices=Kind.choices)
    edition = models.CharField(_("edition"), max_length=5, choices=EDITIONS)
    requested_at = models.DateTimeField(_("asked for"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "kind"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "kind", "edition"], name="one_subscription_per_list"
            )
        ]
        indexes = [
            models.Index(
                fields=["kind", "edition"],
                condition=Q(confirmed_at__isnull=False, left_at__isnull=True),
                name="active_subscriptions",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.edition})"

    @property
    def list_key(self):
        return f"{self.kind}:{self.edition}"

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.left_at is None


class Suppression(models.Model):
    """An address no list mail may reach, and why."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "bounce", _("hard bounce: the address does not exist")
        COMPLAINT = "complaint", _("complaint: reported as spam")
        SOFT_BOUNCES = "soft", _("soft bounces, again and again")
        EDITOR = "editor", _("an editor's decision")

    email = models.EmailField(_("e-mail address"), unique=True)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    detail = models.TextField(_("detail"), blank=True, help_text=_("What the mail server said."))
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self):
        return f"{self.email} ({self.get_reason_display()})"

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)


class Mailing(models.Model):
    """One mail to one list of one edition: a newsletter issue, a Pars Brief issue, or the weekly
    digest. Its deliveries (one per recipient) say who got it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCHEDULED = "scheduled", _("scheduled")
        SENDING = "sending", _("sending")
        PAUSED = "paused", _("paused")
        SENT = "sent", _("sent")
        CANCELLED = "cancelled", _("cancelled")

    kind = models.CharField(_("list"), max_length=12, choices=Kind.choices)
    edition = models.CharField(_("edition"), max_length=5, choices=EDITIONS)
    subject = models.CharField(_("subject"), max_length=200)
    newsletter = models.ForeignKey(
        "publications.Newsletter",
        verbose_name=_("newsletter issue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    brief = models.ForeignKey(
        "publications.Brief",
        verbose_name=_("Pars Brief issue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    articles = models.ManyToManyField(
        "articles.Article", verbose_name=_("articles"), blank=True, related_name="+"
    )
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("Plain text above the mail's contents.")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, editable=False
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")

    def __str__(self):
        return self.subject

    @property
    def list_key(self):
        return f"{self.kind}:{self.edition}"


class DeliveryQuerySet(models.QuerySet):
    def uncertain(self):
        """Handed to the mail server, and no answer since the sender's lease ran out: the
        sender stopped between completing the mail and recording the answer, and the mail
        server almost surely has it (``subscriptions.sending``)."""
        lease_over = Now() - timedelta(seconds=settings.MAILING_LEASE_SECONDS)
        return self.filter(state=Delivery.State.HANDED, handed_at__lt=lease_over)


class Delivery(models.Model):
    """The mailing to one address, exactly once: claimed by one sender, marked *handed* as the
    mail server is told the message is complete, then *sent* (or not) with the server's answer
    (``subscriptions.sending``)."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        CLAIMED = "claimed", _("being sent")
        HANDED = "handed", _("handed to the mail server")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped: left or suppressed since")

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.SET_NULL, null=True)
    email = models.EmailField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    claimed_by = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True)
    handed_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(_("mail server's answer"), max_length=300, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["mailing", "email"], name="one_delivery_per_address")
        ]
        indexes = [
            models.Index(
                fields=["mailing", "id"],
                condition=Q(state__in=["pending", "claimed"]),
                name="deliveries_to_send",
            )
        ]

    def __str__(self):
        return f"{self.email}: {self.get_state_display()}"
