"""The year-end report's table of support aimed at deprivations, and whether it worked: its rows, the
same rows in the PDF and the XLSX, and a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from households.models import Indicator
from reports.builders.pdf import build_pdf
from reports.builders.xlsx import build_xlsx, sheet_names
from reports.selectors import build_report
from tests import factories
from tests.reports.test_pdf import run
from tests.reports.test_xlsx import assert_table_matches, open_book

pytestmark = pytest.mark.django_db

TITLE = "Hỗ trợ hướng vào các chỉ số thiếu hụt và kết quả"


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def by_code(*codes) -> list[Indicator]:
    return list(Indicator.objects.filter(standard__code="2022-2025", code__in=codes))


def reviewed(household, year, *codes):
    assessment = factories.AssessmentFactory(household=household, review_year=year)
    assessment.deprivations.set(by_code(*codes))
    return assessment


def support(household, official, *codes, value=0, on=datetime.date(2023, 5, 2), **fields):
    action = factories.SupportActionFactory(
        household=household, official=official, date=on, value_vnd=value, **fields
    )
    action.indicators.set(by_code(*codes))
    return action


@pytest.fixture
def plan(village):
    """A 2023 plan with three registered households (baseline: the 2022 review), listed by name:
    - KLK-0001, deprived on health insurance and water in 2022; a water tank (its entry corrected once)
      and a visit naming nothing in 2023; only health insurance still deprived at the 2023 review;
    - KLK-0002, deprived on employment in 2022, not yet reviewed in 2023;
    - KLK-0003, deprived on nothing and supported on nothing: not listed."""
    plan = factories.PlanFactory(commune=village.commune, year=2023, baseline_review_year=2022)
    official = factories.OfficialFactory(commune=village.commune)
    first, second, third = (
        factories.HouseholdFactory(village=village, code=f"KLK-000{n}", head_name=name)
        for n, name in ((1, "Đinh Văn Hmar"), (2, "Đinh Thị Blơi"), (3, "Đinh Văn Ngưm"))
    )
    for household in (first, second, third):
        factories.ExitRegistrationFactory(household=household, plan=plan)
        factories.AssignmentFactory(household=household, plan=plan, official=official)
    reviewed(first, 2022, "health_insurance", "water_source")
    tank = support(first, official, "water_source", value=4_000_000)
    support(first, official, "water_source", value=4_500_000, corrects=tank)
    support(first, official, value=150_000)
    reviewed(first, 2023, "health_insurance")
    reviewed(second, 2022, "employment")
    reviewed(third, 2022)
    return plan


def progress_table(commune):
    report = build_report("year-end", commune=commune, plan_year=2023)
    (table,) = [table for table in report.tables if table.title == TITLE]
    return report, table


def test_the_rows_follow_each_indicator_from_baseline_to_closing(plan):
    _report, table = progress_table(plan.commune)
    assert [(row.style, row.values) for row in table.rows] == [
        ("group", {"indicator": "1. KLK-0002 – Đinh Thị Blơi – Mơhven-Ôr"}),
        (
            "",
            {
                "indicator": "1. Việc làm",
                "baseline": "thiếu hụt",
                "actions": 0,
                "value": None,
                "closing": "chưa rà soát",
            },
        ),
        ("group", {"indicator": "2. KLK-0001 – Đinh Văn Hmar – Mơhven-Ôr"}),
        (
            "",
            {
                "indicator": "4. Bảo hiểm y tế",
                "baseline": "thiếu hụt",
                "actions": 0,
                "value": None,
                "closing": "còn thiếu hụt",
            },
        ),
        (
            "",
            {
                "indicator": "9. Nguồn nước sinh hoạt",
                "baseline": "thiếu hụt",
                "actions": 1,
                "value": 4_500_000,
                "closing": "đã đạt",
            },
        ),
    ]
    assert [str(column.header) for column in table.columns] == [
        "Hộ / chỉ số thiếu hụt",
        "Rà soát năm 2022 (đầu kỳ)",
        "Số lần hỗ trợ năm 2023",
        "Giá trị các lần hỗ trợ đó",
        "Rà soát năm 2023",
    ]
    assert "Số chỉ số được liệt kê: 3; đã đạt ở kỳ rà soát năm 2023: 1." in table.note


def test_the_pdf_and_the_xlsx_show_the_same_rows(plan):
    report, table = progress_table(plan.commune)
    lines = [" ".join(line.split()) for line in run("pdftotext", build_pdf(report), "-layout").splitlines()]
    text = "\n".join(lines)
    assert TITLE in text
    for line in (
        "1. KLK-0002 – Đinh Thị Blơi – Mơhven-Ôr",
        "1. Việc làm thiếu hụt 0 chưa rà soát",
        "2. KLK-0001 – Đinh Văn Hmar – Mơhven-Ôr",
        "4. Bảo hiểm y tế thiếu hụt 0 còn thiếu hụt",
        "9. Nguồn nước sinh hoạt thiếu hụt 1 4.500.000 đ đã đạt",
    ):
        assert line in lines, line
    assert "KLK-0003" not in text.split(TITLE)[1]

    book = open_book(build_xlsx(report))
    sheet = book[sheet_names([str(t.title) for t in report.tables])[report.tables.index(table)]]
    header = assert_table_matches(sheet, table)
    assert sheet.cell(header + 5, 4).value == 4_500_000 and sheet.cell(header + 5, 5).value == "đã đạt"


def test_the_report_takes_the_same_queries_for_1_and_30_supports(plan):
    official = plan.assignments.first().official
    first = plan.exit_registrations.get(household__code="KLK-0001").household
    with CaptureQueriesContext(connection) as before:
        build_report("year-end", commune=plan.commune, plan_year=2023)
    for n in range(29):
        support(
            first, official, "water_source", "latrine", value=100_000, on=datetime.date(2023, 6, 1 + n % 28)
        )
    with CaptureQueriesContext(connection) as after:
        _report, table = progress_table(plan.commune)
    assert len(after.captured_queries) == len(before.captured_queries)
    water = next(row for row in table.rows if row.values.get("indicator") == "9. Nguồn nước sinh hoạt")
    assert water.values["actions"] == 30
