"""Contact us: store the message first, then email staff; a failing mail server loses nothing."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage
from django.utils import timezone

from nejat.pages.models import ContactMessage, SiteSettings
from nejat.security.antispam.forms import submission_fields

logger = logging.getLogger(__name__)


def receive(form, request):
    """Save the message (as spam when it looks like it) and email staff once it is committed."""
    data = form.cleaned_data
    verdict = form.assess(
        request, text=f"{data['subject']}\n{data['message']}", email=data["email"]
    )
    message = ContactMessage.objects.create(
        name=data["name"],
        email=data["email"],
        subject=data["subject"],
        message=data["message"],
        status=ContactMessage.Status.SPAM if verdict.is_spam else ContactMessage.Status.NEW,
        **submission_fields(request, verdict),
    )
    if not verdict.is_spam:
        email_staff(message)  # a mail job, committed with the message
    return message


def email_staff(message):
    """Send ``message`` to the staff address; on failure log it and leave ``emailed_at`` empty."""
    recipient = SiteSettings.load().contact_email or settings.CONTACT_EMAIL
    if not recipient:
        return False
    email = EmailMessage(
        subject=f"[Contact] {message.subject}",
        body=(
            f"{message.name} <{message.email}> wrote ({message.language}):\n\n{message.message}\n"
        ),
        to=[recipient],
        reply_to=[message.email],
    )
    try:
        email.send()
    except (smtplib.SMTPException, OSError, BadHeaderError):
        logger.exception("Contact message %s kept, but emailing staff failed", message.pk)
        return False
    ContactMessage.objects.filter(pk=message.pk).update(emailed_at=timezone.now())
    return True
