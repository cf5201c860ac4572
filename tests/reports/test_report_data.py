"""Report data (reports.selectors.build_report): every figure against the database, queried here
independently of the selectors, on the demo commune; query counts on factory data.

The demo is loaded once for the module inside a transaction rolled back at the end.
"""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import Official
from assignments.models import Assignment, SupportAction
from demo import data
from households.classification import Level
from households.models import Assessment, Commune, Indicator, Village
from plans.models import ExitRegistration, Plan, Responsibility
from povertyplan.formatting import format_percent, rate
from povertyplan.text import vietnamese_sort_key
from reports.data import Column, Report, Row, Table
from reports.selectors import (
    REPORT_SLUGS,
    CommuneStatistics,
    ReportUnavailable,
    VillageStatsRow,
    build_report,
)
from reports.selectors.plan import highlighted_villages, plan_document
from reports.selectors.progress import default_as_of
from tests import factories

FIVE_VILLAGES = ["Bờ-Chư pâu", "Mơ Tôn", "Dơng", "Mơhra-Đáp", "Mơhven-Ôr"]
AS_OF = datetime.date(2023, 12, 31)  # the plan year is over: the progress report stops at its end


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--quiet")
        yield Commune.objects.get(code=data.COMMUNE["code"], valid_until__isnull=True)
        transaction.set_rollback(True)


@pytest.fixture
def commune(demo, db):
    return demo


@pytest.fixture
def plan(commune):
    return Plan.objects.get(commune=commune, year=2023)


def report(slug: str, commune, **options) -> Report:
    return build_report(slug, commune=commune, plan_year=2023, **options)


def body(table: Table) -> list[Row]:
    return [row for row in table.rows if row.style == ""]


def column(table: Table, key: str) -> Column:
    return next(c for c in table.columns if c.key == key)


def current_official(plan) -> dict[int, Official]:
    return {
        a.household_id: a.official
        for a in Assignment.objects.filter(plan=plan, ended_on=None).select_related("official__department")
    }


# --- the contract ------------------------------------------------------------------------------


def test_every_slug_builds_a_report_of_the_contract(commune):
    assert REPORT_SLUGS == (
        "plan",
        "exit-households",
        "assignments",
        "progress",
        "village-stats",
        "deprivations",
        "movement",
        "year-end",
    )
    for slug in REPORT_SLUGS:
        built = report(slug, commune)
        assert isinstance(built, Report) and built.slug == slug and built.title
        assert built.commune == commune and built.plan_year == 2023
        assert isinstance(built.generated_at, datetime.datetime)
        for table in built.tables:
            keys = [c.key for c in table.columns]
            assert len(keys) == len(set(keys)) and table.title
            assert all(c.kind in ("text", "int", "decimal", "vnd", "percent", "date") for c in table.columns)
            for row in table.rows + ([table.totals] if table.totals else []):
                assert set(row.values) <= set(keys), (slug, table.title, set(row.values) - set(keys))
                for key, value in row.values.items():
                    kind = column(table, key).kind
                    if value is None:
                        continue
                    expected = {
                        "text": str,
                        "int": int,
                        "decimal": Decimal,
                        "vnd": int,
                        "percent": Decimal,
                        "date": datetime.date,
                    }
                    assert isinstance(value, expected[kind]), (slug, key, value)
        for chart in built.charts:
            assert chart.bars and all(isinstance(bar.value, Decimal) for bar in chart.bars)
    assert report("plan", commune).tables == []


def test_unknown_slug_and_missing_plan(commune):
    with pytest.raises(KeyError):
        report("nothing", commune)
    with pytest.raises(ReportUnavailable):
        build_report("exit-households", commune=commune, plan_year=2030)
    # The statistics reports need no plan: a year without a review has every household with its
    # latest result (here the 2023 year-end review's), and none surveyed that year.
    later = build_report("village-stats", commune=commune, plan_year=2030)
    assert later.review_year == 2029
    totals = later.tables[0].totals.values
    assert (totals["households"], totals["poor"]) == (1160, 242 - 38)
    assert dict(later.summary)["Số hộ được rà soát trong đợt"] == "0"


# --- plan ---------------------------------------------------------------------------------------


def test_plan_reproduces_the_published_figures(commune, plan):
    built = report("plan", commune)
    document = built.document
    assert built.review_year == 2022 and document.review_year == 2022
    total = document.statistics.total
    assert (total.households, total.poor, total.poor_rate) == (1160, 242, Decimal("20.86"))
    assert (total.minority, total.minority_poor, total.minority_poor_rate) == (914, 233, Decimal("25.49"))
    assert [row.name for row in document.highlighted] == FIVE_VILLAGES
    assert [(row.poor, row.poor_rate) for row in document.highlighted] == [
        (42, Decimal("28.77")),
        (33, Decimal("35.87")),
        (12, Decimal("27.27")),
        (58, Decimal("27.75")),
        (39, Decimal("28.68")),
    ]
    assert document.registered == 51 == ExitRegistration.objects.filter(plan=plan).count()
    figures, villages = document.situation_lines
    for text in ("242", "20,86%", "233", "25,49%", "2022", "2022-2025"):
        assert text in figures
    for name, poor, share in [
        ("Bờ-Chư pâu", 42, "28,77%"),
        ("Mơhven-Ôr", 39, "28,68%"),
        ("Mơ Tôn", 33, "35,87%"),
    ]:
        assert f"{name} {poor}" in villages and share in villages
    assert villages.index("Bờ-Chư pâu") < villages.index("Mơ Tôn") < villages.index("Mơhven-Ôr")
    assert "Kon Brăp" not in villages
    assert "51" in document.target_line and "2023" in document.target_line
    summary = dict(built.summary)
    assert list(summary.values()) == ["1.160", "242", "20,86%", "914", "233", "25,49%", "51"]


def test_the_highlighted_villages_are_the_ones_above_the_commune_rate_with_ten_poor(commune):
    """Independently of the selector: villages whose poor rate is ≥ the commune's and have ≥ 10 poor."""
    reviewed = Assessment.objects.filter(household__commune=commune, review_year=2022, kind="periodic")
    poor = reviewed.filter(classification=Level.POOR)
    commune_rate = rate(poor.count(), reviewed.count())
    expected = []
    for village in Village.objects.filter(commune=commune).order_by("pk"):
        village_poor = poor.filter(household__village=village).count()
        village_all = reviewed.filter(household__village=village).count()
        if village_poor >= 10 and rate(village_poor, village_all) >= commune_rate:
            expected.append(village.name)
    assert expected == FIVE_VILLAGES
    document = plan_document(commune=commune, plan_year=2023)
    assert [row.name for row in highlighted_villages(document.statistics)] == expected


def test_a_small_hamlet_with_few_poor_households_is_not_named(commune):
    rows = [
        VillageStatsRow(village_id=3, name="Làng lớn", households=100, poor=30),
        VillageStatsRow(village_id=1, name="Làng nhỏ", households=8, poor=3),  # 37,5% but 3 poor
        VillageStatsRow(village_id=2, name="Làng đủ", households=40, poor=10),
        VillageStatsRow(village_id=4, name="Làng thấp", households=200, poor=20),
    ]
    total = VillageStatsRow(village_id=None, name="Xã", households=348, poor=63)  # 18,10%
    statistics = CommuneStatistics(commune=commune, year=2022, rows=rows, total=total)
    assert [row.name for row in highlighted_villages(statistics)] == ["Làng đủ", "Làng lớn"]


def test_plan_texts_come_from_the_plan(commune, plan):
    document = report("plan", commune).document
    assert document.plan == plan and document.subject == plan.subject
    assert document.legal_bases == plan.legal_basis_lines and len(document.legal_bases) == 2
    assert document.recipients == plan.recipient_lines and document.recipients[-1] == "Lưu: VT, VX."
    assert (document.signer_authority, document.signer_title, document.signer_name) == (
        "TM. ỦY BAN NHÂN DÂN XÃ",
        "CHỦ TỊCH",
        "Trần Văn Nhơn",
    )
    assert document.time_frame == plan.time_frame and len(document.purposes) == 2
    assert "Hỗ trợ về ngày công" in " ".join(document.support_forms)
    duties = list(Responsibility.objects.filter(plan=plan).order_by("order").prefetch_related("projects"))
    assert [block.heading for block in document.responsibilities] == [duty.heading for duty in duties]
    assert [block.number for block in document.responsibilities] == list(range(1, 12))
    for block, duty in zip(document.responsibilities, duties, strict=True):
        assert block.tasks == duty.task_lines
        assert set(block.projects) == {project.short_name for project in duty.projects.all()}
    assert document.responsibilities[0].projects == ["Dự án 2"]
    assert document.village_table.totals.values["poor"] == 242


def test_the_five_villages_sentence_reads_as_in_the_plan(commune):
    with translation.override("en"):
        document = report("plan", commune).document
    assert (
        document.highlighted_line
        == document.situation_lines[1]
        == (
            "Poor households are concentrated mainly in the villages with special difficulties: "
            "Bờ-Chư pâu 42 households (28,77%); Mơ Tôn 33 households (35,87%); Dơng 12 households (27,27%); "
            "Mơhra-Đáp 58 households (27,75%) and Mơhven-Ôr 39 households (28,68%)."
        )
    )


def test_plan_figures_follow_another_review_year(commune):
    """The 2023 review surveyed the 51 registered households and the rest of the 2022 lists: 38 of the
    51 exited, the others kept their class, so the commune's figures at its end are the 242 poor of
    2022 less 38, over all 1,160 households (a rate that falls)."""
    document = build_report("plan", commune=commune, plan_year=2023, review_year=2023).document
    total = document.statistics.total
    surveyed = Assessment.objects.filter(review_year=2023, household__commune=commune)
    assert (total.households, total.poor, document.statistics.surveyed) == (1160, 242 - 38, surveyed.count())
    assert total.poor_rate == Decimal("17.59") < Decimal("20.86")


# --- exit-households ---------------------------------------------------------------------------


def test_exit_households_list_matches_the_registrations(commune, plan):
    built = report("exit-households", commune)
    table = built.tables[0]
    rows = body(table)
    assert len(rows) == 51 and table.totals.values["no"] == 51
    assert [row.values["no"] for row in rows] == list(range(1, 52))
    officials = current_official(plan)
    baseline = {
        a.household_id: a
        for a in Assessment.objects.filter(review_year=2022, kind="periodic", household__commune=commune)
        .prefetch_related("deprivations")
        .select_related("household")
    }
    by_code = {row.values["code"]: row.values for row in rows}
    registrations = ExitRegistration.objects.filter(plan=plan).select_related(
        "household__village", "household__head_ethnicity"
    )
    assert set(by_code) == {r.household.code for r in registrations}
    for registration in registrations:
        values = by_code[registration.household.code]
        household = registration.household
        assessment = baseline[household.pk]
        numbers = sorted(indicator.number for indicator in assessment.deprivations.all())
        assert values["head"] == household.head_name
        assert values["village"] == household.village.name
        assert values["ethnicity"] == household.head_ethnicity.name
        assert (
            values["classification"] == str(Level.POOR.label) == str(Level(assessment.classification).label)
        )
        assert values["deprivations"] == ", ".join(str(n) for n in numbers)
        assert len(numbers) >= 3
        assert values["needs"] == registration.needs
        assert values["official"] == officials[household.pk].full_name
    per_village = Counter(row.values["village"] for row in rows)
    assert per_village["Mơhra-Đáp"] == 12 and per_village["Bờ-Chư pâu"] == 9
    villages = [row.values["village"] for row in rows]
    assert villages == sorted(villages, key=vietnamese_sort_key)  # grouped, in Vietnamese order
    assert "1. Việc làm" in table.note and "12. " in table.note


# --- assignments --------------------------------------------------------------------------------


def test_assignments_list_every_current_assignment_once(commune, plan):
    table = report("assignments", commune).tables[0]
    current = Assignment.objects.filter(plan=plan, ended_on=None).select_related("official", "household")
    assert len(table.rows) == current.count() == 51
    assert sorted(row.values["code"] for row in table.rows) == sorted(a.household.code for a in current)
    # Group by the official written on the group's first row.
    groups, official = defaultdict(list), None
    for row in table.rows:
        if row.values["official"]:
            official = row.values["official"]
            assert row.values["no"] is not None and row.values["households"] is not None
        else:
            assert row.values["no"] is None and row.values["households"] is None
        groups[official].append(row)
    expected = defaultdict(set)
    for assignment in current:
        expected[assignment.official.full_name].add(assignment.household.code)
    assert {name: {row.values["code"] for row in rows} for name, rows in groups.items()} == expected
    for rows in groups.values():
        assert rows[0].values["households"] == len(rows)
    first_rows = [row for row in table.rows if row.values["official"]]
    assert len(first_rows) == 17
    assert table.totals.values["households"] == sum(row.values["households"] for row in first_rows) == 51
    by_name = {
        o.full_name: o for o in Official.objects.filter(assignments__plan=plan).select_related("department")
    }
    for row in first_rows:
        official = by_name[row.values["official"]]
        assert row.values["position"] == official.position
        assert row.values["department"] == official.department.name
    # Departments in the commune's order: the agriculture officer first (the LĐ-TBXH officer has none).
    assert first_rows[0].values["official"] == "Nguyễn Văn Hùng"


# --- progress -----------------------------------------------------------------------------------


def expected_support(plan, as_of: datetime.date) -> dict[int, dict]:
    """Per household, computed in Python from every support action row."""
    corrected = set(SupportAction.objects.exclude(corrects=None).values_list("corrects_id", flat=True))
    registered = set(ExitRegistration.objects.filter(plan=plan).values_list("household_id", flat=True))
    figures = {
        pk: {
            "knowledge": 0,
            "labour": 0,
            "materials": 0,
            "labour_days": Decimal(0),
            "value": 0,
            "last_visit": None,
        }
        for pk in registered
    }
    for action in SupportAction.objects.filter(household_id__in=registered):
        if action.pk in corrected or not (datetime.date(2023, 1, 1) <= action.date <= as_of):
            continue
        entry = figures[action.household_id]
        entry[action.kind] += 1
        if action.kind == "labour":
            entry["labour_days"] += action.quantity
        entry["value"] += action.value_vnd
        if entry["last_visit"] is None or action.date > entry["last_visit"]:
            entry["last_visit"] = action.date
    return figures


FIGURES = ("knowledge", "labour", "materials", "labour_days", "value")


def test_progress_per_household_matches_the_support_actions(commune, plan):
    built = report("progress", commune)
    assert default_as_of(plan) == AS_OF and "31/12/2023" in dict(built.summary).values()
    households, _officials = built.tables
    expected = expected_support(plan, AS_OF)
    registrations = {
        r.household.code: r
        for r in ExitRegistration.objects.filter(plan=plan).select_related("household__village")
    }
    rows = body(households)
    assert len(rows) == 51
    status_labels = dict(ExitRegistration.Status.choices)
    seen = set()
    for row in rows:
        registration = registrations[row.values["code"]]
        assert (row.values["head"], row.values["village"]) == (
            registration.household.head_name,
            registration.household.village.name,
        )
        seen.add(registration.pk)
        figures = expected[registration.household_id]
        assert {key: row.values[key] for key in FIGURES} == {key: figures[key] for key in FIGURES}
        assert row.values["last_visit"] == figures["last_visit"]
        assert row.values["status"] == str(status_labels[registration.status])
        assert row.values["knowledge"] >= 1 and row.values["labour"] >= 1 and row.values["materials"] >= 1
    assert len(seen) == 51
    total = households.totals.values
    for key in FIGURES:
        assert total[key] == sum(row.values[key] for row in rows) == sum(f[key] for f in expected.values())
    assert total["value"] > 0 and total["labour_days"] > 0


def test_progress_subtotals_per_village_and_official(commune, plan):
    households, officials_table = report("progress", commune).tables
    # Village subtotals: the sum of the rows above them since the previous subtotal.
    pending = []
    for row in households.rows:
        if row.style == "subtotal":
            assert pending and {r.values["village"] for r in pending} == {row.values["village"]}
            for key in FIGURES:
                assert row.values[key] == sum(r.values[key] for r in pending)
            assert row.values["last_visit"] == max(r.values["last_visit"] for r in pending)
            pending = []
        else:
            pending.append(row)
    assert not pending
    village_subtotals = [row for row in households.rows if row.style == "subtotal"]
    assert len(village_subtotals) == 10
    # Officials: each row is the support of the households the official is in charge of.
    expected = expected_support(plan, AS_OF)
    in_charge = defaultdict(list)
    for household_id, official in current_official(plan).items():
        in_charge[official.full_name].append(household_id)
    official_rows = body(officials_table)
    assert len(official_rows) == 17
    for row in official_rows:
        mine = in_charge[row.values["official"]]
        assert row.values["households"] == len(mine)
        for key in FIGURES:
            assert row.values[key] == sum(expected[pk][key] for pk in mine)
    department_rows = [row for row in officials_table.rows if row.style == "subtotal"]
    for subtotal in department_rows:
        members = [r for r in official_rows if r.values["department"] == subtotal.values["department"]]
        for key in (*FIGURES, "households", "visited"):
            assert subtotal.values[key] == sum(r.values[key] for r in members)
    assert sum(row.values["households"] for row in department_rows) == 51
    for key in (*FIGURES, "households", "visited"):
        assert officials_table.totals.values[key] == sum(r.values[key] for r in official_rows)
    for key in FIGURES:
        assert officials_table.totals.values[key] == households.totals.values[key]
    assert officials_table.totals.values["households"] == 51


def test_progress_share_visited_in_the_last_30_days(commune, plan):
    built = report("progress", commune)
    since = AS_OF - datetime.timedelta(days=30)
    expected = expected_support(plan, AS_OF)
    visited = sum(1 for f in expected.values() if f["last_visit"] and f["last_visit"] >= since)
    assert 0 < visited < 51
    line = built.summary[-1][1]
    assert line.startswith(f"{visited}/51") or line.startswith(f"{visited} ")
    assert format_percent(rate(visited, 51)) in line
    assert built.tables[1].totals.values["visited"] == visited
    share_chart = built.charts[0]
    assert share_chart.unit == "percent" and share_chart.bars[-1].highlight
    assert share_chart.bars[-1].value == rate(visited, 51)


def test_progress_as_of_an_earlier_date_counts_support_until_then(commune, plan):
    as_of = datetime.date(2023, 6, 30)
    built = report("progress", commune, as_of=as_of)
    expected = expected_support(plan, as_of)
    total = built.tables[0].totals.values
    for key in FIGURES:
        assert total[key] == sum(f[key] for f in expected.values())
    assert total["last_visit"] <= as_of
    assert total["value"] < report("progress", commune).tables[0].totals.values["value"]


def test_a_corrected_support_entry_counts_once(commune, plan):
    action = SupportAction.objects.filter(plan=plan, kind="materials").order_by("pk").first()
    before = report("progress", commune).tables[0].totals.values["value"]
    factories.SupportActionFactory(
        household=action.household,
        official=action.official,
        plan=plan,
        date=action.date,
        kind="materials",
        description=action.description,
        quantity=action.quantity,
        unit=action.unit,
        value_vnd=action.value_vnd + 1_000,
        corrects=action,
    )
    assert report("progress", commune).tables[0].totals.values["value"] == before + 1_000


# --- village-stats ------------------------------------------------------------------------------


def test_village_stats_match_the_database(commune):
    built = report("village-stats", commune)
    assert built.review_year == 2022
    table = built.tables[0]
    # One periodic review per household and year: counting reviews counts households.
    reviewed = Assessment.objects.filter(household__commune=commune, review_year=2022, kind="periodic")
    for row in table.rows:
        mine = reviewed.filter(household__village__name=row.values["village"])
        poor = mine.filter(classification=Level.POOR)
        near = mine.filter(classification=Level.NEAR_POOR)
        minority = mine.filter(household__is_ethnic_minority=True)
        minority_poor = poor.filter(household__is_ethnic_minority=True)
        expected = {
            "households": mine.count(),
            "poor": poor.count(),
            "poor_rate": rate(poor.count(), mine.count()),
            "near_poor": near.count(),
            "near_poor_rate": rate(near.count(), mine.count()),
            "minority": minority.count(),
            "minority_poor": minority_poor.count(),
            "minority_poor_rate": rate(minority_poor.count(), minority.count()),
        }
        assert {key: row.values[key] for key in expected} == expected
    assert len(table.rows) == 10
    totals = table.totals.values
    for key in ("households", "poor", "near_poor", "minority", "minority_poor"):
        assert totals[key] == sum(row.values[key] for row in table.rows)
    assert (totals["households"], totals["poor"], totals["poor_rate"]) == (1160, 242, Decimal("20.86"))
    assert (totals["minority"], totals["minority_poor"], totals["minority_poor_rate"]) == (
        914,
        233,
        Decimal("25.49"),
    )
    chart = built.charts[0]
    assert [bar.label for bar in chart.bars[:-1]] == [row.values["village"] for row in table.rows]
    assert chart.bars[-1].highlight and chart.bars[-1].value == Decimal("20.86")
    assert not any(bar.highlight for bar in chart.bars[:-1])
    assert (
        build_report("village-stats", commune=commune, plan_year=2023, review_year=2023).review_year == 2023
    )


# --- deprivations -------------------------------------------------------------------------------


def test_deprivations_match_the_database(commune):
    built = report("deprivations", commune)
    counts, rates = built.tables
    assert built.review_year == 2022 and built.landscape
    villages = {v.name: v for v in Village.objects.filter(commune=commune)}
    keys = {c.header: c.key for c in counts.columns[2:-1]}
    assert set(keys) == set(villages)
    listed = Assessment.objects.filter(
        household__commune=commune,
        review_year=2022,
        kind=Assessment.Kind.PERIODIC,
        classification__in=[Level.POOR, Level.NEAR_POOR],
    )
    denominators = counts.rows[0].values
    for name, village in villages.items():
        assert denominators[keys[name]] == listed.filter(household__village=village).count()
    assert denominators["total"] == listed.count() == 242 + 106
    indicators = list(Indicator.objects.filter(standard__code="2022-2025").order_by("number"))
    assert [row.values["indicator"] for row in counts.rows[1:]] == [i.name for i in indicators]
    assert [row.values["no"] for row in rates.rows] == list(range(1, 13))
    for indicator, count_row, rate_row in zip(indicators, counts.rows[1:], rates.rows, strict=True):
        deprived = listed.filter(deprivations=indicator)
        for name, village in villages.items():
            n = deprived.filter(household__village=village).count()
            assert count_row.values[keys[name]] == n
            assert rate_row.values[keys[name]] == rate(n, denominators[keys[name]])
        assert count_row.values["total"] == deprived.count()
        assert count_row.values["total"] == sum(count_row.values[key] for key in keys.values())
        assert rate_row.values["total"] == rate(deprived.count(), listed.count())
    latrine = next(row for row in rates.rows if row.values["no"] == 10)
    assert latrine.values["total"] == max(row.values["total"] for row in rates.rows)


# --- year-end -----------------------------------------------------------------------------------


def close_2023(commune):
    from households import review_status
    from households import services as household_services

    household_services.review_round_close(
        review_round=review_status.periodic_round(commune=commune, year=2023),
        decision_number="01/QĐ-UBND",
        decision_date=datetime.date(2023, 12, 20),
    )


def outcome_at_2023(registration) -> str:
    """Independently of plans.outcomes: the household's 2023 periodic result decides."""
    review = Assessment.objects.get(household=registration.household, review_year=2023, kind="periodic")
    return "not_exited" if review.classification == Level.POOR else "exited"


def test_year_end_before_the_2023_round_closes_has_nothing_decided(commune, plan):
    totals = report("year-end", commune).tables[0].totals.values
    assert (totals["registered"], totals["exited"], totals["not_exited"], totals["undecided"]) == (
        51,
        0,
        0,
        51,
    )


def test_year_end_agrees_with_the_2023_review(commune, plan):
    close_2023(commune)
    built = report("year-end", commune)
    by_village, by_official, remaining, _support_aimed = built.tables
    registrations = ExitRegistration.objects.filter(plan=plan).select_related("household__village")
    expected = defaultdict(Counter)
    for registration in registrations:
        expected[registration.household.village.name][outcome_at_2023(registration)] += 1
    for row in by_village.rows:
        statuses = expected[row.values["village"]]
        assert row.values["registered"] == sum(statuses.values())
        assert row.values["exited"] == statuses["exited"]
        assert row.values["not_exited"] == statuses["not_exited"]
        assert row.values["undecided"] == 0
        assert row.values["rate"] == rate(statuses["exited"], sum(statuses.values()))
    totals = by_village.totals.values
    assert (totals["registered"], totals["exited"], totals["not_exited"], totals["undecided"]) == (
        51,
        38,
        13,
        0,
    )
    assert totals["rate"] == rate(38, 51) == Decimal("74.51")
    for key in ("registered", "exited", "not_exited", "undecided"):
        assert totals[key] == sum(row.values[key] for row in by_village.rows)
        assert (
            by_official.totals.values[key] == sum(row.values[key] for row in by_official.rows) == totals[key]
        )
    in_charge = current_official(plan)
    per_official = defaultdict(Counter)
    for registration in registrations:
        per_official[in_charge[registration.household_id].full_name][outcome_at_2023(registration)] += 1
    for row in by_official.rows:
        statuses = per_official[row.values["official"]]
        assert (row.values["registered"], row.values["exited"]) == (
            sum(statuses.values()),
            statuses["exited"],
        )
    assert len(by_official.rows) == 17
    assert dict(built.summary)[built.summary[-1][0]] == "74,51%"


def test_year_end_lists_the_households_not_exited_with_their_remaining_deprivations(commune, plan):
    close_2023(commune)
    remaining = report("year-end", commune).tables[2]
    poor = Assessment.objects.filter(review_year=2023, classification=Level.POOR).values("household")
    not_exited = ExitRegistration.objects.filter(plan=plan, household__in=poor).select_related("household")
    assert len(remaining.rows) == not_exited.count() == 13 == remaining.totals.values["no"]
    by_code = {row.values["code"]: row.values for row in remaining.rows}
    for registration in not_exited.select_related("household__village"):
        values = by_code[registration.household.code]
        assert values["head"] == registration.household.head_name
        review = Assessment.objects.get(household=registration.household, review_year=2023, kind="periodic")
        numbers = sorted(review.deprivations.values_list("number", flat=True))
        assert values["deprivations"] == ", ".join(map(str, numbers)) and len(numbers) >= 3
        assert values["classification"] == str(Level.POOR.label)
        assert values["note"] == registration.status_note != ""
    assert "1. Việc làm" in remaining.note


# --- query counts ---------------------------------------------------------------------------------


def small_world(commune, households: int) -> None:
    """A plan with `households` registered households, each with reviews, an official and support."""
    plan = factories.PlanFactory(commune=commune, year=2023)
    department = factories.DepartmentFactory(commune=commune)
    indicators = list(Indicator.objects.filter(standard__code="2022-2025").order_by("number"))
    for n in range(households):
        village = factories.VillageFactory(commune=commune, name=f"Làng {commune.pk}-{n}")
        home = factories.HouseholdFactory(village=village, is_ethnic_minority=n % 2 == 0)
        for year, level in ((2022, "poor"), (2023, "near_poor" if n % 3 else "poor")):
            review = factories.AssessmentFactory(
                household=home, review_year=year, computed_classification=level
            )
            review.deprivations.set(indicators[n % 5 : n % 5 + 3])
        factories.ExitRegistrationFactory(household=home, plan=plan, needs="Bò giống", status="in_progress")
        official = factories.OfficialFactory(commune=commune, department=department, position="Công chức")
        factories.AssignmentFactory(household=home, plan=plan, official=official)
        for kind, quantity, unit in (
            ("knowledge", None, ""),
            ("labour", 2, "ngày công"),
            ("materials", 3, "con"),
        ):
            factories.SupportActionFactory(
                household=home,
                official=official,
                plan=plan,
                kind=kind,
                quantity=quantity,
                unit=unit,
                value_vnd=100_000,
                date=datetime.date(2023, 5, 1),
            )
    factories.ResponsibilityFactory(plan=plan, department=department)


# At most this many queries per report, whatever its data. The year-end report reads six more for its
# table of support aimed at deprivations (reports.selectors.indicator_progress): the periodic rounds
# of the baseline and plan years, each year's statuses, their deprived indicators, the plan year's
# supports with the indicators they name, and the indicators' names.
QUERY_CAP = {"year-end": 8 + 6}


def queries_for(slug: str, commune) -> int:
    with CaptureQueriesContext(connection) as captured:
        build_report(slug, commune=commune, plan_year=2023)
    return len(captured.captured_queries)


@pytest.mark.parametrize("slug", REPORT_SLUGS)
def test_query_count_does_not_grow_with_the_data(db, slug):
    small, big = factories.CommuneFactory(name="Xã nhỏ"), factories.CommuneFactory(name="Xã lớn")
    small_world(small, 2)
    small_world(big, 9)
    assert queries_for(slug, small) == queries_for(slug, big) <= QUERY_CAP.get(slug, 8)
    big_report = build_report(slug, commune=big, plan_year=2023)
    if slug in ("exit-households", "assignments", "progress"):
        assert len(body(big_report.tables[0])) == 9


@pytest.mark.parametrize("slug", REPORT_SLUGS)
def test_query_count_on_the_demo(commune, slug, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERY_CAP.get(slug, 8)):
        report(slug, commune)
