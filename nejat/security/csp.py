"""The site's Content-Security-Policy: one for readers, one for staff, and where violations go.

django-csp sends settings.CONTENT_SECURITY_POLICY (or, with CSP_REPORT_ONLY=1, the report-only
header). Staff pages — everything under the admin's address in any edition — need more: the
rich-text editor loads through an inline import map, which carries this request's nonce
(``{% media_with_nonce %}`` in templates/admin/change_form.html), and it injects styles. Giving the
admin its own policy keeps the public pages' policy strict: no inline script, no inline style.
"""

import json
import logging

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from nejat.security.antispam.forms import over_the_limit
from nejat.security.roles import is_staff_page

logger = logging.getLogger(__name__)

REPORT_LIMIT_BYTES = 16 * 1024
REPORT_WINDOW_SECONDS = 60


def printable(value, limit):
    """``value`` cut to ``limit`` characters, with line breaks and every other control character
    written as escapes (``\\n``, ``\\x1b``, ``\\u2028``): a report cannot forge a log line."""
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in str(value)[:limit]
    )


class SitePolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, giving staff pages STAFF_CONTENT_SECURITY_POLICY."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        in_force = getattr(
            settings,
            "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY",
            None,
        )
        if in_force and parts.config is None and is_staff_page(request):
            parts.config = settings.STAFF_CONTENT_SECURITY_POLICY
        return parts


@csrf_exempt
@require_POST
def report(request):
    """A browser's report of what the policy blocked (or would block): one log line, then 204.

    Browsers send these without cookies or a CSRF token; anyone can, so the size is capped,
    each address may send CSP_REPORT_LIMIT a minute (then 429, unlogged), what is logged has its
    control characters escaped, and nothing is stored.
    """
    if int(request.headers.get("Content-Length") or 0) > REPORT_LIMIT_BYTES:
        return HttpResponse(status=413)
    if over_the_limit(request, "csp-report", settings.CSP_REPORT_LIMIT, REPORT_WINDOW_SECONDS):
        return HttpResponse(status=429)
    try:
        violation = json.loads(request.body)["csp-report"]
        directive = violation.get("violated-directive") or violation["effective-directive"]
        logger.warning(
            "CSP %s: %s blocked on %s",
            printable(directive, 100),
            printable(violation.get("blocked-uri", ""), 200),
            printable(violation.get("document-uri", ""), 200),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return HttpResponse(status=400)
    return HttpResponse(status=204)
