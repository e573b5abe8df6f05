"""One implementation of the spam defences, mixed into every form the public posts.

A submission is *refused* (a clear form error, nothing stored) when its form is expired or forged,
or when its address sent too much lately; it is *kept as spam* (stored, hidden, for moderators to
rescue) when the honeypot is filled, it came too fast after the form was shown, it has too many
links or it contains a blocked term.
"""

import functools
import re
import time
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from nejat.editions import current_edition
from nejat.security.antispam.models import BlockedTerm
from nejat.security.refusals import csrf_failure

SIGNING_SALT = "nejat.security.antispam.form-shown-at"
LINK = re.compile(r"(https?://|www\.)", re.IGNORECASE)


def client_ip(request):
    """The reader's address; X-Forwarded-For is trusted only behind ``TRUSTED_PROXIES`` proxies."""
    proxies = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def over_the_limit(request, scope, limit, window_seconds):
    """Count this request against its address in ``scope``; whether it went over ``limit`` in
    the window that began with the address's first request. The counter is in the cache (Redis
    with REDIS_URL, so the limit holds across app servers); for endpoints that store nothing."""
    key = f"rate:{scope}:{client_ip(request)}"
    cache.add(key, 0, timeout=window_seconds)  # the window starts with the first request
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.set(key, count := 1, timeout=window_seconds)
    return count > limit


def submission_fields(request, verdict):
    """The ``Submission`` fields of a post: edition, address, browser and spam verdict."""
    return {
        "language": current_edition(),
        "spam_reason": str(verdict)[:300],
        "ip_address": client_ip(request) or None,
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
    }


def posted_from_this_site(request):
    """The CSRF defence of the public forms: the POST's Origin (or, without one, its Referer)
    is this site. Their pages are cached whole for every reader, so they cannot carry a
    per-reader CSRF token; browsers send Origin with every POST and a page elsewhere cannot
    forge it."""
    origin = request.headers.get("Origin", "")
    if origin in ("", "null"):
        referer = urlsplit(request.headers.get("Referer", ""))
        origin = f"{referer.scheme}://{referer.netloc}" if referer.netloc else ""
    return bool(origin) and (
        origin == f"{request.scheme}://{request.get_host()}"
        or origin in settings.CSRF_TRUSTED_ORIGINS
    )


def from_this_site_only(view):
    """For a public form's view: ``posted_from_this_site`` instead of Django's CSRF cookie."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not posted_from_this_site(request):
            return csrf_failure(request, reason="Origin checking failed")
        return view(request, *args, **kwargs)

    return wrapper


def count_links(text):
    return len(LINK.findall(text or ""))


@dataclass
class Verdict:
    reasons: list = field(default_factory=list)

    @property
    def is_spam(self):
        return bool(self.reasons)

    def __str__(self):
        return "; ".join(self.reasons)


class HoneypotForm(forms.Form):
    """A honeypot only: for a form whose own rules stop abuse (the subscribe form's double
    opt-in), shown on every page, where a "shown at" time would be as old as the kept page.
    ``caught_a_bot()`` after ``is_valid()``."""

    # Bots fill every field; people never see this one (hidden by CSS and from screen readers).
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def caught_a_bot(self):
        return bool(self.cleaned_data.get("website"))

    @property
    def blank_fields_name(self):
        """While the form is blank, its visible fields are the same HTML on every page of an
        edition: their name for ``{% shared_fragment %}`` (the class, its prefix and its ids).
        None once bound or prefilled (any initial value, the form's or the field's)."""
        if self.is_bound or any(
            self.get_initial_for_field(field.field, field.name) for field in self.visible_fields()
        ):
            return None
        form_class = type(self)
        return f"{form_class.__module__}.{form_class.__qualname__}:{self.prefix}:{self.auto_id}"


class SpamDefenceForm(HoneypotForm):
    """Adds a signed "form shown at" time to the honeypot.

    Call ``assess(request, text=..., email=..., recent=...)`` after ``is_valid()``.
    """

    shown_at = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shown_at"].initial = signing.dumps(time.time(), salt=SIGNING_SALT)

    def clean_shown_at(self):
        try:
            shown_at = float(signing.loads(self.cleaned_data["shown_at"], salt=SIGNING_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            self._renew_token()
            raise forms.ValidationError(
                _("This form could not be verified. Please reload the page and try again."),
                code="forged",
            ) from None
        if time.time() - shown_at > settings.ANTISPAM["FORM_MAX_AGE_SECONDS"]:
            self._renew_token()
            raise forms.ValidationError(
                _("This form was open for too long. Please check your text and send it again."),
                code="expired",
            )
        return shown_at

    def _renew_token(self):
        """The form is shown again with the reader's text: give it a token that will pass."""
        self.data = self.data.copy()
        self.data["shown_at"] = self.fields["shown_at"].initial

    def is_rate_limited(self, recent):
        """``recent``: this model's submissions from the same address (a queryset)."""
        window = settings.ANTISPAM["RATE_WINDOW_SECONDS"]
        since = timezone.now() - timedelta(seconds=window)
        return recent.filter(created_at__gte=since).count() >= settings.ANTISPAM["RATE_LIMIT"]

    def assess(self, request, *, text, email=""):
        """Why this submission looks like spam (an empty verdict when it does not)."""
        verdict = Verdict()
        if self.cleaned_data.get("website"):
            verdict.reasons.append("honeypot filled")
        elapsed = time.time() - self.cleaned_data["shown_at"]
        if elapsed < settings.ANTISPAM["MIN_SECONDS_TO_POST"]:
            verdict.reasons.append(f"posted {elapsed:.1f}s after the form was shown")
        links = count_links(text)
        if links > settings.ANTISPAM["MAX_LINKS"]:
            verdict.reasons.append(f"{links} links")
        for term in BlockedTerm.matches(text=text, email=email, ip=client_ip(request)):
            verdict.reasons.append(f"blocked {term}")
        return verdict
