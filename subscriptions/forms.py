from django import forms
from django.utils.translation import gettext_lazy as _

from nejat.editions import current_edition
from nejat.security.antispam.forms import HoneypotForm
from subscriptions.models import Kind


class SubscribeForm(HoneypotForm):
    """An address and the edition's lists: nothing else is asked. The honeypot, the rate
    limit and the double opt-in (one confirmation a day to an address) stop abuse."""

    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    lists = forms.MultipleChoiceField(
        label=_("Send me"),
        choices=Kind.choices,
        initial=[Kind.NEWSLETTER],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one list.")},
    )

    field_order = ["email", "lists"]
    prefix = "subscribe"  # (its fields' ids differ from the contact form's on the same page)

    def chosen_lists(self):
        code = current_edition()
        return [(kind, code) for kind in self.cleaned_data["lists"]]


class PreferencesForm(forms.Form):
    """Every list of every edition the reader has, and this edition's."""

    lists = forms.MultipleChoiceField(
        label=_("Your lists"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, subscriber, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = current_edition()
        keys = {(kind, code) for kind in Kind.values}
        keys |= {(s.kind, s.edition) for s in subscriber.subscriptions.all()}
        names = dict(Kind.choices)
        self.fields["lists"].choices = [
            (f"{kind}:{edition}", f"{names[kind]} ({edition})") for kind, edition in sorted(keys)
        ]
        self.fields["lists"].initial = [
            s.list_key for s in subscriber.subscriptions.all() if s.is_active
        ]

    def chosen_lists(self):
        return [tuple(key.split(":", 1)) for key in self.cleaned_data["lists"]]
