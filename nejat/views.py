from django.http import (
    Http404,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
)
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.generic import TemplateView

from nejat.editions import current_edition, edition_name, is_rtl, localized_field
from nejat.publishing import user_can_preview


class PublicDetailMixin:
    """Detail pages of ``Publishable`` items.

    Readers get published items of the current edition; editors also preview drafts and scheduled
    items, with headers that keep those pages out of every cache. The slug in the address is
    cosmetic: a wrong or missing one answers 301 to the right address.
    """

    def get_queryset(self):
        return self.visible(super().get_queryset()).in_edition()

    def visible(self, queryset):
        if user_can_preview(self.request.user, queryset.model):
            return queryset
        return queryset.published()

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            elsewhere = self.visible(self.model.objects.filter(pk=self.kwargs["pk"])).first()
            if elsewhere is not None:
                raise MissingInEdition(elsewhere) from None
            raise

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        slug = getattr(self.object, localized_field("slug", current_edition())) or ""
        if self.kwargs.get("slug", "") != slug:
            return HttpResponsePermanentRedirect(self.object.url_in(current_edition()))
        response = self.render_to_response(self.get_context_data(object=self.object))
        if not self.object.is_published:
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(edition_object=self.object, **kwargs)


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


SECTION_TITLES = {
    "books": _("Books"),
    "newsletter": _("Nejat NewsLetter"),
    "pars-brief": _("Pars Brief"),
    "photos": _("Photo Gallery"),
    "videos": _("Videos"),
    "cartoons": _("Cartoons"),
    "newspics": _("NewsPics"),
}


class SectionView(TemplateView):
    """A menu section whose content type is not built yet: an honest empty state, not a 404."""

    section = None
    template_name = "section_empty.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(section_title=SECTION_TITLES[self.section], **kwargs)


def page_not_found(request, exception):
    if not isinstance(exception, MissingInEdition):
        return defaults.page_not_found(request, exception, template_name="404.html")
    context = {"other_editions": exception.edition_links()}
    return HttpResponseNotFound(loader.render_to_string("404.html", context, request))


def server_error(request):
    """The 500 page asks nothing of the database, which may be why we are here."""
    code = current_edition()
    template = loader.get_template("500.html")
    return HttpResponseServerError(
        template.render({"edition": code, "direction": "rtl" if is_rtl(code) else "ltr"})
    )


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token: a styled 403 in the edition's language."""
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", {}, request))
