"""The household import, end to end through the engine: check (dry run), apply, re-import."""

import io

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook

from households import exports
from households.imports import engine
from households.imports.reading import ImportFileError
from households.models import Household, Member, PovertyCause
from tests import factories
from tests.spreadsheets import exported_xlsx, xlsx_bytes


def headers(commune, user) -> list[str]:
    importer = engine.importer_for("households", commune=commune, user=user)
    return [column.header for column in importer.columns() if column.read]


def xlsx(rows: list[list]) -> bytes:
    return xlsx_bytes(rows[0], rows[1:]) if rows else xlsx_bytes([], [])


def household_row(commune, village, code, head, **extra) -> dict:
    return {"Xã": commune.name, "Thôn, làng": village.name, "Mã hộ": code, "Chủ hộ": head, **extra}


def file_of(rows: list[dict]) -> bytes:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    return xlsx([columns, *[[row.get(column) for column in columns] for row in rows]])


def check(commune, user, data: bytes, name="ho.xlsx"):
    with translation.override("en"):
        return engine.check(kind="households", commune=commune, user=user, file_bytes=data, filename=name)


def apply(commune, user, data: bytes, name="ho.xlsx", **options):
    with translation.override("en"):
        return engine.apply(
            kind="households", commune=commune, user=user, file_bytes=data, filename=name, **options
        )


def snapshot():
    return sorted(Household.objects.values_list("code", "head_name", "village_id", "updated_at"))


@pytest.fixture
def second_village(commune):
    return factories.VillageFactory(commune=commune, name="Mơ Tôn")


def test_headers_are_the_exports_headers(commune, commune_admin):
    export = exports.export_for_user(user=commune_admin, list_name="households", fmt="csv")
    assert headers(commune, commune_admin) == [
        header for header in export.headers if header not in ("Thời điểm lưu trữ", "Lý do lưu trữ")
    ]


def test_check_counts_rows_and_writes_nothing(commune, village, household, commune_admin):
    data = file_of(
        [
            household_row(commune, village, "KLK-0001", "Đinh Văn Hmar", **{"Địa chỉ": household.address}),
            household_row(commune, village, "KLK-0002", "Nguyễn Thị Lan"),
            household_row(commune, village, "KLK-0003", "Đinh Thị Bia", **{"Hộ dân tộc thiểu số": "x"}),
        ]
    )
    before = snapshot()
    result = check(commune, commune_admin, data)
    assert (result.new, result.updated, result.unchanged, result.invalid) == (2, 0, 1, 0)
    assert snapshot() == before


def test_apply_writes_new_households_with_search_key(commune, village, commune_admin):
    data = file_of(
        [household_row(commune, village, "KLK-0100", "Đinh Văn Hyưk", **{"Hộ dân tộc thiểu số": "Có"})]
    )
    apply(commune, commune_admin, data)
    household = Household.objects.get(commune=commune, code="KLK-0100")
    assert household.head_name == "Đinh Văn Hyưk"
    assert household.is_ethnic_minority is True
    assert household.search_key == "klk 0100 dinh van hyuk"
    assert household.created_by == commune_admin


def test_reimporting_the_same_file_changes_nothing(commune, village, commune_admin):
    data = file_of([household_row(commune, village, f"KLK-{n:04d}", f"Chủ hộ {n}") for n in range(5)])
    apply(commune, commune_admin, data)
    before = snapshot()
    result = apply(commune, commune_admin, data)
    assert (result.new, result.updated, result.unchanged) == (0, 0, 5)
    assert snapshot() == before


def test_corrected_file_updates_by_code_without_duplicates(
    commune, village, second_village, household, commune_admin
):
    data = file_of([household_row(commune, second_village, "klk-0001", "Đinh Văn Hmar (sửa)")])
    result = apply(commune, commune_admin, data)
    assert (result.new, result.updated) == (0, 1)
    household.refresh_from_db()
    assert (household.head_name, household.village) == ("Đinh Văn Hmar (sửa)", second_village)
    assert Household.objects.filter(commune=commune).count() == 1


def test_unknown_village_is_reported_with_row_and_column(commune, village, commune_admin):
    data = file_of(
        [
            household_row(commune, village, "A-1", "Một"),
            {"Xã": commune.name, "Thôn, làng": "Làng Không Có", "Mã hộ": "A-2", "Chủ hộ": "Hai"},
        ]
    )
    result = check(commune, commune_admin, data)
    assert result.invalid == 1
    assert result.problems[0].message.startswith("Row 3, column 'Village': 'Làng Không Có' is not in")


def test_a_row_with_errors_refuses_the_whole_file(commune, village, commune_admin):
    data = file_of(
        [
            household_row(commune, village, "A-1", "Một"),
            household_row(commune, village, "A-2", "Hai", **{"Hộ dân tộc thiểu số": "có lẽ"}),
        ]
    )
    before = snapshot()
    with pytest.raises(engine.ImportRefused, match="1 row has errors: nothing was imported"):
        apply(commune, commune_admin, data)
    assert snapshot() == before


def test_valid_rows_only_writes_the_valid_rows(commune, village, commune_admin):
    data = file_of(
        [
            household_row(commune, village, "A-1", "Một"),
            household_row(commune, village, "A-2", ""),
            household_row(commune, village, "A-3", "Ba"),
        ]
    )
    result = apply(commune, commune_admin, data, valid_only=True)
    assert result.invalid_rows == [3]
    assert set(Household.objects.values_list("code", flat=True)) == {"A-1", "A-3"}


def test_duplicate_codes_within_the_file_are_refused(commune, village, commune_admin):
    data = file_of(
        [household_row(commune, village, "A-1", "Một"), household_row(commune, village, "a-1", "Một bis")]
    )
    result = check(commune, commune_admin, data)
    assert [problem.message for problem in result.problems] == [
        "Row 3: the household code is already in row 2 of this file"
    ]


def test_rows_of_another_commune_are_refused(commune, village, commune_admin):
    data = file_of([{**household_row(commune, village, "A-1", "Một"), "Xã": "Xã Khác"}])
    result = check(commune, commune_admin, data)
    assert result.invalid == 1
    assert "the row belongs to 'Xã Khác'" in result.problems[0].message


def test_causes_are_matched_by_name_and_unknown_ones_refused(commune, village, commune_admin):
    cause = PovertyCause.objects.filter(active=True).first()
    good = household_row(commune, village, "A-1", "Một", **{"Nguyên nhân nghèo": cause.name.upper()})
    bad = household_row(commune, village, "A-2", "Hai", **{"Nguyên nhân nghèo": "Lười lao động; Thiếu vốn"})
    result = check(commune, commune_admin, file_of([good, bad]))
    assert result.invalid_rows == [3]
    assert "'Lười lao động', 'Thiếu vốn': not in the list of causes of poverty" in result.problems[0].message
    apply(commune, commune_admin, file_of([good]))
    assert list(Household.objects.get(code="A-1").causes.all()) == [cause]


@pytest.mark.parametrize(
    "bad_bytes, name, message",
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "ho.xlsx", "not a spreadsheet"),
        (b"PK\x03\x04" + bytes(100), "ho.xlsx", "damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "ho.xlsx", "password"),
        (b"", "ho.csv", "empty"),
        ("Xã;Mã hộ\nA;1\n".encode(), "ho.csv", "'Village', 'Head of household'"),
        ("Mã hộ,Chủ hộ,Thôn, làng\nA,Đinh Văn A,Mơ\n".encode("cp1258", errors="replace"), "ho.csv", "UTF-8"),
    ],
)
def test_bad_files_are_refused_and_change_nothing(commune, village, commune_admin, bad_bytes, name, message):
    before = snapshot()
    with pytest.raises(ImportFileError) as raised:
        apply(commune, commune_admin, bad_bytes, name)
    assert message in raised.value.message
    assert snapshot() == before


@pytest.mark.parametrize(
    "rows, limits, message",
    [
        ([], {}, "empty"),
        ([["Thôn, làng", "Mã hộ", "Chủ hộ"]], {}, "no data rows"),
        (
            [["Thôn, làng", "Mã hộ", "Chủ hộ"], *[["Mơhven-Ôr", f"A-{n}", "B"] for n in range(3)]],
            {"IMPORT_MAX_ROWS": 2},
            "more than 2 data rows",
        ),
        ([["Thôn, làng", "Mã hộ", "Chủ hộ"], ["Mơhven-Ôr", "A-1", "B"]], {"IMPORT_MAX_BYTES": 1000}, "MB"),
    ],
    ids=["empty sheet", "header only", "too many rows", "too many bytes"],
)
def test_empty_and_oversized_workbooks_are_refused_and_change_nothing(
    settings, commune, village, commune_admin, rows, limits, message
):
    for name, value in limits.items():
        setattr(settings, name, value)
    before = snapshot()
    with pytest.raises(ImportFileError) as raised:
        apply(commune, commune_admin, xlsx(rows))
    assert message in raised.value.message
    assert snapshot() == before


def test_unknown_columns_are_a_warning(commune, village, commune_admin):
    data = file_of([household_row(commune, village, "A-1", "Một", **{"Ghi chú riêng": "x"})])
    result = check(commune, commune_admin, data)
    assert result.new == 1
    assert any("'Ghi chú riêng'" in warning for warning in result.warnings)


def test_utf16_and_bom_csv_and_tcvn3_names_import(commune, village, commune_admin):
    tab_text = f"Thôn, làng\tMã hộ\tChủ hộ\r\n{village.name}\tU-1\tĐinh Văn A\r\n"
    apply(commune, commune_admin, tab_text.encode("utf-16"), "ho.txt")
    bom_text = f'"Thôn, làng",Mã hộ,Chủ hộ\r\n{village.name},B-1,NguyÔn V¨n A\r\n'
    result = apply(commune, commune_admin, ("\ufeff" + bom_text).encode("utf-8"), "ho.csv")
    assert any("TCVN3" in warning for warning in result.warnings)
    names = dict(Household.objects.values_list("code", "head_name"))
    assert names == {"U-1": "Đinh Văn A", "B-1": "Nguyễn Văn A"}


def test_formula_looking_names_stay_text_and_survive_a_csv_round_trip(commune, village, commune_admin):
    apply(commune, commune_admin, file_of([household_row(commune, village, "F-1", '=HYPERLINK("x")')]))
    assert Household.objects.get(code="F-1").head_name == '=HYPERLINK("x")'
    export = exports.export_for_user(user=commune_admin, list_name="households", fmt="csv")
    csv_bytes = "".join(exports.csv_chunks(export)).encode("utf-8")
    assert b"'=HYPERLINK" in csv_bytes
    result = check(commune, commune_admin, csv_bytes, "ho.csv")
    assert (result.new, result.updated, result.invalid) == (0, 0, 0)


def test_a_formula_uses_its_cached_value_or_is_refused(commune, village, commune_admin):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Thôn, làng", "Mã hộ", "Chủ hộ"])
    sheet.append([village.name, "A-1", '=CONCAT("Đinh ","Văn A")'])  # openpyxl stores no cached value
    out = io.BytesIO()
    workbook.save(out)
    result = check(commune, commune_admin, out.getvalue())
    assert result.invalid == 1
    assert (
        result.problems[0].message
        == "Row 2, column 'Head of household': the cell holds a formula that has no value yet"
    )


def test_export_then_import_changes_nothing(commune, village, second_village, commune_admin):
    cause = PovertyCause.objects.filter(active=True).first()
    for number in range(3):
        household = factories.HouseholdFactory(village=village, code=f"R-{number}", is_female_head=True)
        household.causes.add(cause)
    factories.HouseholdFactory(village=second_village, code="R-9", phone="0905123456", notes="=1+1")
    before = snapshot()
    result = apply(commune, commune_admin, exported_xlsx(commune_admin, "households"))
    assert (result.new, result.updated, result.unchanged, result.invalid) == (0, 0, 4, 0)
    assert result.warnings == []
    assert snapshot() == before


def test_a_household_changed_after_the_check_is_not_overwritten(commune, village, household, commune_admin):
    data = file_of([household_row(commune, village, "KLK-0001", "Tên từ tệp")])
    checked_at = household.updated_at
    household.head_name = "Sửa bởi người khác"
    household.save()
    with pytest.raises(engine.ImportRefused, match="changed after your check"):
        apply(commune, commune_admin, data, checked_at=checked_at)
    household.refresh_from_db()
    assert household.head_name == "Sửa bởi người khác"


def _apply_queries(commune, user, rows: int, prefix: str) -> int:
    village = commune.villages.first()
    data = file_of([household_row(commune, village, f"{prefix}-{n}", f"Chủ hộ {n}") for n in range(rows)])
    with CaptureQueriesContext(connection) as queries:
        apply(commune, user, data)
    return len(queries)


def test_query_count_does_not_grow_with_the_rows(commune, village, commune_admin):
    one = _apply_queries(commune, commune_admin, 1, "Q")
    thirty = _apply_queries(commune, commune_admin, 30, "P")
    assert one == thirty


def test_a_refused_duplicate_row_does_not_leak_into_the_first(commune, village, household, commune_admin):
    data = file_of(
        [
            household_row(commune, village, "KLK-0001", "Tên đúng"),
            household_row(commune, village, "KLK-0001", "Tên của dòng trùng"),
        ]
    )
    apply(commune, commune_admin, data, valid_only=True)
    household.refresh_from_db()
    assert household.head_name == "Tên đúng"


def test_problems_read_in_vietnamese(commune, village, commune_admin):
    data = file_of(
        [
            household_row(commune, village, "A-1", "Một", **{"Hộ dân tộc thiểu số": "có lẽ"}),
            {"Xã": commune.name, "Thôn, làng": "Kon Mơ", "Mã hộ": "A-2", "Chủ hộ": "Hai"},
        ]
    )
    result = engine.check(
        kind="households", commune=commune, user=commune_admin, file_bytes=data, filename="a.xlsx"
    )
    assert [problem.message for problem in result.problems] == [
        "Dòng 2, cột 'Hộ dân tộc thiểu số': 'có lẽ' không phải Có hay Không (ghi 'Có' hoặc 'Không')",
        "Dòng 3, cột 'Thôn, làng': không có 'Kon Mơ' trong danh sách thôn, làng của xã (Mơhven-Ôr)",
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_that_fails_halfway_leaves_nothing_behind(commune, village, commune_admin):
    """The write inserts the households (two batches of 500), then their heads as members, then their
    links to the causes of poverty. Between the check and the write an administrator deletes the cause
    the rows name, as another session may: the links then break the foreign key, after the households
    and their heads were written. The whole import must be rolled back."""
    cause = PovertyCause.objects.create(code="sap-xoa", name="Nguyên nhân sắp xoá", name_en="Soon deleted")
    rows = [
        household_row(commune, village, f"W-{n:04d}", "Đinh Văn Hmar", **{"Nguyên nhân nghèo": cause.name})
        for n in range(1, 601)
    ]
    data = file_of(rows)

    def administrator_deletes_the_cause(done: int, total: int) -> None:
        if done == total:  # the check's last report: the write comes next
            PovertyCause.objects.filter(pk=cause.pk).delete()

    with pytest.raises(IntegrityError):
        apply(commune, commune_admin, data, progress=administrator_deletes_the_cause)

    assert not Household.objects.exists()
    assert not Member.objects.exists()
    assert not Household.causes.through.objects.exists()
