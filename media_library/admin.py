"""The media library in the admin: upload many at once (or drop them), find by title, tag, date,
size or missing alt text, describe each image per language, see where it is used, and choose it
from the rich-text editor's image dialog or beside any image field
(``static/js/admin/media-chooser.js``, which asks ``choose/``, posts to ``upload/``, and to an
image's ``describe/`` what the editor described it as, where the library had nothing)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from modeltranslation.admin import TabbedTranslationAdmin

from media_library.models import ImageInUse, LibraryImage
from nejat.editions import current_edition, edition_codes, localized_field
from nejat.editions.admin_digits import in_admin_digits
from nejat.editions.solar_dates import SolarDatesAdmin
from nejat.editorial.publishable_admin import admin_thumbnail
from nejat.media.images import MultipleFileInput, MultipleImagesField
from nejat.publishing import Publishable, may_see
from nejat.publishing.search import admin_search

CHOOSER_PAGE = 24
MB = 1024 * 1024


class UploadForm(forms.Form):
    images = MultipleImagesField(
        LibraryImage._meta.get_field("image"),
        label=_("Images"),
        widget=MultipleFileInput(attrs={"accept": "image/*", "class": "library-drop"}),
    )


class SizeFilter(admin.SimpleListFilter):
    title = _("size")
    parameter_name = "size"
    SIZES = {"small": (0, MB // 4), "medium": (MB // 4, 2 * MB), "large": (2 * MB, None)}

    def lookups(self, request, model_admin):
        return [
            ("small", _("Under 250 KB")),
            ("medium", _("250 KB to 2 MB")),
            ("large", _("Over 2 MB")),
        ]

    def queryset(self, request, queryset):
        if self.value() not in self.SIZES:
            return queryset
        low, high = self.SIZES[self.value()]
        queryset = queryset.filter(file_size__gte=low)
        return queryset.filter(file_size__lt=high) if high else queryset


class MissingAltFilter(admin.SimpleListFilter):
    """Images without alt text in an edition: what to describe next."""

    title = _("alt text")
    parameter_name = "no_alt"

    def lookups(self, request, model_admin):
        return [(code, _("Missing in %(code)s") % {"code": code}) for code in edition_codes()]

    def queryset(self, request, queryset):
        if self.value() in edition_codes():
            return queryset.exclude(**{f"{localized_field('alt', self.value())}__gt": ""})
        return queryset


class TagFilter(admin.SimpleListFilter):
    title = _("tag")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        tags = LibraryImage.tags.most_common()[:30]
        return [(tag.slug, tag.name) for tag in tags]

    def queryset(self, request, queryset):
        return queryset.filter(tags__slug=self.value()) if self.value() else queryset


@admin.register(LibraryImage)
class LibraryImageAdmin(SolarDatesAdmin, TabbedTranslationAdmin):
    list_display = ("thumbnail", "__str__", "dimensions", "size", "alt_status", "uploaded_at")
    list_display_links = ("thumbnail", "__str__")
    list_filter = (MissingAltFilter, SizeFilter, TagFilter, "uploaded_at")
    date_hierarchy = "uploaded_at"
    list_per_page = 60
    fields = (
        "preview",
        "image",
        "title",
        "alt",
        "caption",
        "credit",
        "tags",
        ("focal_x", "focal_y"),
    )
    readonly_fields = ("preview",)
    actions = ["delete_unused"]
    change_list_template = "admin/media_library/libraryimage/change_list.html"

    class Media:
        js = ["js/admin/focal-point.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def get_search_results(self, request, queryset, search_term):
        """Titles, alt texts and captions as the site's search matches them, and tags."""
        found = admin_search(
            queryset, search_term, ("alt", "caption"), ("title", "credit", "tags__name")
        )
        return found, True

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # it would delete images pages still show
        return actions

    def has_delete_permission(self, request, obj=None):
        """Never while a page or an item still uses the image (the form says where)."""
        allowed = super().has_delete_permission(request, obj)
        return allowed and not (obj is not None and usages_of(obj))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """Where the image is used (the template's last fieldset), as far as this person may
        see: others' drafts and embargoed items are counted, not named."""
        if obj is not None:
            usages = usages_of(obj)
            shown = [item for item in usages if may_open(request.user, item)]
            context.update(
                usages=[usage_row(item) for item in shown], unseen_usages=len(usages) - len(shown)
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="")
    def thumbnail(self, obj):
        return admin_thumbnail(obj.picture, width=80, height=60)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj or not obj.image:
            return "—"
        return format_html(
            '<img class="focal-point-picker" src="{}" alt="" style="max-width:480px;'
            'max-height:320px">',
            obj.body_url(),
        )

    @admin.display(description=_("dimensions"))
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}"

    @admin.display(description=_("size"), ordering="file_size")
    def size(self, obj):
        return filesizeformat(obj.file_size)

    @admin.display(description=_("alt text"))
    def alt_status(self, obj):
        missing = obj.missing_alt()
        if not missing:
            return "✔"
        return format_html(
            '<span class="alt-missing">{} {}</span>', _("Missing in"), " ".join(missing)
        )

    @admin.action(
        description=_("Delete the selected images that nothing uses"), permissions=["delete"]
    )
    def delete_unused(self, request, queryset):
        deleted = kept = 0
        for image in queryset:
            try:
                image.delete()
                deleted += 1
            except ImageInUse:
                kept += 1
        self.message_user(
            request,
            ngettext("%d image deleted.", "%d images deleted.", deleted) % deleted,
            messages.SUCCESS,
        )
        if kept:
            self.message_user(
                request,
                ngettext(
                    "%d image is still used and was kept.",
                    "%d images are still used and were kept.",
                    kept,
                )
                % kept,
                messages.WARNING,
            )

    # --- upload and chooser ---------------------------------------------------------------------

    def get_urls(self):
        site = self.admin_site
        return [
            path("upload/", site.admin_view(self.upload_view), name="media_library_upload"),
            path("choose/", site.admin_view(self.choose_view), name="media_library_choose"),
            path(
                "<int:pk>/describe/",
                site.admin_view(require_POST(self.describe_view)),
                name="media_library_describe",
            ),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        """Many images at once (chosen or dropped). From the chooser (``Accept: application/
        json``) the new images come back as JSON; from the page, the list of what still needs
        alt text."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        wants_json = "application/json" in request.headers.get("Accept", "")
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            made = [
                LibraryImage.objects.create(image=upload, uploaded_by=request.user)
                for upload in form.cleaned_data["images"]
            ]
            if wants_json:
                return JsonResponse({"results": [chooser_entry(image) for image in made]})
            self.message_user(
                request,
                ngettext(
                    "%d image added to the library: describe it for readers who cannot see it.",
                    "%d images added to the library: describe them for readers who cannot "
                    "see them.",
                    len(made),
                )
                % len(made),
                messages.SUCCESS,
            )
            missing = urlencode({"no_alt": current_edition()})
            return redirect(f"{reverse(admin_urlname(self.opts, 'changelist'))}?{missing}")
        if wants_json and request.method == "POST":
            errors = [in_admin_digits(error) for error in form.errors.get("images", [])]
            return JsonResponse({"errors": errors}, status=400)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Upload images"),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/media_library/upload.html", context)

    def choose_view(self, request):
        """GET ``q``, ``page``: the images the chooser shows, newest first, as JSON."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        images = self.get_queryset(request)
        if term := request.GET.get("q", "").strip()[:200]:
            images, _duplicates = self.get_search_results(request, images, term)
            images = images.distinct()
        page = Paginator(images, CHOOSER_PAGE).get_page(request.GET.get("page"))
        return JsonResponse(
            {
                "results": [chooser_entry(image) for image in page],
                "has_next": page.has_next(),
            }
        )

    def describe_view(self, request, pk):
        """POST ``edition``, ``alt``, ``caption``: what an editor typed in the chooser for a body,
        kept by the library where it had nothing in that edition (described once, as in
        WordPress's media modal); what someone already wrote is never replaced from here."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        image = get_object_or_404(LibraryImage, pk=pk)
        form = DescribeForm(request.POST)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors}, status=400)
        code, changed = form.cleaned_data["edition"], []
        for name in ("alt", "caption"):
            field = localized_field(name, code)
            if form.cleaned_data[name] and not getattr(image, field):
                setattr(image, field, form.cleaned_data[name])
                changed.append(field)
        if changed:
            image.save(update_fields=changed)
        return HttpResponse(status=204)


class DescribeForm(forms.Form):
    edition = forms.ChoiceField(choices=[])
    alt = forms.CharField(max_length=300, required=False)
    caption = forms.CharField(max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = [(code, code) for code in edition_codes()]


def chooser_entry(image):
    return {
        "id": image.pk,
        "title": str(image),
        "thumbnail": image.picture.thumbnail_url,
        "url": image.body_url(),
        "width": image.width,
        "height": image.height,
        "alt": {code: image.alt_in(code) for code in edition_codes()},
        "caption": {
            code: getattr(image, localized_field("caption", code)) for code in edition_codes()
        },
        "describe_url": reverse("admin:media_library_describe", args=[image.pk]),
    }


def usages_of(image):
    """``image.usages()`` once for the page: the delete check and the form both ask."""
    if not hasattr(image, "_usages"):
        image._usages = image.usages()
    return image._usages


def may_open(user, item):
    if isinstance(item, Publishable):
        return may_see(user, item)
    return user.has_perm(f"{item._meta.app_label}.view_{item._meta.model_name}")


def usage_row(item):
    try:
        address = reverse(admin_urlname(item._meta, "change"), args=[item.pk])
    except NoReverseMatch:  # a row without its own admin page (a gallery's photo)
        address = ""
    return address, str(item), item._meta.verbose_name
