"""Writes for the household registry. Every write goes through here (or through the bulk
loaders, which call the same key and classification helpers)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from households.classification import Level, classify
from households.models import (
    Assessment,
    Household,
    Indicator,
    Member,
    PovertyCause,
    PovertyStandard,
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
    meeting may override it only with a reason."""
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
