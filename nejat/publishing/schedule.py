"""What goes out when: the agenda of scheduled items, per day and per edition.

An item is scheduled when it is published with a publish time still to come
(``Publishable.is_scheduled``). The agenda lists every content type the editor may see, the
next ``AGENDA_LIMIT`` items, grouped by day in the site's zone, optionally of one edition. A
"Publish now" bulk action in each list pulls an item forward.
"""

from itertools import groupby

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from nejat.editions import edition_codes, edition_name
from nejat.publishing import publishable_models, visible_to

AGENDA_LIMIT = 200
# The site's zone as editors read it: its city in their language, or its offset alone.
ZONE_CITIES = {"Asia/Tehran": _("Tehran"), "Europe/Tirane": _("Tirana")}


def zone_label():
    """The site's time zone in the editor's words: "Tehran time (UTC +03:30)", or for a zone
    without a city here, "UTC +14:00" (an IANA name is not a word of any edition)."""
    offset = timezone.localtime().strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}"
    if settings.TIME_ZONE not in ZONE_CITIES:
        return _("UTC %(offset)s") % {"offset": offset}
    city = ZONE_CITIES[settings.TIME_ZONE]
    return _("%(city)s time (UTC %(offset)s)") % {"city": city, "offset": offset}


def when_readers_see_it(item, was_live):
    """What a save did for readers, said after it (the Save button alone cannot tell): the
    moment a scheduled item goes out, in the editor's calendar and zone, or that it is out now.
    None when readers' view did not change (a draft saved, a live item edited)."""
    if item.is_scheduled:
        when = formats.date_format(timezone.localtime(item.publish_at), "DATETIME_FORMAT")
        return _("Scheduled: readers see “%(item)s” from %(when)s, %(zone)s.") % {
            "item": item,
            "when": when,
            "zone": zone_label(),
        }
    if item.is_published and not was_live:
        return _("Published: readers see “%(item)s” now.") % {"item": item}
    return None


def scheduled_items(user, code=None, limit=AGENDA_LIMIT):
    """The next scheduled items the user may see, soonest first: one query per content type."""
    now, items = timezone.now(), []
    for model in publishable_models():
        if model not in admin.site._registry:
            continue
        if not user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            continue
        queryset = visible_to(user, model.objects.scheduled(now))  # not others' embargoed items
        if code:
            queryset = queryset.in_edition(code)
        items += queryset.order_by("publish_at")[:limit]
    return sorted(items, key=lambda item: item.publish_at)[:limit]


@staff_member_required
def agenda(request):
    """The editors' agenda page (module docstring); ``?edition=fa`` shows one edition."""
    if not any(
        request.user.has_perm(f"{m._meta.app_label}.view_{m._meta.model_name}")
        for m in publishable_models()
    ):
        raise PermissionDenied
    code = request.GET.get("edition")
    code = code if code in edition_codes() else None
    items = scheduled_items(request.user, code)
    days = [
        (day, [_row(item) for item in group])
        for day, group in groupby(items, key=lambda item: timezone.localdate(item.publish_at))
    ]
    context = {
        **admin.site.each_context(request),
        "title": _("Scheduled"),
        "days": days,
        "edition": code,
        "editions": [(c, edition_name(c)) for c in edition_codes()],
        "zone": zone_label(),
    }
    return TemplateResponse(request, "admin/scheduled.html", context)


def _row(item):
    opts = item._meta
    return {
        "item": item,
        "kind": opts.verbose_name,
        "editions": [edition_name(code) for code in item.editions()],
        "url": reverse(admin_urlname(opts, "change"), args=[item.pk]),
    }
