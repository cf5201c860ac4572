"""Importing household members: new, unchanged and corrected rows, every bad value, heads, round trip."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from households.imports import engine
from households.imports.kinds import MemberImporter
from households.models import Ethnicity, Member
from tests import factories
from tests.spreadsheets import exported_xlsx, keyed_xlsx

TODAY = date(2025, 6, 30)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def second_household(village):
    return factories.HouseholdFactory(village=village, code="KLK-0002", head_name="Rơ Châm Thị Hlinh")


def xlsx(rows: list[dict]) -> bytes:
    return keyed_xlsx(MemberImporter(commune=None, user=None, today=TODAY), rows)


def head(**changes) -> dict:
    row = {
        "household_code": "KLK-0001",
        "number": 1,
        "full_name": "Đinh Văn Hmar",
        "birth_date": None,
        "birth_year": 1980,
        "sex": "male",
        "relation": "head of household",
        "ethnicity": "Ba Na",
        "national_id": "064080001234",
        "health_insurance": "",
        "schooling": "",
        "work": "farming or self-employed",
    }
    return {**row, **changes}


def child(**changes) -> dict:
    row = {
        "number": 2,
        "full_name": "Đinh Thị Hbia",
        "birth_date": date(2015, 3, 9),
        "birth_year": None,
        "sex": "Nữ",  # the Vietnamese label, with a capital
        "relation": "child",
        "national_id": "",
        "health_insurance": "has_card",  # the stored code works too
        "schooling": "in primary school",
        "work": "",
    }
    return head(**{**row, **changes})


def check(user, content: bytes):
    return engine.check(
        kind="members",
        commune=user.official.commune,
        user=user,
        file_bytes=content,
        filename="tv.xlsx",
        today=TODAY,
    )


def apply(user, content: bytes, **options):
    return engine.apply(
        kind="members",
        commune=user.official.commune,
        user=user,
        file_bytes=content,
        filename="tv.xlsx",
        today=TODAY,
        **options,
    )


def snapshot() -> list[dict]:
    return list(Member.objects.order_by("pk").values())


def test_new_members_are_counted_then_written(commune_admin, household):
    content = xlsx([head(full_name="Đinh Văn Hmar".replace("ă", "a\u0306")), child()])  # decomposed ă

    result = check(commune_admin, content)
    assert (result.new, result.updated, result.unchanged, result.invalid) == (2, 0, 0, 0)
    assert result.problems == []
    assert not Member.objects.exists()  # a check writes nothing

    apply(commune_admin, content)
    first, second = Member.objects.order_by("number")
    assert first.full_name == "Đinh Văn Hmar" and len(first.full_name) == 13  # stored in NFC
    assert first.search_key == "dinh van hmar"
    assert (first.relation, first.sex, first.birth_year, first.birth_date) == ("head", "male", 1980, None)
    assert first.ethnicity == Ethnicity.objects.get(name="Ba Na")
    assert first.national_id == "064080001234"
    assert (first.health_insurance, first.schooling, first.work) == ("unknown", "", "self_employed")
    assert (second.birth_year, second.sex, second.relation) == (2015, "female", "child")
    assert (second.health_insurance, second.schooling) == ("has_card", "primary")
    assert first.household == household and first.created_by == commune_admin == first.updated_by


def test_reimporting_the_same_file_changes_nothing(commune_admin, household):
    content = xlsx([head(), child()])
    apply(commune_admin, content)
    before = dict(Member.objects.values_list("pk", "updated_at"))

    result = apply(commune_admin, content)

    assert (result.new, result.updated, result.unchanged, result.invalid) == (0, 0, 2, 0)
    assert dict(Member.objects.values_list("pk", "updated_at")) == before


def test_a_corrected_file_updates_the_members_without_duplicating_them(commune_admin, household):
    apply(commune_admin, xlsx([head(), child()]))

    result = apply(commune_admin, xlsx([head(), child(full_name="Đinh Thị H'Bia", number=2.0)]))

    assert (result.new, result.updated, result.unchanged) == (0, 1, 1)
    assert Member.objects.count() == 2
    corrected = Member.objects.get(number=2)
    assert corrected.full_name == "Đinh Thị H'Bia" and corrected.search_key == "dinh thi h bia"


def test_a_missing_optional_column_leaves_the_stored_value(commune_admin, household):
    apply(commune_admin, xlsx([head()]))
    row = head(full_name="Đinh Văn Hmar Kpă")
    del row["national_id"], row["ethnicity"]

    result = apply(commune_admin, xlsx([row]))

    assert result.updated == 1
    member = Member.objects.get()
    assert member.full_name == "Đinh Văn Hmar Kpă"
    assert member.national_id == "064080001234" and member.ethnicity.name == "Ba Na"


INVALID = [
    ({"birth_year": 2026}, "Year of birth", "the year of birth 2026 is in the future"),
    ({"birth_year": 1899}, "Year of birth", "the year of birth 1899 is before 1900"),
    ({"birth_date": date(2025, 7, 1)}, "Date of birth", "the date 01/07/2025 is in the future"),
    (
        {"birth_date": date(1981, 2, 3)},
        "Year of birth",
        "the year of birth 1980 does not match the date of birth 03/02/1981",
    ),
    ({"birth_year": None}, "Year of birth", "give the year of birth or the date of birth"),
    ({"sex": "đực"}, "Sex", "'đực' is not in the values of 'Sex' (nam, nữ)"),
    ({"relation": ""}, "Relation to head", "this column must not be empty"),
    (
        {"national_id": "12345"},
        "National ID number",
        "'12345' is not a national ID number (12 digits, old cards: 9)",
    ),
    (
        {"national_id": "•••••••••234"},
        "National ID number",
        "'•••••••••234' is a hidden number that does not match the number on record: write the full number",
    ),
    (
        {"household_code": "KLK-9999"},
        "Household code",
        "there is no household with the code 'KLK-9999' in the commune",
    ),
    ({"number": 0}, "Member no.", "0 is less than 1"),
    ({"number": 100}, "Member no.", "100 is more than 99"),
    ({"full_name": "Đinh " * 30}, "Full name", "the text is 149 characters long, more than 120"),
]


@pytest.mark.parametrize("changes, column, reason", INVALID)
def test_an_invalid_value_is_reported_and_nothing_is_written(
    commune_admin, household, changes, column, reason
):
    factories.MemberFactory(household=household, number=5, national_id="")  # must stay as it is
    before = snapshot()
    content = xlsx([child(), head(**changes)])

    result = check(commune_admin, content)

    assert [problem.message for problem in result.problems] == [f"Row 3, column '{column}': {reason}"]
    assert (result.new, result.invalid, result.invalid_rows) == (1, 1, [3])
    with pytest.raises(engine.ImportRefused):
        apply(commune_admin, content)
    assert snapshot() == before


def test_valid_only_writes_the_valid_rows(commune_admin, household):
    result = apply(commune_admin, xlsx([head(birth_year=2030), child()]), valid_only=True)

    assert (result.new, result.invalid) == (1, 1)
    assert list(Member.objects.values_list("number", flat=True)) == [2]


def test_a_hidden_national_id_keeps_the_stored_number(commune_admin, household):
    factories.MemberFactory(household=household, number=1, national_id="064080001234", **_as_head())
    before = snapshot()

    result = apply(commune_admin, xlsx([head(national_id="•••••••••234")]))

    assert (result.unchanged, result.invalid) == (1, 0)
    assert snapshot() == before


def test_a_number_cell_gets_back_the_leading_zero_excel_dropped(commune_admin, household):
    apply(commune_admin, xlsx([head(national_id=64080001234)]))

    assert Member.objects.get().national_id == "064080001234"


def _as_head() -> dict:
    ethnicity = Ethnicity.objects.get(name="Ba Na")
    return {
        "full_name": "Đinh Văn Hmar",
        "birth_year": 1980,
        "sex": "male",
        "relation": "head",
        "ethnicity": ethnicity,
        "work": "self_employed",
    }


def test_a_second_head_in_the_file_is_refused(commune_admin, household, second_household):
    content = xlsx([head(), child(relation="head of household"), head(household_code="KLK-0002")])

    result = check(commune_admin, content)

    assert [problem.message for problem in result.problems] == [
        "Row 3, column 'Relation to head': row 2 of this file already names the head of this household"
    ]
    assert (result.new, result.invalid) == (2, 1)


def test_a_head_beside_the_stored_head_is_refused(commune_admin, household):
    factories.MemberFactory(household=household, number=1, full_name="Đinh Văn Hmar", relation="head")

    result = check(commune_admin, xlsx([child(relation="head of household")]))

    assert [problem.message for problem in result.problems] == [
        "Row 2, column 'Relation to head': the household already has a head: member no. 1, Đinh Văn Hmar"
    ]


def test_the_head_may_change_when_the_file_changes_the_stored_head_too(commune_admin, household):
    factories.MemberFactory(household=household, **_as_head(), number=1)

    result = apply(commune_admin, xlsx([head(relation="spouse"), child(relation="head")]))

    assert (result.updated, result.new, result.invalid) == (1, 1, 0)
    assert Member.objects.get(relation="head").number == 2


def test_the_same_member_twice_in_the_file_is_refused(commune_admin, household):
    result = check(commune_admin, xlsx([child(), child()]))

    assert [problem.message for problem in result.problems] == [
        "Row 3: member no. 2 of this household is already in row 2 of this file"
    ]


def test_a_refused_duplicate_does_not_leak_into_the_first_row(commune_admin, household):
    apply(commune_admin, xlsx([child()]))

    result = apply(
        commune_admin, xlsx([child(full_name="Đinh Thị Hbiă"), child(full_name="Sai")]), valid_only=True
    )

    assert (result.updated, result.invalid) == (1, 1)
    assert Member.objects.get().full_name == "Đinh Thị Hbiă"


@pytest.mark.parametrize("show_national_id", [True, False])
def test_an_export_imports_back_without_any_change(commune_admin, household, viewer, show_national_id):
    factories.MemberFactory(
        household=household,
        national_id="064080001234",
        birth_date=date(1980, 5, 1),
        **_as_head() | {"number": 1},
    )
    factories.MemberFactory(
        household=household, number=2, relation="child", schooling="primary", health_insurance="no_card"
    )
    user = commune_admin if show_national_id else viewer
    result = check(commune_admin, exported_xlsx(user, "members"))

    assert (result.new, result.updated, result.invalid, result.unchanged) == (0, 0, 0, 2)
    assert result.problems == []


def test_the_query_count_does_not_grow_with_the_rows(commune_admin, village):
    households = factories.HouseholdFactory.create_batch(31, village=village)
    rows = [head(household_code=household.code) for household in households]

    def queries(content: bytes) -> int:
        with CaptureQueriesContext(connection) as context:
            apply(commune_admin, content)
        return len(context.captured_queries)

    assert queries(xlsx(rows[:1])) == queries(xlsx(rows[1:]))
    assert Member.objects.count() == 31
