"""Reads for a user: every queryset here is already scoped to what the user may see."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from accounts.selectors import Scope, scope_for_user
from households import permissions
from households.classification import Explanation, describe, explain
from households.models import (
    Assessment,
    Commune,
    Household,
    Indicator,
    Member,
    PovertyCause,
    SupportNeed,
    Village,
)
from povertyplan.roles import Role
from povertyplan.text import fold


def commune_list_for_user(*, user) -> QuerySet[Commune]:
    """Communes the user may read: all (administrator), their own, or those under their upper office."""
    scope = scope_for_user(user)
    communes = Commune.objects.select_related("district", "province")
    if scope.role == Role.ADMINISTRATOR:
        return communes
    if scope.role in (Role.COMMUNE_OFFICER, Role.OFFICIAL):
        return communes.filter(pk=scope.commune_id)
    if scope.role == Role.UPPER_OFFICE:
        return communes.filter(_upper_office_communes(scope))
    return communes.none()


def _upper_office_communes(scope: Scope, prefix: str = "") -> Q:
    official = scope.official
    if official.district_id:
        return Q(**{f"{prefix}district_id": official.district_id})
    if official.province_id:
        return Q(**{f"{prefix}province_id": official.province_id})
    return Q(pk__in=[])


def household_scope_filter(*, user) -> Q:
    """The rows of Household a user may read, as a Q (also used by the admin and other apps)."""
    from assignments.models import Assignment  # the assignments app depends on this one, not the reverse

    scope = scope_for_user(user)
    if scope.role == Role.ADMINISTRATOR:
        return Q()
    if scope.role == Role.COMMUNE_OFFICER:
        return Q(commune_id=scope.commune_id)
    if scope.role == Role.OFFICIAL:
        current = Assignment.objects.filter(
            household=OuterRef("pk"), official=scope.official, ended_on__isnull=True
        )
        return Q(Exists(current))
    if scope.role == Role.UPPER_OFFICE:
        return _upper_office_communes(scope, prefix="commune__")
    return Q(pk__in=[])


def household_list_for_user(*, user, include_archived: bool = False) -> QuerySet[Household]:
    households = Household.objects.filter(household_scope_filter(user=user)).select_related(
        "village", "commune", "head_ethnicity"
    )
    if not include_archived:
        households = households.filter(archived_at__isnull=True)
    return households


def household_get_for_user(*, user, pk: int, write: bool = False) -> Household:
    """One household: 404 when out of the user's scope, 403 when in scope but read-only."""
    household = household_list_for_user(user=user, include_archived=True).filter(pk=pk).first()
    if household is None:
        raise Http404
    if write and not scope_for_user(user).can_write:
        raise PermissionDenied
    return household


def household_search(households: QuerySet[Household], query: str) -> QuerySet[Household]:
    """Households whose code, head, address, village or any member's name contains the query.

    Matching ignores case, diacritics and Unicode normalisation (see povertyplan.text.fold).
    """
    folded = fold(query)
    if not folded:
        return households
    member_matches = Member.objects.filter(household=OuterRef("pk"), search_key__contains=folded)
    return households.filter(
        Q(search_key__contains=folded) | Q(village__search_key__contains=folded) | Q(Exists(member_matches))
    )


# --- Pages: the household list and the household page -------------------------------------------


def village_list_for_user(*, user) -> QuerySet[Village]:
    """Villages of the communes the user may read (the list page's village filter)."""
    return Village.objects.filter(commune__in=commune_list_for_user(user=user)).select_related("commune")


def household_list_annotated(households: QuerySet[Household]) -> QuerySet[Household]:
    """Add the latest periodic review and the latest plan's exit registration to each row.

    Subqueries in the one list query, so a page of 50 rows costs no extra query per row:
    latest_review_year, latest_classification (a Level code), latest_exit_year and
    latest_exit_status (an ExitRegistration.Status code); None where there is none.
    """
    from plans.models import ExitRegistration  # plans depends on this app, not the reverse

    latest_review = Assessment.objects.filter(
        household=OuterRef("pk"), kind=Assessment.Kind.PERIODIC
    ).order_by("-review_year")
    latest_exit = ExitRegistration.objects.filter(household=OuterRef("pk")).order_by("-plan__year")
    return households.annotate(
        latest_review_year=Subquery(latest_review.values("review_year")[:1]),
        latest_classification=Subquery(latest_review.values("classification")[:1]),
        latest_exit_year=Subquery(latest_exit.values("plan__year")[:1]),
        latest_exit_status=Subquery(latest_exit.values("status")[:1]),
    )


def household_list_filtered(*, user, query: str = "", village: Village | None = None) -> QuerySet[Household]:
    """The list page's rows: the user's households, searched and filtered, with the latest review."""
    households = household_list_for_user(user=user)
    if village is not None:
        households = households.filter(village=village)
    return household_list_annotated(household_search(households, query))


# The household page's order of reviews: its "Latest review" first.
REVIEWS_LATEST_FIRST = ("-review_year", "kind", "-reviewed_on", "-pk")


@dataclass(frozen=True)
class HouseholdDetail:
    household: Household
    members: list[Member]
    assessments: list[Assessment]
    causes: list
    needs: list
    exit_registrations: list
    assignments: list
    support_actions: list
    show_national_id: bool


def household_detail_for_user(*, user, pk: int) -> HouseholdDetail:
    """Everything the household page shows, in a fixed number of queries (404 out of scope)."""
    from assignments.models import Assignment, SupportAction
    from plans.models import ExitRegistration

    household = household_get_for_user(user=user, pk=pk)
    assessments = (
        household.assessments.select_related("standard")
        .prefetch_related(Prefetch("deprivations", queryset=Indicator.objects.order_by("number")))
        .order_by(*REVIEWS_LATEST_FIRST)
    )
    return HouseholdDetail(
        household=household,
        members=list(household.members.select_related("ethnicity").order_by("number")),
        assessments=list(assessments),
        causes=list(household.causes.all()),
        needs=list(household.needs.all()),
        exit_registrations=list(
            ExitRegistration.objects.filter(household=household)
            .select_related("plan")
            .order_by("-plan__year")
        ),
        assignments=list(
            Assignment.objects.filter(household=household)
            .select_related("official", "plan")
            .order_by(F("ended_on").desc(nulls_first=True), "-started_on")
        ),
        support_actions=list(
            SupportAction.objects.filter(household=household)
            .select_related("official")
            .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("number")))
            .order_by("-date", "-created_at")
        ),
        show_national_id=permissions.national_id_visible_to(user=user),
    )


# --- The household page as a case file: indicators, explanation, causes and needs, timeline --------

# Roles that may change a household's causes and needs. An official's scope is exactly the
# households they are currently in charge of, so "in scope" already means "assigned to them".
CASE_EDIT_ROLES = (Role.ADMINISTRATOR, Role.COMMUNE_OFFICER, Role.OFFICIAL)


def case_editable_by(*, user) -> bool:
    """Whether the user may change the causes and needs of the households in their scope."""
    return scope_for_user(user).role in CASE_EDIT_ROLES


def household_get_for_case_edit(*, user, pk: int) -> Household:
    """A household whose causes and needs the user may change: 404 out of scope, 403 read-only."""
    household = household_get_for_user(user=user, pk=pk)
    if not case_editable_by(user=user):
        raise PermissionDenied
    return household


@dataclass(frozen=True)
class IndicatorStatus:
    indicator: Indicator
    deprived: bool


@dataclass(frozen=True)
class ReviewExplained:
    """A review with every indicator of its standard (deprived or met) and the rule's reasoning."""

    assessment: Assessment
    indicators: list[IndicatorStatus]
    explanation: Explanation

    @property
    def sentences(self) -> list[str]:
        return describe(self.explanation)  # in the language active when the page renders


@dataclass(frozen=True)
class TimelineEntry:
    """A support action, the entry it corrects (if any) and the entries that correct it."""

    action: object
    original: object | None
    corrections: list

    @property
    def is_corrected(self) -> bool:
        return bool(self.corrections)


@dataclass(frozen=True)
class HouseholdCase:
    detail: HouseholdDetail
    latest_review: ReviewExplained | None
    timeline: list[TimelineEntry]
    can_edit_case: bool
    show_review_flags: bool
    cause_choices: list[PovertyCause]
    need_choices: list[SupportNeed]


def review_explained(assessment: Assessment, area: str) -> ReviewExplained:
    """Every indicator of the assessment's standard, deprived or met, and explain() of its figures.

    Uses the assessment's prefetched deprivations; one query for the standard's indicators.
    """
    indicators = list(Indicator.objects.filter(standard_id=assessment.standard_id).order_by("number"))
    deprived = {indicator.pk for indicator in assessment.deprivations.all()}
    rule = assessment.standard.to_rule(tuple(indicator.code for indicator in indicators))
    return ReviewExplained(
        assessment=assessment,
        indicators=[IndicatorStatus(indicator, indicator.pk in deprived) for indicator in indicators],
        explanation=explain(
            assessment.income_per_capita_month,
            [indicator.code for indicator in indicators if indicator.pk in deprived],
            area=area,
            standard=rule,
        ),
    )


def support_timeline(actions: list) -> list[TimelineEntry]:
    """Support actions (already newest first) with their corrections linked both ways, no query."""
    by_pk = {action.pk: action for action in actions}
    corrections: dict[int, list] = {}
    for action in actions:
        if action.corrects_id:
            corrections.setdefault(action.corrects_id, []).append(action)
    return [
        TimelineEntry(
            action=action,
            original=by_pk.get(action.corrects_id) if action.corrects_id else None,
            corrections=corrections.get(action.pk, []),
        )
        for action in actions
    ]


def household_case_for_user(*, user, pk: int) -> HouseholdCase:
    """The household page: household_detail_for_user plus the latest review explained, the support
    timeline and, for those who may edit them, the causes and needs to choose from (404 out of scope).
    """
    detail = household_detail_for_user(user=user, pk=pk)
    can_edit = case_editable_by(user=user)
    if can_edit:
        # Items no longer in use stay offered while the household still has them.
        chosen_causes = {cause.pk for cause in detail.causes}
        chosen_needs = {need.pk for need in detail.needs}
        cause_choices = list(PovertyCause.objects.filter(Q(active=True) | Q(pk__in=chosen_causes)))
        need_choices = list(SupportNeed.objects.filter(Q(active=True) | Q(pk__in=chosen_needs)))
    else:
        cause_choices, need_choices = [], []
    return HouseholdCase(
        detail=detail,
        latest_review=(
            review_explained(detail.assessments[0], detail.household.area) if detail.assessments else None
        ),
        timeline=support_timeline(detail.support_actions),
        can_edit_case=can_edit,
        show_review_flags=scope_for_user(user).can_write,
        cause_choices=cause_choices,
        need_choices=need_choices,
    )
