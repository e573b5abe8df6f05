"""What a mailing says, rendered once per mailing (the template, the CSS put inline), then made
into each recipient's message with their own links: List-Unsubscribe (RFC 8058's one-click)
and the visible links to leave and to manage their lists."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nejat.pages.site import site_context
from subscriptions import links, mails
from subscriptions.models import Kind, Suppression

DIGEST_DAYS = 7

# Stand-ins for each recipient's links, replaced in the rendered mail.
LEAVE_URL, MANAGE_URL = "https://leave.invalid/", "https://manage.invalid/"


def entries(mailing):
    """[(title, text, url)] the mail lists, in the mailing's edition."""
    code = mailing.edition
    with translation.override(code):
        if mailing.kind == Kind.NEWSLETTER and mailing.newsletter:
            issue = mailing.newsletter
            rows = issue.items.in_edition(code)
            return [(row.title, row.summary, links.absolute(issue.url_in(code))) for row in rows]
        if mailing.kind == Kind.BRIEF and mailing.brief:
            brief = mailing.brief
            rows = brief.entries.in_edition(code)
            return [("", row.text, row.link or links.absolute(brief.url_in(code))) for row in rows]
        articles = mailing.articles.public(code).order_by("-publish_at")
        return [(a.title, a.lead, links.absolute(a.url_in(code))) for a in articles]


def the_weeks_articles(code):
    """The articles of an edition published in the last week, for a digest to start from."""
    from articles.models import Article

    since = timezone.now() - timedelta(days=DIGEST_DAYS)
    return Article.objects.public(code).filter(publish_at__gte=since)


def offer_digests():
    """A draft weekly digest for each edition with digest readers and articles this week,
    unless one was offered in the last six days."""
    from nejat.editions import edition_codes
    from subscriptions.models import Mailing, Subscription

    offered = []
    recently = timezone.now() - timedelta(days=DIGEST_DAYS - 1)
    for code in edition_codes():
        articles = list(the_weeks_articles(code))
        readers = Subscription.objects.active().filter(kind=Kind.DIGEST, edition=code)
        earlier = Mailing.objects.filter(kind=Kind.DIGEST, edition=code, created_at__gte=recently)
        if not articles or not readers.exists() or earlier.exists():
            continue
        with translation.override(code):
            subject = _("The week at %(site)s") % {"site": site_context(code)["site_name"]}
        mailing = Mailing.objects.create(kind=Kind.DIGEST, edition=code, subject=subject)
        mailing.articles.set(articles)
        offered.append(mailing)
    return offered


def main_link(mailing):
    item = mailing.newsletter or mailing.brief
    return links.absolute(item.url_in(mailing.edition)) if item else ""


class Prepared:
    """The mailing rendered once; ``message_for(delivery)`` is one recipient's mail."""

    def __init__(self, mailing):
        self.mailing = mailing
        context = {
            "mailing": mailing,
            "introduction": mailing.introduction,
            "entries": entries(mailing),
            "main_link": main_link(mailing),
            "list_name": Kind(mailing.kind).label,
            "leave_url": LEAVE_URL,
            "manage_url": MANAGE_URL,
        }
        _subject, self.text, self.html = mails.render(
            "subscriptions/mail/mailing", mailing.edition, context
        )
        self.host = links.absolute("/").split("/")[2]

    def message_for(self, delivery):
        subscriber, edition = delivery.subscriber, self.mailing.edition
        if subscriber is None:  # a test to an editor: the subscribe page stands in
            with translation.override(edition):
                leave = manage = links.absolute(reverse("subscriptions:subscribe"))
        else:
            leave = links.link(subscriber, links.LEAVE, edition, list_key=self.mailing.list_key)
            manage = links.link(subscriber, links.MANAGE, edition)
        own = {LEAVE_URL: leave, MANAGE_URL: manage}
        text, html = self.text, self.html
        for stand_in, url in own.items():
            text, html = text.replace(stand_in, url), html.replace(stand_in, url)
        headers = {
            "List-Unsubscribe": f"<{leave}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<{self.mailing.kind}.{edition}.{self.host}>",
            "Message-ID": f"<mailing-{self.mailing.pk}.{delivery.pk or 'test'}@{self.host}>",
        }
        return mails.multipart(self.mailing.subject, text, html, delivery.email, headers)


def as_bytes(message):
    """The message as it goes on the wire, DKIM-signed when a key is configured."""
    from subscriptions import dkim_signing

    return dkim_signing.signed(message.message().as_bytes(linesep="\r\n"))


HARD_BOUNCE_CODES = ("5.1.1", "5.1.2", "5.1.3", "5.1.10")


def is_hard_bounce(code, answer):
    """A permanent refusal of the address itself (no such user, bad domain)."""
    return code in (550, 551, 553) and (
        any(status in answer for status in HARD_BOUNCE_CODES) or code != 550
    )


def suppress_bounce(email, answer):
    Suppression.objects.get_or_create(
        email=email, defaults={"reason": Suppression.Reason.HARD_BOUNCE, "detail": answer}
    )
