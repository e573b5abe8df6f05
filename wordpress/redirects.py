"""Old WordPress addresses answer 301 to what their items became (``OldAddress``).

Only requests the site itself cannot answer are looked up (a 404), and WordPress's own query
addresses (``/?p=123``, ``/?page_id=7``, ``/?cat=3``), which land on the home page. An upload's
sized copy (``x-300x200.jpg``) goes where its original went.
"""

import re

from django.http import HttpResponsePermanentRedirect

from nejat.delivery.addresses import read_everywhere
from wordpress.models import OldAddress

WORDPRESS_QUERIES = ("p", "page_id", "attachment_id", "cat", "tag")
read_everywhere(*WORDPRESS_QUERIES)  # past the page cache's key (nejat.delivery.addresses)
SIZED_COPY = re.compile(r"^(?P<name>.+)-\d+x\d+(?P<extension>\.\w+)$")


def wordpress_query(request):
    """``"p=123"`` for ``?p=123`` (the first of WordPress's query keys present), else ""."""
    for key in WORDPRESS_QUERIES:
        value = request.GET.get(key, "")
        if value:
            return f"{key}={value}"
    return ""


def new_address(request):
    """The new address of the old one requested, or ""."""
    host, query = request.get_host().rsplit(":", 1)[0], wordpress_query(request)
    paths = [request.path]
    if not request.path.endswith("/"):
        paths.append(request.path + "/")
    if sized := SIZED_COPY.match(request.path):
        paths.append(sized["name"] + sized["extension"])
    found = OldAddress.objects.asked_for(host, paths, query)
    return found.new_url() if found else ""


class OldAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in {"GET", "HEAD"} and (
            response.status_code == 404 or wordpress_query(request)
        ):
            target = new_address(request)
            if target:
                return HttpResponsePermanentRedirect(target)
        return response
