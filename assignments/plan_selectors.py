"""Reads for the commune officer's plan pages: starting the next plan from the closed year, and
registering and assigning several households at once, with each official's load."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import Official
from accounts.selectors import officials_assignable, scope_for_user
from assignments.models import Assignment
from assignments.selectors import plan_today_for
from households import review_status
from households.classification import Level
from households.models import Household, Village
from households.selectors import household_search
from plans import candidates as plan_candidates
from plans import outcomes
from plans.models import ExitRegistration, Plan
from plans.outcomes import ExitResult
from povertyplan.text import vietnamese_sort_key


@dataclass(frozen=True)
class OfficialLoad:
    official: Official
    households: int  # in charge of in the plan

    @property
    def pk(self) -> int:
        return self.official.pk


def official_loads(plan: Plan) -> list[OfficialLoad]:
    """The officials who may be put in charge of the plan's households, each with how many they are
    in charge of in that plan, lightest first (one query)."""
    officials = (
        officials_assignable(commune=plan.commune_id)
        .select_related("department")
        .annotate(
            load=Count("assignments", filter=Q(assignments__plan=plan, assignments__ended_on__isnull=True))
        )
    )
    loads = [OfficialLoad(official, official.load) for official in officials]
    return sorted(loads, key=lambda item: (item.households, vietnamese_sort_key(item.official.full_name)))


def current_officials(plan: Plan, household_ids=None) -> dict[int, Official]:
    """household id → the official currently in charge of it in the plan (one query)."""
    current = Assignment.objects.filter(plan=plan, ended_on__isnull=True).select_related("official")
    if household_ids is not None:
        current = current.filter(household_id__in=household_ids)
    return {assignment.household_id: assignment.official for assignment in current}


# --- Starting the next plan ----------------------------------------------------------------------


@dataclass(frozen=True)
class Carried:
    """A registration of plan N that did not exit, to carry into plan N+1 with its official."""

    registration: ExitRegistration
    result: ExitResult
    official: Official | None  # in charge at the end of plan N, if they may still be in charge

    @property
    def household(self) -> Household:
        return self.registration.household


@dataclass(frozen=True)
class NextPlanStart:
    previous: Plan
    year: int
    refusal: str | None  # why it cannot start yet (nothing else is read then)
    review_round: object | None
    carried: list[Carried]
    candidates: list[plan_candidates.Candidate]
    officials: list[OfficialLoad]
    default_day: datetime.date


def default_registration_day(year: int, today: datetime.date | None = None) -> datetime.date:
    """Today while it is not past the plan's year, else the plan's first day."""
    today = today or timezone.localdate()
    return today if today.year <= year else datetime.date(year, 1, 1)


def next_plan_start(previous: Plan, *, refusal: str | None) -> NextPlanStart:
    """What the plan-start page shows: the registrations of `previous` that did not exit at its
    year's closed review (with their official), and the other poor households closest to exit.
    A constant number of queries whatever the number of households."""
    year = previous.year + 1
    review_round = review_status.periodic_round(commune=previous.commune_id, year=previous.year)
    if refusal:
        return NextPlanStart(
            previous, year, refusal, review_round, [], [], [], default_registration_day(year)
        )
    registrations = list(ExitRegistration.objects.filter(plan=previous).select_related("household__village"))
    results = outcomes.outcomes_of(
        commune=previous.commune_id,
        year=previous.year,
        stored={registration.household_id: registration.status for registration in registrations},
    )
    in_charge = current_officials(previous)
    loads = official_loads(previous)
    assignable = {load.pk for load in loads}
    carried = [
        Carried(
            registration=registration,
            result=results[registration.household_id],
            official=official
            if (official := in_charge.get(registration.household_id)) and official.pk in assignable
            else None,
        )
        for registration in registrations
        if results[registration.household_id].outcome == ExitRegistration.Outcome.NOT_EXITED
    ]
    carried.sort(
        key=lambda item: (
            vietnamese_sort_key(item.household.village.name),
            vietnamese_sort_key(item.household.head_name),
        )
    )
    # Offered by name, each with the households they followed in plan N.
    officials = sorted(loads, key=lambda item: vietnamese_sort_key(item.official.full_name))
    return NextPlanStart(
        previous=previous,
        year=year,
        refusal=None,
        review_round=review_round,
        carried=carried,
        candidates=plan_candidates.exit_candidates(
            review_round=review_round, exclude={item.registration.household_id for item in carried}
        ),
        officials=officials,
        default_day=default_registration_day(year),
    )


# --- Registering and assigning several households ----------------------------------------------


class Show:
    ALL = "all"
    NOT_REGISTERED = "not_registered"
    UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class PlanHouseholdRow:
    household: Household
    classification: str  # at the end of the plan's baseline review
    registered: bool
    official: Official | None


def plan_households(
    plan: Plan, *, query: str = "", village: Village | None = None, show: str = Show.ALL
) -> list[PlanHouseholdRow]:
    """The households the officer registers and assigns for a plan: those on the poor or near-poor
    list at the end of the plan's baseline review, and any already registered or assigned in the
    plan; searched, filtered by village, and by what is still to do. Constant queries."""
    baseline = review_status.status_after_periodic_review(
        commune=plan.commune_id, year=plan.baseline_review_year, with_deprived=False
    )
    level = {item.household_id: item.classification for item in baseline.households}
    listed = {pk for pk, value in level.items() if value in (Level.POOR, Level.NEAR_POOR)}
    registered = set(plan.exit_registrations.values_list("household_id", flat=True))
    in_charge = current_officials(plan)
    households = Household.objects.filter(
        commune=plan.commune_id, archived_at__isnull=True, pk__in=listed | registered | set(in_charge)
    ).select_related("village")
    if village is not None:
        households = households.filter(village=village)
    households = household_search(households, query)
    rows = [
        PlanHouseholdRow(
            household=household,
            classification=level.get(household.pk, Level.OTHER),
            registered=household.pk in registered,
            official=in_charge.get(household.pk),
        )
        for household in households
    ]
    if show == Show.NOT_REGISTERED:
        rows = [row for row in rows if not row.registered]
    elif show == Show.UNASSIGNED:
        rows = [row for row in rows if row.official is None]
    return sorted(
        rows,
        key=lambda row: (
            vietnamese_sort_key(row.household.village.name),
            vietnamese_sort_key(row.household.head_name),
            row.household.code,
        ),
    )


def plan_villages(plan: Plan) -> QuerySet[Village]:
    return Village.objects.filter(commune=plan.commune_id)


def plan_households_chosen(plan: Plan, ids) -> list[Household]:
    """The commune's resident households among the ids a form sent (others are ignored)."""
    clean = [int(pk) for pk in ids if str(pk).isdigit()]
    return list(Household.objects.filter(commune=plan.commune_id, archived_at__isnull=True, pk__in=clean))


def plan_today_for_officer(*, user):
    """plans.selectors.PlanToday of the user's commune for those who start plans and assign
    households (the commune officer, an administrator with a commune); None for the others."""
    if not scope_for_user(user).can_write:
        return None
    return plan_today_for(user=user)
