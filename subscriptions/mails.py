"""The mails readers get, in their edition's language and direction: HTML whose CSS is put into
style attributes (css-inline: mail programs drop <style>), and the same words as plain text."""

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from nejat.editions import is_rtl
from nejat.pages.site import site_context
from subscriptions import links

# No stylesheet is ever fetched: the mail's CSS is in its own <style>.
INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, keep_at_rules=True)


def render(template, edition, context):
    """(subject, text, html) of ``template``'s three parts, rendered in ``edition``."""
    with translation.override(edition):
        context = {
            "edition": edition,
            "direction": "rtl" if is_rtl(edition) else "ltr",
            "site_name": site_context(edition)["site_name"],
            **context,
        }
        subject = render_to_string(f"{template}.subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
        html = INLINER.inline(render_to_string(f"{template}.html", context))
    return " ".join(subject.split()), text, html


def message(template, edition, context, to, headers=None):
    return multipart(*render(template, edition, context), to, headers)


def multipart(subject, text, html, to, headers=None):
    """A list mail from the subscriptions' address: text, and the same as HTML."""
    mail = EmailMultiAlternatives(
        subject, text, settings.SUBSCRIPTIONS["FROM_EMAIL"], [to], headers=headers or {}
    )
    mail.attach_alternative(html, "text/html")
    return mail


def confirmation(subscriber, subscriptions, edition, request=None):
    """The double opt-in mail: nothing is sent to a list before its link is followed."""
    context = {
        "lists": [s.get_kind_display() for s in subscriptions],
        "confirm_url": links.link(subscriber, links.CONFIRM, edition, request=request),
        "days": settings.SUBSCRIPTIONS["CONFIRM_DAYS"],
    }
    return message("subscriptions/mail/confirm", edition, context, subscriber.email)
