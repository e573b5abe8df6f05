from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView

from nejat.delivery.views import MissingInEdition, PublicDetailMixin, SharedWithReaders
from nejat.pages import contact
from nejat.pages.forms import ContactForm
from nejat.pages.models import ContactMessage, Page
from nejat.security.antispam.forms import client_ip


class PageDetailView(PublicDetailMixin, DetailView):
    model = Page
    context_object_name = "page"


def about(request):
    """The menu's About Us: the page placed there, in this edition (or where it exists)."""
    about_pages = Page.objects.published().filter(placement=Page.Placement.ABOUT)
    page = about_pages.in_edition().first()
    if page is not None:
        return redirect(page.get_absolute_url())
    elsewhere = about_pages.first()
    if elsewhere is not None:
        raise MissingInEdition(elsewhere)
    raise Http404("No About Us page")


class ContactView(SharedWithReaders, FormView):
    template_name = "pages/contact.html"
    form_class = ContactForm

    def form_valid(self, form):
        recent = ContactMessage.objects.filter(ip_address=client_ip(self.request) or None)
        if form.is_rate_limited(recent):
            form.add_error(
                None,
                _("You have sent several messages in a short time. Please try again later."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        contact.receive(form, self.request)
        return redirect("pages:contact_thanks")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ContactThanksView(SharedWithReaders, TemplateView):
    template_name = "pages/contact_thanks.html"
