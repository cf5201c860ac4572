"""The fingerprint of the data a commune's reports read: a finished file is fresh while it holds.

Every table a report reads, restricted to the commune, contributes its row count and its latest
`updated_at` (every model here is `Tracked`, so saves through services and the admin move it; a
deletion lowers the count; a deletion plus an insertion moves the latest date). One query: each
figure is a scalar subquery of the same SELECT, so the report centre pays for it once, however
many reports and households there are.

What it does not see: bulk `QuerySet.update()` calls (they skip `auto_now`). The application
writes through services, which save rows; a data fix run by hand in the shell should be followed
by `ReportFile.objects.all().delete()` (or bump FORMAT_VERSION below).

FORMAT_VERSION is part of the fingerprint: bump it when a report's layout or figures change in a
release, so files built by the older code are not served any more.

A report whose figures also depend on the day (the progress report counts visits in the last 30
days up to today while its plan runs) adds the day to its fingerprint: such a file is fresh for
the day it was made, and for good once the plan year is over.
"""

import datetime
import hashlib
from collections.abc import Callable

from django.db.models import DateTimeField, F, Func, IntegerField, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Department, Official
from assignments.models import Assignment, SupportAction
from households.models import (
    Assessment,
    Commune,
    Household,
    Indicator,
    Member,
    ReviewRound,
    RoundResult,
    Village,
    VillageMeeting,
)
from plans.models import ExitRegistration, Plan, Responsibility

FORMAT_VERSION = "1"
# Reports computed "as of" today while their plan runs (reports.selectors.progress.default_as_of).
DATED_REPORTS = frozenset({"progress"})


def _tracked_tables(commune_id: int) -> dict[str, QuerySet]:
    """The rows each report may read for the commune (their union, since the lookups are cheap)."""
    return _tracked_tables_where(lambda prefix: Q(**{f"{prefix}id": commune_id}))


def _tracked_tables_where(communes: Callable[[str], Q]) -> dict[str, QuerySet]:
    """The rows each report may read for the communes `communes(prefix)` selects.

    `communes("commune__")` is the condition on a model's commune (prefix "" on Commune itself):
    one commune's id, or an area's district or province (reports.selectors.area).
    """
    return {
        "commune": Commune.objects.filter(communes("")),
        "villages": Village.objects.filter(communes("commune__")),
        "households": Household.objects.filter(communes("commune__")),
        "members": Member.objects.filter(communes("household__commune__")),
        "assessments": Assessment.objects.filter(communes("household__commune__")),
        "plans": Plan.objects.filter(communes("commune__")),
        "responsibilities": Responsibility.objects.filter(communes("plan__commune__")),
        "exit_registrations": ExitRegistration.objects.filter(communes("plan__commune__")),
        "assignments": Assignment.objects.filter(communes("plan__commune__")),
        "support_actions": SupportAction.objects.filter(communes("household__commune__")),
        "departments": Department.objects.filter(communes("commune__")),
        "officials": Official.objects.filter(communes("commune__")),
        # The indicators' texts are printed in the deprivations report (shared by every commune).
        "indicators": Indicator.objects.all(),
        # Review rounds decide the statuses every statistics report reads (a closed round's frozen
        # results; a meeting's attendance decides whether a result was sent back).
        "review_rounds": ReviewRound.objects.filter(communes("commune__")),
        "village_meetings": VillageMeeting.objects.filter(communes("round__commune__")),
        "round_results": RoundResult.objects.filter(communes("round__commune__")),
    }


def _latest(queryset: QuerySet) -> tuple[str, object]:
    """The field whose maximum moves when a row changes: `updated_at`, or the id of a table whose
    rows are written once and never changed (RoundResult)."""
    if any(field.name == "updated_at" for field in queryset.model._meta.fields):
        return "updated_at", DateTimeField()
    return "pk", IntegerField()


def _aggregate(queryset: QuerySet, function: str, field: str, output_field) -> Subquery:
    # A plain Func (not an Aggregate) adds no GROUP BY: the subquery returns one row, the total.
    return Subquery(
        queryset.order_by()
        .annotate(value=Func(F(field), function=function, output_field=output_field))
        .values("value")[:1]
    )


def data_figures(*, commune: Commune) -> dict[str, object]:
    """Count and latest change of every table the reports read for the commune, in one query."""
    annotations = {}
    for name, queryset in _tracked_tables(commune.pk).items():
        annotations[f"{name}_count"] = _aggregate(queryset, "COUNT", "pk", IntegerField())
        annotations[f"{name}_updated"] = _aggregate(queryset, "MAX", *_latest(queryset))
    return Commune.objects.filter(pk=commune.pk).values(**annotations).get()


def area_data_figures(*, communes: Callable[[str], Q]) -> dict[str, object]:
    """The same figures summed over an area's communes (`communes(prefix)` selects them), one query."""
    annotations = {}
    for name, queryset in _tracked_tables_where(communes).items():
        annotations[f"{name}_count"] = _aggregate(queryset, "COUNT", "pk", IntegerField())
        annotations[f"{name}_updated"] = _aggregate(queryset, "MAX", *_latest(queryset))
    # The subqueries are not correlated: any one row carries them (the area may have no commune).
    return next(iter(Commune.objects.order_by().values(**annotations)[:1]), {})


def area_data_fingerprint(*, scope: str, communes: Callable[[str], Q]) -> str:
    """A short hash that changes whenever a row a report reads for any of the area's communes changes."""
    figures = area_data_figures(communes=communes)
    text = "|".join(
        [FORMAT_VERSION, f"area={scope}"] + [f"{key}={_canonical(figures[key])}" for key in sorted(figures)]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def data_fingerprint(*, commune: Commune) -> str:
    """A short hash that changes whenever a row a report reads for the commune changes."""
    figures = data_figures(commune=commune)
    text = "|".join(
        [FORMAT_VERSION, str(commune.pk)] + [f"{key}={_canonical(figures[key])}" for key in sorted(figures)]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _canonical(value) -> str:
    if value is None:
        return "-"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def report_day(*, commune: Commune, plan_year: int) -> datetime.date | None:
    """Today while the commune's plan of the year runs (the dated reports' "as of"); None after."""
    ends_on = Plan.objects.filter(commune=commune, year=plan_year).values_list("ends_on", flat=True).first()
    today = timezone.localdate()
    return today if today <= (ends_on or datetime.date(plan_year, 12, 31)) else None


def report_fingerprint(*, data: str, slug: str, day: datetime.date | None) -> str:
    """The fingerprint of one report: the data's, with the day for the reports that depend on it."""
    if slug in DATED_REPORTS and day is not None:
        return hashlib.sha256(f"{data}|{day.isoformat()}".encode()).hexdigest()[:32]
    return data
