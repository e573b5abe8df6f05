"""The trash in the admin: what editors delete goes there for ``TRASH_DAYS`` days, and comes
back with one click.

Deleting an item (its Delete button, or the bulk action) moves it to the trash
(``Publishable.delete``): readers no longer see it. The list shows the trash only when asked
(the state filter's "In the trash"); there each row has a Restore button, and the bulk actions
are the trash's own, restore and delete for good. Everywhere else the list offers "move to the
trash" and not those two. What is deleted for good is gone: the trash is the one way back
(django-reversion's "Recover deleted" list is not offered, ``RevisionAdmin``).
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from nejat.publishing import State, revisions

TRASH_ACTIONS = ("restore_from_trash", "delete_forever")


def viewing_trash(request):
    """The list is showing the trash (``nejat.editorial.publishable_admin.StateFilter``)."""
    return request.GET.get("state") == State.TRASH


class TrashAdmin:
    """The trash's views, actions and list column (module docstring)."""

    delete_confirmation_template = "admin/move_to_trash_confirmation.html"
    change_list_template = "admin/trash_change_list.html"

    def get_urls(self):
        opts = self.model._meta
        restore = path(
            "<path:object_id>/restore/",
            self.admin_site.admin_view(self.restore_view),
            name=f"{opts.app_label}_{opts.model_name}_restore",
        )
        return [restore, *super().get_urls()]

    def get_actions(self, request):
        """The trash's own actions in the trash, "move to the trash" elsewhere (and never
        Django's "delete selected", which would say "deleted" of what goes to the trash)."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        in_trash = viewing_trash(request)
        return {
            name: action
            for name, action in actions.items()
            if (name in TRASH_ACTIONS) == in_trash
        }  # fmt: skip

    def get_list_display(self, request):
        """In the trash, a Restore button on each row instead of the link to the public page."""
        columns = super().get_list_display(request)
        if viewing_trash(request):
            return (*(c for c in columns if c != "page_link"), "restore_button")
        return columns

    @admin.display(description=_("Restore"))
    def restore_button(self, obj):
        url = reverse(admin_urlname(self.opts, "restore"), args=[quote(obj.pk)])
        return format_html(
            '<button type="submit" class="button" form="restore-from-trash" formaction="{}">'
            "{}</button>",
            url,
            _("Restore"),
        )

    def restore_view(self, request, object_id):
        """One item back from the trash (its row's Restore button), then the trash again."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        item = self.get_object(request, unquote(object_id))
        if item is None or not self.has_delete_permission(request, item):
            raise PermissionDenied
        with self.create_revision(request):
            revisions.set_comment(revisions.NOTE_UNTRASHED)
            item.restore_from_trash()
        self.message_user(
            request,
            _("“%(item)s” is back from the trash.") % {"item": item},
            messages.SUCCESS,
        )
        back = reverse(admin_urlname(self.opts, "changelist"))
        return redirect(f"{back}?{urlencode({'state': State.TRASH})}")

    # --- deleting is moving to the trash ------------------------------------------------------
    def get_deleted_objects(self, objs, request):
        """Nothing is deleted by moving to the trash: no related rows to list or to be allowed."""
        return [str(obj) for obj in objs], {}, set(), []

    def delete_view(self, request, object_id, extra_context=None):
        extra_context = {**(extra_context or {}), "trash_days": settings.TRASH_DAYS}
        return super().delete_view(request, object_id, extra_context)

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request,
            _("“%(item)s” is in the trash. It can be restored for %(days)d days.")
            % {"item": obj_display, "days": settings.TRASH_DAYS},
            messages.SUCCESS,
        )
        return redirect(admin_urlname(self.opts, "changelist"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        item = self.get_object(request, unquote(object_id))
        if request.method == "GET" and item is not None and item.in_the_trash:
            self.message_user(
                request,
                _("This item is in the trash: readers cannot see it. Restore it from the list."),
                messages.WARNING,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    # --- the bulk actions ---------------------------------------------------------------------
    @admin.action(description=_("Move selected items to the trash"), permissions=["delete"])
    def move_to_trash(self, request, queryset):
        revisions.set_comment(revisions.NOTE_TRASHED)
        count, _per_model = queryset.delete()
        self.message_user(
            request,
            ngettext(
                "%(count)d item moved to the trash; it can be restored for %(days)d days.",
                "%(count)d items moved to the trash; they can be restored for %(days)d days.",
                count,
            )
            % {"count": count, "days": settings.TRASH_DAYS},
            messages.SUCCESS,
        )

    @admin.action(description=_("Restore selected items from the trash"), permissions=["delete"])
    def restore_from_trash(self, request, queryset):
        revisions.set_comment(revisions.NOTE_UNTRASHED)
        items = list(queryset.in_trash())
        for item in items:
            item.restore_from_trash()
        self.message_user(
            request,
            ngettext("%d item restored.", "%d items restored.", len(items)) % len(items),
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Delete selected items from the trash for good"), permissions=["delete"]
    )
    def delete_forever(self, request, queryset):
        items = list(queryset.in_trash())
        for item in items:
            item.delete_forever()
        self.message_user(
            request,
            ngettext("%d item deleted for good.", "%d items deleted for good.", len(items))
            % len(items),
            messages.SUCCESS,
        )
