"""Writes for the household registry. Every write goes through here (or through the bulk
loaders, which call the same key and classification helpers)."""

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
    RoundResult,
    SupportNeed,
)
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
    by=None,
) -> Assessment:
    """Record a review result. The classification is computed by the standard's rule; a village
    meeting may override it only with a reason. A closed round takes no new result."""
    refuse_closed_round(commune=household.commune, kind=kind, year=review_year, on=reviewed_on)
    standard = standard_for_year(review_year)
    computed = classification_compute(
        household=household, standard=standard, income=income_per_capita_month, deprived=deprived
    )
    assessment = Assessment(
        household=household,
        review_year=review_year,
        kind=kind,
        reviewed_on=reviewed_on,
        standard=standard,
        income_per_capita_month=income_per_capita_month,
        b1_score=b1_score,
        computed_classification=computed,
        classification=adjusted_classification or computed,
        adjustment_reason=adjustment_reason.strip(),
        created_by=by,
        updated_by=by,
    )
    assessment.full_clean()
    assessment.save()
    assessment.deprivations.set(Indicator.objects.filter(standard=standard, code__in=deprived))
    return assessment


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


def closed_round_covering(*, commune: Commune, kind: str, year: int, on: date | None) -> ReviewRound | None:
    """The closed round an assessment of that kind, year and date would belong to, if any."""
    rounds = ReviewRound.objects.filter(commune=commune, kind=kind, state=ReviewRound.State.CLOSED)
    if kind == ReviewRound.Kind.PERIODIC:
        return rounds.filter(year=year).first()
    return rounds.filter(starts_on__lte=on, ends_on__gte=on).first() if on else None


def refuse_closed_round(*, commune: Commune, kind: str, year: int, on: date | None) -> None:
    closed = closed_round_covering(commune=commune, kind=kind, year=year, on=on)
    if closed is not None:
        raise ValidationError(closed_round_message(closed))


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
    """Open a review round; a periodic one runs from 1 September to 14 December unless dated."""
    default_start, default_end = ReviewRound.periodic_dates(year)
    review_round = ReviewRound(
        commune=commune,
        year=year,
        kind=kind,
        starts_on=starts_on or default_start,
        ends_on=ends_on or default_end,
        created_by=by,
        updated_by=by,
    )
    review_round.full_clean()
    review_round.save()
    return review_round


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
