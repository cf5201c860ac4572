"""The XLSX reader against hostile workbooks, and ordinary ones, each read in a limited child.

    .venv/bin/python bench/hostile_files.py [--root DIR] [--repeat 7] [--only hostile|ordinary]

Builds the hostile workbooks of tests/households/test_import_limits.py (tests/spreadsheets.py,
HOSTILE_WORKBOOKS) and ordinary ones of 43,423 rows × 15 columns (the size of the benchmark's
members file): with inline texts, as openpyxl and our exports write it; with a table of shared
texts, as Excel saves it; with a column of formulas (some without a saved value, some #N/A); with
every element prefixed `x:`, as the .NET Open XML SDK writes it. Each file is read by
`reading.read_table` in a fresh child process whose address space is limited to 500 MB
(tests/limited_read.py): outcome, the read's wall and CPU time (for the ordinary files the medians
of `--repeat` reads: on a shared machine the CPU time is the steadier), and the child's peak
resident memory (VmHWM, of which Python with Django loaded is about 85 MB). A crash is reported as
such. `--root` reads with another checkout's code, e.g. the commit before a change:

    git archive <commit> | tar -x -C /tmp/before && .venv/bin/python bench/hostile_files.py --root /tmp/before

Figures and commands: docs/benchmarks.md.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ORDINARY_ROWS = 43_423
ORDINARY_COLUMNS = [*(f"Ghi chú {n}" for n in range(10))]  # after the reading tests' 5 known columns


def ordinary_workbooks(folder: Path, rows: int = ORDINARY_ROWS) -> dict[str, Path]:
    """Inline texts (openpyxl write-only), and the same cells with a table of shared texts."""
    from openpyxl import Workbook

    from tests.limited_read import KNOWN

    rng = random.Random(2023)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Thành viên")
    sheet.append([*KNOWN, *ORDINARY_COLUMNS])
    for n in range(rows):
        sheet.append(
            [
                f"KLK-{n:05d}",
                f"Nguyễn Văn {rng.randint(1, 10**6)}",
                "Mơhven-Ôr",
                rng.randint(500_000, 3_000_000),
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1940, 2020)}",
                "x" if n % 3 else None,
                1200000.5,
                "Kinh",
                None,
                "ghi chú",
                n,
                "A",
                "B",
                None,
                5,
            ]
        )
    inline = folder / "ordinary-inline.xlsx"
    book.save(inline)
    shared, formulas, prefixed = (
        folder / f"ordinary-{kind}.xlsx" for kind in ("shared", "formulas", "prefixed")
    )
    _with_shared_texts(inline, shared)
    _rewritten(inline, formulas, _with_formulas)
    _rewritten(inline, prefixed, _with_prefix)
    return {
        f"{rows:,} rows × 15, inline texts": inline,
        f"{rows:,} rows × 15, shared texts": shared,
        f"{rows:,} rows × 15, a column of formulas": formulas,
        f"{rows:,} rows × 15, every element prefixed x:": prefixed,
    }


def _rewritten(source: Path, target: Path, change) -> None:
    archive = zipfile.ZipFile(source)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            data = archive.read(info)
            out.writestr(info.filename, change(data) if info.filename.startswith("xl/worksheets/") else data)


def _with_formulas(sheet: bytes) -> bytes:
    """Column L (the text "A") becomes =K+1: saved with its value, as Excel saves it, except in one
    row out of ten (without a value, as programs that do not calculate write it); one in 97 is #N/A."""
    import re

    count = 0

    def formula(match):
        nonlocal count
        count += 1
        row = match.group(1)
        if count % 97 == 0:
            return b'<c r="L%s" t="e"><v>#N/A</v></c>' % row
        saved = b"" if count % 10 == 0 else b"1"
        return b'<c r="L%s"><f>K%s+1</f><v>%s</v></c>' % (row, row, saved)

    return re.sub(rb'<c r="L([0-9]+)" t="inlineStr"><is><t>A</t></is></c>', formula, sheet)


def _with_prefix(sheet: bytes) -> bytes:
    """Every element written `x:name`, as the .NET Open XML SDK writes a sheet."""
    import re

    sheet = re.sub(rb"<(/?)([A-Za-z])", rb"<\1x:\2", sheet)
    return sheet.replace(b"<x:worksheet xmlns=", b"<x:worksheet xmlns:x=", 1)


def _with_shared_texts(source: Path, target: Path) -> None:
    import re

    from tests.spreadsheets import MAIN, OFFICE

    archive = zipfile.ZipFile(source)
    sheet_part = next(name for name in archive.namelist() if name.startswith("xl/worksheets/"))
    texts: dict[bytes, int] = {}

    def shared(match):
        index = texts.setdefault(match.group(1), len(texts))
        return b' t="s"><v>%d</v>' % index

    sheet = re.sub(rb' t="inlineStr"><is><t>(.*?)</t></is>', shared, archive.read(sheet_part))
    table = b'<sst xmlns="%s" count="%d" uniqueCount="%d">' % (MAIN.encode(), len(texts), len(texts))
    table += b"".join(b"<si><t>" + text + b"</t></si>" for text in texts) + b"</sst>"
    relation = f'<Relationship Id="rIdS" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/>'
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == sheet_part:
                data = sheet
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", relation.encode() + b"</Relationships>")
            out.writestr(info.filename, data)
        out.writestr("xl/sharedStrings.xml", table)


def hostile_workbooks(folder: Path) -> dict[str, Path]:
    from tests.spreadsheets import HOSTILE_WORKBOOKS

    paths = {}
    for number, (name, build) in enumerate(HOSTILE_WORKBOOKS.items()):
        paths[name] = folder / f"hostile-{number}.xlsx"
        paths[name].write_bytes(build())
    return paths


def size_text(size: int) -> str:
    return f"{size / 1000:,.1f} KB" if size < 1_000_000 else f"{size / 1_000_000:,.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose reader is measured")
    parser.add_argument("--repeat", type=int, default=7, help="reads of each ordinary file (medians)")
    parser.add_argument("--only", choices=["hostile", "ordinary"])
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyplan.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from tests.limited_read import read_in_limited_child

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        files = {}
        if options.only != "ordinary":
            files.update(hostile_workbooks(folder))
        if options.only != "hostile":
            files.update(ordinary_workbooks(folder))
        print(f"Reader of {options.root}; each read in a child limited to 500 MB of address space.\n")
        print("| file | size | outcome | read, wall (s) | read, CPU (s) | peak RSS (MB) | message |")
        print("|---|---|---|---|---|---|---|")
        for name, path in files.items():
            repeat = options.repeat if name.startswith(f"{ORDINARY_ROWS:,}") else 1
            runs = [read_in_limited_child(path, root=options.root) for _ in range(repeat)]
            verdict = runs[0]
            crashed = verdict["outcome"] == "crashed"
            wall = "–" if crashed else f"{statistics.median(run['seconds'] for run in runs):.2f}"
            cpu = "–" if crashed else f"{statistics.median(run['cpu_seconds'] for run in runs):.2f}"
            peak = max((run["peak_mb"] for run in runs if run["peak_mb"] is not None), default=None)
            memory = f"{peak:.0f}" if peak is not None else "–"
            message = verdict["message"] if len(verdict["message"]) < 90 else verdict["message"][:87] + "…"
            print(
                f"| {name} | {size_text(path.stat().st_size)} | {verdict['outcome']} | {wall} | {cpu} "
                f"| {memory} | {message} |"
            )


if __name__ == "__main__":
    main()
