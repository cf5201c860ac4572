import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from households import services
from households.classification import Level, classify, default_standard
from households.models import Assessment, Household, Indicator, PovertyStandard
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_seeded_standard_matches_the_rule_file():
    """The database row and the pure rule read the same fixture, so they cannot disagree."""
    row = PovertyStandard.objects.get(code="2022-2025")
    codes = tuple(row.indicators.order_by("number").values_list("code", flat=True))
    assert row.to_rule(codes) == default_standard()
    assert Indicator.objects.filter(standard=row).count() == 12


def test_household_create_stores_nfc_and_a_folded_search_key(village):
    decomposed = unicodedata.normalize("NFD", "Đinh Thị H'Bia")
    household = services.household_create(
        commune=village.commune, village=village, code="K-1", head_name=decomposed
    )
    household.refresh_from_db()
    assert household.head_name == unicodedata.normalize("NFC", decomposed)
    assert "dinh thi h bia" in household.search_key


def test_household_code_is_unique_within_a_commune_only(village):
    services.household_create(commune=village.commune, village=village, code="K-1", head_name="A")
    with pytest.raises(ValidationError):
        services.household_create(commune=village.commune, village=village, code="K-1", head_name="B")
    elsewhere = factories.VillageFactory()
    services.household_create(commune=elsewhere.commune, village=elsewhere, code="K-1", head_name="C")
    assert Household.objects.filter(code="K-1").count() == 2


def test_household_village_must_be_in_its_commune(village):
    elsewhere = factories.VillageFactory()
    with pytest.raises(ValidationError):
        services.household_create(commune=village.commune, village=elsewhere, code="K-2", head_name="A")


@pytest.mark.parametrize(
    "income, deprived, expected",
    [
        (1_350_000, ["employment", "latrine", "telecom"], Level.POOR),
        (1_350_000, ["employment"], Level.NEAR_POOR),
        (1_500_001, ["employment", "latrine", "telecom"], Level.AVERAGE_LIVING),
        (4_000_000, [], Level.OTHER),
    ],
)
def test_assessment_record_stores_the_rules_classification_and_standard(
    household, income, deprived, expected
):
    assessment = services.assessment_record(
        household=household, review_year=2022, income_per_capita_month=income, deprived=deprived
    )
    assessment.refresh_from_db()
    assert assessment.computed_classification == expected == assessment.classification
    assert assessment.standard.code == "2022-2025"
    assert sorted(assessment.deprivations.values_list("code", flat=True)) == sorted(deprived)
    assert classify(income, deprived) == expected


def test_urban_households_use_the_urban_line(village):
    household = factories.HouseholdFactory(village=village, area="urban")
    assessment = services.assessment_record(
        household=household, review_year=2022, income_per_capita_month=1_800_000, deprived=["latrine"]
    )
    assert assessment.classification == Level.NEAR_POOR


def test_village_meeting_adjustment_needs_a_reason(household):
    with pytest.raises(ValidationError) as error:
        services.assessment_record(
            household=household,
            review_year=2022,
            income_per_capita_month=1_350_000,
            deprived=["employment"],
            adjusted_classification=Level.POOR,
        )
    assert "adjustment_reason" in error.value.message_dict
    assert not Assessment.objects.exists()


def test_village_meeting_adjustment_with_reason_keeps_both_classifications(household):
    assessment = services.assessment_record(
        household=household,
        review_year=2022,
        income_per_capita_month=1_350_000,
        deprived=["employment"],
        adjusted_classification=Level.POOR,
        adjustment_reason="Họp thôn ngày 20/11/2022 thống nhất: chủ hộ ốm nặng, mất khả năng lao động.",
    )
    assert assessment.computed_classification == Level.NEAR_POOR
    assert assessment.classification == Level.POOR
    assert assessment.is_adjusted


def test_database_refuses_an_adjustment_without_reason_even_bypassing_services(household):
    with pytest.raises(IntegrityError):
        factories.AssessmentFactory(
            household=household,
            computed_classification="near_poor",
            classification="poor",
            adjustment_reason="",
        )


def test_unknown_indicator_codes_are_refused_and_nothing_is_written(household):
    with pytest.raises(ValueError):
        services.assessment_record(
            household=household, review_year=2022, income_per_capita_month=1_000_000, deprived=["nope"]
        )
    assert not Assessment.objects.exists()


def test_a_review_year_without_standard_is_refused(household):
    with pytest.raises(PovertyStandard.DoesNotExist):
        services.assessment_record(
            household=household, review_year=2019, income_per_capita_month=1, deprived=[]
        )


def test_one_periodic_review_per_household_and_year(household):
    services.assessment_record(household=household, review_year=2022, income_per_capita_month=1, deprived=[])
    with pytest.raises(ValidationError):
        services.assessment_record(
            household=household, review_year=2022, income_per_capita_month=2, deprived=[]
        )
    regular = services.assessment_record(
        household=household,
        review_year=2022,
        income_per_capita_month=2,
        deprived=[],
        kind=Assessment.Kind.REGULAR,
    )
    assert regular.pk


def test_member_national_id_is_masked_but_for_the_last_three_digits(household):
    member = services.member_create(
        household=household,
        number=1,
        full_name="Đinh Văn Hmar",
        birth_year=1980,
        sex="male",
        relation="head",
        national_id="064080001234",
    )
    assert member.masked_national_id == "•••••••••234"
    assert "064080001234" not in member.masked_national_id


def test_member_birth_year_must_match_birth_date(household):
    import datetime

    with pytest.raises(ValidationError):
        services.member_create(
            household=household,
            number=2,
            full_name="Y Blơi",
            birth_year=1990,
            birth_date=datetime.date(1991, 1, 1),
            sex="female",
            relation="child",
        )


def test_archiving_keeps_the_household_and_hides_it_from_the_registry(household, commune_admin):
    from households import selectors

    with pytest.raises(ValidationError):
        services.household_archive(household=household, reason="  ")
    services.household_archive(household=household, reason="Chuyển đi nơi khác", by=commune_admin)
    household.refresh_from_db()
    assert household.is_archived and household.archive_reason == "Chuyển đi nơi khác"
    assert not selectors.household_list_for_user(user=commune_admin).filter(pk=household.pk).exists()
    assert selectors.household_get_for_user(user=commune_admin, pk=household.pk) == household
