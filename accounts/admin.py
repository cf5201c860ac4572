"""Admin for the commune's departments and the officials' profiles."""

from django.contrib import admin

from accounts.models import Department, Official
from povertyplan.admin_scope import TRACKED_FIELDS, ScopedAdmin


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    commune_path = "commune"
    list_display = ("name", "code", "commune", "order")
    list_select_related = ("commune",)
    list_filter = (("commune", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "code")


@admin.register(Official)
class OfficialAdmin(ScopedAdmin):
    commune_path = "commune"
    list_display = ("full_name", "user", "position", "department", "commune", "phone")
    list_select_related = ("user", "department", "commune")
    list_filter = (
        ("commune", admin.RelatedOnlyFieldListFilter),
        ("department", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("full_name", "position", "user__username", "phone")
    autocomplete_fields = ("user",)
    readonly_fields = TRACKED_FIELDS
