from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from nejat.security.antispam.forms import SpamDefenceForm


class ContactForm(SpamDefenceForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    email = forms.EmailField(label=_("Email"), max_length=254)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Message"),
        max_length=settings.CONTACT_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    field_order = ["name", "email", "subject", "message"]

    def clean_subject(self):
        # One line: a subject becomes an email header.
        return " ".join(self.cleaned_data["subject"].split())
