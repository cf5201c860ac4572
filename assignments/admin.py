"""Admin for who follows which household and the support they deliver."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.models import Official
from accounts.selectors import officials_assignable
from assignments.forms import SupportActionAdminForm
from assignments.models import Assignment, SupportAction
from assignments.resources import AssignmentResource, SupportActionResource
from households.models import ImportJob, Indicator
from povertyplan.admin_exports import AuditedExportMixin, ImportPageLinkMixin
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
class AssignmentAdmin(ImportPageLinkMixin, AuditedExportMixin, ScopedAdmin):
    household_path = "household"
    resource_classes = (AssignmentResource,)
    import_kind = ImportJob.Kind.ASSIGNMENTS
    list_display = ("household", "official", "plan", "started_on", "ended_on")
    list_select_related = ("household", "official", "plan")
    list_filter = (OfficialListFilter, EndedListFilter, "plan__year", HouseholdVillageListFilter)
    search_fields = ("household__search_key", "household__village__search_key")
    autocomplete_fields = ("household",)
    readonly_fields = TRACKED_FIELDS

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "official":  # administrators and the upper office are never in charge
            visible = self.admin_site.get_model_admin(Official).get_queryset(request)
            kwargs["queryset"] = officials_assignable().filter(pk__in=visible.values("pk"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(SupportAction)
class SupportActionAdmin(AuditedExportMixin, ScopedAdmin):
    household_path = "household"
    resource_classes = (SupportActionResource,)
    list_display = ("date", "household", "official", "kind", "value_vnd", "contributor")
    list_select_related = ("household", "official")
    list_filter = ("kind", "contributor", OfficialListFilter, HouseholdVillageListFilter)
    date_hierarchy = "date"
    search_fields = ("household__search_key", "household__village__search_key")
    autocomplete_fields = ("household", "corrects")
    readonly_fields = TRACKED_FIELDS

    form = SupportActionAdminForm

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name != "indicators":
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        kwargs["widget"] = forms.CheckboxSelectMultiple
        kwargs["queryset"] = Indicator.objects.select_related("standard").order_by(
            "-standard__start_year", "number"
        )
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        # Codes repeat from one standard to the next: each box names its standard.
        field.label_from_instance = lambda indicator: f"{indicator} ({indicator.standard.code})"
        return field

    def has_delete_permission(self, request, obj=None):
        return False  # a correction is a new entry pointing at the one it corrects
