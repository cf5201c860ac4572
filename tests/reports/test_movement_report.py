"""The movement report (reports.selectors.movement): its tables balance, agree with the statistics
and the lists, print the same in the PDF and the XLSX, and take a constant number of queries.

The demo is loaded once for the module inside a transaction rolled back at the end.
"""

import datetime
import os
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from demo import data
from households.classification import Level
from households.models import Commune
from reports.builders.pdf import build_pdf, format_cell
from reports.builders.xlsx import build_xlsx
from reports.data import Table
from reports.selectors import build_report, movement, village_statistics
from tests import factories
from tests.reports.test_pdf import appears, assert_only_liberation_serif, flat, pdftotext
from tests.reports.test_xlsx import assert_table_matches, open_book

P, N, A = Level.POOR, Level.NEAR_POOR, Level.AVERAGE_LIVING


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--quiet")
        yield Commune.objects.get(code=data.COMMUNE["code"], valid_until__isnull=True)
        transaction.set_rollback(True)


@pytest.fixture
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def demo_report(demo, db, vietnamese):
    return build_report("movement", commune=demo, plan_year=2023)


def assert_balances(table: Table):
    for row in [*table.rows, table.totals]:
        v = row.values
        decreases = v["exited"] + v["to_other"] + v["left"]
        increases = v["new"] + v["fell_back"] + v["from_other"] + v["arrived"]
        assert (v["decreased"], v["increased"]) == (decreases, increases), v
        assert v["start"] - v["decreased"] + v["increased"] == v["end"], v
    for key in [column.key for column in table.columns if column.kind == "int" and column.key != "no"]:
        assert table.totals.values[key] == sum(row.values[key] for row in table.rows), key


# --- on the demo: 2022 review → 2023 review --------------------------------------------------------


def test_the_demo_movement_balances_and_agrees_with_the_statistics(demo_report, demo):
    poor, near_poor, _cohorts, _households = demo_report.tables
    assert_balances(poor)
    assert_balances(near_poor)
    before = village_statistics(commune=demo, year=2022)
    after = village_statistics(commune=demo, year=2023)
    assert (poor.totals.values["start"], poor.totals.values["end"]) == (before.total.poor, after.total.poor)
    assert (poor.totals.values["start"], poor.totals.values["end"]) == (242, 242 - 38)
    assert (near_poor.totals.values["start"], near_poor.totals.values["end"]) == (
        before.total.near_poor,
        after.total.near_poor,
    )
    by_name = {row.name: row for row in after.rows}
    for row in poor.rows:
        assert row.values["end"] == by_name[row.values["village"]].poor, row.values["village"]
    # The 38 households that exited, whichever way: the decreases of the poor.
    assert poor.totals.values["exited"] + poor.totals.values["to_other"] == 38
    assert dict(demo_report.summary)["Hộ thoát nghèo"] == "38"


def test_the_demo_village_figures_equal_the_lists_of_households(demo_report):
    poor, near_poor, _cohorts, households = demo_report.tables
    groups = Counter((row.values["village"], row.values["group"]) for row in households.rows)
    starts = Counter((row.values["village"], row.values["before"]) for row in households.rows)
    ends = Counter((row.values["village"], row.values["after"]) for row in households.rows)
    labels = {key: str(label) for key, label in movement.Movement.choices}
    for row in poor.rows:
        village = row.values["village"]
        assert row.values["start"] == starts[(village, "Hộ nghèo")]
        assert row.values["end"] == ends[(village, "Hộ nghèo")]
        assert row.values["exited"] == groups[(village, labels["exited_poverty"])]
        assert row.values["to_other"] == groups[(village, labels["poor_to_near_poor"])]
        assert row.values["new"] == groups[(village, labels["newly_poor"])]
        assert row.values["fell_back"] == groups[(village, labels["fell_back_poor"])]
        assert row.values["from_other"] == groups[(village, labels["near_poor_to_poor"])]
    for row in near_poor.rows:
        village = row.values["village"]
        assert row.values["start"] == starts[(village, "Hộ cận nghèo")]
        assert row.values["end"] == ends[(village, "Hộ cận nghèo")]
        assert row.values["exited"] == groups[(village, labels["exited_near_poverty"])]
        assert row.values["from_other"] == groups[(village, labels["poor_to_near_poor"])]
    assert len(households.rows) == len({row.values["code"] for row in households.rows})


def test_the_demo_pdf_and_workbook_hold_the_same_rows(demo_report):
    pdf = build_pdf(demo_report)
    assert_only_liberation_serif(pdf)
    text = flat(pdftotext(pdf))
    assert "BIẾN ĐỘNG HỘ NGHÈO, HỘ CẬN NGHÈO" in text
    for table in demo_report.tables:
        assert appears(str(table.title), text), table.title
        for column in table.columns:
            assert appears(str(column.header), text), column.header
        for row in [*table.rows, *([table.totals] if table.totals else [])]:
            for column in table.columns:
                written = format_cell(row.values.get(column.key), column.kind)
                if written:
                    assert appears(written, text), (table.title, column.key, written)
    book = open_book(build_xlsx(demo_report))
    assert len(book.worksheets) == len(demo_report.tables)
    for sheet, table in zip(book.worksheets, demo_report.tables, strict=True):
        assert_table_matches(sheet, table)
    if os.environ.get("MOVEMENT_PDF"):  # to look at the pages: MOVEMENT_PDF=/tmp/movement pytest …
        with open(os.environ["MOVEMENT_PDF"] + ".pdf", "wb") as file:
            file.write(pdf)
        with open(os.environ["MOVEMENT_PDF"] + ".xlsx", "wb") as file:
            file.write(build_xlsx(demo_report))


def test_the_demo_report_is_in_vietnamese(demo_report):
    poor = demo_report.tables[0]
    headers = [str(column.header) for column in poor.columns]
    assert headers[2] == "Hộ nghèo đầu kỳ (rà soát năm 2022)"
    assert headers[-1] == "Hộ nghèo cuối kỳ (rà soát năm 2023)"
    assert "Tăng: tái nghèo" in headers
    assert str(demo_report.title).startswith("Biến động hộ nghèo, hộ cận nghèo")


# --- on factory data ---------------------------------------------------------------------------------


def household_with(village, history, **extra):
    household = factories.HouseholdFactory(village=village, **extra)
    for year, level in history.items():
        factories.AssessmentFactory(
            household=household, review_year=year, computed_classification=level, classification=level
        )
    return household


def test_the_period_runs_from_the_review_asked_for_to_the_plan_year():
    assert movement.period(plan_year=2023, review_year=None) == (2022, 2023)
    assert movement.period(plan_year=2023, review_year=2021) == (2021, 2023)
    assert movement.period(plan_year=2023, review_year=2023) == (2023, 2024)


def test_the_cohort_table_follows_the_exited_households_over_three_years(db, vietnamese):
    commune = factories.CommuneFactory()
    village = factories.VillageFactory(commune=commune)
    household_with(village, {2022: P, 2023: A, 2024: P, 2025: P})  # exits, falls back
    household_with(village, {2022: P, 2023: N, 2024: N, 2025: A})  # exits to near-poor, then off
    household_with(village, {2022: P, 2023: P, 2024: N})  # the 2024 cohort
    report = build_report("movement", commune=commune, plan_year=2024, review_year=2023)
    cohorts = report.tables[2]
    lines = [
        tuple(row.values[key] for key in ("exit_year", "review_year", "years_after", "households"))
        + tuple(row.values[key] for key in ("near_poor", "poor", "neither", "gone"))
        for row in cohorts.rows
    ]
    assert lines == [
        ("2023", "2023", 0, 2, 1, 0, 1, 0),
        ("2023", "2024", 1, 2, 1, 1, 0, 0),
        ("2023", "2025", 2, 2, 0, 1, 1, 0),
        ("2024", "2024", 0, 1, 1, 0, 0, 0),
        ("2024", "2025", 1, 1, 1, 0, 0, 0),
    ]
    for row in cohorts.rows:
        v = row.values
        assert v["near_poor"] + v["poor"] + v["neither"] + v["gone"] == v["households"]
    # The same lines the statistics page shows; without a last year, every exit year (none in 2025).
    page = movement.exit_cohort_lines(commune=commune, until_year=2024)
    assert [line.households for line in page] == [row.values["households"] for row in cohorts.rows]
    (last,) = movement.exit_cohort_lines(commune=commune)[len(page) :]
    assert (last.exit_year, last.households, last.first) == (2025, 0, True)


def report_queries(commune) -> int:
    with CaptureQueriesContext(connection) as captured:
        build_report("movement", commune=commune, plan_year=2023)
    return len(captured.captured_queries)


@pytest.mark.parametrize("count", [10, 200])
def test_the_report_takes_the_same_queries_for_10_and_200_households(db, count):
    commune = factories.CommuneFactory()
    villages = factories.VillageFactory.create_batch(4, commune=commune)
    levels = [P, N, A]
    for n in range(count):
        household_with(villages[n % 4], {2022: levels[n % 3], 2023: levels[(n // 3) % 3]})
    factories.ReviewRoundFactory(commune=commune, year=2023)
    # rounds, review years, two statuses, the listed households with their history, the villages
    assert report_queries(commune) == 6
    report = build_report("movement", commune=commune, plan_year=2023)
    assert report.tables[0].totals.values["start"] == len([n for n in range(count) if n % 3 == 0])
    assert len(report.tables[3].rows) == len([n for n in range(count) if n % 3 != 2 or (n // 3) % 3 != 2])


def test_a_closed_round_is_read_from_its_frozen_results(db):
    from households import services

    commune = factories.CommuneFactory()
    village = factories.VillageFactory(commune=commune)
    exited = household_with(village, {2022: P, 2023: A})
    review_round = factories.ReviewRoundFactory(commune=commune, year=2023)
    services.review_round_close(
        review_round=review_round, decision_number="45/QĐ-UBND", decision_date=datetime.date(2023, 12, 20)
    )
    before = build_report("movement", commune=commune, plan_year=2023)
    later = exited.assessments.get(review_year=2023)
    later.classification = later.computed_classification = P  # an edit after closing
    later.save()
    after = build_report("movement", commune=commune, plan_year=2023)
    assert before.tables[0].totals.values == after.tables[0].totals.values
    assert after.tables[0].totals.values["exited"] == 1


def test_the_statistics_page_partial_shows_the_cohort_lines(db, vietnamese):
    from django.template.loader import render_to_string

    commune = factories.CommuneFactory()
    village = factories.VillageFactory(commune=commune)
    for n in range(3):
        household_with(village, {2022: P, 2023: A if n else N, 2024: P if n == 2 else A})
    lines = movement.exit_cohort_lines(commune=commune)
    html = render_to_string("reports/_exit_cohorts.html", {"exit_cohort_lines": lines})
    assert "Tình trạng hộ đã thoát nghèo qua các kỳ rà soát sau" in html
    assert "Nghèo trở lại (tái nghèo)" in html and "năm thoát nghèo" in html
    cells = re.findall(r'<td class="num">(.*?)</td>', html, flags=re.S)
    assert len(cells) == 6 * len(lines)  # review, exited, near-poor, poor, neither, gone per line
    assert [(line.exit_year, line.review_year, line.households, line.poor) for line in lines] == [
        (2023, 2023, 3, 0),
        (2023, 2024, 3, 1),
        (2024, 2024, 0, 0),  # nobody poor at the 2023 review exited in 2024
    ]
    assert [flat(cell) for cell in cells[6:12]] == ["2024", "3", "0", "1", "2", "0"]
    empty = render_to_string("reports/_exit_cohorts.html", {"exit_cohort_lines": []})
    assert "Chưa có hộ nào thoát nghèo" in empty


def test_the_report_centre_lists_it_with_its_key_figures(client, demo, db, vietnamese):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    client.force_login(get_user_model().objects.get(username="ldtbxh"))
    response = client.get(reverse("reports:centre"), {"year": 2023})
    (row,) = [row for row in response.context["rows"] if row["kind"].slug == "movement"]
    assert row["preview"] == [
        ("Hộ nghèo đầu kỳ (rà soát năm 2022)", "242"),
        ("Hộ nghèo cuối kỳ (rà soát năm 2023)", "204"),
        ("Hộ thoát nghèo", "38"),
        ("Hộ nghèo phát sinh mới và tái nghèo", "0"),
    ]
    html = response.content.decode()
    assert 'id="report-movement"' in html and "Biến động hộ nghèo, hộ cận nghèo" in html
    assert reverse("reports:download", kwargs={"year": 2023, "slug": "movement", "fmt": "xlsx"}) in html
