"""Admin for programmes and their projects, the commune's plans, duties and exit registrations."""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q, Subquery

# The current official of a registration is an assignment of the same plan and household; there is
# no assignments selector for it yet, so the admin reads the model directly.
from assignments.models import Assignment
from households.models import Household, ImportJob
from plans.models import ExitRegistration, Plan, Programme, Project, Responsibility
from plans.resources import ExitRegistrationResource
from povertyplan.admin_exports import AuditedExportMixin, ImportPageLinkMixin
from povertyplan.admin_scope import (
    TRACKED_FIELDS,
    CleanTextMixin,
    HouseholdVillageListFilter,
    OfficialListFilter,
    ScopedAdmin,
    ScopedChoicesMixin,
)


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdmin):
    list_display = ("code", "name", "start_year", "end_year", "decision")
    search_fields = ("code", "name", "decision")


@admin.register(Project)
class ProjectAdmin(ScopedAdmin):
    list_display = ("short_name", "name", "code", "programme", "parent", "order")
    list_select_related = ("programme", "parent")
    list_filter = ("programme",)
    search_fields = ("code", "short_name", "name")


class ResponsibilityInline(CleanTextMixin, ScopedChoicesMixin, admin.StackedInline):
    model = Responsibility
    extra = 0
    fields = ("order", "department", "heading", "tasks", "projects")


@admin.register(Plan)
class PlanAdmin(ScopedAdmin):
    commune_path = "commune"
    list_display = ("title", "year", "commune", "number", "issued_on", "target_exits")
    list_select_related = ("commune",)
    list_filter = ("year", ("commune", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "number", "subject")
    readonly_fields = TRACKED_FIELDS
    inlines = (ResponsibilityInline,)


@admin.register(Responsibility)
class ResponsibilityAdmin(ScopedAdmin):
    commune_path = "plan__commune"
    list_display = ("heading", "plan", "department", "order")
    list_select_related = ("plan", "department")
    list_filter = (
        ("plan", admin.RelatedOnlyFieldListFilter),
        ("department", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("heading", "tasks", "department__name")
    filter_horizontal = ("projects",)


def current_assignments():
    """Open assignments of the outer registration's plan and household (at most one, by constraint)."""
    return Assignment.objects.filter(
        plan=OuterRef("plan"), household=OuterRef("household"), ended_on__isnull=True
    )


class CurrentOfficialListFilter(OfficialListFilter):
    title = Assignment._meta.get_field("official").verbose_name

    def official_q(self, official_id):
        return Q(Exists(current_assignments().filter(official_id=official_id)))


@admin.register(ExitRegistration)
class ExitRegistrationAdmin(ImportPageLinkMixin, AuditedExportMixin, ScopedAdmin):
    household_path = "household"
    resource_classes = (ExitRegistrationResource,)
    import_kind = ImportJob.Kind.EXIT_REGISTRATIONS
    list_display = ("household", "village", "plan_year", "status", "current_official")
    list_select_related = ("household__village", "plan")
    list_filter = ("status", "plan__year", HouseholdVillageListFilter, CurrentOfficialListFilter)
    search_fields = ("household__search_key", "household__village__search_key")
    autocomplete_fields = ("household",)
    readonly_fields = TRACKED_FIELDS

    def get_queryset(self, request):
        official = current_assignments().values("official__full_name")[:1]
        return super().get_queryset(request).annotate(current_official=Subquery(official))

    @admin.display(
        description=Household._meta.get_field("village").verbose_name, ordering="household__village__name"
    )
    def village(self, obj):
        return obj.household.village

    @admin.display(description=Plan._meta.get_field("year").verbose_name, ordering="plan__year")
    def plan_year(self, obj):
        return obj.plan.year

    @admin.display(
        description=Assignment._meta.get_field("official").verbose_name, ordering="current_official"
    )
    def current_official(self, obj):
        return obj.current_official
