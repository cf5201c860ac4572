"""Assignments from a spreadsheet: which official follows which household, from when to when."""

import copy
from collections import Counter
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Official
from accounts.selectors import officials_assignable
from assignments.models import Assignment
from households.imports import values
from households.imports.engine import BATCH_SIZE, Change, ImportColumn, Importer, Row, row_problem
from households.imports.kinds.common import (
    HouseholdLookups,
    apply_fields,
    check_commune,
    context_columns,
    header,
    household_code_column,
)
from plans.imports import PlanLookup, plan_year_column
from povertyplan.formatting import format_date
from povertyplan.text import fold, vietnamese_sort_key

END_REASON_LIMIT = Assignment._meta.get_field("end_reason").max_length
UPDATED_FIELDS = ["official", "ended_on", "end_reason", "updated_by", "updated_at"]


class OfficialLookup:
    """The commune's officials who may be in charge of households, by full name (one query); a name
    two officials share finds no one. Administrators and the upper office are not offered."""

    def __init__(self, commune):
        officials = list(officials_assignable(commune=commune))
        counts = Counter(fold(official.full_name) for official in officials)
        self.shared = {name for name, count in counts.items() if count > 1}
        self.names = sorted({official.full_name for official in officials}, key=vietnamese_sort_key)
        self.lookup = values.Lookup(
            ((o.full_name, o) for o in officials if fold(o.full_name) not in self.shared),
            what=_("the commune's officials"),
            shown=self.names,
        )

    def find(self, value) -> Official | None:
        typed = values.text(value, max_length=1000)
        if fold(typed) in self.shared:
            raise values.ValueProblem(
                _(
                    "several officials of the commune are called '%(name)s': make their names "
                    "distinct in the list of officials, then import again"
                )
                % {"name": typed}
            )
        return self.lookup.find(value)


class AssignmentImporter(Importer):
    name = "assignments"
    model_path = "assignments.Assignment"

    def columns(self) -> list[ImportColumn]:
        commune, village, head_name = context_columns()
        names = self._officials.names
        return [
            commune,
            village,
            household_code_column(),
            head_name,
            plan_year_column(self.today.year),
            ImportColumn(
                "official",
                header(Assignment, "official"),
                required=True,
                help=_("The full name of one of the commune's officials."),
                example=names[0] if names else "",
                choices=names,
            ),
            ImportColumn(
                "started_on",
                header(Assignment, "started_on"),
                required=True,
                help=_("The first day the official is in charge, as dd/mm/yyyy."),
                example=self.today,
            ),
            ImportColumn(
                "ended_on",
                header(Assignment, "ended_on"),
                help=_(
                    "The last day, as dd/mm/yyyy; empty while the official is still in charge. "
                    "A household has one official in charge at a time."
                ),
            ),
            ImportColumn("end_reason", header(Assignment, "end_reason")),
        ]

    @cached_property
    def _officials(self) -> OfficialLookup:
        # Read once per import: the columns (in both languages) and the rows use the same list.
        return OfficialLookup(self.commune)

    def load(self, rows) -> None:
        # Households, plans and officials are all the commune's, so every row meets the model's
        # rule that the official works in the household's commune.
        self.households = HouseholdLookups(self.commune)
        self.plans = PlanLookup(self.commune)
        self.officials = self._officials
        self.existing: dict[tuple, list[Assignment]] = {}
        self.stored_open: dict[tuple, Assignment] = {}
        stored = Assignment.objects.filter(plan__commune=self.commune).select_related("official")
        for assignment in stored.order_by("pk"):
            key = (assignment.plan_id, assignment.household_id, assignment.started_on)
            self.existing.setdefault(key, []).append(assignment)
            if assignment.ended_on is None:
                self.stored_open[(assignment.plan_id, assignment.household_id)] = assignment

    def change(self, row: Row) -> Change | None:
        check_commune(row, self.commune)
        household = self.households.find(row)
        plan = self.plans.find(row)
        official = row.required("official", self.officials.find)
        started_on = row.required("started_on", values.day)
        ended_on = row.get("ended_on", values.day) if row.has("ended_on") else None
        if started_on and ended_on and ended_on < started_on:
            row.problem(
                "ended_on",
                _("the assignment ends on %(ended)s, before it starts (%(started)s)")
                % {"ended": format_date(ended_on), "started": format_date(started_on)},
            )
        end_reason = row.get("end_reason", values.text, max_length=END_REASON_LIMIT)
        if not row.valid:
            return None
        fields = {"official": official}
        for name, value in (("ended_on", ended_on), ("end_reason", end_reason)):
            if row.has(name):  # a file without the column leaves the stored value as it is
                fields[name] = value
        key = (plan.year, household.code.casefold(), started_on)
        candidates = self.existing.get((plan.pk, household.pk, started_on), [])
        stored = candidates[0] if len(candidates) == 1 else None
        if len(candidates) > 1:
            # A household handed over on the day it was assigned has two rows from that day:
            # the official tells them apart.
            stored = next((a for a in candidates if a.official_id == official.pk), None)
            key += (official.pk,)
        if stored is None:
            assignment = Assignment(
                plan=plan, household=household, started_on=started_on, created_by=self.user, **fields
            )
            return Change(row.number, key, "new", assignment)
        # A copy, so that a later duplicate row of the file cannot alter what this row writes.
        assignment = copy.copy(stored)
        diff = apply_fields(assignment, fields)
        return Change(
            row.number,
            key,
            "updated" if diff else "unchanged",
            assignment,
            before=stored.updated_at,
            subject=str(household),
            item=_("Plan %(year)s, from %(date)s") % {"year": plan.year, "date": format_date(started_on)},
            diff=diff,
        )

    def duplicate_reason(self, key, first_row) -> str:
        return _(
            "the household's assignment for %(year)s from %(date)s is already in row %(row)s of this file"
        ) % {"year": key[0], "date": format_date(key[2]), "row": first_row}

    def check_together(self, changes: list[Change], problems) -> set[int]:
        """At most one open assignment per plan and household, counting the file and the database."""
        in_file = {change.instance.pk for change in changes if change.instance.pk}
        holders: dict[tuple, tuple[Assignment, int | None]] = {
            pair: (stored, None) for pair, stored in self.stored_open.items() if stored.pk not in in_file
        }
        open_pks = {stored.pk for stored in self.stored_open.values()}
        # Rows that keep a stored open assignment open go first: refusing them would leave it open
        # all the same, and a row imported alone (valid rows only) must never make a second one.
        ordered = sorted(changes, key=lambda change: (change.instance.pk not in open_pks, change.row))
        invalid = set()
        column = header(Assignment, "ended_on")
        for change in ordered:
            assignment = change.instance
            if assignment.ended_on is not None:
                continue
            pair = (assignment.plan_id, assignment.household_id)
            if pair not in holders:
                holders[pair] = (assignment, change.row)
                continue
            other, other_row = holders[pair]
            placeholders = {
                "official": other.official.full_name,
                "date": format_date(other.started_on),
                "row": other_row,
            }
            if other_row is None:
                reason = _(
                    "the household already has an official in charge for this plan (%(official)s, "
                    "from %(date)s): give one of the two assignments an end date"
                )
            else:
                reason = _(
                    "row %(row)s already puts %(official)s in charge of the household from %(date)s: "
                    "give one of the two assignments an end date"
                )
            problems.append(row_problem(change.row, column, reason % placeholders))
            invalid.add(change.row)
        return invalid

    def write(self, changes: list[Change]) -> None:
        now = timezone.now()
        for change in changes:
            change.instance.updated_by, change.instance.updated_at = self.user, now
        updated = [change.instance for change in changes if change.action == "updated"]
        # Ended assignments first: the database allows one open assignment per plan and household
        # at every moment, so a handover is written as "close the old one", then "open the new one".
        closing = [assignment for assignment in updated if assignment.ended_on is not None]
        opening = [assignment for assignment in updated if assignment.ended_on is None]
        Assignment.objects.bulk_update(closing, UPDATED_FIELDS, batch_size=BATCH_SIZE)
        Assignment.objects.bulk_update(opening, UPDATED_FIELDS, batch_size=BATCH_SIZE)
        new = [change.instance for change in changes if change.action == "new"]
        for assignment in new:
            assignment.created_at = now
        Assignment.objects.bulk_create(new, batch_size=BATCH_SIZE)
