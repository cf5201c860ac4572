"""Exit registrations from a spreadsheet: one row per household and plan year."""

import copy

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from households.imports import values
from households.imports.engine import Change, ImportColumn, Importer, Row
from households.imports.kinds.common import (
    HouseholdLookups,
    apply_fields,
    bulk_save,
    check_commune,
    context_columns,
    header,
    household_code_column,
)
from plans.models import ExitRegistration, Plan

TEXTS = ("needs", "commitment", "status_note")
TEXT_LIMIT = 5000
UPDATED_FIELDS = ["registered_on", "status", *TEXTS]


def plan_year_column(example: int) -> ImportColumn:
    """The plan's year, shared with the assignments' import."""
    return ImportColumn(
        "plan_year",
        capfirst(str(Plan._meta.get_field("year").verbose_name)),
        required=True,
        help=_("The year of one of the commune's plans, e.g. 2023."),
        example=example,
    )


class PlanLookup:
    """The commune's plans by year (one query)."""

    def __init__(self, commune):
        self.by_year = {plan.year: plan for plan in Plan.objects.filter(commune=commune)}

    def find(self, row: Row, key: str = "plan_year") -> Plan | None:
        year = row.required(key, values.whole_number, minimum=1)
        if year is None:
            return None
        plan = self.by_year.get(year)
        if plan is None:
            row.problem(key, _("the commune has no plan for %(year)s") % {"year": year})
        return plan


class ExitRegistrationImporter(Importer):
    name = "exit-registrations"
    model_path = "plans.ExitRegistration"

    def columns(self) -> list[ImportColumn]:
        commune, village, head_name = context_columns()
        statuses = [str(label) for _value, label in ExitRegistration.Status.choices]
        return [
            commune,
            village,
            household_code_column(),
            head_name,
            plan_year_column(self.today.year),
            ImportColumn(
                "registered_on",
                header(ExitRegistration, "registered_on"),
                required=True,
                help=_("The day the household registered, as dd/mm/yyyy; not in the future."),
                example=self.today,
            ),
            ImportColumn(
                "status",
                header(ExitRegistration, "status"),
                help=_("One of the listed statuses; empty means registered."),
                choices=statuses,
                example=statuses[0],
            ),
            ImportColumn("needs", header(ExitRegistration, "needs")),
            ImportColumn("commitment", header(ExitRegistration, "commitment")),
            ImportColumn("status_note", header(ExitRegistration, "status_note")),
        ]

    def load(self, rows) -> None:
        # Households and plans are both the commune's, so every pair meets the model's rule that
        # the household lives in the plan's commune.
        self.households = HouseholdLookups(self.commune)
        self.plans = PlanLookup(self.commune)
        self.statuses = values.choice_lookup(ExitRegistration.Status.choices, what=_("the statuses"))
        self.outcomes = values.choice_lookup(ExitRegistration.Outcome.choices, what=_("the statuses"))
        self.existing = {
            (registration.plan_id, registration.household_id): registration
            for registration in ExitRegistration.objects.filter(plan__commune=self.commune)
        }

    def status(self, value) -> str | None:
        """A stored progress; an outcome (exited, did not exit) is the review's, never imported."""
        try:
            return self.statuses.find(value)
        except values.ValueProblem:
            try:
                self.outcomes.find(value)
            except values.ValueProblem:
                pass
            else:
                raise values.ValueProblem(
                    _(
                        "whether the household exited poverty is decided by the periodic review of the "
                        "plan year, not imported: leave the status empty or write one of %(choices)s"
                    )
                    % {"choices": ", ".join(self.statuses.shown)}
                ) from None
            raise

    def change(self, row: Row) -> Change | None:
        check_commune(row, self.commune)
        household = self.households.find(row)
        plan = self.plans.find(row)
        fields = {"registered_on": row.required("registered_on", values.day, today=self.today)}
        if row.has("status"):
            fields["status"] = row.get("status", self.status) or ExitRegistration.Status.REGISTERED
        for name in TEXTS:
            if row.has(name):
                fields[name] = row.get(name, values.text, max_length=TEXT_LIMIT, multiline=True)
        if not row.valid:
            return None
        key = (plan.year, household.code.casefold())
        stored = self.existing.get((plan.pk, household.pk))
        if stored is None:
            registration = ExitRegistration(plan=plan, household=household, created_by=self.user, **fields)
            return Change(row.number, key, "new", registration)
        # A copy, so that a later duplicate row of the file cannot alter what this row writes.
        registration = copy.copy(stored)
        diff = apply_fields(registration, fields)
        return Change(
            row.number,
            key,
            "updated" if diff else "unchanged",
            registration,
            before=stored.updated_at,
            subject=str(household),
            item=_("Plan %(year)s") % {"year": plan.year},
            diff=diff,
        )

    def duplicate_reason(self, key, first_row) -> str:
        return _("the household's registration for %(year)s is already in row %(row)s of this file") % {
            "year": key[0],
            "row": first_row,
        }

    def write(self, changes: list[Change]) -> None:
        bulk_save(ExitRegistration, changes, UPDATED_FIELDS, user=self.user)
