from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from wordpress.models import OldAddress


@admin.register(OldAddress)
class OldAddressAdmin(admin.ModelAdmin):
    """The old WordPress addresses and where they lead: a wrong one is corrected here (a new
    address in "new address"), an unwanted one deleted."""

    list_display = ("__str__", "edition", "new_address")
    list_filter = ("edition",)
    search_fields = ("path", "target")
    fields = ("host", "path", "query", "edition", "target")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("item")

    @admin.display(description=_("new address"))
    def new_address(self, old):
        return old.new_url() or "—"
