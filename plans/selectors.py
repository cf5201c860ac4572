"""Reads for plans: which plan is in force on a date, a plan the user may open."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.selectors import scope_for_user
from households import selectors as household_selectors
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


def plan_get_for_user(*, user, pk, write: bool = False) -> Plan:
    """A plan of a commune the user may read (404 otherwise); with `write`, 403 for a read-only role."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    communes = household_selectors.commune_list_for_user(user=user)
    plan = Plan.objects.select_related("commune").filter(pk=pk, commune__in=communes).first()
    if plan is None:
        raise Http404
    if write and not scope_for_user(user).can_write:
        raise PermissionDenied
    return plan


def latest_plan(*, commune) -> Plan | None:
    """The commune's plan of the latest year (one query)."""
    return Plan.objects.filter(commune=commune).order_by("-year").first()
