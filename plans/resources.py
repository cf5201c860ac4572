"""Exit registrations for django-import-export (the admin's exports; imports go through the
application's import page, households.imports)."""

from import_export import fields

from households.resources import HouseholdContextResource, choices_of
from plans.models import ExitRegistration, Plan
from povertyplan.admin_exports import Day, Label, Number, Text, column


class ExitRegistrationResource(HouseholdContextResource):
    plan_year = fields.Field("plan__year", column(Plan, "year"), Number(), readonly=True)
    registered_on = fields.Field("registered_on", column(ExitRegistration, "registered_on"), Day())
    status = fields.Field(
        "status", column(ExitRegistration, "status"), Label(choices_of(ExitRegistration, "status"))
    )
    needs = fields.Field("needs", column(ExitRegistration, "needs"), Text())
    commitment = fields.Field("commitment", column(ExitRegistration, "commitment"), Text())
    status_note = fields.Field("status_note", column(ExitRegistration, "status_note"), Text())

    export_select_related = (*HouseholdContextResource.export_select_related, "plan")

    class Meta:
        model = ExitRegistration
        fields = (
            "commune",
            "village",
            "household_code",
            "head_name",
            "plan_year",
            "registered_on",
            "status",
            "needs",
            "commitment",
            "status_note",
        )
