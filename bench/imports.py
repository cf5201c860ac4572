"""Import/export benchmark: our import engine against django-import-export's default mode and COPY.

    .venv/bin/python bench/imports.py [--households 10000] [--database postgres://…] [--sqlite]

Creates a scratch database (PostgreSQL `povertyplan_bench` by default, or a temporary SQLite file),
migrates it, loads the demo commune's units, villages and users, writes three XLSX files
(households, members, review results) from the demo's synthetic generator, then times ours
(engine.check, engine.apply), the baseline (HouseholdResource.import_data, the library's row-by-row
mode, into a second commune of the same name), the floor (COPY of the same rows into TEMP tables;
executemany on SQLite), and the streamed members export of 100,000 rows in a child process (wall
time, peak RSS). The database is dropped at the end. Figures and commands: docs/benchmarks.md.

Django is set up only once the scratch database exists, so project modules are imported inside the
functions; tests/test_bench_smoke.py imports this file into an already set-up Django.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("households", "members", "assessments")
EXPORT_ROWS = 100_000
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/povertyplan_bench"
TARGET_SPEEDUP, TARGET_FLOOR_RATIO, TARGET_EXPORT_MB = 5.0, 5.0, 200


# --- setup and data ------------------------------------------------------------------------------


def prepare():
    """The demo commune's units, villages and users; returns (commune, its commune officer)."""
    from demo import data
    from demo.loader import load_departments, load_units, load_users, load_villages

    commune, _count = load_units()
    load_villages(commune)
    departments, _count = load_departments(commune)
    users, _count = load_users(commune, departments)
    return commune, users[data.COMMUNE_OFFICER["username"]]


def synthetic(count: int, seed: int = 2023) -> list:
    """`count` synthetic households (demo.synthetic), village after village, round after round."""
    from demo import data
    from demo.synthetic import synthetic_household, village_levels

    rng, national_ids, households = random.Random(seed), set(), []
    while True:
        for spec in data.VILLAGES:
            for level, ethnicity in village_levels(rng, spec):
                if len(households) == count:
                    return households
                number = len(households) + 1
                households.append(
                    synthetic_household(rng, spec["name"], number, level, ethnicity, national_ids)
                )


def _rows(commune, households: list) -> dict:
    """Each file's rows as {column key: cell value}, written as an officer (or the export) would."""
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    from demo import data
    from demo.synthetic import DEPRIVATION_WEIGHTS  # keyed by the standard's 12 indicator codes
    from households.classification import Area, Level
    from households.models import Assessment, Ethnicity, Member, PovertyCause, SupportNeed

    yes, no = _("Yes"), _("No")
    minority = dict(Ethnicity.objects.values_list("name", "is_minority"))
    names = {
        "causes": dict(PovertyCause.objects.values_list("code", "name")),
        "needs": dict(SupportNeed.objects.values_list("code", "name")),
    }
    word = {spec["name"]: data.VILLAGE_KIND_WORD[spec["kind"]].capitalize() for spec in data.VILLAGES}
    choices = ("sex", "relation", "health_insurance", "schooling", "work")
    labels = {name: {v: str(label) for v, label in Member._meta.get_field(name).choices} for name in choices}
    deprived, met = (pgettext("indicator value in a spreadsheet", text) for text in ("deprived", "met"))

    def common(item) -> dict:
        joined = {name: "; ".join(names[name][code] for code in getattr(item, name)) for name in names}
        return {"commune": commune.name, "household_code": item.code} | {
            k: v or None for k, v in joined.items()
        }

    def household(item) -> dict:
        flags = ("is_indigenous", "is_merit_family", "has_no_labour_capacity", "is_female_head")
        return (
            common(item)
            | {
                "village": item.village,
                "head_name": item.head_name,
                "address": f"{word[item.village]} {item.village}, xã {commune.name}",
                "head_ethnicity": item.ethnicity,
                "is_ethnic_minority": yes if minority[item.ethnicity] else no,
                "area": str(Area.RURAL.label),
                "phone": item.phone or None,
            }
            | {flag: yes if getattr(item, flag) else no for flag in flags}
        )

    def members(item):
        for number, person in enumerate(item.members, start=1):
            yield {
                "commune": commune.name,
                "household_code": item.code,
                "number": number,
                "full_name": person["full_name"],
                "birth_date": person["birth_date"],
                "birth_year": person["birth_year"],
                "ethnicity": item.ethnicity,
                "national_id": person["national_id"] or None,
            } | {name: labels[name].get(person[name]) or None for name in choices}

    def assessment(item) -> dict:
        level = str(Level(item.level).label)
        return common(item) | {
            "review_year": data.REVIEW_YEAR,
            "kind": str(Assessment.Kind.PERIODIC.label),
            "reviewed_on": item.reviewed_on,
            "income_per_capita_month": item.income,
            "b1_score": item.b1_score,
            "computed_classification": level,
            "classification": level,
            "indicators": {code: deprived if code in item.deprived else met for code in DEPRIVATION_WEIGHTS},
        }

    return {
        "households": (household(item) for item in households),
        "members": (row for item in households for row in members(item)),
        "assessments": (assessment(item) for item in households),
    }


def workbooks(commune, user, households: list) -> dict[str, bytes]:
    """The three XLSX files (openpyxl write-only), with the importers' own headers."""
    from openpyxl import Workbook

    from households.imports import engine

    files = {}
    for kind, rows in _rows(commune, households).items():
        importer = engine.importer_for(kind, commune=commune, user=user)
        columns = [column for column in importer.columns() if column.read]
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(importer.title[:31])
        sheet.append([column.header for column in columns])
        for row in rows:
            cells = row | {f"indicator_{code}": value for code, value in row.pop("indicators", {}).items()}
            sheet.append([cells.get(column.key) for column in columns])
        out = io.BytesIO()
        workbook.save(out)
        files[kind] = out.getvalue()
    return files


# --- ours ------------------------------------------------------------------------------------------


def run_ours(commune, user, files: dict[str, bytes], profile: str = "") -> dict:
    """engine.check then engine.apply of each file, timed (seconds): {kind: {rows, check, apply, new}}."""
    from households.imports import engine

    figures = {}
    for kind, file_bytes in files.items():
        arguments = dict(
            kind=kind, commune=commune, user=user, file_bytes=file_bytes, filename=f"{kind}.xlsx"
        )
        started = time.perf_counter()
        checked = engine.check(**arguments)
        checked_in = time.perf_counter() - started
        if checked.invalid:
            raise SystemExit(f"{kind}: {checked.invalid} invalid rows, e.g. {checked.problems[:3]}")
        profiler = cProfile.Profile() if profile == kind else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        applied = engine.apply(**arguments)
        applied_in = time.perf_counter() - started
        if profiler:
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        figures[kind] = {"rows": applied.total, "check": checked_in, "apply": applied_in, "new": applied.new}
    return figures


# --- baseline: django-import-export, row by row ------------------------------------------------------


def _dataset(file_bytes: bytes):
    """The file as the library's XLSX format reads it, with short rows padded: a write-only workbook
    (ours, and our exports) records no sheet size, so openpyxl drops trailing empty cells and
    `XLSX().create_dataset` raises InvalidDimensions."""
    import openpyxl
    import tablib

    rows = openpyxl.load_workbook(io.BytesIO(file_bytes), read_only=True, data_only=True).active.values
    dataset = tablib.Dataset(headers=list(next(rows)))
    width = dataset.width
    for row in rows:
        dataset.append(list(row) + [None] * (width - len(row)))
    return dataset


def run_baseline(commune, user, households_file: bytes) -> dict:
    """HouseholdResource.import_data (default mode) into a new commune with the same name and villages."""
    from households.models import Commune, Village
    from households.resources import HouseholdResource

    twin = Commune.objects.create(
        name=commune.name, code="", kind=commune.kind, province=commune.province, district=commune.district
    )
    Village.objects.bulk_create(
        Village(commune=twin, name=v.name, kind=v.kind, search_key=v.search_key)
        for v in Village.objects.filter(commune=commune)
    )
    started = time.perf_counter()
    dataset = _dataset(households_file)
    read_in = time.perf_counter() - started
    started = time.perf_counter()
    result = HouseholdResource(commune=twin, user=user).import_data(dataset, dry_run=False)
    imported_in = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit(
            f"baseline: errors in {len(result.invalid_rows)} rows, e.g. {result.invalid_rows[:2]}"
        )
    return {"rows": dataset.height, "read": read_in, "import": imported_in, "new": result.totals["new"]}


# --- floor: COPY (PostgreSQL) or executemany (SQLite) into TEMP tables -------------------------------


def _database_rows(commune, user, households: list) -> dict:
    """The rows ours writes, as {model: [instances]} with ids set, for the TEMP tables."""
    from django.utils import timezone

    from demo import data
    from households.models import (
        Assessment,
        Ethnicity,
        Household,
        Indicator,
        Member,
        PovertyCause,
        PovertyStandard,
        SupportNeed,
        Village,
    )

    now, by = timezone.now(), {"created_by": user, "updated_by": user}
    villages = {v.name: v.pk for v in Village.objects.filter(commune=commune)}
    ethnicities = {e.name: e for e in Ethnicity.objects.all()}
    causes = dict(PovertyCause.objects.values_list("code", "pk"))
    needs = dict(SupportNeed.objects.values_list("code", "pk"))
    standard = PovertyStandard.objects.get(code=data.STANDARD_CODE)
    indicators = dict(Indicator.objects.filter(standard=standard).values_list("code", "pk"))
    links = {"causes": Household.causes.through, "needs": Household.needs.through}
    deprivations = Assessment.deprivations.through
    tables = {model: [] for model in (Household, *links.values(), Member, Assessment, deprivations)}
    for pk, item in enumerate(households, start=1):
        ethnicity = ethnicities[item.ethnicity]
        tables[Household].append(
            Household(
                pk=pk,
                commune=commune,
                village_id=villages[item.village],
                code=item.code,
                head_name=item.head_name,
                address=f"{item.village}, xã {commune.name}",
                head_ethnicity=ethnicity,
                is_ethnic_minority=ethnicity.is_minority,
                is_indigenous=item.is_indigenous,
                is_merit_family=item.is_merit_family,
                has_no_labour_capacity=item.has_no_labour_capacity,
                is_female_head=item.is_female_head,
                phone=item.phone,
                search_key=item.code,
                created_at=now,
                updated_at=now,
                **by,
            )
        )
        for code in item.causes:
            tables[links["causes"]].append(links["causes"](household_id=pk, povertycause_id=causes[code]))
        for code in item.needs:
            tables[links["needs"]].append(links["needs"](household_id=pk, supportneed_id=needs[code]))
        for number, fields in enumerate(item.members, start=1):
            member = Member(household_id=pk, number=number, ethnicity=ethnicity, search_key="", **fields)
            member.created_at = member.updated_at = now
            tables[Member].append(member)
        tables[Assessment].append(
            Assessment(
                pk=pk,
                household_id=pk,
                review_year=data.REVIEW_YEAR,
                reviewed_on=item.reviewed_on,
                standard=standard,
                income_per_capita_month=item.income,
                b1_score=item.b1_score,
                computed_classification=item.level,
                classification=item.level,
                created_at=now,
                updated_at=now,
                **by,
            )
        )
        for code in item.deprived:
            tables[deprivations].append(deprivations(assessment_id=pk, indicator_id=indicators[code]))
    for instances in tables.values():
        for pk, instance in enumerate(instances, start=1):
            instance.pk = instance.pk or pk
    return tables


FLOOR_KIND = {"household": "households", "member": "members", "assessment": "assessments"}


def run_floor(commune, user, files: dict[str, bytes], households: list) -> dict:
    """Read each file (our reader), then COPY the rows ours writes into TEMP tables: {kind: times}."""
    from django.db import connection

    from households.imports import engine
    from households.imports.reading import read_table

    figures = {kind: {"read": 0.0, "write": 0.0} for kind in KINDS}
    for kind, file_bytes in files.items():
        columns = engine.importer_for(kind, commune=commune, user=user).columns()
        started = time.perf_counter()
        read_table(
            file_bytes,
            f"{kind}.xlsx",
            required_columns=[],
            known_columns=[c.header for c in columns],
            max_rows=10**7,
            max_bytes=10**10,
        )
        figures[kind]["read"] = time.perf_counter() - started
    postgres = connection.vendor == "postgresql"
    for model, instances in _database_rows(commune, user, households).items():
        table, fields = model._meta.db_table, model._meta.concrete_fields
        names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        rows = [
            tuple(field.get_db_prep_save(getattr(i, field.attname), connection) for field in fields)
            for i in instances
        ]
        owner = (
            model._meta.auto_created._meta.model_name if model._meta.auto_created else model._meta.model_name
        )
        with connection.cursor() as cursor:
            if postgres:
                cursor.execute(f"CREATE TEMP TABLE floor_{table} (LIKE {table})")
            else:
                cursor.execute(f"CREATE TEMP TABLE floor_{table} AS SELECT * FROM {table} WHERE 0")
            started = time.perf_counter()
            if postgres:
                with cursor.cursor.copy(f"COPY floor_{table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO floor_{table} ({names}) VALUES ({marks})", rows)
            figures[FLOOR_KIND[owner]]["write"] += time.perf_counter() - started
            cursor.execute(f"DROP TABLE floor_{table}")
    return figures


# --- export: 100,000 members, streamed, in a child process ------------------------------------------


def add_members(commune, user, total: int) -> int:
    """Synthetic members added (bulk_create) until the commune has `total`; returns the count."""
    from demo.synthetic import person_name
    from households.models import Household, Member

    missing = total - Member.objects.filter(household__commune=commune).count()
    households = list(Household.objects.filter(commune=commune).order_by("pk").values_list("pk", flat=True))
    rng, members = random.Random(7), []
    for index in range(max(0, missing)):
        sex = rng.choice(list(Member.Sex))
        name, _family = person_name(rng, "Kinh", sex)
        members.append(
            Member(
                household_id=households[index % len(households)],
                number=50 + index // len(households),  # above the file's numbers (1…~9)
                full_name=name,
                birth_year=rng.randint(1940, 2020),
                sex=sex,
                relation=Member.Relation.OTHER,
                search_key=name.lower(),
                created_by=user,
                updated_by=user,
            )
        )
    Member.objects.bulk_create(members, batch_size=2000)
    return max(0, missing)


def peak_rss_mb() -> float:
    """This process's peak resident memory. Not getrusage's ru_maxrss: Linux carries it over from
    the parent at fork, so a child of a big parent would report the parent's size."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def export_child(fmt: str, username: str, traced: bool) -> None:
    """In the child: export the members list as the commune officer; print one JSON line."""
    import tracemalloc

    from django.contrib.auth import get_user_model

    from households.exports import csv_chunks, export_for_user, write_xlsx

    user = get_user_model().objects.get(username=username)
    rss_before = peak_rss_mb()
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"members.{fmt}"
        export = export_for_user(user=user, list_name="members", fmt=fmt)
        if fmt == "xlsx":
            with path.open("wb") as out:
                rows = write_xlsx(export, out)
        else:
            rows = 0
            with path.open("w", encoding="utf-8") as out:
                for chunk in csv_chunks(export):
                    out.write(chunk)
                    rows += chunk.count("\n")
            rows -= 1  # the header line
        size = path.stat().st_size
    seconds = time.perf_counter() - started
    peak_python = tracemalloc.get_traced_memory()[1] if traced else None
    result = {
        "fmt": fmt,
        "rows": rows,
        "seconds": seconds,
        "bytes": size,
        "traced": traced,
        "rss_before_mb": rss_before,
        "rss_peak_mb": peak_rss_mb(),
        "python_peak_mb": peak_python / 2**20 if peak_python is not None else None,
    }
    print(json.dumps(result))


def run_export(username: str, traced: bool) -> dict:
    """Both formats in fresh child processes (DATABASE_URL inherited); {fmt: child's figures}."""
    figures = {}
    for fmt in ("xlsx", "csv"):
        for trace in (False, True) if traced else (False,):
            command = [sys.executable, __file__, "--export-child", fmt, "--user", username]
            output = subprocess.run(
                command + (["--traced"] if trace else []), check=True, capture_output=True, text=True
            ).stdout
            child = json.loads(output.strip().splitlines()[-1])
            figures.setdefault(fmt, {}).update(
                child if not trace else {"python_peak_mb": child["python_peak_mb"]}
            )
    return figures


# --- report ---------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(ours: dict, baseline: dict | None, floor: dict, export: dict, vendor: str) -> None:
    """The table, then the ratios against the targets."""
    rate = lambda rows, seconds: f"{rows / seconds:>9,.0f}" if seconds else "        –"  # noqa: E731
    floor_name = "COPY" if vendor == "postgresql" else "executemany"
    print(f"\n{'step':<34}{'rows':>8}{'seconds':>10}{'rows/s':>10}")
    for kind, figures in ours.items():
        rows = figures["rows"]
        for label, seconds in (
            (f"ours {kind} check (dry run)", figures["check"]),
            (f"ours {kind} apply", figures["apply"]),
            ("  of which write (apply - check)", figures["apply"] - figures["check"]),
            (f"read {kind} XLSX (our reader)", floor[kind]["read"]),
            (f"{floor_name} {kind} alone", floor[kind]["write"]),
            (f"read + {floor_name} {kind}", floor[kind]["read"] + floor[kind]["write"]),
        ):
            print(f"{label:<34}{rows:>8}{seconds:>10.2f}{rate(rows, seconds)}")
    if baseline:
        print(f"{'default: read file (tablib)':<34}{baseline['rows']:>8}{baseline['read']:>10.2f}")
        print(
            f"{'default: households import_data':<34}{baseline['rows']:>8}{baseline['import']:>10.2f}"
            f"{rate(baseline['rows'], baseline['import'])}"
        )
        print("default mode: households only (MemberResource/AssessmentResource are export-only)")
    for fmt, child in export.items():
        traced = f", Python heap peak {child['python_peak_mb']:.0f} MB" if child.get("python_peak_mb") else ""
        print(
            f"export members {fmt}: {child['rows']:,} rows in {child['seconds']:.1f} s, "
            f"{child['bytes'] / 2**20:.1f} MB file, peak RSS {child['rss_peak_mb']:.0f} MB "
            f"(after start-up {child['rss_before_mb']:.0f} MB){traced}"
        )

    print("\ntargets")
    households = ours["households"]
    if baseline:
        speedup = baseline["import"] / households["apply"]
        print(
            f"ours households apply vs default import_data: {speedup:.1f}x faster (target >= "
            f"{TARGET_SPEEDUP:.0f}x) {verdict(speedup >= TARGET_SPEEDUP)}"
        )
        both = baseline["import"] * 2 / (households["check"] + households["apply"])
        print(f"  dry run + apply, both (default dry run = its real run, not measured): {both:.1f}x")
    apply_total = sum(figures["apply"] for figures in ours.values())
    write_total = sum(figures["write"] for figures in floor.values())
    read_total = sum(figures["read"] for figures in floor.values())
    for label, seconds in (
        (f"read + {floor_name}", read_total + write_total),
        (f"{floor_name} alone", write_total),
    ):
        ratio = apply_total / seconds
        print(
            f"ours apply, 3 files ({apply_total:.1f} s) vs {label} ({seconds:.1f} s): {ratio:.1f}x "
            f"(target <= {TARGET_FLOOR_RATIO:.0f}x) {verdict(ratio <= TARGET_FLOOR_RATIO)}"
        )
    for fmt, child in export.items():
        peak = child["rss_peak_mb"]
        print(
            f"export {fmt} peak RSS {peak:.0f} MB (target < {TARGET_EXPORT_MB} MB) "
            f"{verdict(peak < TARGET_EXPORT_MB)}"
        )


# --- main -------------------------------------------------------------------------------------------


def scratch_database(options) -> tuple[str, callable]:
    """A new empty database: its URL and the function that drops it."""
    if options.sqlite:
        folder = tempfile.mkdtemp(prefix="povertyplan-bench-")
        return f"sqlite:///{folder}/bench.sqlite3", lambda: shutil.rmtree(folder)
    import psycopg

    url = options.database
    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"

    def run(statement: str) -> None:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(statement)

    run(f'DROP DATABASE IF EXISTS "{name}"')
    run(f'CREATE DATABASE "{name}"')
    return url, lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyplan.settings")
    # Production-like: DEBUG off (with DEBUG on, Django keeps every query in memory).
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-scratch-database-key")
    import django
    from django.utils import translation

    django.setup()
    translation.activate("vi")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="PostgreSQL URL of the scratch database")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead")
    parser.add_argument("--profile", choices=KINDS, help="cProfile that kind's apply (to stderr)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--save-files", metavar="FOLDER", help="keep the generated XLSX files there")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--traced", action="store_true", help="export: also the tracemalloc peak")
    parser.add_argument("--export-child", choices=("xlsx", "csv"), help=argparse.SUPPRESS)
    parser.add_argument("--user", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.export_child:
        setup_django(os.environ["DATABASE_URL"])
        return export_child(options.export_child, options.user, options.traced)

    url, drop = scratch_database(options)
    try:
        setup_django(url)
        from django.core.management import call_command
        from django.db import connection, connections

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        commune, user = prepare()
        households = synthetic(options.households)
        files = workbooks(commune, user, households)
        if options.save_files:
            for kind, content in files.items():
                (Path(options.save_files) / f"{kind}.xlsx").write_bytes(content)
        sizes = ", ".join(f"{kind} {len(data) / 2**20:.1f} MB" for kind, data in files.items())
        print(
            f"{connection.vendor}, {options.households:,} households; files: {sizes}; "
            f"set-up {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        ours = run_ours(commune, user, files, options.profile or "")
        print("ours done", flush=True)
        floor = run_floor(commune, user, files, households)
        baseline = None if options.no_baseline else run_baseline(commune, user, files["households"])
        add_members(commune, user, EXPORT_ROWS)
        connections.close_all()
        export = run_export(user.username, options.traced)
        report(ours, baseline, floor, export, connection.vendor)
        if options.json:
            figures = {
                "vendor": connection.vendor,
                "households": options.households,
                "ours": ours,
                "baseline": baseline,
                "floor": floor,
                "export": export,
            }
            Path(options.json).write_text(json.dumps(figures, indent=1))
    finally:
        from django.db import connections

        connections.close_all()
        drop()


if __name__ == "__main__":
    main()
