"""The head's name on the household and on its head member agree after any import.

The file being imported wins and both records are written: the households list renames the head
member, the members list renames the household's head. Asserted in Vietnamese, as the officer reads it.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from households.imports import engine
from households.models import Household, Member
from tests import factories
from tests.spreadsheets import keyed_xlsx

TODAY = datetime.date(2025, 6, 30)
HEAD_ALERT = "Đổi chủ hộ — kiểm tra lại mã hộ"


@pytest.fixture
def stored(village):
    return factories.HouseholdFactory(
        village=village, code="KLK-0001", head_name="Đinh Văn Hliêu", address=""
    )


@pytest.fixture
def head(stored):
    return factories.MemberFactory(
        household=stored, number=1, full_name="Đinh Văn Hliêu", relation="head", sex="male", birth_year=1980
    )


@pytest.fixture
def spouse(stored):
    return factories.MemberFactory(household=stored, number=2, full_name="Y Hlin", relation="spouse")


def run(action, kind, user, rows: list[dict]):
    importer = engine.importer_for(kind, commune=user.official.commune, user=user, today=TODAY)
    return action(
        kind=kind,
        commune=user.official.commune,
        user=user,
        file_bytes=keyed_xlsx(importer, rows),
        filename="tep.xlsx",
        today=TODAY,
    )


def household_row(household, head_name: str) -> dict:
    return {"village": household.village.name, "household_code": household.code, "head_name": head_name}


def member_row(number: int, full_name: str, relation: str = "chủ hộ", sex: str = "nam") -> dict:
    return {
        "household_code": "KLK-0001",
        "number": number,
        "full_name": full_name,
        "birth_year": 1980,
        "sex": sex,
        "relation": relation,
    }


def names(household) -> tuple:
    household.refresh_from_db()
    heads = list(household.members.filter(relation="head").values_list("number", "full_name", "search_key"))
    return household.head_name, household.search_key, heads


def test_a_households_import_renaming_the_head_renames_the_head_member(stored, head, spouse, commune_admin):
    rows = [household_row(stored, "Đinh Văn Hliêu Kpă")]
    (update,) = run(engine.check, "households", commune_admin, rows).summary()["updates"]
    assert update["alert"] == HEAD_ALERT
    assert update["fields"] == [
        ["Chủ hộ", "Đinh Văn Hliêu", "Đinh Văn Hliêu Kpă", True],
        ["Họ và tên thành viên số 1 (chủ hộ)", "Đinh Văn Hliêu", "Đinh Văn Hliêu Kpă", True],
    ]

    run(engine.apply, "households", commune_admin, rows)

    assert names(stored) == (
        "Đinh Văn Hliêu Kpă",
        "klk 0001 dinh van hlieu kpa",
        [(1, "Đinh Văn Hliêu Kpă", "dinh van hlieu kpa")],
    )
    spouse.refresh_from_db()
    assert spouse.full_name == "Y Hlin"
    head.refresh_from_db()
    assert head.updated_by == commune_admin


def test_a_members_import_renaming_the_head_member_renames_the_household(stored, head, commune_admin):
    rows = [member_row(1, "Đinh Văn Hliêu Kpă")]
    (update,) = run(engine.check, "members", commune_admin, rows).summary()["updates"]
    assert update["alert"] == HEAD_ALERT
    assert update["fields"] == [
        ["Họ và tên", "Đinh Văn Hliêu", "Đinh Văn Hliêu Kpă", False],
        ["Chủ hộ", "Đinh Văn Hliêu", "Đinh Văn Hliêu Kpă", True],
    ]

    run(engine.apply, "members", commune_admin, rows)

    assert names(stored) == (
        "Đinh Văn Hliêu Kpă",
        "klk 0001 dinh van hlieu kpa",
        [(1, "Đinh Văn Hliêu Kpă", "dinh van hlieu kpa")],
    )
    assert stored.updated_by == commune_admin


def test_a_new_head_member_in_the_members_list_becomes_the_households_head(
    stored, head, spouse, commune_admin
):
    rows = [member_row(1, "Đinh Văn Hliêu", relation="vợ/chồng"), member_row(2, "Y Hlin", sex="nữ")]

    result = run(engine.apply, "members", commune_admin, rows)

    assert (result.updated, result.invalid) == (2, 0)
    assert names(stored)[0] == "Y Hlin"
    assert list(stored.members.filter(relation="head").values_list("number", flat=True)) == [2]


def test_a_household_without_a_head_member_is_renamed_alone(stored, spouse, commune_admin):
    result = run(engine.apply, "households", commune_admin, [household_row(stored, "Đinh Văn Hliêu Kpă")])

    assert result.updated == 1
    assert names(stored) == ("Đinh Văn Hliêu Kpă", "klk 0001 dinh van hlieu kpa", [])
    assert list(stored.members.values_list("full_name", flat=True)) == ["Y Hlin"]


def test_a_first_head_member_gives_the_household_its_name_and_is_previewed(stored, spouse, commune_admin):
    rows = [member_row(1, "Đinh Văn Hlieng")]
    result = run(engine.check, "members", commune_admin, rows)
    assert result.new == 1
    (update,) = result.summary()["updates"]
    assert (update["household"], update["alert"]) == ("KLK-0001 – Đinh Văn Hliêu", HEAD_ALERT)
    assert update["fields"] == [["Chủ hộ", "Đinh Văn Hliêu", "Đinh Văn Hlieng", True]]

    run(engine.apply, "members", commune_admin, rows)

    assert names(stored)[0] == "Đinh Văn Hlieng"


def test_a_member_who_is_not_the_head_leaves_the_household_alone(stored, head, commune_admin):
    before = Household.objects.values().get()

    result = run(
        engine.apply, "members", commune_admin, [member_row(3, "Đinh Thị Hbia", relation="con", sex="nữ")]
    )

    assert result.new == 1 and result.summary()["updates"] == []
    assert Household.objects.values().get() == before


@pytest.mark.parametrize("kind", ["households", "members"])
def test_a_household_whose_names_already_disagree_is_made_to_agree(stored, head, commune_admin, kind):
    Member.objects.filter(pk=head.pk).update(full_name="Đinh Văn Hyưk")  # as the old example left it
    row = household_row(stored, "Đinh Văn Hliêu") if kind == "households" else member_row(1, "Đinh Văn Hyưk")

    result = run(engine.apply, kind, commune_admin, [row])

    assert result.updated == 1
    wanted = "Đinh Văn Hliêu" if kind == "households" else "Đinh Văn Hyưk"
    household_name, _key, [(_number, member_name, _member_key)] = names(stored)
    assert household_name == member_name == wanted


def test_the_query_count_of_renaming_heads_does_not_grow_with_the_rows(village, commune_admin):
    households = [
        factories.HouseholdFactory(village=village, code=f"Q-{n}", head_name=f"Chủ hộ {n}") for n in range(31)
    ]
    for household in households:
        factories.MemberFactory(household=household, number=1, full_name=household.head_name, relation="head")
    rows = [household_row(h, f"{h.head_name} mới") for h in households]
    members = [{**member_row(1, f"{h.head_name} khác"), "household_code": h.code} for h in households]

    def queries(kind, lines) -> int:
        with CaptureQueriesContext(connection) as context:
            result = run(engine.apply, kind, commune_admin, lines)
        assert result.updated == len(lines)
        return len(context.captured_queries)

    assert queries("households", rows[:1]) == queries("households", rows[1:])
    assert queries("members", members[:1]) == queries("members", members[1:])
    assert set(Member.objects.values_list("full_name", flat=True)) == {f"Chủ hộ {n} khác" for n in range(31)}
    assert set(Household.objects.values_list("head_name", flat=True)) == {
        f"Chủ hộ {n} khác" for n in range(31)
    }
