"""Importing exit registrations: new, unchanged and corrected rows, every bad value, round trip."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from households.imports import engine
from plans.models import ExitRegistration
from tests import factories
from tests.spreadsheets import exported_xlsx, xlsx_bytes

TODAY = datetime.date(2023, 6, 1)
HEADERS = [
    "Commune",
    "Village",
    "Household code",
    "Head of household",
    "Plan year",
    "Registered on",
    "Status",
    "Needs to exit poverty",
    "Household's commitment",
    "Note on the status",
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def plan(commune):
    return factories.PlanFactory(commune=commune, year=2023)


@pytest.fixture
def households(village):
    return [
        factories.HouseholdFactory(village=village, code=f"KLK-{number:04d}", head_name="Đinh Văn Hmar")
        for number in range(1, 3)
    ]


def line(code="KLK-0001", *, year=2023, on=datetime.date(2023, 2, 10), status="in progress", **texts):
    return [
        "Kông Lơng Khơng",
        "Mơhven-Ôr",
        code,
        "Đinh Văn Hmar",
        year,
        on,
        status,
        texts.get("needs", "Giống bò"),
        texts.get("commitment", "Chăm sóc bò tốt"),
        texts.get("note", ""),
    ]


def xlsx(*rows, headers=HEADERS) -> bytes:
    return xlsx_bytes(headers, rows)


def check(user, commune, content, **options):
    return engine.check(
        kind="exit-registrations",
        commune=commune,
        user=user,
        file_bytes=content,
        filename="dang-ky.xlsx",
        today=TODAY,
        **options,
    )


def apply(user, commune, content, **options):
    return engine.apply(
        kind="exit-registrations",
        commune=commune,
        user=user,
        file_bytes=content,
        filename="dang-ky.xlsx",
        today=TODAY,
        **options,
    )


def stored():
    return list(ExitRegistration.objects.order_by("pk").values())


def test_new_rows_are_written(commune_admin, commune, plan, households):
    content = xlsx(
        line("KLK-0001", status="in progress", needs="Giống bò", note="Đã nhận bò"),
        line("klk-0002", on="15/02/2023", status="", needs="Vốn vay"),
    )

    result = apply(commune_admin, commune, content)

    assert (result.new, result.updated, result.unchanged, result.invalid) == (2, 0, 0, 0)
    first, second = ExitRegistration.objects.order_by("household__code")
    assert (first.plan, first.household, first.registered_on) == (
        plan,
        households[0],
        datetime.date(2023, 2, 10),
    )
    assert (first.status, first.needs, first.status_note) == ("in_progress", "Giống bò", "Đã nhận bò")
    assert first.commitment == "Chăm sóc bò tốt"
    assert (second.household, second.registered_on) == (households[1], datetime.date(2023, 2, 15))
    assert (second.status, second.needs) == (ExitRegistration.Status.REGISTERED, "Vốn vay")
    assert {first.created_by, first.updated_by, second.created_by} == {commune_admin}
    assert first.updated_at is not None and first.created_at is not None


def test_status_is_read_by_vietnamese_label_or_code(commune_admin, commune, plan, households):
    with translation.override("vi"):
        label = str(ExitRegistration.Status.IN_PROGRESS.label)
    content = xlsx(line("KLK-0001", status=label.upper()), line("KLK-0002", status="registered"))

    apply(commune_admin, commune, content)

    assert sorted(ExitRegistration.objects.values_list("household__code", "status")) == [
        ("KLK-0001", "in_progress"),
        ("KLK-0002", "registered"),
    ]


@pytest.mark.parametrize("typed", ["exited", "Đã thoát nghèo", "chưa thoát nghèo", "did not exit"])
def test_an_exit_outcome_is_the_reviews_and_is_not_imported(commune_admin, commune, plan, households, typed):
    result = check(commune_admin, commune, xlsx(line("KLK-0001", status=typed)))

    (problem,) = result.problems
    assert "decided by the periodic review of the plan year" in problem.message
    assert not ExitRegistration.objects.exists()


def test_reimport_changes_nothing(commune_admin, commune, plan, households):
    content = xlsx(line("KLK-0001"), line("KLK-0002"))
    apply(commune_admin, commune, content)
    before = stored()

    result = apply(commune_admin, commune, content)

    assert (result.new, result.updated, result.unchanged, result.invalid) == (0, 0, 2, 0)
    assert stored() == before


def test_corrected_file_updates_without_duplicates(commune_admin, commune, plan, households, case_worker):
    apply(case_worker, commune, xlsx(line("KLK-0001"), line("KLK-0002")))
    untouched = ExitRegistration.objects.get(household=households[1])

    corrected = xlsx(
        line("KLK-0001", on=datetime.date(2023, 3, 1), status="in progress", note="Bò chết"),
        line("KLK-0002"),
    )
    result = apply(commune_admin, commune, corrected)

    assert (result.new, result.updated, result.unchanged) == (0, 1, 1)
    assert ExitRegistration.objects.count() == 2
    changed = ExitRegistration.objects.get(household=households[0])
    assert (changed.registered_on, changed.status) == (datetime.date(2023, 3, 1), "in_progress")
    assert changed.status_note == "Bò chết"
    assert (changed.created_by, changed.updated_by) == (case_worker, commune_admin)
    assert ExitRegistration.objects.get(household=households[1]).updated_at == untouched.updated_at


def _vietnamese_statuses() -> str:
    with translation.override("vi"):
        return ", ".join(str(label) for _value, label in ExitRegistration.Status.choices)


BAD_ROWS = [
    (
        line("KLK-9999"),
        "Row 2, column 'Household code': there is no household with the code 'KLK-9999' in the commune",
    ),
    (line(""), "Row 2, column 'Household code': this column must not be empty"),
    (line(year=2030), "Row 2, column 'Plan year': the commune has no plan for 2030"),
    (line(year="năm nay"), "Row 2, column 'Plan year': 'năm nay' is not a whole number"),
    (
        line(on=datetime.date(2023, 6, 2)),
        "Row 2, column 'Registered on': the date 02/06/2023 is in the future",
    ),
    (line(on=None), "Row 2, column 'Registered on': this column must not be empty"),
    (
        line(on="31/02/2023"),
        "Row 2, column 'Registered on': '31/02/2023' is not a date (write it as dd/mm/yyyy)",
    ),
    (
        line(status="finished"),
        f"Row 2, column 'Status': 'finished' is not in the statuses ({_vietnamese_statuses()})",
    ),
    (
        ["Xã Ia Pết", *line()[1:]],
        "Row 2, column 'Commune': the row belongs to 'Xã Ia Pết', not to {commune}",
    ),
]


@pytest.mark.parametrize("row, message", BAD_ROWS)
def test_bad_value_is_reported_and_nothing_is_written(commune_admin, commune, plan, households, row, message):
    factories.ExitRegistrationFactory(household=households[1], plan=plan, needs="Cũ")
    before = stored()
    content = xlsx(row, line("KLK-0002", needs="Mới"))
    message = message.format(commune=commune.full_name)

    result = check(commune_admin, commune, content)

    assert [problem.message for problem in result.problems] == [message]
    assert (result.invalid, result.updated) == (1, 1)
    with pytest.raises(engine.ImportRefused) as refused:
        apply(commune_admin, commune, content)
    assert refused.value.message.startswith("1 row has errors: nothing was imported.")
    assert stored() == before


def test_same_household_twice_in_one_file_is_refused(commune_admin, commune, plan, households):
    content = xlsx(line("KLK-0001"), line("klk-0001", status="in_progress"))

    result = check(commune_admin, commune, content)

    assert [problem.message for problem in result.problems] == [
        "Row 3: the household's registration for 2023 is already in row 2 of this file"
    ]
    with pytest.raises(engine.ImportRefused):
        apply(commune_admin, commune, content)
    assert not ExitRegistration.objects.exists()


def test_other_communes_households_and_plans_are_unknown(commune_admin, commune, plan, households):
    elsewhere = factories.HouseholdFactory(code="KLK-0009")
    factories.PlanFactory(commune=elsewhere.commune, year=2024)
    content = xlsx(line("KLK-0009"), line("KLK-0001", year=2024))

    result = check(commune_admin, commune, content)

    assert [problem.message for problem in result.problems] == [
        "Row 2, column 'Household code': there is no household with the code 'KLK-0009' in the commune",
        "Row 3, column 'Plan year': the commune has no plan for 2024",
    ]


def test_valid_only_writes_only_the_valid_rows(commune_admin, commune, plan, households):
    content = xlsx(line("KLK-0001", year=2030), line("KLK-0002"))

    result = apply(commune_admin, commune, content, valid_only=True)

    assert (result.new, result.invalid) == (1, 1)
    assert list(ExitRegistration.objects.values_list("household__code", flat=True)) == ["KLK-0002"]


def test_refused_duplicate_row_does_not_alter_what_the_first_row_writes(
    commune_admin, commune, plan, households
):
    factories.ExitRegistrationFactory(household=households[0], plan=plan, needs="Cũ")
    content = xlsx(line("KLK-0001", needs="Mới"), line("KLK-0001", needs="Khác"))

    result = apply(commune_admin, commune, content, valid_only=True)

    assert (result.invalid_rows, result.updated) == ([3], 1)
    assert ExitRegistration.objects.get().needs == "Mới"


def test_file_without_optional_columns_keeps_stored_texts(commune_admin, commune, plan, households):
    registration = factories.ExitRegistrationFactory(
        household=households[0], plan=plan, status="in_progress", needs="Giống bò", status_note="Đã thoát"
    )
    content = xlsx(["KLK-0001", 2023, datetime.date(2023, 2, 10)], headers=HEADERS[2:3] + HEADERS[4:6])

    result = apply(commune_admin, commune, content)

    assert (result.unchanged, result.updated) == (1, 0)
    registration.refresh_from_db()
    assert (registration.status, registration.needs, registration.status_note) == (
        "in_progress",
        "Giống bò",
        "Đã thoát",
    )


def test_export_then_import_changes_nothing(commune_admin, commune, plan, households, village):
    factories.ExitRegistrationFactory(
        household=households[0], plan=plan, status="in_progress", needs="Bò\nlợn", commitment="=Làm tốt"
    )
    factories.ExitRegistrationFactory(household=households[1], plan=plan, status_note="Chờ vốn")
    archived = factories.HouseholdFactory(
        village=village, archived_at=datetime.datetime(2023, 5, 1, tzinfo=datetime.UTC)
    )
    earlier = factories.PlanFactory(commune=commune, year=2022)
    factories.ExitRegistrationFactory(
        household=archived, plan=earlier, registered_on=datetime.date(2022, 3, 1)
    )
    before = stored()

    result = check(commune_admin, commune, exported_xlsx(commune_admin, "exit-registrations"))

    assert (result.new, result.updated, result.invalid, result.unchanged) == (0, 0, 0, 3)
    assert result.problems == []
    assert stored() == before


def _queries_to_apply(user, commune, rows) -> int:
    with CaptureQueriesContext(connection) as queries:
        result = apply(user, commune, xlsx(*rows))
    assert result.new == len(rows)
    return len(queries)


def test_apply_query_count_does_not_grow_with_rows(commune_admin, commune, plan, village):
    for number in range(1, 32):
        factories.HouseholdFactory(village=village, code=f"Q-{number:02d}")

    one = _queries_to_apply(commune_admin, commune, [line("Q-01")])
    thirty = _queries_to_apply(commune_admin, commune, [line(f"Q-{n:02d}") for n in range(2, 32)])

    assert one == thirty
    assert ExitRegistration.objects.count() == 31
