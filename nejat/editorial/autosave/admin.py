"""No lost work in the admin: one mixin, ``UnsavedWorkAdmin``, for every content admin.

- **Drafts.** While an editor types, the form (``static/js/admin/autosave.js``) sends its fields,
  without files, to ``…/autosave/`` ``AUTOSAVE_SECONDS`` (2) after the last change, at least every
  ``AUTOSAVE_MAX_SECONDS`` (10) while the typing goes on, and when the page closes: they are kept
  as the editor's ``Draft`` of that item, and the item itself is not touched. Between two sends
  the browser keeps its own copy (``localStorage``), for a browser killed before its last send or
  a connection that failed. Opening the form again offers the draft back, or the browser's copy
  when it is newer ("Restore" reloads the form with it, before the rich-text editors start);
  saving the form, or "Discard", deletes it. The same script warns before leaving a page with
  unsaved changes.
- **Files chosen in a form that came back with an error** are kept (``KeptUpload``) and shown as
  kept: the next save takes them unless another file is chosen. A 40 MB PDF is sent once.
- **Stored images** other apps offer (the media library) can be chosen for any image field
  (``nejat.editorial.autosave.sources``).
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from nejat.editorial.autosave.models import Draft, KeptUpload
from nejat.editorial.autosave.sources import IMAGE_SOURCES, claim_chosen_images
from nejat.editorial.autosave.widgets import KEPT_PREFIX, KeptFileInput

NEW_ITEM_KEY = "autosave_key"  # the hidden field naming a new item's form (and so its draft)
NOT_KEPT = {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_saveasnew", NEW_ITEM_KEY}
# Sent with a draft, kept in it: when the browser saw the last change it holds (milliseconds, the
# browser's clock). The form compares it with its own copy's to tell which of the two is newer.
# (``autosave_labels``, the names of choices made in autocomplete lists, is the script's alone.)
CHANGED_AT = "autosave_changed_at"


class UnsavedWorkAdmin:
    """Drafts kept while typing and files kept across a form error (module docstring)."""

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_autosave"
        autosave = self.admin_site.admin_view(self.autosave_view)
        return [
            path("autosave/", autosave, name=f"{name}_new"),
            path("<path:object_id>/autosave/", autosave, name=name),
            *super().get_urls(),
        ]

    def autosave_url(self, obj):
        site = self.admin_site.name
        if obj is None or obj.pk is None:
            return reverse(admin_urlname(self.opts, "autosave_new"), current_app=site)
        return reverse(admin_urlname(self.opts, "autosave"), args=[obj.pk], current_app=site)

    def autosave_view(self, request, object_id=None):
        """POST: keep the posted fields as the draft (204). POST with ``discard``: delete it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = None
        if object_id is not None:
            obj = self.get_object(request, object_id)
            if obj is None:
                return JsonResponse({"error": "no such item"}, status=404)
        allowed = (
            self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        key = "" if obj else new_item_key(request.POST.get(NEW_ITEM_KEY))
        if key is None:
            return JsonResponse({"error": "no draft key"}, status=400)
        if "discard" in request.POST:
            Draft.objects.of(request.user, self.model, object_id, key).delete()
            self.message_user(request, _("The unsaved changes were discarded."), messages.INFO)
            if obj is None:
                return redirect(admin_urlname(self.opts, "add"))
            return redirect(admin_urlname(self.opts, "change"), obj.pk)
        data = {  # without NUL characters, which PostgreSQL's JSON cannot hold (nor a form take)
            k.replace("\x00", ""): [value.replace("\x00", "") for value in v]
            for k, v in request.POST.lists()
            if k not in NOT_KEPT
        }
        Draft.objects.keep(request.user, self.model, object_id, data, key)
        return JsonResponse({"saved": True})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if request.method == "POST":  # it came back with an error: keep what was chosen
            keep_uploads(request, form)
        wanted = request.GET.get("draft")
        if obj is not None:  # one draft per editor and item: ?draft=restore
            drafts = list(Draft.objects.of(request.user, self.model, obj.pk))
            restoring = drafts[0] if drafts and wanted == "restore" else None
            key = ""
        else:  # one per form of a new item: ?draft=<its key>
            drafts = list(Draft.objects.of_new_items(request.user, self.model))
            restoring = next((d for d in drafts if d.new_item_key == wanted), None)
            key = (
                restoring.new_item_key
                if restoring
                else new_item_key(request.POST.get(NEW_ITEM_KEY)) or str(uuid.uuid4())
            )
        context.update(
            image_sources=IMAGE_SOURCES,
            autosave_url=self.autosave_url(obj),
            autosave_seconds=settings.AUTOSAVE_SECONDS,
            autosave_max_seconds=settings.AUTOSAVE_MAX_SECONDS,
            autosave_local_key=local_key(request.user, self.opts, obj),
            new_item_key=key,
            unsaved_drafts=[
                {
                    "saved_at": draft.saved_at,
                    "changed_at": (draft.data.get(CHANGED_AT) or [""])[0],
                    "key": draft.new_item_key,
                    "restore": urlencode({"draft": draft.new_item_key or "restore"}),
                    "restored": draft == restoring,
                    "older_than_item": bool(obj and draft_is_older(draft, obj)),
                }
                for draft in drafts
            ]
            if request.method == "GET"
            else [],
            restore_draft=restoring.data if restoring else None,
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":  # an image chosen since a file was kept is the later choice
            for name in claim_chosen_images(request):
                self.message_user(request, image_gone_message(self.model, name), messages.WARNING)
            claim_kept_uploads(request)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            Draft.objects.of(request.user, self.model, obj.pk).delete()
        elif key := new_item_key(request.POST.get(NEW_ITEM_KEY)):
            Draft.objects.of(request.user, self.model, None, key).delete()
        tokens = [v for k, v in request.POST.items() if k.startswith(KEPT_PREFIX)]
        KeptUpload.objects.filter(user=request.user, token__in=valid_tokens(tokens)).delete()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.FileField):
            images = isinstance(db_field, models.ImageField)
            card_image = db_field.name == getattr(self.model, "card_image_field", None)
            kwargs["widget"] = KeptFileInput(
                sources=IMAGE_SOURCES if images else (),
                alt_field=getattr(self.model, "card_alt_field", None) if card_image else None,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def valid_tokens(values):
    tokens = []
    for value in values:
        try:
            tokens.append(uuid.UUID(value))
        except ValueError:
            continue
    return tokens


def local_key(user, opts, obj):
    """Where the browser keeps its copy of this form (``autosave.js`` adds the new item's form
    key): the editor's own, and the same in every edition's admin, as the server's draft is."""
    item = "new" if obj is None or obj.pk is None else obj.pk
    return f"nejat-draft:{user.pk}:{opts.app_label}.{opts.model_name}:{item}"


def new_item_key(value):
    """The key a new item's form posts, as stored, or None when it is not one."""
    try:
        return str(uuid.UUID(value or ""))
    except ValueError:
        return None


def draft_is_older(draft, item):
    """The item was saved (by anyone, in any tab) since the form the draft was kept from was
    opened: restoring brings back its fields as they were then, status and time included.
    The form says when it was opened in ``opened_version`` (``nejat.publishing.revisions``)."""
    opened = (draft.data.get("opened_version") or [""])[0]
    saved = getattr(item, "updated_at", None)
    return bool(opened and saved) and opened != saved.isoformat()


def image_gone_message(model, name):
    try:
        label = model._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        label = name
    return _("The image chosen for “%(field)s” is no longer in the library: choose it again.") % {
        "field": label
    }


def claim_kept_uploads(request):
    """Put each kept file the form names back among the request's files, unless the editor
    chose another one: the form then validates and saves it as if it had just been sent."""
    for key, value in request.POST.items():
        name = key.removeprefix(KEPT_PREFIX)
        if name == key or request.FILES.get(name) or not valid_tokens([value]):
            continue
        kept = KeptUpload.objects.filter(token=value, user=request.user).first()
        if kept is not None:
            try:
                request.FILES[name] = KeptFile(kept)
            except FileNotFoundError:  # kept by another app server: the field asks again
                continue


class KeptFile(UploadedFile):
    """A kept upload, offered to the form as the file the browser sent."""

    def __init__(self, kept):
        super().__init__(kept.file.open("rb"), kept.name, kept.content_type, kept.size)
        self.kept = kept


def keep_uploads(request, form):
    """Keep the files of this request that passed their own field's checks, and show them as
    kept in the form that is shown again."""
    for name, uploaded in request.FILES.items():
        field = form.fields.get(name)
        if field is None or not isinstance(field.widget, KeptFileInput) or form.errors.get(name):
            continue
        if chosen_from := getattr(uploaded, "chosen_from", None):  # a stored image: named again
            prefix, value = chosen_from
            title = getattr(uploaded, "title", "")
            field.widget.chosen = {**field.widget.chosen, prefix: (value, title)}
            continue
        kept = getattr(uploaded, "kept", None)
        if kept is None:
            uploaded.seek(0)
            kept = KeptUpload(
                token=uuid.uuid4(),
                user=request.user,
                name=uploaded.name,
                size=uploaded.size,
                content_type=uploaded.content_type or "",
            )
            kept.file.save(uploaded.name, uploaded, save=True)
        field.widget.kept = kept
