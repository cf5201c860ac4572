"""Assignments and support actions for django-import-export (the admin's exports; assignments are
imported through the application's import page, households.imports)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from accounts.models import Official
from assignments.models import Assignment, SupportAction
from households.resources import HouseholdContextResource, choices_of
from plans.models import Plan
from povertyplan.admin_exports import Day, Label, Named, Number, Text, YesNo, column


class AssignmentResource(HouseholdContextResource):
    plan_year = fields.Field("plan__year", column(Plan, "year"), Number(), readonly=True)
    official = fields.Field(
        "official", column(Assignment, "official"), Named(Official.objects.all(), "full_name")
    )
    started_on = fields.Field("started_on", column(Assignment, "started_on"), Day())
    ended_on = fields.Field("ended_on", column(Assignment, "ended_on"), Day())
    end_reason = fields.Field("end_reason", column(Assignment, "end_reason"), Text(250))

    export_select_related = (*HouseholdContextResource.export_select_related, "plan", "official")

    class Meta:
        model = Assignment
        fields = (
            "commune",
            "village",
            "household_code",
            "head_name",
            "plan_year",
            "official",
            "started_on",
            "ended_on",
            "end_reason",
        )


class SupportActionResource(HouseholdContextResource):
    # The entry number lets a correction name the entry it corrects.
    entry = fields.Field("pk", _("Entry no."), Number(), readonly=True)
    date = fields.Field("date", column(SupportAction, "date"), Day())
    kind = fields.Field("kind", column(SupportAction, "kind"), Label(choices_of(SupportAction, "kind")))
    description = fields.Field("description", column(SupportAction, "description"), Text())
    quantity = fields.Field("quantity", column(SupportAction, "quantity"), Number())
    unit = fields.Field("unit", column(SupportAction, "unit"), Text(30))
    value_vnd = fields.Field("value_vnd", column(SupportAction, "value_vnd"), Number())
    contributor = fields.Field(
        "contributor", column(SupportAction, "contributor"), Label(choices_of(SupportAction, "contributor"))
    )
    official = fields.Field(
        "official", column(SupportAction, "official"), Named(Official.objects.all(), "full_name")
    )
    plan_year = fields.Field("plan__year", column(Plan, "year"), Number(), readonly=True)
    corrects = fields.Field("corrects_id", column(SupportAction, "corrects"), Number(), readonly=True)
    needs_review = fields.Field("needs_review", column(SupportAction, "needs_review"), YesNo())
    review_reason = fields.Field("review_reason", column(SupportAction, "review_reason"), Text(250))

    export_select_related = (*HouseholdContextResource.export_select_related, "plan", "official")

    class Meta:
        model = SupportAction
        fields = (
            "entry",
            "commune",
            "village",
            "household_code",
            "head_name",
            "date",
            "kind",
            "description",
            "quantity",
            "unit",
            "value_vnd",
            "contributor",
            "official",
            "plan_year",
            "corrects",
            "needs_review",
            "review_reason",
        )
