"""Reads for plans: which plan is in force on a date."""

import datetime
from dataclasses import dataclass

from plans.models import Plan


def plan_in_force(*, commune, on: datetime.date) -> Plan | None:
    """The commune's plan in force on a date: the plan whose year contains it (None if there is none).

    A commune has one plan a year and each runs from 1 January to 31 December (Plan.covers).
    `commune` is a Commune or its id.
    """
    return Plan.objects.filter(commune=commune, year=on.year).first()


@dataclass(frozen=True)
class PlanToday:
    """Whether a plan is in force today; when none is, the commune's latest earlier plan (or None)."""

    today: datetime.date
    in_force: Plan | None
    latest: Plan | None


def plan_today(*, commune, today: datetime.date) -> PlanToday:
    """The commune's plan in force today, or else its latest plan before today (one query)."""
    latest = Plan.objects.filter(commune=commune, year__lte=today.year).order_by("-year").first()
    in_force = latest if latest is not None and latest.covers(today) else None
    return PlanToday(today=today, in_force=in_force, latest=latest)
