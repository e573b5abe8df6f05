import sys
from urllib.parse import unquote

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseGone,
    HttpResponseNotFound,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
)
from django.template import loader
from django.urls import resolve, reverse
from django.utils.cache import add_never_cache_headers
from django.views import defaults, static
from django.views.generic import ListView

from nejat.delivery import share
from nejat.delivery.addresses import reads_query
from nejat.delivery.page_cache import share_with_readers
from nejat.delivery.pagination import NewerOlderPaginator
from nejat.editions import current_edition, edition_codes, edition_name, is_rtl, localized_field
from nejat.media.renditions import RENDITION_CACHE_CONTROL, is_rendition
from nejat.publishing import visible_to
from nejat.publishing.review import previewed_item
from nejat.publishing.search import SearchResults


class SharedWithReaders:
    """A view whose GET answers are the same for every anonymous reader: the page cache
    (``nejat.delivery.page_cache``) may keep them."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and self.is_shared_with_readers():
            share_with_readers(response)
        return response

    def is_shared_with_readers(self):
        return True


@reads_query("page")
class PublicListView(SharedWithReaders, ListView):
    """Every public list: the model's public items of the edition, newest first, ten a page,
    with "Newer Posts"/"Older Posts" and no count of the whole archive."""

    paginate_by = settings.ARTICLES_PER_PAGE
    paginator_class = NewerOlderPaginator

    def get_queryset(self):
        return self.model.objects.public()


@reads_query("share", "reply", "comment")  # a share link, a reply's form, a comment's notice
class PublicDetailMixin(SharedWithReaders):
    """Detail pages of ``Publishable`` items.

    Readers get published items of the current edition; editors also preview drafts and scheduled
    items, contributors their own, and a reviewer the item their link names
    (``nejat.publishing.review``), with headers that keep those pages out of every cache. The slug
    in the address is cosmetic: a wrong or missing one answers 301 to the right address.
    """

    def get_queryset(self):
        return self.visible(super().get_queryset()).outside_trash().in_edition()

    def visible(self, queryset):
        shown = visible_to(self.request.user, queryset)
        shared = getattr(self.request, "shared_preview", None)
        if isinstance(shared, queryset.model):
            shown = shown | queryset.filter(pk=shared.pk)
        return shown

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            found = self.model.objects.filter(pk=self.kwargs["pk"])
            elsewhere = self.visible(found.outside_trash()).first()
            if elsewhere is not None:
                raise MissingInEdition(elsewhere) from None
            if found.in_trash().exists():
                raise InTheTrash from None
            raise

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        service = request.GET.get("share")
        if service in share.SERVICES:  # a share link under a list's card (nejat.delivery.share)
            return share.ToService(share.service_address(service, request, self.object))
        slug = getattr(self.object, localized_field("slug", current_edition())) or ""
        if self.kwargs.get("slug", "") != slug:
            return HttpResponsePermanentRedirect(self.canonical_url())
        response = self.render_to_response(self.get_context_data(object=self.object))
        if not self.object.is_published:
            add_never_cache_headers(response)
        return response

    def canonical_url(self):
        return self.object.url_in(current_edition())

    def is_shared_with_readers(self):
        return getattr(self, "object", None) is not None and self.object.is_published

    def get_context_data(self, **kwargs):
        return super().get_context_data(edition_object=self.object, **kwargs)


def shared_preview(request, token):
    """A reviewer's link (``nejat.publishing.review``): the item's page as readers will see it, in
    this edition, never indexed or cached. A forged or expired link is a 404."""
    item = previewed_item(token)
    if item is None or not item.in_edition(current_edition()):
        raise Http404("No such preview")
    match = resolve(unquote(item.url_in(current_edition())))  # reverse() percent-encodes
    request.shared_preview = item
    response = match.func(request, *match.args, **match.kwargs)
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


class MissingInEdition(Http404):
    """The item exists, but not in this edition: the 404 page links to the editions it is in."""

    def __init__(self, item):
        super().__init__("Not in this edition")
        self.item = item

    def edition_links(self):
        return [
            {"code": code, "name": edition_name(code), "url": self.item.url_in(code)}
            for code in self.item.editions()
        ]


class InTheTrash(Http404):
    """The item was deleted (it waits in the trash): 410 Gone, so search engines drop it."""


def page_not_found(request, exception):
    if isinstance(exception, InTheTrash):
        return HttpResponseGone(loader.render_to_string("410.html", {}, request))
    if not isinstance(exception, MissingInEdition):
        return defaults.page_not_found(request, exception, template_name="404.html")
    context = {"other_editions": exception.edition_links()}
    return HttpResponseNotFound(loader.render_to_string("404.html", context, request))


# The database is down or restarting: readers are asked to come back, not shown an error.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def server_error(request):
    """The 500 page, or the 503 page while the database cannot be reached (Django calls this
    view while it handles the exception, so ``sys.exc_info()`` names it). Neither asks anything
    of the database."""
    code = current_edition()
    context = {
        "edition": code,
        "direction": "rtl" if is_rtl(code) else "ltr",
        "request_id": getattr(request, "request_id", ""),  # nejat.ops.request_log: finds the lines
    }
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        response = HttpResponse(loader.render_to_string("503.html", context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html", context))


@reads_query("q", "page")
class SearchView(SharedWithReaders, ListView):
    """/search/?q=…: ranked results across every content type of the edition, kept per
    normalised query (``nejat.delivery.addresses``) until a searched type's list changes."""

    template_name = "search/results.html"
    paginate_by = 10
    context_object_name = "results"

    def get_queryset(self):
        return SearchResults(self.request.GET.get("q", ""), current_edition())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = context["paginator"].object_list.text
        return context


def robots_txt(request):
    """Crawlers: everything public, but not the admin, search results or comment posting."""
    lines = ["User-agent: *"]
    for code in edition_codes():
        prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
        lines += [
            f"Disallow: {prefix}/admin/",
            f"Disallow: {prefix}/search/",
            f"Disallow: {prefix}/comments/",
        ]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def media_file(request, path):
    """An upload, where Django serves them (SERVE_MEDIA=1, e.g. `make serve` without nginx)."""
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    if is_rendition(path):
        response["Cache-Control"] = RENDITION_CACHE_CONTROL
    return response
