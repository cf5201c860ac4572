"""Reads for the API, on querysets already scoped by the households selectors."""

from django.db.models import OuterRef, QuerySet, Subquery

from api.serializers import household_to_dict
from assignments.models import SupportAction
from households.models import Assessment, Household


def household_rows(households: QuerySet[Household], *, offset: int, limit: int) -> tuple[list[dict], bool]:
    """One page of households as dicts, and whether more follow. Two queries, whatever the page size.

    `households` is the caller's scoped queryset annotated by
    households.selectors.household_list_annotated (latest classification, latest exit status).
    """
    latest_periodic = Assessment.objects.filter(
        household=OuterRef("pk"), kind=Assessment.Kind.PERIODIC
    ).order_by("-review_year")
    last_support = SupportAction.objects.filter(household=OuterRef("pk")).order_by("-date")
    page = list(
        households.annotate(
            latest_periodic_id=Subquery(latest_periodic.values("pk")[:1]),
            last_support_date=Subquery(last_support.values("date")[:1]),
        ).order_by("code", "pk")[offset : offset + limit + 1]
    )
    has_more = len(page) > limit
    page = page[:limit]
    # The deprived indicators of each row's latest periodic review, in one query for the page.
    deprived: dict[int, list[str]] = {}
    assessment_ids = [row.latest_periodic_id for row in page if row.latest_periodic_id]
    if assessment_ids:
        links = (
            Assessment.deprivations.through.objects.filter(assessment_id__in=assessment_ids)
            .order_by("indicator__number")
            .values_list("assessment_id", "indicator__code")
        )
        for assessment_id, code in links:
            deprived.setdefault(assessment_id, []).append(code)
    return [household_to_dict(row, deprived.get(row.latest_periodic_id, [])) for row in page], has_more
