"""The core's own admin registrations: each edition's tags, and staff accounts with their
two-step sign-in. The admin that content apps build on is ``nejat.editorial.publishable_admin``;
the admin site itself is ``nejat.editorial.admin_site``."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from taggit.models import Tag as TaggitTag

from nejat.models import Tag
from nejat.security import second_factor

# django-taggit's own Tag model is unused (each edition has its own tags): keep it out of sight.
admin.site.unregister(TaggitTag)
admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), second_factor.StaffUserAdmin)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "language", "slug")
    list_filter = ("language",)
    search_fields = ("name",)
    readonly_fields = ("slug",)
