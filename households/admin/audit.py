"""Admin of the export audit (read-only)."""

from django.contrib import admin

from households import exports
from households.models import (
    ExportRecord,
)


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    """Who exported which list: read-only, for the administrators."""

    list_display = ("created_at", "username", "list_title", "fmt", "rows", "commune", "source")
    list_select_related = ("commune",)
    list_filter = ("source", "list_name", "fmt")
    search_fields = ("username",)
    date_hierarchy = "created_at"

    @admin.display(description=ExportRecord._meta.get_field("list_name").verbose_name, ordering="list_name")
    def list_title(self, obj):
        spec = exports.LISTS.get(obj.list_name)
        return spec.title if spec else obj.list_name

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
