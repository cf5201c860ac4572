"""The `assignments` report: the plan's list of officials in charge of households.

Layout: one row per household; the official's cells (no., name, position, department) and their
number of households are written on the first row of the official's group only, so the PDF reads
like the plan's annex and the "households" column sums to the total. Officials by department (the
commune's order of departments), then name; households by village, then head of household.
Only current assignments count (a reassigned household is listed under its new official).
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from assignments.models import Assignment
from households.models import Commune
from povertyplan.formatting import format_number
from povertyplan.text import vietnamese_sort_key
from reports.data import Column, Report, Row, Table

from .common import by_vietnamese, now, plan_for, plan_reference


def build(*, commune: Commune, plan_year: int, review_year: int | None = None, **_options) -> Report:
    plan = plan_for(commune=commune, plan_year=plan_year)
    current = Assignment.objects.filter(plan=plan, ended_on__isnull=True).select_related(
        "official__department", "household__village"
    )
    groups: dict[int, list[Assignment]] = defaultdict(list)
    officials = {}
    for assignment in current:
        groups[assignment.official_id].append(assignment)
        officials[assignment.official_id] = assignment.official

    def official_key(official):
        department = official.department
        return (
            department is None,
            department.order if department else 0,
            vietnamese_sort_key(department.name if department else ""),
            vietnamese_sort_key(official.full_name),
            official.pk,
        )

    columns = [
        Column("no", _("No."), "int", 5),
        Column("official", _("Official in charge"), "text", 22),
        Column("position", _("Position"), "text", 28),
        Column("department", _("Department"), "text", 22),
        Column("households", _("Number of households"), "int", 8),
        Column("head", _("Head of household"), "text", 22),
        Column("code", _("Household code"), "text", 10),
        Column("village", _("Village"), "text", 14),
    ]
    rows = []
    for number, official in enumerate(sorted(officials.values(), key=official_key), start=1):
        households = by_vietnamese(
            groups[official.pk], lambda a: a.household.village.name, lambda a: a.household.head_name
        )
        for index, assignment in enumerate(households):
            first = index == 0
            rows.append(
                Row(
                    {
                        "no": number if first else None,
                        "official": official.full_name if first else "",
                        "position": official.position if first else "",
                        "department": (official.department.name if official.department else "")
                        if first
                        else "",
                        "households": len(households) if first else None,
                        "head": assignment.household.head_name,
                        "code": assignment.household.code,
                        "village": assignment.household.village.name,
                    }
                )
            )
    total = sum(len(group) for group in groups.values())
    table = Table(
        title=_("List of officials in charge of helping households exit poverty in %(year)s")
        % {"year": plan.year},
        columns=columns,
        rows=rows,
        totals=Row(
            {
                "official": _("%(count)s officials") % {"count": format_number(len(officials))},
                "households": total,
            },
            style="subtotal",
        ),
    )
    return Report(
        slug="assignments",
        title=table.title,
        commune=commune,
        plan_year=plan_year,
        review_year=None,
        generated_at=now(),
        landscape=True,
        summary=[
            plan_reference(plan),
            (_("Officials in charge"), format_number(len(officials))),
            (_("Households in their charge"), format_number(total)),
        ],
        tables=[table],
    )
