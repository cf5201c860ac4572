"""The `year-end` report: how many registered households exited poverty, by village and by official.

"Exited" is the registration's outcome (plans.outcomes): the household's status at the end of the
plan year's periodic review, once that review has decided; before, the registration is counted as
not decided yet. The households that did not exit are listed with their classification and remaining
deprivations at the end of that review, and the note on the registration.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from households.models import Commune
from plans.models import ExitRegistration
from plans.outcomes import outcomes_of
from povertyplan.formatting import format_number, format_percent, rate
from povertyplan.text import vietnamese_sort_key
from reports.data import Bar, Chart, Column, Report, Row, Table

from .common import by_vietnamese, indicator_numbers, level_label, now, plan_for, plan_reference
from .exit_households import current_officials, indicator_note
from .indicator_progress import progress_table

Result = ExitRegistration.Outcome


@dataclass
class Outcome:
    registered: int = 0
    exited: int = 0
    not_exited: int = 0
    undecided: int = 0

    def add(self, status: str) -> None:
        self.registered += 1
        if status == Result.EXITED:
            self.exited += 1
        elif status == Result.NOT_EXITED:
            self.not_exited += 1
        else:
            self.undecided += 1

    @property
    def rate(self) -> Decimal:
        return rate(self.exited, self.registered)

    def values(self) -> dict:
        return {
            "registered": self.registered,
            "exited": self.exited,
            "not_exited": self.not_exited,
            "undecided": self.undecided,
            "rate": self.rate,
        }


def outcome_columns() -> list[Column]:
    return [
        Column("registered", _("Registered to exit"), "int", 10),
        Column("exited", _("Exited poverty"), "int", 10),
        Column("not_exited", _("Did not exit"), "int", 10),
        Column("undecided", _("Not decided yet"), "int", 10),
        Column("rate", _("Exit rate"), "percent", 9),
    ]


def build(*, commune: Commune, plan_year: int, review_year: int | None = None, **_options) -> Report:
    plan = plan_for(commune=commune, plan_year=plan_year)
    registrations = ExitRegistration.objects.filter(plan=plan).select_related("household__village")
    registrations = by_vietnamese(
        registrations, lambda r: r.household.village.name, lambda r: r.household.head_name
    )
    officials = current_officials(plan)
    outcomes = outcomes_of(
        commune=plan.commune_id, year=plan.year, stored={r.household_id: r.status for r in registrations}
    )

    per_village: dict[str, Outcome] = defaultdict(Outcome)
    per_official: dict[int | None, Outcome] = defaultdict(Outcome)
    commune_outcome = Outcome()
    for registration in registrations:
        official = officials.get(registration.household_id)
        outcome = outcomes[registration.household_id].outcome
        per_village[registration.household.village.name].add(outcome)
        per_official[official["official_id"] if official else None].add(outcome)
        commune_outcome.add(outcome)

    villages = by_vietnamese(per_village, lambda name: name)
    village_table = Table(
        title=_("Households exiting poverty by village"),
        columns=[
            Column("no", _("No."), "int", 5),
            Column("village", _("Village"), "text", 18),
            *outcome_columns(),
        ],
        rows=[
            Row({"no": number, "village": name, **per_village[name].values()})
            for number, name in enumerate(villages, start=1)
        ],
        totals=Row({"village": _("Whole commune"), **commune_outcome.values()}, style="subtotal"),
    )

    info = {value["official_id"]: value for value in officials.values()}

    def official_key(key):
        value = info.get(key, {})
        return (
            key is None,
            value.get("official__department__name") is None,
            value.get("official__department__order") or 0,
            vietnamese_sort_key(value.get("official__department__name") or ""),
            vietnamese_sort_key(value.get("official__full_name") or ""),
        )

    official_table = Table(
        title=_("Households exiting poverty by official in charge"),
        columns=[
            Column("no", _("No."), "int", 5),
            Column("official", _("Official in charge"), "text", 22),
            Column("department", _("Department"), "text", 22),
            *outcome_columns(),
        ],
        rows=[
            Row(
                {
                    "no": number,
                    "official": info.get(key, {}).get("official__full_name") or _("No official in charge"),
                    "department": info.get(key, {}).get("official__department__name") or "",
                    **per_official[key].values(),
                }
            )
            for number, key in enumerate(sorted(per_official, key=official_key), start=1)
        ],
        totals=Row({"official": _("Whole commune"), **commune_outcome.values()}, style="subtotal"),
    )

    remaining = [r for r in registrations if not outcomes[r.household_id].exited]
    remaining_rows = []
    for number, registration in enumerate(remaining, start=1):
        outcome = outcomes[registration.household_id]
        official = officials.get(registration.household_id)
        remaining_rows.append(
            Row(
                {
                    "no": number,
                    "code": registration.household.code,
                    "head": registration.household.head_name,
                    "village": registration.household.village.name,
                    "official": official["official__full_name"] if official else "",
                    "status": outcome.label,
                    "classification": level_label(outcome.classification),
                    "deprivations": indicator_numbers(outcome.remaining_numbers),
                    "note": registration.status_note,
                }
            )
        )
    remaining_table = Table(
        title=_("Households that have not exited poverty"),
        columns=[
            Column("no", _("No."), "int", 5),
            Column("code", _("Household code"), "text", 9),
            Column("head", _("Head of household"), "text", 20),
            Column("village", _("Village"), "text", 12),
            Column("official", _("Official in charge"), "text", 18),
            Column("status", _("Exit status"), "text", 11),
            Column("classification", _("Classification (%(year)s review)") % {"year": plan.year}, "text", 12),
            Column("deprivations", _("Remaining deprived indicators (no.)"), "text", 13),
            Column("note", _("Note on the status"), "text", 36),
        ],
        rows=remaining_rows,
        totals=Row({"no": len(remaining_rows), "head": _("Total households")}, style="subtotal"),
        note=indicator_note(plan.year),
    )
    return Report(
        slug="year-end",
        title=_("Results of helping households exit poverty in %(year)s") % {"year": plan.year},
        commune=commune,
        plan_year=plan_year,
        review_year=plan.year,
        generated_at=now(),
        landscape=True,
        summary=[
            plan_reference(plan),
            (_("Households registered to exit poverty"), format_number(commune_outcome.registered)),
            (_("Exited poverty"), format_number(commune_outcome.exited)),
            (_("Did not exit"), format_number(commune_outcome.not_exited)),
            (_("Not decided yet"), format_number(commune_outcome.undecided)),
            (_("Exit rate"), format_percent(commune_outcome.rate)),
        ],
        tables=[village_table, official_table, remaining_table, progress_table(plan, registrations)],
        charts=[
            Chart(
                title=_("Exit rate by village"),
                bars=[Bar(name, per_village[name].rate) for name in villages]
                + [Bar(_("Whole commune"), commune_outcome.rate, highlight=True)],
                unit="percent",
            )
        ],
    )
