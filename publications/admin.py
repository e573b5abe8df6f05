from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from nejat.editions import ASCII_DIGITS, edition_codes, localized_field
from nejat.editorial.publishable_admin import PublishableAdminMixin
from nejat.publishing import Publishable
from publications.models import Book, Brief, BriefEntry, Newsletter, NewsletterItem
from publications.validators import isbn_is_valid, normalize_isbn

ROW_WIDGETS = {
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 48})},
    # Addresses typed without a scheme are https (Django 6's default; silences its warning).
    models.URLField: {
        "assume_scheme": "https",
        "widget": forms.URLInput(attrs={"class": "vURLField", "size": 28}),
    },
}


class OrderedRowInline(TranslationTabularInline):
    formfield_overrides = ROW_WIDGETS

    def get_extra(self, request, obj=None, **kwargs):
        return 5 if obj is None else 2


class NewsletterItemInline(OrderedRowInline):
    model = NewsletterItem
    fields = ("position", "title", "summary", "page")


class BriefEntryInline(OrderedRowInline):
    model = BriefEntry
    fields = ("position", "kind", "text", "link")


class PublicationAdmin(PublishableAdminMixin, TabbedTranslationAdmin):
    """What the three publication admins share: the mixin's list, plus the PDF column."""

    @admin.display(description=_("PDF"), ordering="pdf_size")
    def pdf_info(self, obj):
        if not obj.pdf:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            obj.pdf.url,
            filesizeformat(obj.pdf_size) if obj.pdf_size else _("PDF"),
        )

    @admin.display(description=_("cover preview"))
    def cover_preview(self, obj):
        if not obj.cover:
            return _("none yet")
        note = _("made from the PDF's first page") if obj.cover_from_pdf else ""
        return format_html(
            '<img src="{}" alt="" width="120" style="height:auto;border:1px solid #ccc"> {}',
            obj.cover.url,
            note,
        )


class NumberedAdmin(PublicationAdmin):
    """Issues found by their number too ("82", "#82" or "۸۲")."""

    date_hierarchy = "issue_date"
    rows_relation = None  # "items": counted for the list

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(row_count=Count(self.rows_relation))

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = search_term.strip().lstrip("#").translate(ASCII_DIGITS)
        if number.isdigit() and len(number) < 10:
            results |= queryset.filter(number=int(number))
        return results, may_have_duplicates

    @admin.display(description=_("No."), ordering="number")
    def number_label(self, obj):
        return obj.number

    @admin.display(description=_("title"))
    def title_label(self, obj):
        return Publishable.__str__(obj)  # the number has its own column


@admin.register(Newsletter)
class NewsletterAdmin(NumberedAdmin):
    rows_relation = "items"
    inlines = [NewsletterItemInline]
    list_display = (
        "thumbnail",
        "number_label",
        "title_label",
        "issue_date",
        "state",
        "publish_at",
        "edition_badges",
        "items_count",
        "pdf_info",
        "page_link",
    )
    list_display_links = ("thumbnail", "number_label", "title_label")
    list_filter = (
        *PublishableAdminMixin.list_filter,
        ("pdf", admin.EmptyFieldListFilter),
    )
    search_fields = [
        *PublishableAdminMixin.search_fields,
        *(f"items__{localized_field('title', code)}" for code in edition_codes()),
    ]
    readonly_fields = (*PublishableAdminMixin.readonly_fields, "cover_preview")
    fieldsets = (
        (None, {"fields": ("number", "issue_date", "title", "slug", "lead")}),
        (_("PDF and cover"), {"fields": ("pdf", "cover", "cover_preview")}),
        PublishableAdminMixin.publishing_fieldset,
        (_("History"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    @admin.display(description=_("items"), ordering="row_count")
    def items_count(self, obj):
        return obj.row_count


@admin.register(Brief)
class BriefAdmin(NumberedAdmin):
    rows_relation = "entries"
    inlines = [BriefEntryInline]
    list_display = (
        "number_label",
        "title_label",
        "issue_date",
        "state",
        "publish_at",
        "edition_badges",
        "entries_count",
        "page_link",
    )
    list_display_links = ("number_label", "title_label")
    search_fields = [
        *PublishableAdminMixin.search_fields,
        *(f"entries__{localized_field('text', code)}" for code in edition_codes()),
    ]
    fieldsets = (
        (None, {"fields": ("number", "issue_date", "title", "slug", "lead")}),
        PublishableAdminMixin.publishing_fieldset,
        (_("History"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    @admin.display(description=_("entries"), ordering="row_count")
    def entries_count(self, obj):
        return obj.row_count


@admin.register(Book)
class BookAdmin(PublicationAdmin):
    list_display = (
        "thumbnail",
        "__str__",
        "author",
        "year",
        "state",
        "publish_at",
        "edition_badges",
        "pdf_info",
        "page_link",
    )
    list_display_links = ("thumbnail", "__str__")
    list_filter = (
        *PublishableAdminMixin.list_filter,
        ("pdf", admin.EmptyFieldListFilter),
        ("link", admin.EmptyFieldListFilter),
        "year",
    )
    search_fields = [
        *PublishableAdminMixin.search_fields,
        *(
            localized_field(name, code)
            for name in ("author", "publisher")
            for code in edition_codes()
        ),
    ]
    readonly_fields = (*PublishableAdminMixin.readonly_fields, "cover_preview")
    fieldsets = (
        (None, {"fields": ("title", "slug", "lead", "author", "publisher", "year", "isbn")}),
        (_("Description"), {"fields": ("description",)}),
        (
            _("Cover, PDF and link"),
            {"fields": ("pdf", "cover", "cover_preview", "link", "link_kind")},
        ),
        PublishableAdminMixin.publishing_fieldset,
        (_("History"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def get_search_results(self, request, queryset, search_term):
        """Also finds a book by its ISBN, typed with hyphens or not."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        isbn = normalize_isbn(search_term)
        if isbn_is_valid(isbn):
            results |= queryset.filter(isbn=isbn)
        return results, may_have_duplicates
