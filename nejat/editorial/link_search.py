"""Links to the site's own pages from the rich-text editor: the editor's "Link" dialog
(``static/js/admin/link-dialog.js``) searches here as the editor types.

Every content type readers see is searched by title, matched as public search and the admin's
search match (``admin_search``: ی/ي, ک/ك, digits), in the edition being written. An answer names
the item, its kind and whether it is live, and gives its address as a path, so links survive a
change of domain. Only what the editor may view is listed.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import JsonResponse
from django.utils.translation import gettext as _

from nejat.editions import edition_codes, localized_field
from nejat.publishing import publishable_models, visible_to
from nejat.publishing.search import admin_search

ANSWERS = 12


@staff_member_required
def link_search(request):
    """GET ``q`` and ``edition``: ``{"results": [{title, url, kind, live}]}``, newest first."""
    code, term = request.GET.get("edition", ""), request.GET.get("q", "").strip()[:200]
    if code not in edition_codes():
        return JsonResponse({"error": _("Unknown edition.")}, status=400)
    if not term:
        return JsonResponse({"results": []})
    title = localized_field("title", code)
    found = []
    for model in publishable_models():
        opts = model._meta
        if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        items = visible_to(request.user, model.objects.outside_trash())  # not others' drafts
        items = admin_search(items, term, ("title",))
        items = items.exclude(**{title: ""}).order_by("-publish_at")[:ANSWERS]
        found += [(item, opts.verbose_name) for item in items]
    found.sort(key=lambda pair: pair[0].publish_at, reverse=True)
    return JsonResponse(
        {
            "results": [
                {
                    "title": getattr(item, title),
                    "url": item.url_in(code),
                    "kind": str(kind),
                    "live": item.is_published,
                }
                for item, kind in found[:ANSWERS]
            ]
        }
    )
