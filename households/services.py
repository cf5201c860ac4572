"""Writes for the household registry. Every write goes through here (or through the bulk
loaders, which call the same key and classification helpers)."""

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from households import review_status
from households.classification import Level, classify
from households.models import (
    Assessment,
    Commune,
    Household,
    Indicator,
    Member,
    PovertyCause,
    PovertyStandard,
    ReviewRound,
    RoundCandidate,
    RoundResult,
    SupportNeed,
    Village,
    VillageMeeting,
)
from povertyplan.formatting import format_date
from povertyplan.text import clean_text, fold


def household_search_key(*, code: str, head_name: str, address: str) -> str:
    return fold(f"{code} {head_name} {address}")


def member_search_key(*, full_name: str) -> str:
    return fold(full_name)


def standard_for_year(year: int) -> PovertyStandard:
    """The standard in force for a review year."""
    standard = PovertyStandard.objects.filter(start_year__lte=year, end_year__gte=year).first()
    if standard is None:
        raise PovertyStandard.DoesNotExist(f"no poverty standard covers {year}")
    return standard


@transaction.atomic
def household_create(*, by=None, **fields) -> Household:
    """Create a household; its texts are stored cleaned (clean_text) and the search key is written."""
    for key in ("code", "head_name", "address"):
        fields[key] = clean_text(fields.get(key, ""))
    household = Household(created_by=by, updated_by=by, **fields)
    household.search_key = household_search_key(
        code=household.code, head_name=household.head_name, address=household.address
    )
    household.full_clean()
    household.save()
    return household


@transaction.atomic
def household_update(*, household: Household, by=None, **fields) -> Household:
    """Change a household's fields and refresh its search key."""
    for key, value in fields.items():
        setattr(household, key, clean_text(value) if isinstance(value, str) else value)
    household.search_key = household_search_key(
        code=household.code, head_name=household.head_name, address=household.address
    )
    household.updated_by = by
    household.full_clean()
    household.save()
    return household


@transaction.atomic
def member_create(*, household: Household, by=None, **fields) -> Member:
    """Add a member to a household; the name is stored cleaned (clean_text)."""
    fields["full_name"] = clean_text(fields["full_name"])
    if fields.get("birth_date") and not fields.get("birth_year"):
        fields["birth_year"] = fields["birth_date"].year
    member = Member(household=household, created_by=by, updated_by=by, **fields)
    member.search_key = member_search_key(full_name=member.full_name)
    member.full_clean()
    member.save()
    return member


def classification_compute(
    *, household: Household, standard: PovertyStandard, income: int, deprived: list[str]
) -> Level:
    codes = tuple(standard.indicators.values_list("code", flat=True))
    return classify(income, deprived, area=household.area, standard=standard.to_rule(codes))


@transaction.atomic
def assessment_record(
    *,
    household: Household,
    review_year: int,
    income_per_capita_month: int,
    deprived: list[str],
    b1_score: int | None = None,
    reviewed_on: date | None = None,
    kind: str = Assessment.Kind.PERIODIC,
    adjusted_classification: str | None = None,
    adjustment_reason: str = "",
    meeting: VillageMeeting | None = None,
    votes_for: int | None = None,
    causes=None,
    needs=None,
    assessment: Assessment | None = None,
    by=None,
) -> Assessment:
    """Record a review result, or correct `assessment` (a result of the household in an open round).
    The classification is computed by the standard's rule; a village meeting may override it only
    with a reason. A closed round takes no new result and keeps its results as they are. Causes and
    needs (rows or primary keys), when given, replace the household's."""
    refuse_closed_round(commune=household.commune, kind=kind, year=review_year, on=reviewed_on)
    if assessment is not None:
        if assessment.household_id != household.pk:
            raise ValidationError(_("This review result belongs to another household."))
        refuse_closed_round(
            commune=household.commune,
            kind=assessment.kind,
            year=assessment.review_year,
            on=assessment.reviewed_on,
        )
    elif (
        kind == Assessment.Kind.PERIODIC
        and Assessment.objects.filter(household=household, kind=kind, review_year=review_year).exists()
    ):
        raise ValidationError(
            _("The household already has a result in the periodic review of %(year)s: correct that one.")
            % {"year": review_year}
        )
    votes_check(
        meeting=meeting, votes_for=votes_for, household=household, kind=kind, year=review_year, on=reviewed_on
    )
    standard = standard_for_year(review_year)
    computed = classification_compute(
        household=household, standard=standard, income=income_per_capita_month, deprived=deprived
    )
    if assessment is None:
        assessment = Assessment(household=household, created_by=by)
    assessment.review_year = review_year
    assessment.kind = kind
    assessment.reviewed_on = reviewed_on
    assessment.standard = standard
    assessment.income_per_capita_month = income_per_capita_month
    assessment.b1_score = b1_score
    assessment.computed_classification = computed
    assessment.classification = adjusted_classification or computed
    assessment.adjustment_reason = adjustment_reason.strip()
    assessment.meeting = meeting
    assessment.votes_for = votes_for
    assessment.updated_by = by
    assessment.full_clean()
    assessment.save()
    assessment.deprivations.set(Indicator.objects.filter(standard=standard, code__in=deprived))
    if causes is not None or needs is not None:
        household_set_causes_and_needs(
            household=household,
            causes=household.causes.all() if causes is None else causes,
            needs=household.needs.all() if needs is None else needs,
            by=by,
        )
    return assessment


def votes_check(
    *, meeting: VillageMeeting | None, votes_for: int | None, household: Household, kind: str, year: int, on
) -> None:
    """Votes belong to the village meeting of the household's village in the result's round, and
    cannot outnumber the representatives present."""
    if meeting is None:
        if votes_for is not None:
            raise ValidationError({"votes_for": _("Record the village meeting before its votes.")})
        return
    if meeting.village_id != household.village_id:
        raise ValidationError({"meeting": _("This is the meeting of another village.")})
    if not meeting.round.takes(kind=kind, year=year, on=on):
        raise ValidationError({"meeting": _("This village meeting belongs to another review round.")})
    if votes_for is not None and votes_for > meeting.attendance:
        raise ValidationError(
            {
                "votes_for": _("%(votes)s agreeing is more than the %(attendance)s representatives present.")
                % {"votes": votes_for, "attendance": meeting.attendance}
            }
        )


@transaction.atomic
def household_archive(*, household: Household, reason: str, by=None) -> Household:
    """Take a household off the active registry (moved away, merged, dissolved). Nothing is deleted."""
    if not reason.strip():
        raise ValidationError({"archive_reason": _("Give the reason for archiving the household.")})
    household.archived_at = timezone.now()
    household.archive_reason = reason.strip()
    household.updated_by = by
    household.save(update_fields=["archived_at", "archive_reason", "updated_by", "updated_at"])
    return household


def _reference_items(model, wanted, current) -> list:
    """The rows of a reference list named by `wanted` (rows or primary keys).

    Only items in use, or already on the household, may be chosen; anything else is refused.
    """
    try:
        keys = {item.pk if isinstance(item, model) else int(item) for item in wanted}
    except (TypeError, ValueError):
        raise ValidationError(_("Choose from the list.")) from None
    items = list(model.objects.filter(pk__in=keys).filter(Q(active=True) | Q(pk__in=current)))
    if len(items) != len(keys):
        raise ValidationError(_("Choose from the list."))
    return items


@transaction.atomic
def household_set_causes_and_needs(*, household: Household, causes, needs, by=None) -> Household:
    """Replace a household's causes of poverty and support needs (rows or primary keys)."""
    current_causes = set(household.causes.values_list("pk", flat=True))
    current_needs = set(household.needs.values_list("pk", flat=True))
    household.causes.set(_reference_items(PovertyCause, causes, current_causes))
    household.needs.set(_reference_items(SupportNeed, needs, current_needs))
    household.updated_by = by
    household.save(update_fields=["updated_by", "updated_at"])
    return household


# Review rounds ---------------------------------------------------------------------------------


def closed_round_covering(
    *, commune: Commune, kind: str, year: int, on: date | None, rounds: list[ReviewRound] | None = None
) -> ReviewRound | None:
    """The closed round an assessment of that kind, year and date would belong to, if any. `rounds`:
    the commune's closed rounds, when already loaded (an import reads them once)."""
    if rounds is None:
        rounds = closed_rounds(commune=commune)
    return next((found for found in rounds if found.takes(kind=kind, year=year, on=on)), None)


def closed_rounds(*, commune: Commune) -> list[ReviewRound]:
    return list(ReviewRound.objects.filter(commune=commune, state=ReviewRound.State.CLOSED))


def refuse_closed_round(*, commune: Commune, kind: str, year: int, on: date | None) -> None:
    closed = closed_round_covering(commune=commune, kind=kind, year=year, on=on)
    if closed is not None:
        raise ValidationError(closed_round_message(closed))


def refuse_if_closed(review_round: ReviewRound) -> None:
    """Refuse a change to a round closed by now (its row is read again, locked: a close running at
    the same time waits for this change or refuses it)."""
    locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    if locked.is_closed:
        raise ValidationError(closed_round_message(locked))


def closed_round_message(review_round: ReviewRound) -> str:
    return _(
        "%(round)s is closed: its results are frozen. Record a correction in a later round, with its reason."
    ) % {"round": review_round}


@transaction.atomic
def review_round_open(
    *,
    commune: Commune,
    year: int,
    kind: str = ReviewRound.Kind.PERIODIC,
    starts_on: date | None = None,
    ends_on: date | None = None,
    by=None,
) -> ReviewRound:
    """Open a review round; a periodic one runs from 1 September to 14 December unless dated, a
    regular one needs its dates."""
    default_start, default_end = ReviewRound.periodic_dates(year)
    if kind == ReviewRound.Kind.REGULAR and (starts_on is None or ends_on is None):
        raise ValidationError(_("Give the first and last day of the regular review."))
    review_round = ReviewRound(
        commune=commune,
        year=year,
        kind=kind,
        starts_on=starts_on or default_start,
        ends_on=ends_on or default_end,
        created_by=by,
        updated_by=by,
    )
    review_round_check(review_round)
    review_round.full_clean()
    review_round.save()
    return review_round


def review_round_check(review_round: ReviewRound) -> None:
    """What the database constraints refuse, said to the officer, and no two rounds of a commune
    that would take the same result (one periodic round a year; regular rounds that do not overlap)."""
    if review_round.ends_on < review_round.starts_on:
        raise ValidationError({"ends_on": _("A round cannot end before it starts.")})
    others = ReviewRound.objects.filter(commune_id=review_round.commune_id, kind=review_round.kind).exclude(
        pk=review_round.pk
    )
    if review_round.kind == ReviewRound.Kind.PERIODIC:
        if others.filter(year=review_round.year).exists():
            raise ValidationError(
                {
                    "year": _("The commune already has its periodic review of %(year)s.")
                    % {"year": review_round.year}
                }
            )
        return
    overlapping = others.filter(
        starts_on__lte=review_round.ends_on, ends_on__gte=review_round.starts_on
    ).first()
    if overlapping is not None:
        raise ValidationError({"starts_on": _("These dates overlap %(round)s.") % {"round": overlapping}})


@transaction.atomic
def review_round_close(
    *, review_round: ReviewRound, decision_number: str, decision_date: date, by=None
) -> ReviewRound:
    """Close a round under the chairman's decision recognising its lists: every resident household's
    status at the round's end is frozen (RoundResult), and the year's lists and reports read it from
    then on. Refused while a household the village meeting sent back has no settled result."""
    locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    if locked.is_closed:
        raise ValidationError(_("This review round is already closed."))
    if not decision_number.strip() or decision_date is None:
        raise ValidationError(_("Give the number and date of the decision recognising the lists."))
    sent_back = review_status.sent_back_in(locked)
    if sent_back:
        raise ValidationError(
            _(
                "The village meeting sent back %(count)s households (under 50%% agreement): check them "
                "again and record their results before closing."
            )
            % {"count": len(sent_back)}
        )
    status = review_status.status_at_round(locked)
    RoundResult.objects.bulk_create(
        [
            RoundResult(
                round=locked,
                household_id=item.household_id,
                village_id=item.village_id,
                is_ethnic_minority=item.is_ethnic_minority,
                classification=item.classification,
                assessment_id=item.assessment_id,
                surveyed=item.surveyed,
                deprived=list(item.deprived),
            )
            for item in status.households
        ],
        batch_size=1000,
    )
    locked.state = ReviewRound.State.CLOSED
    locked.decision_number = clean_text(decision_number)
    locked.decision_date = decision_date
    locked.closed_at = timezone.now()
    locked.closed_by = by
    locked.updated_by = by
    locked.full_clean()
    locked.save()
    return locked


# The round's survey list and its village meetings ------------------------------------------------


@transaction.atomic
def round_candidate_add(
    *, review_round: ReviewRound, household: Household, source: str, note: str = "", by=None
) -> RoundCandidate:
    """Put a household that applied or was identified on an open round's survey list."""
    refuse_if_closed(review_round)
    if household.commune_id != review_round.commune_id:
        raise ValidationError(_("The household is not in the round's commune."))
    if household.is_archived:
        raise ValidationError(_("The household is archived."))
    if RoundCandidate.objects.filter(round=review_round, household=household).exists():
        raise ValidationError(
            _("%(household)s is already on the round's survey list.") % {"household": household}
        )
    candidate = RoundCandidate(
        round=review_round,
        household=household,
        source=source,
        note=clean_text(note),
        created_by=by,
        updated_by=by,
    )
    candidate.full_clean()
    candidate.save()
    return candidate


@transaction.atomic
def round_candidate_remove(*, review_round: ReviewRound, household: Household, by=None) -> None:
    """Take a household added by mistake off an open round's survey list (its results stay)."""
    refuse_if_closed(review_round)
    RoundCandidate.objects.filter(round=review_round, household=household).delete()


@transaction.atomic
def village_meeting_record(
    *,
    review_round: ReviewRound,
    village: Village,
    held_on: date,
    attendance: int,
    minutes_reference: str = "",
    votes: Mapping[int, int | None] | None = None,
    chair_name: str = "",
    secretary_name: str = "",
    by=None,
) -> VillageMeeting:
    """Record (or correct) a village's meeting in an open round (who chaired it and wrote its minutes
    too) and, for the results of the round in that village, how many representatives agreed
    (`votes`: assessment id → number, None to clear)."""
    refuse_if_closed(review_round)
    if village.commune_id != review_round.commune_id:
        raise ValidationError(_("The village is not in the round's commune."))
    if not review_round.starts_on <= held_on <= review_round.ends_on:
        raise ValidationError(
            {
                "held_on": _("The meeting is held during the round, from %(start)s to %(end)s.")
                % {"start": format_date(review_round.starts_on), "end": format_date(review_round.ends_on)}
            }
        )
    meeting = VillageMeeting.objects.filter(round=review_round, village=village).first()
    if meeting is None:
        meeting = VillageMeeting(round=review_round, village=village, created_by=by)
    meeting.held_on = held_on
    meeting.attendance = attendance
    meeting.minutes_reference = clean_text(minutes_reference)
    meeting.chair_name = clean_text(chair_name)
    meeting.secretary_name = clean_text(secretary_name)
    meeting.updated_by = by
    meeting.full_clean()
    meeting.save()
    results = {
        assessment.pk: assessment
        for assessment in Assessment.objects.filter(
            review_status.round_assessments(review_round), household__village=village
        ).select_related("household")
    }
    votes = dict(votes or {})
    unknown = set(votes) - set(results)
    if unknown:
        raise ValidationError(_("These results are not of this village in this round."))
    now = timezone.now()
    changed = []
    for pk, assessment in results.items():
        if pk in votes:
            assessment.meeting, assessment.votes_for = meeting, votes[pk]
        elif assessment.meeting_id != meeting.pk:
            continue
        votes_check(
            meeting=meeting,
            votes_for=assessment.votes_for,
            household=assessment.household,
            kind=assessment.kind,
            year=assessment.review_year,
            on=assessment.reviewed_on,
        )
        assessment.updated_by, assessment.updated_at = by, now
        changed.append(assessment)
    Assessment.objects.bulk_update(changed, ["meeting", "votes_for", "updated_by", "updated_at"])
    return meeting
