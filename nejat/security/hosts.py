"""The site's own name in every absolute address, whatever the request's ``Host`` header said.

``CanonicalHostMiddleware`` runs before anything that reads the host (the page cache's key, the
canonical links, feeds, sitemaps, e-mails):

- A host ALLOWED_HOSTS does not name gets a plain 400, with no error page: Django's own answer
  renders ``400.html``, whose links are absolute and so ask for the bad host again (a 500 and a
  traceback in the log for anyone's forged header).
- An allowed host is put in its one form: the header's name in lower case, without a trailing
  dot, with its port only when it is the port the request arrived on (``make run``'s
  ``127.0.0.1:8000``), never a port a client made up; the site's own name (``SITE_URL``) as
  that setting writes it, whatever port or case the header carried. Another allowed name (a
  ``www.`` one, an address) keeps its own: the admin's CSRF check compares a form's Origin with
  the host, so a form posted on ``www.`` must still be from ``www.``.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponseBadRequest
from django.http.request import split_domain_port


def canonical_host(request):
    """The host for this request's absolute addresses (raises DisallowedHost)."""
    host = request.get_host()
    domain, port = split_domain_port(host.lower())
    if settings.SITE_HOST and domain == split_domain_port(settings.SITE_HOST)[0]:
        return settings.SITE_HOST
    if port and port == str(request.META.get("SERVER_PORT", "")):
        return f"{domain}:{port}"
    return domain


class CanonicalHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.META["HTTP_HOST"] = canonical_host(request)
        except DisallowedHost:
            return HttpResponseBadRequest(
                "Bad request: this site does not answer to that host name.\n",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
