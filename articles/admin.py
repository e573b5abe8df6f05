from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from articles.models import Article, Category, RelatedSuggestion
from nejat.editorial.publishable_admin import (
    EDITION_TAG_FIELDS,
    EditionTagsForm,
    PublishableAdminMixin,
)


@admin.register(Category)
class CategoryAdmin(TabbedTranslationAdmin):
    list_display = ("__str__", "slug", "parent", "position")
    list_select_related = ("parent",)
    list_editable = ("position",)
    search_fields = ("name_en", "name_ar", "name_fa", "name_sq")


class RelatedSuggestionInline(admin.TabularInline):
    """The articles shown under this one after its "Also read": those found (by shared tags and
    words, ``articles.related``), and those an editor pinned or removed."""

    model = RelatedSuggestion
    fk_name = "article"
    fields = ("edition", "suggestion", "choice", "score")
    readonly_fields = ("score",)
    autocomplete_fields = ("suggestion",)
    extra = 0


@admin.register(Article)
class ArticleAdmin(PublishableAdminMixin, TabbedTranslationAdmin):
    form = EditionTagsForm
    inlines = [RelatedSuggestionInline]
    list_display = (
        "thumbnail",
        "__str__",
        "state",
        "publish_at",
        "category",
        "edition_badges",
        "page_link",
    )
    list_display_links = ("thumbnail", "__str__")
    list_filter = (*PublishableAdminMixin.list_filter, "category")
    list_select_related = ("category",)
    autocomplete_fields = ("category", "related")
    fieldsets = (
        (None, {"fields": ("title", "slug", "lead", "dateline", "body")}),
        (_("Category and tags"), {"fields": ("category", "pinned", *EDITION_TAG_FIELDS)}),
        (
            _("Featured image"),
            {"fields": ("featured_image", "image_caption", "image_alt", "image_credit")},
        ),
        (_("Byline"), {"fields": ("byline", "editor_initials")}),
        (
            _("Republished from"),
            {"fields": ("source_name", "source_url", "source_date"), "classes": ("collapse",)},
        ),
        (_("Attachments and related"), {"fields": ("pdf", "related", "allow_comments")}),
        PublishableAdminMixin.publishing_fieldset,
        (_("History"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category")

    def get_inline_instances(self, request, obj=None):
        """Related articles once the article is saved: they are found for a saved one."""
        return super().get_inline_instances(request, obj) if obj is not None else []
