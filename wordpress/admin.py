from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from wordpress import jobs, report, types
from wordpress.importer import parse_translations
from wordpress.models import ImportRun, OldAddress


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


class ImportRunForm(forms.ModelForm):
    class Meta:
        model = ImportRun
        fields = (
            "export",
            "edition",
            "old_host",
            "old_prefix",
            "mapping",
            "translations",
            "fetch_attachments",
            "dry_run",
        )

    def clean_export(self):
        """An XML file of a sane size: checked by its first bytes, not its name."""
        export = self.cleaned_data["export"]
        if export.size > settings.MAX_WXR_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The export is larger than %(mb)s MB: import it with manage.py import_wxr."),
                params={"mb": settings.MAX_WXR_UPLOAD_MB},
            )
        start = export.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
        export.seek(0)
        if not start.startswith((b"<?xml", b"<rss")):
            raise forms.ValidationError(_("This is not a WordPress export (an XML file)."))
        return export

    def clean_mapping(self):
        return self.readable(self.cleaned_data["mapping"], types.parse_mapping)

    def clean_translations(self):
        upload = self.cleaned_data["translations"]
        toml = bool(upload) and upload.name.lower().endswith(".toml")
        return self.readable(upload, lambda text: parse_translations(text, toml=toml))

    def readable(self, upload, parse):
        """An optional small text file that ``parse`` reads without error."""
        if not upload:
            return upload
        try:
            parse(upload.read(1024 * 1024).decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, KeyError) as error:
            raise forms.ValidationError(
                _("This file cannot be read: %(error)s"), params={"error": error}
            ) from None
        upload.seek(0)
        return upload


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Superusers upload an export and pick the edition; the import runs in the background and
    its row shows progress, then the report."""

    form = ImportRunForm
    list_display = ("__str__", "state", "progress", "dry_run", "created_at", "started_by")
    readonly_fields = (
        "state",
        "progress",
        "report_text",
        "item_rows",
        "started_by",
        "created_at",
        "finished_at",
    )

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser  # its page: every field is read-only once started

    def get_fields(self, request, obj=None):
        if obj is None:
            return ImportRunForm.Meta.fields
        return ("edition", "fetch_attachments", "dry_run", *self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # a run is never edited
        return ("edition", "fetch_attachments", "dry_run", *self.readonly_fields)

    @admin.display(description=_("progress"))
    def progress(self, run):
        return f"{run.done} / {run.total}" if run.total else "—"

    @admin.display(description=_("report"))
    def report_text(self, run):
        return format_html("<pre>{}</pre>", run.report) if run.report else "—"

    @admin.display(description=_("item report"))
    def item_rows(self, run):
        """The rows of the item report (the first SHOWN_ROWS), and the whole as CSV."""
        if not run.items:
            return "—"
        rows = report.read_csv(run.items)
        download = reverse("admin:wordpress_importrun_items", args=[run.pk])
        head = format_html_join("", "<th>{}</th>", ((c,) for c in report.COLUMNS))
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (row[:5] for row in rows[: self.SHOWN_ROWS] if len(row) >= 5),
        )
        return format_html(
            '<p><a href="{}" download>{}</a> ({} / {})</p>'
            '<table class="wxr-items"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
            download,
            _("Download the item report (CSV)"),
            min(len(rows), self.SHOWN_ROWS),
            len(rows),
            head,
            body,
        )

    SHOWN_ROWS = 500

    def get_urls(self):
        items = self.admin_site.admin_view(self.items_csv)
        return [
            path("<int:pk>/items.csv", items, name="wordpress_importrun_items"),
            *super().get_urls(),
        ]

    def items_csv(self, request, pk):
        """The item report as a file, for a spreadsheet (UTF-8 with its mark: Excel reads
        Persian and Arabic right)."""
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        run = get_object_or_404(ImportRun, pk=pk)
        response = HttpResponse(
            "\ufeff" + (run.items or ",".join(report.COLUMNS) + "\r\n"),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="wordpress-import-{pk}.csv"'
        return response

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing on its page can change
        obj.started_by = request.user
        super().save_model(request, obj, form, change)
        jobs.start(obj)  # in this save's transaction
