"""What the report selectors share: the plan lookup, the review year, labels and small helpers."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import SupportAction
from households.classification import Level
from households.models import Commune
from plans.models import Plan
from povertyplan.formatting import format_date, format_number, format_quantity
from povertyplan.text import vietnamese_sort_key


class ReportUnavailable(Http404):
    """The report cannot be built: the commune has no plan for the year, say.

    A 404 for the views; a background task can catch it by this name.
    """


def plan_for(*, commune: Commune, plan_year: int) -> Plan:
    """The commune's plan of the year, with its programme (one query); ReportUnavailable without one."""
    plan = Plan.objects.filter(commune=commune, year=plan_year).select_related("programme").first()
    if plan is None:
        raise ReportUnavailable(_("The commune has no plan for %(year)s.") % {"year": plan_year})
    return plan


def statistics_year(*, commune: Commune, plan_year: int, review_year: int | None) -> int:
    """The review a statistics report of plan year N shows: the one asked for, else N−1.

    N−1 is the review the plan starts from (the 2022 review for the 2023 plan).
    """
    return review_year if review_year is not None else plan_year - 1


def now() -> datetime.datetime:
    return timezone.localtime()


def level_label(code: str | None) -> str:
    """The translated name of a classification code ("poor" → "Hộ nghèo"); "" for none."""
    if not code:
        return ""
    try:
        return str(Level(code).label)
    except ValueError:
        return code


def counted_support(queryset: QuerySet[SupportAction] | None = None) -> QuerySet[SupportAction]:
    """Support actions that count: an entry a later one corrects is replaced by its correction.

    The same rule as the officials' "My households" page (assignments.selectors.my_households).
    """
    queryset = SupportAction.objects.all() if queryset is None else queryset
    return queryset.exclude(Exists(SupportAction.objects.filter(corrects=OuterRef("pk"))))


def by_vietnamese(items: Iterable, *keys) -> list:
    """Items sorted by text keys in Vietnamese order; each key is a function of an item."""
    return sorted(items, key=lambda item: tuple(vietnamese_sort_key(key(item) or "") for key in keys))


def indicator_numbers(numbers: Iterable[int]) -> str:
    """[10, 4, 7] → "4, 7, 10"."""
    return ", ".join(str(number) for number in sorted(set(numbers)))


def quantities_text(quantities: dict[str, Decimal]) -> str:
    """{"con": 3, "kg": 100.5} → "3 con; 100,5 kg" (units in Vietnamese order)."""
    units = by_vietnamese(quantities, lambda unit: unit)
    return "; ".join(f"{format_quantity(quantities[unit])} {unit}".strip() for unit in units)


def add_quantities(total: dict[str, Decimal], more: dict[str, Decimal]) -> None:
    for unit, quantity in more.items():
        total[unit] = total.get(unit, Decimal(0)) + quantity


def count_text(count: int) -> str:
    return format_number(count)


def plan_reference(plan: Plan) -> tuple[str, str]:
    """("Attached to plan", "No. 18/KH-UBND of 20/02/2023"): the summary line of a plan's annex."""
    if plan.number and plan.issued_on:
        text = _("No. %(number)s of %(date)s") % {"number": plan.number, "date": format_date(plan.issued_on)}
    else:
        text = plan.number or plan.title
    return _("Attached to plan"), text
