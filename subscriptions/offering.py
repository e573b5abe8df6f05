"""A newsletter or Pars Brief issue, once published, is offered as a draft mailing to its list
in each edition it has, for an editor to check and send; it is never sent by itself."""

from django.db.models.signals import post_save

from nejat.publishing import State
from subscriptions.models import Kind, Mailing

KINDS = {"publications.newsletter": (Kind.NEWSLETTER, "newsletter"),
         "publications.brief": (Kind.BRIEF, "brief")}  # fmt: skip


def offer(sender, instance, **kwargs):
    kind, field = KINDS[sender._meta.label_lower]
    if instance.state not in (State.LIVE, State.SCHEDULED):
        return
    for code in instance.editions():
        Mailing.objects.get_or_create(
            kind=kind, edition=code, **{field: instance},
            defaults={"subject": instance.title_in(code)},
        )  # fmt: skip


def connect_signals():
    from django.apps import apps

    for label in KINDS:
        post_save.connect(offer, sender=apps.get_model(label), dispatch_uid=f"offer-{label}")
