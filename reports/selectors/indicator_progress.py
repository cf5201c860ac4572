"""The year-end report's table of support aimed at deprivations, and whether it worked.

For each household registered in the plan, each indicator deprived at the plan's baseline review or
named by a support of the plan year: deprived then → how many supports named it and their value
→ met or still deprived at the plan year's periodic review (assignments.indicators, the same rule
as the household's page). A group row per household, its indicators below, so the table reads on
A4 landscape and in the spreadsheet alike.
"""

from django.db.models import Subquery
from django.utils.translation import gettext as _

from assignments import indicators
from assignments.indicators import MET, IndicatorProgress
from assignments.models import SupportAction
from households.models import Household
from plans.models import ExitRegistration, Plan
from povertyplan.formatting import format_number
from reports.data import Column, Row, Table

from .common import counted_support


def plan_supports(plan: Plan, registered) -> dict[int, list[tuple[int, list[int]]]]:
    """household id → (value, indicator numbers) of each counted support dated in the plan year,
    for the registered households (one query)."""
    rows = counted_support(
        SupportAction.objects.filter(
            household_id__in=registered, date__gte=plan.first_day, date__lte=plan.last_day
        )
    ).values_list("household_id", "pk", "value_vnd", "indicators__number")
    actions: dict[int, dict[int, tuple[int, list[int]]]] = {}
    for household_id, pk, value, number in rows:
        _value, numbers = actions.setdefault(household_id, {}).setdefault(pk, (value, []))
        if number is not None:
            numbers.append(number)
    return {household_id: list(by_pk.values()) for household_id, by_pk in actions.items()}


def plan_progress(plan: Plan) -> dict[int, list[IndicatorProgress]]:
    """household id → its indicator progress, for every household registered in the plan. Six
    queries whatever the number of households and supports."""
    registered = Subquery(ExitRegistration.objects.filter(plan=plan).values("household_id"))
    baseline, closing = indicators.plan_readings(plan, Household.objects.filter(pk__in=registered))
    supports = plan_supports(plan, registered)
    names = indicators.indicator_names(plan.year)
    household_ids = set(baseline) | set(closing) | set(supports)
    return {
        household_id: indicators.indicator_progress(
            names=names,
            baseline=baseline.get(household_id),
            closing=closing.get(household_id),
            supports=supports.get(household_id, []),
        )
        for household_id in household_ids
    }


def progress_table(plan: Plan, registrations: list[ExitRegistration]) -> Table:
    """The table, households in the order of `registrations` (their households and villages loaded)."""
    progress = plan_progress(plan)
    rows: list[Row] = []
    listed = met = 0
    number = 0
    for registration in registrations:
        household = registration.household
        found = progress.get(household.pk, [])
        if not found:
            continue
        number += 1
        heading = _("%(no)s. %(code)s – %(head)s – %(village)s") % {
            "no": number,
            "code": household.code,
            "head": household.head_name,
            "village": household.village.name,
        }
        rows.append(Row({"indicator": heading}, style="group"))
        for item in found:
            listed += 1
            met += item.at_closing == MET
            rows.append(
                Row(
                    {
                        "indicator": f"{item.number}. {item.name}".strip(),
                        "baseline": item.baseline_label,
                        "actions": item.actions,
                        "value": item.value_vnd if item.actions else None,
                        "closing": item.closing_label,
                    }
                )
            )
    return Table(
        title=_("Support aimed at deprivations, and the result"),
        columns=[
            Column("indicator", _("Household / deprivation indicator"), "text", 34),
            Column(
                "baseline",
                _("At the %(year)s review (baseline)") % {"year": plan.baseline_review_year},
                "text",
                16,
            ),
            Column("actions", _("Supports in %(year)s naming it") % {"year": plan.year}, "int", 12),
            Column("value", _("Value of those supports"), "vnd", 15),
            Column("closing", _("At the %(year)s review") % {"year": plan.year}, "text", 16),
        ],
        rows=rows,
        note=_(
            "Households registered to exit poverty: each indicator deprived at the %(baseline)s review "
            "or named by a support dated in %(year)s (a corrected entry counts once, as its correction; "
            "a support naming several indicators counts under each). Listed: %(listed)s; met at the "
            "%(year)s review: %(met)s."
        )
        % {
            "baseline": plan.baseline_review_year,
            "year": plan.year,
            "listed": format_number(listed),
            "met": format_number(met),
        },
    )
