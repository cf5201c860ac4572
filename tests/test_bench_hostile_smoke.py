"""bench/hostile_files.py on small ordinary files, so that it cannot rot: the files it derives from
the one with inline texts (shared texts, formulas in an unknown column, prefixed elements) read the
same, and the fast pass vouches for each."""

import importlib.util
import zipfile
from pathlib import Path

from households.imports import xlsx_scan
from households.imports.reading import read_table
from tests.limited_read import KNOWN, REQUIRED

BENCH = Path(__file__).resolve().parents[1] / "bench" / "hostile_files.py"


def test_the_ordinary_files_read_the_same_whatever_their_form(tmp_path):
    spec = importlib.util.spec_from_file_location("bench_hostile_files", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    files = list(bench.ordinary_workbooks(tmp_path, rows=30).values())

    assert "xl/sharedStrings.xml" in zipfile.ZipFile(files[1]).namelist()
    results = []
    for path in files:
        archive = zipfile.ZipFile(path)
        workbook = xlsx_scan.Workbook(archive, xlsx_scan.Limits(rows=1100, columns=25))
        marks = workbook.scan("Thành viên")
        assert not workbook.measured_exactly
        results.append((read(path), marks))
    inline, shared, formulas, prefixed = results
    assert inline[0] == shared[0] == formulas[0] == prefixed[0]
    assert len(inline[0]) == 30 and inline[0][0]["Mã hộ"] == "KLK-00000"
    assert formulas[1].without_value == {11: {11}, 21: {11}, 31: {11}}  # rows 10, 20, 30: no value
    assert not inline[1].without_value and not prefixed[1].without_value


def read(path: Path) -> list[dict]:
    result = read_table(
        path.read_bytes(),
        "x.xlsx",
        required_columns=REQUIRED,
        known_columns=KNOWN,
        max_rows=100,
        max_bytes=10**6,
    )
    return [row.values for row in result.rows]
