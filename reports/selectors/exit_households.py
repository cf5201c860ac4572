"""The `exit-households` report: the plan's list of households registered to exit poverty.

Classification and deprived indicators are those "at registration": the plan's baseline review
(periodic review of the baseline year). The official in charge is the current one.
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from assignments.models import Assignment
from households.merger import AsMerged, as_merged
from households.models import Assessment, Commune, Indicator
from plans.models import ExitRegistration, Plan
from povertyplan.formatting import format_number
from reports.data import Column, Report, Row, Table

from .common import by_vietnamese, indicator_numbers, level_label, now, plan_for, plan_reference


def registrations(plan: Plan, merged: AsMerged | None = None) -> list[ExitRegistration]:
    """The plan's registrations with household, village and ethnicity, by village then head (one query).

    The plan of a commune merged since names villages and households as they were (`merged`:
    households.merger.as_merged): the merger may have renamed some in the new commune."""
    merged = merged or AsMerged()
    rows = list(
        ExitRegistration.objects.filter(plan=plan).select_related(
            "household__village", "household__head_ethnicity"
        )
    )
    for row in rows:
        household = row.household
        household.code = merged.household_code(household.pk, household.code)
        household.village.name = merged.village_name(household.village_id, household.village.name)
    return by_vietnamese(rows, lambda r: r.household.village.name, lambda r: r.household.head_name)


def current_officials(plan: Plan) -> dict[int, dict]:
    """household id → the current assignment's official (name, position, department), one query."""
    values = Assignment.objects.filter(plan=plan, ended_on__isnull=True).values(
        "household_id",
        "official_id",
        "official__full_name",
        "official__position",
        "official__department__name",
        "official__department__order",
    )
    return {value["household_id"]: value for value in values}


def reviews(household_ids, year: int) -> dict[int, dict]:
    """household id → {"classification", "numbers"} of its periodic review of the year (one query)."""
    found: dict[int, dict] = {}
    rows = Assessment.objects.filter(
        household_id__in=household_ids, review_year=year, kind=Assessment.Kind.PERIODIC
    ).values_list("household_id", "classification", "deprivations__number")
    for household_id, classification, number in rows:
        entry = found.setdefault(household_id, {"classification": classification, "numbers": []})
        if number is not None:
            entry["numbers"].append(number)
    return found


def indicator_note(year: int) -> str:
    """ "Deprived indicators: 1. Việc làm; 2. …" for the standard of the review year (one query)."""
    indicators = Indicator.objects.filter(
        standard__start_year__lte=year, standard__end_year__gte=year
    ).order_by("number")
    names = "; ".join(f"{indicator.number}. {indicator.name}" for indicator in indicators)
    return _("Deprived indicators: %(indicators)s.") % {"indicators": names} if names else ""


def build(*, commune: Commune, plan_year: int, review_year: int | None = None, **_options) -> Report:
    plan = plan_for(commune=commune, plan_year=plan_year)
    year = review_year if review_year is not None else plan.baseline_review_year
    listed = registrations(plan, as_merged(commune))
    found = reviews([r.household_id for r in listed], year)
    officials = current_officials(plan)
    columns = [
        Column("no", _("No."), "int", 5),
        Column("code", _("Household code"), "text", 10),
        Column("head", _("Head of household"), "text", 22),
        Column("village", _("Village"), "text", 14),
        Column("ethnicity", _("Ethnicity"), "text", 9),
        Column("classification", _("Classification at registration"), "text", 13),
        Column("deprivations", _("Deprived indicators (no.)"), "text", 13),
        Column("needs", _("Needs to exit poverty"), "text", 40),
        Column("official", _("Official in charge"), "text", 20),
    ]
    rows = []
    for number, registration in enumerate(listed, start=1):
        household = registration.household
        review = found.get(household.pk, {"classification": None, "numbers": []})
        official = officials.get(household.pk)
        rows.append(
            Row(
                {
                    "no": number,
                    "code": household.code,
                    "head": household.head_name,
                    "village": household.village.name,
                    "ethnicity": household.head_ethnicity.name if household.head_ethnicity else "",
                    "classification": level_label(review["classification"]),
                    "deprivations": indicator_numbers(review["numbers"]),
                    "needs": registration.needs,
                    "official": official["official__full_name"] if official else "",
                }
            )
        )
    per_village: dict[str, int] = defaultdict(int)
    for registration in listed:
        per_village[registration.household.village.name] += 1
    table = Table(
        title=_("List of households registered to exit poverty in %(year)s") % {"year": plan.year},
        columns=columns,
        rows=rows,
        totals=Row({"no": len(rows), "head": _("Total households")}, style="subtotal"),
        note=indicator_note(year),
    )
    summary = [
        plan_reference(plan),
        (_("Households registered to exit poverty"), format_number(len(rows))),
    ]
    summary += [
        (village, format_number(count))
        for village, count in ((name, per_village[name]) for name in by_vietnamese(per_village, lambda n: n))
    ]
    return Report(
        slug="exit-households",
        title=table.title,
        commune=commune,
        plan_year=plan_year,
        review_year=year,
        generated_at=now(),
        landscape=True,
        summary=summary,
        tables=[table],
    )
