"""Importing assignments: new, unchanged and corrected rows, every bad value, open assignments, round trip."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from assignments.models import Assignment
from households.imports import engine
from tests import factories
from tests.spreadsheets import exported_xlsx, xlsx_bytes

TODAY = datetime.date(2023, 6, 1)
FEB_10 = datetime.date(2023, 2, 10)
HEADERS = [
    "Commune",
    "Village",
    "Household code",
    "Head of household",
    "Plan year",
    "Official in charge",
    "From",
    "Until",
    "Reason for ending",
]
OFFICIALS = "Đinh Thị H'Bia, Rơ Châm Hiếu, Y Kông Niê"  # as the lookup shows them, in Vietnamese order


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def plan(commune):
    return factories.PlanFactory(commune=commune, year=2023)


@pytest.fixture
def officials(commune, commune_admin):
    commune_admin.official.full_name = "Rơ Châm Hiếu"
    commune_admin.official.save()
    return [
        factories.OfficialFactory(commune=commune, full_name="Y Kông Niê"),
        factories.OfficialFactory(commune=commune, full_name="Đinh Thị H'Bia"),
    ]


@pytest.fixture
def households(village):
    return [factories.HouseholdFactory(village=village, code=f"KLK-{n:04d}") for n in range(1, 3)]


def line(code="KLK-0001", official="Y Kông Niê", *, start=FEB_10, end=None, reason="", year=2023):
    return ["Kông Lơng Khơng", "Mơhven-Ôr", code, "Đinh Văn Hmar", year, official, start, end, reason]


def xlsx(*rows, headers=HEADERS) -> bytes:
    return xlsx_bytes(headers, rows)


def run(step, user, commune, content, **options):
    return step(
        kind="assignments",
        commune=commune,
        user=user,
        file_bytes=content,
        filename="phan-cong.xlsx",
        today=TODAY,
        **options,
    )


def check(user, commune, content, **options):
    return run(engine.check, user, commune, content, **options)


def apply(user, commune, content, **options):
    return run(engine.apply, user, commune, content, **options)


def stored():
    return list(Assignment.objects.order_by("pk").values())


def messages(result) -> list[str]:
    return [problem.message for problem in result.problems]


def test_new_rows_are_written(commune_admin, commune, plan, officials, households):
    content = xlsx(
        line(
            "KLK-0001",
            "y kong nie",
            start="10/02/2023",
            end=datetime.date(2023, 4, 1),
            reason="Chuyển công tác",
        ),
        line("KLK-0001", "ĐINH THỊ H'BIA", start=datetime.date(2023, 4, 1)),
        line("KLK-0002", "Rơ Châm Hiếu"),
    )

    result = apply(commune_admin, commune, content)

    assert (result.new, result.updated, result.unchanged, result.invalid) == (3, 0, 0, 0)
    rows = Assignment.objects.order_by("household__code", "started_on")
    assert [(a.household, a.official, a.started_on, a.ended_on, a.end_reason) for a in rows] == [
        (households[0], officials[0], FEB_10, datetime.date(2023, 4, 1), "Chuyển công tác"),
        (households[0], officials[1], datetime.date(2023, 4, 1), None, ""),
        (households[1], commune_admin.official, FEB_10, None, ""),
    ]
    assert {a.plan for a in rows} == {plan}
    assert {(a.created_by, a.updated_by) for a in rows} == {(commune_admin, commune_admin)}


def test_reimport_changes_nothing(commune_admin, commune, plan, officials, households):
    content = xlsx(line("KLK-0001", end=datetime.date(2023, 4, 1)), line("KLK-0002"))
    apply(commune_admin, commune, content)
    before = stored()

    result = apply(commune_admin, commune, content)

    assert (result.new, result.updated, result.unchanged, result.invalid) == (0, 0, 2, 0)
    assert stored() == before


def test_corrected_file_updates_without_duplicates(commune_admin, commune, plan, officials, households):
    apply(commune_admin, commune, xlsx(line("KLK-0001"), line("KLK-0002")))
    untouched = Assignment.objects.get(household=households[1])

    corrected = xlsx(
        line("KLK-0001", "Đinh Thị H'Bia", end=datetime.date(2023, 5, 2), reason="Nghỉ hưu"),
        line("KLK-0002"),
    )
    result = apply(commune_admin, commune, corrected)

    assert (result.new, result.updated, result.unchanged) == (0, 1, 1)
    assert Assignment.objects.count() == 2
    changed = Assignment.objects.get(household=households[0])
    assert (changed.official, changed.ended_on, changed.end_reason) == (
        officials[1],
        datetime.date(2023, 5, 2),
        "Nghỉ hưu",
    )
    assert Assignment.objects.get(household=households[1]).updated_at == untouched.updated_at


def test_handover_closes_the_stored_assignment_and_opens_another(
    commune_admin, commune, plan, officials, households
):
    earlier = factories.AssignmentFactory(
        household=households[0],
        plan=plan,
        official=officials[1],
        started_on=datetime.date(2023, 1, 5),
        ended_on=datetime.date(2023, 2, 9),
    )
    current = factories.AssignmentFactory(household=households[0], plan=plan, official=officials[0])
    # The stored open one closes and the stored closed one reopens: written in that order.
    content = xlsx(
        line("KLK-0001", "Đinh Thị H'Bia", start=datetime.date(2023, 1, 5)),
        line("KLK-0001", "Y Kông Niê", end=datetime.date(2023, 5, 1)),
        line("KLK-0001", "Rơ Châm Hiếu", start=datetime.date(2023, 1, 1), end=datetime.date(2023, 1, 4)),
    )

    result = apply(commune_admin, commune, content)

    assert (result.new, result.updated, result.invalid) == (1, 2, 0)
    earlier.refresh_from_db()
    current.refresh_from_db()
    assert (earlier.ended_on, current.ended_on) == (None, datetime.date(2023, 5, 1))
    assert Assignment.objects.filter(household=households[0], ended_on__isnull=True).get() == earlier


BAD_ROWS = [
    (
        line("KLK-9999"),
        "Row 2, column 'Household code': there is no household with the code 'KLK-9999' in the commune",
    ),
    (line(year=2030), "Row 2, column 'Plan year': the commune has no plan for 2030"),
    (line(year=None), "Row 2, column 'Plan year': this column must not be empty"),
    (
        line(official="Lê Văn Tám"),
        f"Row 2, column 'Official in charge': 'Lê Văn Tám' is not in the commune's officials ({OFFICIALS})",
    ),
    (line(official=None), "Row 2, column 'Official in charge': this column must not be empty"),
    (line(start=None), "Row 2, column 'From': this column must not be empty"),
    (
        line(end=datetime.date(2023, 2, 1)),
        "Row 2, column 'Until': the assignment ends on 01/02/2023, before it starts (10/02/2023)",
    ),
    (line(end="mai"), "Row 2, column 'Until': 'mai' is not a date (write it as dd/mm/yyyy)"),
    (
        line(reason="x" * 251),
        "Row 2, column 'Reason for ending': the text is 251 characters long, more than 250",
    ),
]


@pytest.mark.parametrize("row, message", BAD_ROWS)
def test_bad_value_is_reported_and_nothing_is_written(
    commune_admin, commune, plan, officials, households, row, message
):
    factories.AssignmentFactory(household=households[1], plan=plan, official=officials[0])
    before = stored()
    content = xlsx(row, line("KLK-0002", "Đinh Thị H'Bia"))

    result = check(commune_admin, commune, content)

    assert messages(result) == [message]
    assert (result.invalid, result.updated) == (1, 1)
    with pytest.raises(engine.ImportRefused) as refused:
        apply(commune_admin, commune, content)
    assert refused.value.message.startswith("1 row has errors: nothing was imported.")
    assert stored() == before


def test_official_name_shared_by_two_officials_is_refused(
    commune_admin, commune, plan, officials, households
):
    factories.OfficialFactory(commune=commune, full_name="Y KÔNG NIÊ")
    content = xlsx(line("KLK-0001", "y kong nie"), line("KLK-0002", "Rơ Châm Hiếu"))

    result = check(commune_admin, commune, content)

    assert messages(result) == [
        "Row 2, column 'Official in charge': several officials of the commune are called 'y kong nie': "
        "make their names distinct in the list of officials, then import again"
    ]
    with pytest.raises(engine.ImportRefused):
        apply(commune_admin, commune, content)
    assert not Assignment.objects.exists()


def test_official_of_another_commune_is_unknown(commune_admin, commune, plan, officials, households):
    factories.OfficialFactory(full_name="Ksor Hlim")

    result = check(commune_admin, commune, xlsx(line(official="Ksor Hlim")))

    assert messages(result) == [
        f"Row 2, column 'Official in charge': 'Ksor Hlim' is not in the commune's officials ({OFFICIALS})"
    ]


def test_two_open_assignments_in_the_file_are_refused(commune_admin, commune, plan, officials, households):
    content = xlsx(
        line("KLK-0001", "Y Kông Niê"),
        line("KLK-0001", "Đinh Thị H'Bia", start=datetime.date(2023, 3, 1)),
        line("KLK-0001", "Rơ Châm Hiếu", start=datetime.date(2023, 4, 1), end=datetime.date(2023, 5, 1)),
    )

    result = check(commune_admin, commune, content)

    assert messages(result) == [
        "Row 3, column 'Until': row 2 already puts Y Kông Niê in charge of the household from 10/02/2023: "
        "give one of the two assignments an end date"
    ]
    assert (result.new, result.invalid) == (2, 1)
    with pytest.raises(engine.ImportRefused):
        apply(commune_admin, commune, content)
    assert not Assignment.objects.exists()


def test_open_assignment_next_to_a_stored_open_one_is_refused(
    commune_admin, commune, plan, officials, households
):
    factories.AssignmentFactory(household=households[0], plan=plan, official=officials[0])
    before = stored()
    content = xlsx(line("KLK-0001", "Đinh Thị H'Bia", start=datetime.date(2023, 5, 1)))

    result = check(commune_admin, commune, content)

    assert messages(result) == [
        "Row 2, column 'Until': the household already has an official in charge for this plan "
        "(Y Kông Niê, from 10/02/2023): give one of the two assignments an end date"
    ]
    with pytest.raises(engine.ImportRefused):
        apply(commune_admin, commune, content)
    assert stored() == before


def test_valid_only_never_writes_a_second_open_assignment(
    commune_admin, commune, plan, officials, households
):
    stored_open = factories.AssignmentFactory(household=households[0], plan=plan, official=officials[0])
    content = xlsx(
        line("KLK-0001", "Đinh Thị H'Bia", start=datetime.date(2023, 5, 1)),
        line("KLK-0001", "Y Kông Niê"),
        line("KLK-0002", "Rơ Châm Hiếu"),
    )

    result = apply(commune_admin, commune, content, valid_only=True)

    assert result.invalid_rows == [2]
    assert (result.new, result.unchanged) == (1, 1)
    assert list(Assignment.objects.filter(ended_on__isnull=True).order_by("household__code")) == [
        stored_open,
        Assignment.objects.get(household=households[1]),
    ]


def test_same_start_twice_in_one_file_is_refused(commune_admin, commune, plan, officials, households):
    content = xlsx(line("KLK-0001", end=datetime.date(2023, 3, 1)), line("KLK-0001", "Đinh Thị H'Bia"))

    result = check(commune_admin, commune, content)

    assert messages(result) == [
        "Row 3: the household's assignment for 2023 from 10/02/2023 is already in row 2 of this file"
    ]


def test_export_then_import_changes_nothing(commune_admin, commune, plan, officials, households):
    # Handed over on the day it started: two stored rows share the household, plan and start.
    factories.AssignmentFactory(
        household=households[0], plan=plan, official=officials[0], ended_on=FEB_10, end_reason="Nhầm người"
    )
    factories.AssignmentFactory(household=households[0], plan=plan, official=officials[1])
    factories.AssignmentFactory(household=households[1], plan=plan, official=commune_admin.official)
    earlier = factories.PlanFactory(commune=commune, year=2022)
    factories.AssignmentFactory(
        household=households[1], plan=earlier, official=officials[0], started_on=datetime.date(2022, 3, 1)
    )
    before = stored()

    result = check(commune_admin, commune, exported_xlsx(commune_admin, "assignments"))

    assert (result.new, result.updated, result.invalid, result.unchanged) == (0, 0, 0, 4)
    assert result.problems == []
    assert stored() == before


def _queries_to_apply(user, commune, rows) -> int:
    with CaptureQueriesContext(connection) as queries:
        result = apply(user, commune, xlsx(*rows))
    assert result.new == len(rows)
    return len(queries)


def test_apply_query_count_does_not_grow_with_rows(commune_admin, commune, plan, officials, village):
    for number in range(1, 32):
        factories.HouseholdFactory(village=village, code=f"Q-{number:02d}")

    one = _queries_to_apply(commune_admin, commune, [line("Q-01")])
    thirty = _queries_to_apply(commune_admin, commune, [line(f"Q-{n:02d}") for n in range(2, 32)])

    assert one == thirty
    assert Assignment.objects.count() == 31
