"""Admin for who follows which household and the support they deliver."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from assignments.models import Assignment, SupportAction
from povertyplan.admin_scope import (
    TRACKED_FIELDS,
    HouseholdVillageListFilter,
    IsSetListFilter,
    OfficialListFilter,
    ScopedAdmin,
)


class EndedListFilter(IsSetListFilter):
    title = _("ended")
    parameter_name = "ended"
    field_path = "ended_on"


@admin.register(Assignment)
class AssignmentAdmin(ScopedAdmin):
    household_path = "household"
    list_display = ("household", "official", "plan", "started_on", "ended_on")
    list_select_related = ("household", "official", "plan")
    list_filter = (OfficialListFilter, EndedListFilter, "plan__year", HouseholdVillageListFilter)
    search_fields = ("household__search_key", "household__village__search_key")
    autocomplete_fields = ("household",)
    readonly_fields = TRACKED_FIELDS


@admin.register(SupportAction)
class SupportActionAdmin(ScopedAdmin):
    household_path = "household"
    list_display = ("date", "household", "official", "kind", "value_vnd", "contributor")
    list_select_related = ("household", "official")
    list_filter = ("kind", "contributor", OfficialListFilter, HouseholdVillageListFilter)
    date_hierarchy = "date"
    search_fields = ("household__search_key", "household__village__search_key")
    autocomplete_fields = ("household", "corrects")
    readonly_fields = TRACKED_FIELDS

    def has_delete_permission(self, request, obj=None):
        return False  # a correction is a new entry pointing at the one it corrects
