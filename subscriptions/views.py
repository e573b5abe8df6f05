"""The reader's pages: subscribe, check your inbox, confirm, your lists, leave. Only the first
two are the same for every reader (the page cache keeps them); the others answer a signed link
(``subscriptions.links``) and are never kept."""

import functools

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView

from nejat.delivery.views import SharedWithReaders
from nejat.security.antispam.forms import over_the_limit
from subscriptions import links, subscribing
from subscriptions.forms import PreferencesForm, SubscribeForm


class SubscribeView(SharedWithReaders, FormView):
    template_name = "subscriptions/subscribe.html"
    form_class = SubscribeForm

    def form_valid(self, form):
        limit = settings.SUBSCRIPTIONS["RATE_LIMIT_PER_HOUR"]
        if over_the_limit(self.request, "subscribe", limit, 3600):
            form.add_error(None, _("Too many requests from your address. Try again in an hour."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        data = form.cleaned_data
        if not form.caught_a_bot():  # (a bot is told what a reader is told, and nothing is sent)
            how = f"on {self.request.path} (the {form.chosen_lists()[0][1]} edition's form)"
            subscribing.ask(data["email"], form.chosen_lists(), form.chosen_lists()[0][1], how,
                            self.request)  # fmt: skip
        return redirect("subscriptions:check_inbox")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CheckInboxView(SharedWithReaders, TemplateView):
    template_name = "subscriptions/check_inbox.html"


def signed_link(purpose):
    """The view answers a ``purpose`` link: it gets ``(request, link)``, where ``link`` is
    (subscriber, list key, made at); a bad link gets a 400 page that says so."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, token):
            try:
                link = links.read(token, purpose)
            except links.BadLink:
                return render(request, "subscriptions/bad_link.html", status=400)
            return view(request, link)

        return wrapper

    return decorate


@signed_link(links.CONFIRM)
def confirm(request, link):
    """A button, not the link itself: mail scanners open links, and must not subscribe."""
    subscriber, _list, made_at = link
    if request.method == "POST":
        subscribing.confirm(subscriber, made_at)
        return redirect("subscriptions:manage", token=links.token(subscriber, links.MANAGE))
    return render(request, "subscriptions/confirm.html", {"subscriber": subscriber})


@signed_link(links.MANAGE)
def manage(request, link):
    """The reader's lists; leave them all; download or delete what is kept."""
    subscriber = link[0]
    form = PreferencesForm(subscriber, request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "download":
            answer = HttpResponse(subscribing.everything_kept(subscriber),
                                  content_type="application/json; charset=utf-8")  # fmt: skip
            answer["Content-Disposition"] = 'attachment; filename="subscription.json"'
            return answer
        if action == "delete":
            subscribing.forget(subscriber)
            return render(request, "subscriptions/forgotten.html")
        if action == "leave":
            subscribing.leave(subscriber)
        elif form.is_valid():
            subscribing.choose(subscriber, form.chosen_lists())
        else:
            return render(request, "subscriptions/manage.html", {"form": form}, status=400)
        return redirect(request.path + "?saved=1")
    context = {"form": form, "saved": "saved" in request.GET, "subscriber": subscriber}
    return render(request, "subscriptions/manage.html", context)


@csrf_exempt
@signed_link(links.LEAVE)
def unsubscribe(request, link):
    """The address of every list mail's ``List-Unsubscribe``: a mail program's one-click POST
    (RFC 8058: no cookie, no Origin, the token alone) leaves the list and gets a 200, never a
    redirect; a reader's GET gets a button."""
    subscriber, list_key, _made_at = link
    if request.method == "POST":
        subscribing.leave(subscriber, list_key)
        return render(request, "subscriptions/left.html", {"subscriber": subscriber,
                      "manage_token": links.token(subscriber, links.MANAGE)})  # fmt: skip
    return render(request, "subscriptions/unsubscribe.html", {"list_key": list_key})
