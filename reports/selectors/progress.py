"""The `progress` report: support delivered to the households registered to exit poverty.

Support counted: the actions logged for the plan's registered households, dated from 1 January of
the plan year to the "as of" date, an entry replaced by its correction not counted (the rule of
the officials' "My households" page). The "as of" date defaults to today, or to the plan's last
day (31 December when it has none) once the plan year is over.

Tables: per household with a subtotal row per village and the commune's totals; then per official
in charge (the current assignment: a household's support counts for the official now in charge of
it, so the officials' table sums to the commune's totals) with a subtotal row per department.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import SupportAction
from assignments.selectors import VISIT_INTERVAL_DAYS
from households.models import Commune
from plans.models import ExitRegistration, Plan
from plans.outcomes import outcomes_of
from povertyplan.formatting import (
    format_date,
    format_number,
    format_percent,
    format_quantity,
    format_vnd,
    rate,
)
from povertyplan.text import vietnamese_sort_key
from reports.data import Bar, Chart, Column, Report, Row, Table

from .common import (
    add_quantities,
    by_vietnamese,
    counted_support,
    now,
    plan_for,
    plan_reference,
    quantities_text,
)
from .exit_households import current_officials

Kind = SupportAction.Kind


def default_as_of(plan: Plan, today: datetime.date | None = None) -> datetime.date:
    """Today, or the plan's last day once the plan year is over."""
    today = today or timezone.localdate()
    last_day = plan.ends_on or datetime.date(plan.year, 12, 31)
    return min(today, last_day)


@dataclass
class Tally:
    """Support figures of one household, or summed over a village, an official or the commune."""

    households: int = 0
    knowledge: int = 0
    labour: int = 0
    materials: int = 0
    labour_days: Decimal = Decimal(0)
    value: int = 0
    last_visit: datetime.date | None = None
    visited: int = 0  # households visited in the VISIT_INTERVAL_DAYS before the "as of" date
    quantities: dict[str, Decimal] = field(default_factory=dict)  # materials: unit → quantity

    def add(self, other: "Tally") -> None:
        self.households += other.households
        self.knowledge += other.knowledge
        self.labour += other.labour
        self.materials += other.materials
        self.labour_days += other.labour_days
        self.value += other.value
        self.visited += other.visited
        if other.last_visit and (self.last_visit is None or other.last_visit > self.last_visit):
            self.last_visit = other.last_visit
        add_quantities(self.quantities, other.quantities)

    def values(self, *, quantities: bool = True) -> dict:
        values = {
            "knowledge": self.knowledge,
            "labour": self.labour,
            "materials": self.materials,
            "labour_days": self.labour_days,
            "value": self.value,
            "last_visit": self.last_visit,
        }
        if quantities:
            values["quantities"] = quantities_text(self.quantities)
        return values

    @property
    def visited_rate(self) -> Decimal:
        return rate(self.visited, self.households)


def household_tallies(plan: Plan, household_ids: list[int], as_of: datetime.date) -> dict[int, Tally]:
    """household id → its Tally (two grouped queries, whatever the number of households)."""
    actions = counted_support(
        SupportAction.objects.filter(
            household_id__in=household_ids,
            date__gte=datetime.date(plan.year, 1, 1),
            date__lte=as_of,
        )
    )
    since = as_of - datetime.timedelta(days=VISIT_INTERVAL_DAYS)
    tallies = {pk: Tally(households=1) for pk in household_ids}
    grouped = (
        actions.order_by()
        .values("household_id")
        .annotate(
            knowledge=Count("pk", filter=Q(kind=Kind.KNOWLEDGE)),
            labour=Count("pk", filter=Q(kind=Kind.LABOUR)),
            materials=Count("pk", filter=Q(kind=Kind.MATERIALS)),
            labour_days=Sum("quantity", filter=Q(kind=Kind.LABOUR)),
            value=Sum("value_vnd"),
            last_visit=Max("date"),
        )
    )
    for row in grouped:
        tally = tallies[row["household_id"]]
        tally.knowledge, tally.labour, tally.materials = row["knowledge"], row["labour"], row["materials"]
        tally.labour_days = row["labour_days"] or Decimal(0)
        tally.value = row["value"] or 0
        tally.last_visit = row["last_visit"]
        tally.visited = int(tally.last_visit is not None and tally.last_visit >= since)
    materials = (
        actions.filter(kind=Kind.MATERIALS, quantity__isnull=False)
        .order_by()
        .values("household_id", "unit")
        .annotate(quantity=Sum("quantity"))
    )
    for row in materials:
        add_quantities(tallies[row["household_id"]].quantities, {row["unit"]: row["quantity"]})
    return tallies


def figure_columns(*, quantities: bool) -> list[Column]:
    columns = [
        Column("knowledge", _("Knowledge – technique (times)"), "int", 9),
        Column("labour", _("Labour (times)"), "int", 8),
        Column("materials", _("Livestock, seed, materials (times)"), "int", 10),
        Column("labour_days", _("Labour days"), "decimal", 8),
    ]
    if quantities:
        columns.append(Column("quantities", _("Livestock, seed, materials (quantities)"), "text", 22))
    columns += [
        Column("value", _("Value (VND)"), "vnd", 13),
        Column("last_visit", _("Last visit"), "date", 10),
    ]
    return columns


def build(
    *,
    commune: Commune,
    plan_year: int,
    review_year: int | None = None,
    as_of: datetime.date | None = None,
    **_options,
) -> Report:
    plan = plan_for(commune=commune, plan_year=plan_year)
    as_of = as_of or default_as_of(plan)
    registrations = ExitRegistration.objects.filter(plan=plan).select_related("household__village")
    registrations = by_vietnamese(
        registrations, lambda r: r.household.village.name, lambda r: r.household.head_name
    )
    officials = current_officials(plan)
    tallies = household_tallies(plan, [r.household_id for r in registrations], as_of)
    outcomes = outcomes_of(
        commune=plan.commune_id,
        year=plan.year,
        stored={r.household_id: r.status for r in registrations},
        with_remaining=False,
    )

    # --- per household, a subtotal row per village ---
    by_village: dict[str, list[ExitRegistration]] = defaultdict(list)
    for registration in registrations:
        by_village[registration.household.village.name].append(registration)
    village_tallies: dict[str, Tally] = {}
    commune_tally = Tally()
    rows = []
    number = 0
    for village in by_vietnamese(by_village, lambda name: name):
        subtotal = Tally()
        for registration in by_village[village]:
            number += 1
            tally = tallies[registration.household_id]
            subtotal.add(tally)
            official = officials.get(registration.household_id)
            rows.append(
                Row(
                    {
                        "no": number,
                        "code": registration.household.code,
                        "head": registration.household.head_name,
                        "village": village,
                        "official": official["official__full_name"] if official else "",
                        **tally.values(),
                        "status": outcomes[registration.household_id].label,
                    }
                )
            )
        rows.append(
            Row(
                {
                    "head": _("Subtotal: %(village)s") % {"village": village},
                    "village": village,
                    **subtotal.values(),
                },
                style="subtotal",
            )
        )
        village_tallies[village] = subtotal
        commune_tally.add(subtotal)
    household_table = Table(
        title=_("Support by household"),
        columns=[
            Column("no", _("No."), "int", 5),
            Column("code", _("Household code"), "text", 9),
            Column("head", _("Head of household"), "text", 20),
            Column("village", _("Village"), "text", 12),
            Column("official", _("Official in charge"), "text", 18),
            *figure_columns(quantities=True),
            Column("status", _("Exit status"), "text", 12),
        ],
        rows=rows,
        totals=Row({"head": _("Whole commune"), **commune_tally.values()}, style="subtotal"),
        note=_("Support from %(start)s to %(end)s; labour days are the days worked alongside the family.")
        % {"start": format_date(datetime.date(plan.year, 1, 1)), "end": format_date(as_of)},
    )

    # --- per official in charge, a subtotal row per department ---
    per_official: dict[int | None, Tally] = defaultdict(Tally)
    official_info: dict[int | None, dict] = {}
    for registration in registrations:
        official = officials.get(registration.household_id)
        key = official["official_id"] if official else None
        per_official[key].add(tallies[registration.household_id])
        official_info[key] = official or {}

    def department_key(key):
        info = official_info[key]
        return (
            info.get("official__department__name") is None,
            info.get("official__department__order") or 0,
            vietnamese_sort_key(info.get("official__department__name") or ""),
        )

    departments: dict[tuple, list] = defaultdict(list)
    for key in per_official:
        departments[department_key(key)].append(key)
    official_rows = []
    number = 0
    official_total = Tally()
    for department in sorted(departments):
        subtotal = Tally()
        keys = sorted(
            departments[department],
            key=lambda key: vietnamese_sort_key(official_info[key].get("official__full_name") or ""),
        )
        name = official_info[keys[0]].get("official__department__name") or ""
        for key in keys:
            number += 1
            info, tally = official_info[key], per_official[key]
            subtotal.add(tally)
            official_rows.append(
                Row(
                    {
                        "no": number,
                        "official": info.get("official__full_name") or _("No official in charge"),
                        "department": name,
                        "households": tally.households,
                        "visited": tally.visited,
                        **tally.values(quantities=False),
                    }
                )
            )
        official_rows.append(
            Row(
                {
                    "official": _("Subtotal: %(department)s") % {"department": name or _("no department")},
                    "department": name,
                    "households": subtotal.households,
                    "visited": subtotal.visited,
                    **subtotal.values(quantities=False),
                },
                style="subtotal",
            )
        )
        official_total.add(subtotal)
    official_table = Table(
        title=_("Support by official in charge and department"),
        columns=[
            Column("no", _("No."), "int", 5),
            Column("official", _("Official in charge"), "text", 22),
            Column("department", _("Department"), "text", 20),
            Column("households", _("Number of households"), "int", 8),
            *figure_columns(quantities=False),
            Column(
                "visited", _("Visited in the last %(days)s days") % {"days": VISIT_INTERVAL_DAYS}, "int", 10
            ),
        ],
        rows=official_rows,
        totals=Row(
            {
                "official": _("Whole commune"),
                "households": official_total.households,
                "visited": official_total.visited,
                **official_total.values(quantities=False),
            },
            style="subtotal",
        ),
    )

    villages = by_vietnamese(village_tallies, lambda name: name)
    visited_line = _("%(visited)s of %(households)s households (%(rate)s)") % {
        "visited": format_number(commune_tally.visited),
        "households": format_number(commune_tally.households),
        "rate": format_percent(commune_tally.visited_rate),
    }
    return Report(
        slug="progress",
        title=_("Support to the households registered to exit poverty in %(year)s") % {"year": plan.year},
        commune=commune,
        plan_year=plan_year,
        review_year=None,
        generated_at=now(),
        landscape=True,
        summary=[
            plan_reference(plan),
            (_("As of"), format_date(as_of)),
            (_("Households registered to exit poverty"), format_number(commune_tally.households)),
            (_("Supports (knowledge – technique)"), format_number(commune_tally.knowledge)),
            (_("Supports (labour)"), format_number(commune_tally.labour)),
            (_("Supports (livestock, seed, materials)"), format_number(commune_tally.materials)),
            (_("Labour days"), format_quantity(commune_tally.labour_days)),
            (_("Value of the support"), format_vnd(commune_tally.value)),
            (
                _("Exit households visited in the %(days)s days before %(date)s")
                % {"days": VISIT_INTERVAL_DAYS, "date": format_date(as_of)},
                visited_line,
            ),
        ],
        tables=[household_table, official_table],
        charts=[
            Chart(
                title=_("Exit households visited in the last %(days)s days, by village")
                % {"days": VISIT_INTERVAL_DAYS},
                bars=[Bar(name, village_tallies[name].visited_rate) for name in villages]
                + [Bar(_("Whole commune"), commune_tally.visited_rate, highlight=True)],
                unit="percent",
            ),
            Chart(
                title=_("Supports delivered, by village"),
                bars=[
                    Bar(name, Decimal(t.knowledge + t.labour + t.materials))
                    for name, t in ((name, village_tallies[name]) for name in villages)
                ],
                unit="count",
            ),
        ],
    )
