"""The address an item will have, shown under its slug while the title is typed.

Made by the rules that make it on save (``fill_missing_slugs``, the model's ``url_in``), so the
preview never promises another address than the one readers get.
"""

from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.http import JsonResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _

from nejat.editions import edition_codes, localized_field
from nejat.publishing import fill_missing_slugs


class PermalinkPreviewAdmin:
    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_permalink"
        view = self.admin_site.admin_view(self.permalink_view)
        return [
            path("permalink/", view, name=name),
            path("<path:object_id>/permalink/", view, name=name),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        args = [obj.pk] if obj is not None and obj.pk else []
        context["permalink_url"] = reverse(
            admin_urlname(self.opts, "permalink"), args=args, current_app=self.admin_site.name
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def permalink_view(self, request, object_id=None):
        """GET ``code``, ``title``, ``slug``: ``{"url": the address in that edition}``."""
        code = request.GET.get("code")
        obj = self.get_object(request, object_id) if object_id else None
        if code not in edition_codes() or not self.has_view_or_change_permission(request, obj):
            return JsonResponse({"url": ""}, status=400)
        item = self.model(pk=obj.pk if obj else 0)
        setattr(item, localized_field("title", code), request.GET.get("title", "")[:500])
        setattr(item, localized_field("slug", code), request.GET.get("slug", "")[:500])
        fill_missing_slugs(item)
        if not getattr(item, localized_field("slug", code)):
            return JsonResponse({"url": ""})
        try:
            address = item.url_in(code)
        except NoReverseMatch:  # an address made of more than the slug (a newsletter's number)
            return JsonResponse({"url": ""})
        return JsonResponse(
            {
                "url": request.build_absolute_uri(address),
                "note": "" if obj else _("(the number is given on the first save)"),
            }
        )
