"""How the site says no, in the reader's or the editor's language: a form sent without a valid
CSRF token or from another site (403), and signing in paused after too many failures (429)."""

import math

from django.conf import settings
from django.http import HttpResponseForbidden
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy as _


def signing_in_paused(request, original_response=None, credentials=None):
    """django-axes' answer once a username or an address is locked: 429, in the admin's
    language, saying when to try again; the same whatever the username, so that it never tells
    whether an account exists."""
    from django.contrib import admin

    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {**admin.site.each_context(request), "minutes": minutes, "title": _("Sign in")}
    return render(request, "registration/locked_out.html", context, status=429)


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token: a styled 403 in the edition's language."""
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", {}, request))
