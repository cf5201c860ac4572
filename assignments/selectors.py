"""Reads for assignments and support, scoped to the user."""

import datetime
import uuid
from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.selectors import scope_for_user
from assignments import indicators
from assignments.models import Assignment, SupportAction
from households import selectors as household_selectors
from households.models import Assessment, Household
from plans import outcomes
from plans import selectors as plan_selectors
from plans.outcomes import ExitResult
from plans.selectors import PlanToday
from povertyplan.roles import Role


def household_for_support(*, user, pk: int) -> tuple[Household, str]:
    """The household a user may log support for, and a reason to flag the entry ('' when none).

    An official logs for the households they are in charge of. One they were in charge of earlier
    (reassigned while they were offline, say) is still accepted, since the work was done, and
    flagged for the commune officer. Any other household is a 404. The commune officer and the
    administrator log for households in their scope; read-only roles get 403.
    """
    scope = scope_for_user(user)
    if scope.role == Role.OFFICIAL:
        household = Household.objects.filter(pk=pk, assignments__official=scope.official).distinct().first()
        if household is None:
            raise Http404
        if Assignment.objects.filter(
            household=household, official=scope.official, ended_on__isnull=True
        ).exists():
            return household, ""
        return household, _("Logged by an official no longer in charge of this household.")
    household = household_selectors.household_get_for_user(user=user, pk=pk, write=True)
    if scope.official is None:  # support is always logged under an official's name
        raise PermissionDenied
    return household, ""


# --- "My households": the official's fieldwork list ----------------------------------------------

# A household with no support logged for longer than this is marked as not visited.
VISIT_INTERVAL_DAYS = 30


def follows_households(*, user) -> bool:
    """The user is an official in charge of households: their pages start from "My households"."""
    return scope_for_user(user).role == Role.OFFICIAL


def _listed_assignments(*, user) -> QuerySet[Assignment]:
    """The assignments "My households" reads: an official's own; for the other roles, their scope's."""
    scope = scope_for_user(user)
    if scope.role == Role.OFFICIAL:
        return Assignment.objects.filter(official=scope.official)
    scoped = Household.objects.filter(household_selectors.household_scope_filter(user=user))
    return Assignment.objects.filter(household__in=scoped)


def my_plan_years(*, user) -> list[int]:
    """Plan years of the assignments the user's "My households" reads, latest first (one query)."""
    assignments = _listed_assignments(user=user).order_by("-plan__year")
    return list(assignments.values_list("plan__year", flat=True).distinct())


@dataclass(frozen=True)
class MyHouseholdRow:
    pk: int
    code: str
    head_name: str
    village: str
    official: str
    review_year: int | None
    classification: str | None
    deprivations: int | None
    last_support: datetime.date | None
    knowledge: int
    labour: int
    materials: int
    exit_status: str | None  # the stored progress; `exit` is what the page shows
    not_visited: bool
    commune_id: int | None = None
    exit: ExitResult | None = None  # the registration's outcome (plans.outcomes)


def my_households(*, user, year: int, query: str = "") -> QuerySet:
    """The households the user's page lists for a plan year, as annotated values (one query).

    An official gets the households they are currently in charge of in that year's plan; the
    commune officer, the administrator and the upper office get those of their scope that an
    official is currently in charge of. Each row carries the latest periodic review and its number
    of deprived indicators, the last support date, this year's supports by kind and the exit
    registration's status. An entry that a later one corrects is not counted: its correction is.
    """
    from plans.models import ExitRegistration

    current = _listed_assignments(user=user).filter(
        household=OuterRef("pk"), plan__year=year, ended_on__isnull=True
    )
    households = household_selectors.household_search(
        Household.objects.filter(
            household_selectors.household_scope_filter(user=user), Exists(current), archived_at__isnull=True
        ),
        query,
    )
    review = Assessment.objects.filter(household=OuterRef("pk"), kind=Assessment.Kind.PERIODIC).order_by(
        "-review_year"
    )
    counted = SupportAction.objects.filter(household=OuterRef("pk")).exclude(
        Exists(SupportAction.objects.filter(corrects=OuterRef("pk")))
    )

    def count_of(kind):
        this_year = counted.filter(kind=kind, date__year=year).order_by().values("household")
        return Coalesce(Subquery(this_year.annotate(n=Count("pk")).values("n")[:1]), 0)

    return (
        households.annotate(
            official_name=Subquery(current.values("official__full_name")[:1]),
            review_year=Subquery(review.values("review_year")[:1]),
            classification=Subquery(review.values("classification")[:1]),
            deprivations=Subquery(review.annotate(n=Count("deprivations")).values("n")[:1]),
            last_support=Subquery(counted.order_by("-date").values("date")[:1]),
            knowledge=count_of(SupportAction.Kind.KNOWLEDGE),
            labour=count_of(SupportAction.Kind.LABOUR),
            materials=count_of(SupportAction.Kind.MATERIALS),
            exit_status=Subquery(
                ExitRegistration.objects.filter(household=OuterRef("pk"), plan__year=year).values("status")[
                    :1
                ]
            ),
        )
        .order_by("village__name", "code")
        .values(
            "pk",
            "code",
            "head_name",
            "village__name",
            "official_name",
            "review_year",
            "classification",
            "deprivations",
            "last_support",
            "knowledge",
            "labour",
            "materials",
            "exit_status",
            "commune_id",
        )
    )


def my_household_rows(values, *, today: datetime.date | None = None) -> list[MyHouseholdRow]:
    """Rows of my_households() (all of them or one page) as dataclasses, marked when not visited."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=VISIT_INTERVAL_DAYS)
    return [
        MyHouseholdRow(
            pk=row["pk"],
            code=row["code"],
            head_name=row["head_name"],
            village=row["village__name"],
            official=row["official_name"] or "",
            review_year=row["review_year"],
            classification=row["classification"],
            deprivations=row["deprivations"],
            last_support=row["last_support"],
            knowledge=row["knowledge"],
            labour=row["labour"],
            materials=row["materials"],
            exit_status=row["exit_status"],
            not_visited=row["last_support"] is None or row["last_support"] < since,
            commune_id=row.get("commune_id"),
        )
        for row in values
    ]


def with_exit_outcomes(rows: list[MyHouseholdRow], *, year: int) -> list[MyHouseholdRow]:
    """The rows with their registration's outcome in the plan of `year` (plans.outcomes): constant
    queries per commune on the page, none when no row has a registration."""
    exits = outcomes.outcomes_for(
        (row.pk, row.commune_id, year, row.exit_status) for row in rows if row.exit_status
    )
    return [replace(row, exit=exits.get((row.pk, year))) for row in rows]


# --- Logging support from the household page -------------------------------------------------------


def current_plan_for(household: Household):
    """The household's plan: that of its latest assignment, if any. A new support counts under it,
    so its date must lie in that plan's year (assignments.forms.SupportActionForm)."""
    assignment = (
        Assignment.objects.filter(household=household).select_related("plan").order_by("-plan__year").first()
    )
    return assignment.plan if assignment else None


# The kinds of support as the form's three large buttons (the plan's own short names).
SUPPORT_KIND_BUTTONS = (
    (SupportAction.Kind.KNOWLEDGE, pgettext_lazy("support kind, button", "Knowledge – technique")),
    (SupportAction.Kind.LABOUR, pgettext_lazy("support kind, button", "Labour days")),
    (SupportAction.Kind.MATERIALS, pgettext_lazy("support kind, button", "Livestock, seed, materials")),
)
# Suggested units: stored values, written in Vietnamese like the records themselves, so not translated.
SUPPORT_UNIT_SUGGESTIONS = ("ngày công", "con", "kg", "cây", "bao", "buổi")


@dataclass(frozen=True)
class SupportPanel:
    """What the support form needs: the plan, the date bounds and the official who logs it.

    `client_uuid` is new for each form rendered, so the same form sent twice is stored once.
    The date lies in the year of the household's plan and not after today; without a plan (a
    household nobody has been in charge of) it has no lower bound, as in the API. `plan_today`
    says whether a plan of the household's commune is in force today (the page says so when not).
    `indicators` are the boxes of the deprivation indicators a support may address
    (assignments.indicators.IndicatorChoice), the household's deprived ones first.
    """

    plan: object | None
    today: datetime.date
    official: object
    plan_today: PlanToday | None = None
    client_uuid: uuid.UUID = field(default_factory=uuid.uuid4)
    indicators: list = field(default_factory=list)
    kinds = SUPPORT_KIND_BUTTONS
    contributors = SupportAction.Contributor.choices
    unit_suggestions = SUPPORT_UNIT_SUGGESTIONS

    @property
    def plan_year(self) -> int | None:
        return self.plan.year if self.plan else None

    @property
    def min_date(self) -> datetime.date | None:
        return self.plan.first_day if self.plan else None

    @property
    def max_date(self) -> datetime.date:
        return min(self.today, self.plan.last_day) if self.plan else self.today

    @property
    def plan_is_current(self) -> bool:
        """Today lies in the plan's year: the form is for now, not for a past year."""
        return self.plan is None or self.plan.covers(self.today)

    @property
    def default_date(self) -> datetime.date | None:
        """Today when it may be chosen; otherwise none, so the official picks a day of the plan's year."""
        return self.today if self.plan_is_current else None


_NOT_READ = object()


def support_panel_for(
    *, user, household: Household, plan, client_uuid: uuid.UUID | None = None, latest_review=_NOT_READ
) -> SupportPanel:
    """The support form's settings, for a household the user may log support for (checked by the caller).

    The indicators offered are those of the plan's year (this year without a plan); the household
    page passes its `latest_review` (or None), which saves reading it again.
    """
    today = timezone.localdate()
    year = plan.year if plan is not None else today.year
    if latest_review is _NOT_READ:
        choices = indicators.choices_for(household=household, year=year)
    else:
        choices = indicators.choices_for_page(latest_review=latest_review, year=year)
    return SupportPanel(
        plan=plan,
        today=today,
        official=scope_for_user(user).official,
        plan_today=plan_selectors.plan_today(commune=household.commune_id, today=today),
        client_uuid=client_uuid or uuid.uuid4(),
        indicators=choices,
    )


def support_panel_for_user(
    *, user, household: Household, assignments: list[Assignment], latest_review=_NOT_READ
) -> SupportPanel | None:
    """The support form for a household page the user may read, or None if they may not log there.

    `assignments` are the household's, with their plans loaded (the page has them already); the
    plan of the latest one is the household's plan (current_plan_for). On a page they can read,
    the rule of household_for_support comes down to the role: an official reads only the
    households they are in charge of, and the commune officer and the administrator log for their
    scope under their official profile. The POST checks again through household_for_support.
    """
    scope = scope_for_user(user)
    if scope.official is None or not (scope.role == Role.OFFICIAL or scope.can_write):
        return None
    latest = max(assignments, key=lambda assignment: assignment.plan.year, default=None)
    return support_panel_for(
        user=user, household=household, plan=latest.plan if latest else None, latest_review=latest_review
    )


def plan_today_for(*, user) -> PlanToday | None:
    """For "My households": whether a plan of the user's commune is in force today (None: no commune)."""
    commune_id = scope_for_user(user).commune_id
    if commune_id is None:
        return None
    return plan_selectors.plan_today(commune=commune_id, today=timezone.localdate())


def support_action_for_correction(*, user, household: Household, pk) -> SupportAction:
    """An entry the user may correct: one they logged for this household (404 otherwise)."""
    official = scope_for_user(user).official
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    action = (
        SupportAction.objects.filter(pk=pk, household=household, official=official).first()
        if official
        else None
    )
    if action is None:
        raise Http404
    return action


def support_photo_for_user(*, user, pk: int) -> SupportAction:
    """A support action with a photo, on a household the user may read (404 otherwise)."""
    scoped = Household.objects.filter(household_selectors.household_scope_filter(user=user))
    action = SupportAction.objects.filter(pk=pk, household__in=scoped).exclude(photo="").first()
    if action is None:
        raise Http404
    return action


def support_action_for_repeat(*, user, client_uuid) -> SupportAction | None:
    """The stored support with this client UUID, for a client re-sending it; None if there is none.

    The caller must be able to log support for its household (else 404, or 403 for a read-only
    role). Someone else's record is shown only for a household in the caller's page scope, so a
    UUID never reveals another official's work on a household the caller does not follow.
    """
    stored = SupportAction.objects.filter(client_uuid=client_uuid).first()
    if stored is None:
        return None
    household_for_support(user=user, pk=stored.household_id)
    official = scope_for_user(user).official
    if official is None or stored.official_id != official.pk:
        visible = household_selectors.household_list_for_user(user=user, include_archived=True)
        if not visible.filter(pk=stored.household_id).exists():
            raise Http404
    return stored
