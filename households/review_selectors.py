"""Reads for the review-round pages: the commune's rounds, a round's survey list and village meetings,
and the review form's choices. Access: households.permissions.review_rounds_visible_to and the
communes the user may read (selectors.commune_list_for_user); out of scope 404, read-only 403.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.selectors import scope_for_user
from households import permissions, review_status, selectors
from households.classification import Explanation, explain
from households.models import (
    Assessment,
    Commune,
    Household,
    Indicator,
    PovertyCause,
    PovertyStandard,
    ReviewRound,
    RoundCandidate,
    SupportNeed,
    Village,
    VillageMeeting,
)
from povertyplan.text import vietnamese_sort_key

# --- Who may see which rounds ----------------------------------------------------------------------


def round_communes_for_user(*, user) -> list[Commune]:
    """Communes whose rounds the user may read; 403 for the roles that read none."""
    if not permissions.review_rounds_visible_to(user=user):
        raise PermissionDenied
    return sorted(selectors.commune_list_for_user(user=user), key=lambda c: vietnamese_sort_key(c.name))


def round_commune_pick(communes: list[Commune], code: str | None) -> Commune | None:
    """The commune asked for by its code (404 when not among the user's), else the first one."""
    if not code:
        return communes[0] if communes else None
    matches = [commune for commune in communes if commune.code == code]
    if not matches:
        raise Http404
    return min(matches, key=lambda commune: commune.valid_until is not None)  # the current unit first


def rounds_writable_by(*, user) -> bool:
    return scope_for_user(user).can_write


def review_round_get_for_user(*, user, pk: int, write: bool = False) -> ReviewRound:
    """One round: 403 for the roles that read no rounds, 404 outside the user's communes, 403 when
    `write` and the user only reads."""
    if not permissions.review_rounds_visible_to(user=user):
        raise PermissionDenied
    communes = selectors.commune_list_for_user(user=user)
    review_round = (
        ReviewRound.objects.select_related("commune", "closed_by").filter(commune__in=communes, pk=pk).first()
    )
    if review_round is None:
        raise Http404
    if write and not rounds_writable_by(user=user):
        raise PermissionDenied
    return review_round


def round_household_get(*, review_round: ReviewRound, pk: int) -> Household:
    """A household of the round's commune (404 otherwise), with its village."""
    household = (
        Household.objects.select_related("village", "commune")
        .filter(commune_id=review_round.commune_id, pk=pk)
        .first()
    )
    if household is None:
        raise Http404
    return household


def round_household_by_code(*, review_round: ReviewRound, code: str) -> Household | None:
    return Household.objects.filter(commune_id=review_round.commune_id, code__iexact=code.strip()).first()


def open_rounds_for_household(household: Household) -> list[ReviewRound]:
    """The open rounds of the household's commune, periodic first (the review form's choice)."""
    rounds = ReviewRound.objects.filter(commune_id=household.commune_id, state=ReviewRound.State.OPEN)
    return sorted(rounds, key=lambda r: (r.kind != ReviewRound.Kind.PERIODIC, r.starts_on))


# --- The list of rounds --------------------------------------------------------------------------


def _taken(ref) -> Q:
    """Assessments of the round named by `ref` (OuterRef, or OuterRef of OuterRef): the query form of
    ReviewRound.takes() and review_status.round_assessments(), for one query over many rounds."""
    return Q(household__commune=ref("commune"), kind=ref("kind")) & (
        Q(kind=ReviewRound.Kind.PERIODIC, review_year=ref("year"))
        | Q(kind=ReviewRound.Kind.REGULAR, reviewed_on__gte=ref("starts_on"), reviewed_on__lte=ref("ends_on"))
    )


def _households_counted(assessments: QuerySet[Assessment]) -> Coalesce:
    per_commune = assessments.values("household__commune").annotate(n=Count("household", distinct=True))
    return Coalesce(Subquery(per_commune.values("n")[:1]), Value(0), output_field=IntegerField())


def review_round_list(*, commune: Commune) -> list[ReviewRound]:
    """The commune's rounds, latest first, each with `surveyed` (households it assessed) and
    `sent_back` (households its village meetings sent back, not yet settled). One query."""
    made = Assessment.objects.filter(_taken(OuterRef))
    settled = Assessment.objects.filter(
        _taken(lambda name: OuterRef(OuterRef(name))), household=OuterRef("household")
    ).exclude(review_status._sent_back())
    sent_back = made.filter(review_status._sent_back()).exclude(Exists(settled))
    return list(
        ReviewRound.objects.filter(commune=commune)
        .select_related("closed_by")
        .annotate(surveyed=_households_counted(made), sent_back=_households_counted(sent_back))
        .order_by("-year", "kind", "-starts_on", "-pk")
    )


# --- A round's page: its survey list and village meetings -----------------------------------------


class SurveyState(models.TextChoices):
    NOT_SURVEYED = "not_surveyed", _("not yet surveyed")
    NO_MEETING = "no_meeting", _("surveyed, no village meeting yet")
    SENT_BACK = "sent_back", _("sent back by the village meeting")
    SURVEYED = "surveyed", _("surveyed")


def survey_state(*, has_result: bool, has_votes: bool, sent_back: bool) -> SurveyState:
    """Where a household on the survey list stands in the round."""
    if not has_result:
        return SurveyState.NOT_SURVEYED
    if sent_back:
        return SurveyState.SENT_BACK
    if not has_votes:
        return SurveyState.NO_MEETING
    return SurveyState.SURVEYED


class ListedBecause(models.TextChoices):
    POOR = "poor", _("poor household at the start")
    NEAR_POOR = "near_poor", _("near-poor household at the start")
    APPLIED = "applied", _("applied (form 01)")
    IDENTIFIED = "identified", _("identified by the village")
    SURVEYED = "surveyed_only", _("surveyed in the round")


@dataclass(frozen=True)
class SurveyRow:
    household: Household
    because: ListedBecause
    candidate: RoundCandidate | None
    result: Assessment | None  # the round's latest result for the household
    state: SurveyState


@dataclass(frozen=True)
class MeetingRow:
    village: Village
    meeting: VillageMeeting | None
    to_survey: int
    results: int
    votes: int  # results with the meeting's votes recorded


@dataclass(frozen=True)
class RoundPage:
    round: ReviewRound
    rows: list[SurveyRow]  # those the filters kept
    total: int
    counts: dict[str, int]  # SurveyState → households, over the whole list
    meetings: list[MeetingRow]
    villages: list[Village]
    sent_back: int
    village: Village | None  # the filters applied
    state: str


def round_page(review_round: ReviewRound, *, village_id: str = "", state: str = "") -> RoundPage:
    """The households to survey (every household on the poor or near-poor list the day before the
    round starts, those added as applying or identified, and any the round assessed), each with
    where it stands, and the village meetings. `village_id` and `state` filter the rows shown (an
    unknown value shows them all). A fixed number of queries whatever the households."""
    start = review_status.status_at(
        commune=review_round.commune, until=review_round.starts_on - datetime.timedelta(days=1)
    )
    listed = {
        item.household_id: item.classification
        for item in start.households
        if item.classification in review_status.ON_A_LIST
    }
    candidates = {
        candidate.household_id: candidate for candidate in RoundCandidate.objects.filter(round=review_round)
    }
    results: dict[int, Assessment] = {}
    made = Assessment.objects.filter(review_status.round_assessments(review_round)).order_by(
        "reviewed_on", "pk"
    )
    for assessment in made.only(
        "pk",
        "household_id",
        "kind",
        "review_year",
        "reviewed_on",
        "classification",
        "meeting_id",
        "votes_for",
    ):
        results[assessment.household_id] = assessment  # the latest wins
    sent_back = set(review_status.sent_back_in(review_round))
    ids = set(listed) | set(candidates) | set(results)
    households = Household.objects.filter(pk__in=ids).select_related("village")
    rows = []
    for household in households:
        result = results.get(household.pk)
        candidate = candidates.get(household.pk)
        if household.pk in listed:
            because = ListedBecause(listed[household.pk])
        elif candidate is not None:
            because = ListedBecause(candidate.source)
        else:
            because = ListedBecause.SURVEYED
        rows.append(
            SurveyRow(
                household=household,
                because=because,
                candidate=candidate,
                result=result,
                state=survey_state(
                    has_result=result is not None,
                    has_votes=result is not None
                    and result.meeting_id is not None
                    and result.votes_for is not None,
                    sent_back=household.pk in sent_back,
                ),
            )
        )
    rows.sort(key=lambda row: (vietnamese_sort_key(row.household.village.name), row.household.code))
    counts = {choice: 0 for choice in SurveyState.values}
    for row in rows:
        counts[row.state] += 1
    villages = sorted(
        Village.objects.filter(commune_id=review_round.commune_id), key=lambda v: vietnamese_sort_key(v.name)
    )
    meetings = {meeting.village_id: meeting for meeting in VillageMeeting.objects.filter(round=review_round)}
    meeting_rows = []
    for item in villages:
        in_village = [row for row in rows if row.household.village_id == item.pk]
        if not in_village and item.pk not in meetings:
            continue
        meeting_rows.append(
            MeetingRow(
                village=item,
                meeting=meetings.get(item.pk),
                to_survey=len(in_village),
                results=sum(row.result is not None for row in in_village),
                votes=sum(row.state in (SurveyState.SURVEYED, SurveyState.SENT_BACK) for row in in_village),
            )
        )
    village = next((item for item in villages if str(item.pk) == village_id), None)
    state = state if state in SurveyState.values else ""
    shown = [
        row
        for row in rows
        if (village is None or row.household.village_id == village.pk) and (not state or row.state == state)
    ]
    return RoundPage(
        round=review_round,
        rows=shown,
        total=len(rows),
        counts=counts,
        meetings=meeting_rows,
        villages=villages,
        sent_back=len(sent_back),
        village=village,
        state=state,
    )


@dataclass(frozen=True)
class MeetingPage:
    round: ReviewRound
    village: Village
    meeting: VillageMeeting | None
    results: list[Assessment]  # the round's results in the village, with their households


def meeting_page(review_round: ReviewRound, village_pk: int) -> MeetingPage:
    """A village's meeting in the round and the results it votes on (404: not the round's commune)."""
    village = Village.objects.filter(commune_id=review_round.commune_id, pk=village_pk).first()
    if village is None:
        raise Http404
    results = (
        Assessment.objects.filter(review_status.round_assessments(review_round), household__village=village)
        .select_related("household")
        .order_by("household__code", "reviewed_on", "pk")
    )
    return MeetingPage(
        round=review_round,
        village=village,
        meeting=VillageMeeting.objects.filter(round=review_round, village=village).first(),
        results=list(results),
    )


# --- The review form ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultFormData:
    round: ReviewRound
    household: Household
    standard: PovertyStandard | None  # None: no standard covers the round's year
    indicators: list[Indicator]
    result: Assessment | None  # the household's result in the round, to correct
    meeting: VillageMeeting | None  # the household's village meeting in the round
    cause_choices: list[PovertyCause]
    need_choices: list[SupportNeed]
    causes: list[int]
    needs: list[int]


def round_standard(review_round: ReviewRound) -> tuple[PovertyStandard | None, list[Indicator]]:
    """The standard in force in the round's year and its indicators in order (None, [] without one)."""
    standard = PovertyStandard.objects.filter(
        start_year__lte=review_round.year, end_year__gte=review_round.year
    ).first()
    indicators = list(Indicator.objects.filter(standard=standard).order_by("number")) if standard else []
    return standard, indicators


def result_form_data(review_round: ReviewRound, household: Household) -> ResultFormData:
    """What the review form offers for a household in a round."""
    standard, indicators = round_standard(review_round)
    result = (
        Assessment.objects.filter(review_status.round_assessments(review_round), household=household)
        .prefetch_related(Prefetch("deprivations", queryset=Indicator.objects.order_by("number")))
        .order_by("-reviewed_on", "-pk")
        .first()
    )
    causes = list(household.causes.values_list("pk", flat=True))
    needs = list(household.needs.values_list("pk", flat=True))
    return ResultFormData(
        round=review_round,
        household=household,
        standard=standard,
        indicators=indicators,
        result=result,
        meeting=VillageMeeting.objects.filter(round=review_round, village_id=household.village_id).first(),
        cause_choices=list(PovertyCause.objects.filter(Q(active=True) | Q(pk__in=causes))),
        need_choices=list(SupportNeed.objects.filter(Q(active=True) | Q(pk__in=needs))),
        causes=causes,
        needs=needs,
    )


def classification_explained(
    *, household: Household, standard: PovertyStandard, indicators: list[Indicator], income: int, deprived
) -> Explanation:
    """The standard's rule applied to what the form holds, with its reasoning (no query)."""
    codes = tuple(indicator.code for indicator in indicators)
    return explain(
        income,
        [code for code in deprived if code in codes],
        area=household.area,
        standard=standard.to_rule(codes),
    )


def deprived_summary(explanation: Explanation) -> str:
    return ngettext(
        "%(count)s of %(total)s indicator deprived",
        "%(count)s of %(total)s indicators deprived",
        explanation.indicator_count,
    ) % {"count": explanation.deprivations, "total": explanation.indicator_count}
