import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """What every form the public posts keeps besides its text: the edition, the sender's
    address and browser, and why it looks like spam (empty when it does not)."""

    language = models.CharField(_("edition"), max_length=8, choices=settings.LANGUAGES)
    spam_reason = models.CharField(_("why it looks like spam"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        abstract = True


class BlockedTerm(models.Model):
    """A word, address or domain that marks a message as spam. Edited by staff in the admin."""

    class Kind(models.TextChoices):
        WORD = "word", _("word or phrase in the text")
        EMAIL = "email", _("email address or domain")
        IP = "ip", _("IP address")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WORD)
    value = models.CharField(_("value"), max_length=200)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("blocked term")
        verbose_name_plural = _("blocked terms")
        ordering = ["kind", "value"]
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="blocked_term_once")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    @classmethod
    def matches(cls, *, text="", email="", ip=""):
        """The blocked terms found in a submission (one query)."""
        text, email = text.casefold(), email.casefold()
        found_by_kind = {
            cls.Kind.WORD: lambda value: re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text),
            cls.Kind.EMAIL: lambda value: email == value or email.endswith(f"@{value}"),
            cls.Kind.IP: lambda value: ip == value,
        }
        return [
            term
            for term in cls.objects.all()
            if term.value.strip() and found_by_kind[term.kind](term.value.casefold().strip())
        ]
