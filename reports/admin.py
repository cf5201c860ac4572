"""Report files in the admin: read-only, to see what is stored and why a build failed.

The file itself is not linked (MEDIA_ROOT is never served by URL); deleting entries here deletes
their files too, which only empties the cache: the next download builds the report again.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from povertyplan.admin_scope import ScopedAdmin
from reports import services
from reports.models import ReportFile


@admin.register(ReportFile)
class ReportFileAdmin(ScopedAdmin):
    commune_path = "commune"
    list_display = (
        "slug",
        "fmt",
        "commune",
        "plan_year",
        "review_year",
        "language",
        "status",
        "progress",
        "created_at",
        "finished_at",
    )
    list_select_related = ("commune",)
    list_filter = ("status", "fmt", "slug", "plan_year")
    date_hierarchy = "created_at"
    fields = (
        "commune",
        "slug",
        "fmt",
        "plan_year",
        "review_year",
        "language",
        "fingerprint",
        "status",
        "progress",
        "message",
        "stored_file",
        "task_id",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "error",
    )
    readonly_fields = fields

    @admin.display(description=_("stored file"))
    def stored_file(self, obj):
        return obj.file.name if obj.file else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.report_files_delete([obj])

    def delete_queryset(self, request, queryset):
        services.report_files_delete(queryset)
