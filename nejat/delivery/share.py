"""Share links: plain links to each service, no third-party script on our pages.

A detail page links straight to the services (one row). A list shows a row under every card, and
ten rows of full service addresses weighed 13 KB of a 34 KB home page: there each link is the
item's own short address with ``?share=<service>`` (``PublicDetailMixin`` answers it with a
redirect to the service), about a third of the bytes and no work per link.
"""

from urllib.parse import quote, urlencode

from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

SERVICES = {
    "facebook": (_("Facebook"), "https://www.facebook.com/sharer/sharer.php?u={url}"),
    "twitter": (_("Twitter"), "https://twitter.com/intent/tweet?url={url}&text={title}"),
    "pinterest": (
        _("Pinterest"),
        "https://pinterest.com/pin/create/button/?url={url}&description={title}",
    ),
    "whatsapp": (_("WhatsApp"), "https://wa.me/?text={title}%20{url}"),
    "telegram": (_("Telegram"), "https://t.me/share/url?url={url}&text={title}"),
    "skype": (_("Skype"), "https://web.skype.com/share?url={url}"),
    "email": (_("Email"), "mailto:?subject={title}&body={url}"),
}


def service_address(service, request, item):
    """Where sharing ``item`` on ``service`` goes: the service's form with the item's short
    absolute address (a Persian slug would be percent-encoded twice) and its title."""
    url = quote(request.build_absolute_uri(item.get_short_url()), safe="")
    return SERVICES[service][1].format(url=url, title=quote(str(item.title), safe=""))


class ToService(HttpResponseRedirect):
    """The answer to ``?share=<service>``: the services are https, and e-mail is mailto."""

    allowed_schemes = ["https", "mailto"]


def share_links(request, item, through_site=False):
    """(service name, address) for each service."""
    if through_site:
        short = item.get_short_url()
        return [
            (name, f"{short}?{urlencode({'share': service})}")
            for service, (name, _p) in SERVICES.items()
        ]
    return [
        (name, service_address(service, request, item)) for service, (name, _p) in SERVICES.items()
    ]
