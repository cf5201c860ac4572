"""Communes merged by the 2025 reform (households.merger): two small communes built by factories."""

import datetime
import io
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from accounts.models import Department, Official
from assignments import selectors as assignment_selectors
from assignments import services as assignment_services
from assignments.models import Assignment, SupportAction
from households import merger, services
from households.classification import Level
from households.models import (
    Commune,
    CommuneMerger,
    Household,
    Indicator,
    ReviewRound,
    RoundResult,
    Village,
)
from plans import services as plan_services
from plans.models import ExitRegistration, Plan
from povertyplan.roles import Role
from reports.selectors import build_report, village_statistics
from tests import factories

ON = datetime.date(2025, 7, 1)
ROUND_CLOSED = datetime.date(2023, 12, 20)


@pytest.fixture(autouse=True)
def in_vietnamese():
    with translation.override("vi"):
        yield


@dataclass
class Two:
    """Xã Kông Lơng Khơng (23668) and xã Kông Bờ La (23665), their 2023 reviews closed."""

    a: Commune
    b: Commune
    province: object
    plan: Plan  # a's 2024 plan
    officials: dict  # name → Official
    households: dict  # code in its commune, with the commune's letter: "a:KLK-0001" → Household
    villages: dict  # "a:Làng Mới" → Village


def reviewed(village, code, level, deprived=(), minority=False):
    household = factories.HouseholdFactory(village=village, code=code, is_ethnic_minority=minority)
    assessment = factories.AssessmentFactory(
        household=household, review_year=2023, computed_classification=level, classification=level
    )
    if deprived:
        assessment.deprivations.set(Indicator.objects.filter(standard__code="2022-2025", number__in=deprived))
    return household


@pytest.fixture
def two(db):
    district = factories.DistrictFactory(name="Kbang")
    province = factories.ProvinceFactory(name="Gia Lai mới", code="52")
    a = factories.CommuneFactory(district=district, name="Kông Lơng Khơng", code="23668")
    b = factories.CommuneFactory(district=district, name="Kông Bờ La", code="23665")
    villages = {
        "a:Làng Mới": factories.VillageFactory(commune=a, name="Làng Mới", code="01"),
        "a:Điện Biên": factories.VillageFactory(commune=a, name="Điện Biên", code="02"),
        "a:Làng Trống": factories.VillageFactory(commune=a, name="Làng Trống"),  # nobody lives there
        "b:Làng mới": factories.VillageFactory(commune=b, name="Làng mới", code="01"),  # clashes
        "b:Hà Nừng": factories.VillageFactory(commune=b, name="Hà Nừng", code="03"),
    }
    households = {}
    for key, level, deprived, minority in (
        ("a:Làng Mới:KLK-0001", Level.POOR, (1, 4), True),
        ("a:Làng Mới:KLK-0002", Level.POOR, (4,), True),
        ("a:Làng Mới:KLK-0003", Level.NEAR_POOR, (7,), False),
        ("a:Điện Biên:KLK-0004", Level.AVERAGE_LIVING, (), False),
        ("a:Điện Biên:KLK-0005", Level.POOR, (1, 10), True),
        ("b:Làng mới:KLK-0001", Level.POOR, (4, 7), True),  # same code as a's first household
        ("b:Làng mới:KBL-0002", Level.NEAR_POOR, (10,), False),
        ("b:Hà Nừng:KBL-0003", Level.POOR, (1,), True),
    ):
        commune_letter, village_name, code = key.split(":")
        village = villages[f"{commune_letter}:{village_name}"]
        households[f"{commune_letter}:{code}"] = reviewed(village, code, level, deprived, minority)
    factories.HouseholdFactory(village=villages["a:Điện Biên"], code="KLK-0006")  # never reviewed
    for commune in (a, b):
        services.review_round_close(
            review_round=factories.ReviewRoundFactory(commune=commune, year=2023),
            decision_number="45/QĐ-UBND",
            decision_date=ROUND_CLOSED,
        )
    labour_a = factories.DepartmentFactory(commune=a, code="labour", name="Công chức Lao động - TB&XH")
    labour_b = factories.DepartmentFactory(commune=b, code="labour", name="Công chức LĐ-TB&XH")
    women_b = factories.DepartmentFactory(commune=b, code="women", name="Hội Liên hiệp Phụ nữ")
    officials = {
        "a1": factories.OfficialFactory(commune=a, department=labour_a, full_name="Đinh Văn Hyơk"),
        "a2": factories.OfficialFactory(commune=a, department=None, full_name="Đinh Thị Blơi"),
        "b1": factories.OfficialFactory(commune=b, department=labour_b, full_name="Rơ Mah Hlim"),
        "b2": factories.OfficialFactory(commune=b, department=women_b, full_name="Ksor H'Nhung"),
        "officer": factories.OfficialFactory(commune=a, role=Role.COMMUNE_OFFICER, full_name="Lê Văn Tám"),
    }
    plan = factories.PlanFactory(commune=a, year=2024, baseline_review_year=2023, time_frame="Năm 2024")
    factories.ResponsibilityFactory(plan=plan, department=labour_a)
    for code, official in (("a:KLK-0001", "a1"), ("a:KLK-0002", "a1"), ("a:KLK-0005", "a2")):
        household = households[code]
        factories.ExitRegistrationFactory(
            plan=plan, household=household, registered_on=datetime.date(2024, 2, 1), needs="Bò giống"
        )
        factories.AssignmentFactory(
            plan=plan, household=household, official=officials[official], started_on=datetime.date(2024, 2, 1)
        )
    # One ended assignment: history, not moved.
    Assignment.objects.filter(household=households["a:KLK-0005"]).update(
        ended_on=datetime.date(2024, 5, 1), end_reason="Chuyển công tác"
    )
    factories.AssignmentFactory(
        plan=plan,
        household=households["a:KLK-0005"],
        official=officials["a1"],
        started_on=datetime.date(2024, 5, 1),
    )
    plan_b = factories.PlanFactory(commune=b, year=2024, baseline_review_year=2023)
    factories.AssignmentFactory(
        plan=plan_b,
        household=households["b:KLK-0001"],
        official=officials["b1"],
        started_on=datetime.date(2024, 2, 1),
    )
    return Two(
        a=a, b=b, province=province, plan=plan, officials=officials, households=households, villages=villages
    )


def tơ_tung(two):
    return merger.NewCommune(name="Tơ Tung", code="23668", province=two.province)


def merge(two, **overrides):
    arguments = {"sources": [two.a, two.b], "into": tơ_tung(two), "on": ON, "by": None} | overrides
    return merger.communes_merge(**arguments)


def refreshed(obj):
    obj.refresh_from_db()
    return obj


# --- what moves -----------------------------------------------------------------------------------


def test_villages_households_and_officials_move_to_the_new_commune(two):
    result = merge(two)
    new = result.into
    assert (new.name, new.code, new.province, new.district, new.valid_until) == (
        "Tơ Tung",
        "23668",
        two.province,
        None,
        None,
    )
    assert Village.objects.filter(commune=new).count() == 5
    assert Household.objects.filter(commune=new).count() == 9
    assert Official.objects.filter(commune=new).count() == 5
    assert not Village.objects.filter(commune__in=[two.a, two.b]).exists()
    assert not Household.objects.filter(commune__in=[two.a, two.b]).exists()
    assert not Official.objects.filter(commune__in=[two.a, two.b]).exists()
    for old in (two.a, two.b):
        assert refreshed(old).valid_until == datetime.date(2025, 6, 30)
    assert [
        (m.commune, m.into, m.on, m.households, m.officials) for m in CommuneMerger.objects.order_by("pk")
    ] == [
        (two.a, new, ON, 6, 3),
        (two.b, new, ON, 3, 2),
    ]
    # The summary says what moved, commune by commune.
    lines = merger.describe(result)
    assert "xã Kông Lơng Khơng (mã 23668): 3 thôn, làng; 6 hộ; 3 cán bộ; 3 phân công đang phụ trách." in lines


def test_the_new_commune_takes_a_code_of_a_merged_one(two):
    """The new commune reuses 23668: codes are unique only among current communes."""
    new = merge(two).into
    assert list(Commune.objects.filter(code="23668").order_by("pk")) == [two.a, new]
    assert Commune.objects.get(code="23668", valid_until__isnull=True) == new


def test_clashing_village_names_and_codes_take_the_merged_commune_as_suffix_or_prefix(two):
    result = merge(two)
    names = dict(Village.objects.filter(commune=result.into).values_list("pk", "name"))
    codes = dict(Village.objects.filter(commune=result.into).values_list("pk", "code"))
    clashing = two.villages["b:Làng mới"]
    assert names[clashing.pk] == "Làng mới (Kông Bờ La)"  # the same name but for a capital letter
    assert codes[clashing.pk] == "23665-01"
    assert names[two.villages["a:Làng Mới"].pk] == "Làng Mới"  # the first comer keeps its own
    assert codes[two.villages["b:Hà Nừng"].pk] == "03"
    assert refreshed(clashing).search_key == "lang moi kong bo la"
    lines = merger.describe(result)
    assert "Đổi tên thôn, làng: Làng mới → Làng mới (Kông Bờ La)." in lines
    assert "Đổi mã thôn, làng: 01 → 23665-01." in lines


def test_clashing_household_codes_take_the_merged_commune_code_and_keep_the_old_one_in_the_notes(two):
    result = merge(two)
    codes = list(
        Household.objects.filter(commune=result.into).order_by("code").values_list("code", flat=True)
    )
    assert len(codes) == len(set(codes)) == 9
    clashing = refreshed(two.households["b:KLK-0001"])
    assert clashing.code == "23665-KLK-0001"
    assert clashing.notes.endswith("Mã hộ trước khi sáp nhập xã ngày 01/07/2025 (xã Kông Bờ La): KLK-0001.")
    assert "23665 klk 0001" in clashing.search_key
    assert refreshed(two.households["a:KLK-0001"]).code == "KLK-0001"
    assert CommuneMerger.objects.get(commune=two.b).household_codes == {str(clashing.pk): "KLK-0001"}
    assert "Đổi mã hộ: KLK-0001 → 23665-KLK-0001." in merger.describe(result)


def test_officials_join_the_new_commune_department_of_their_department_code(two):
    result = merge(two)
    departments = {d.code: d for d in Department.objects.filter(commune=result.into)}
    assert set(departments) == {"labour", "women"}
    assert departments["labour"].name == "Công chức Lao động - TB&XH"  # the first commune's
    officials = two.officials
    for key, code in (("a1", "labour"), ("b1", "labour"), ("b2", "women")):
        official = refreshed(officials[key])
        assert official.department == departments[code]
        official.full_clean()  # a department of the official's commune
    assert refreshed(officials["a2"]).department is None
    # The merged communes' departments stay with their plans' duties.
    assert Department.objects.filter(commune=two.a).count() == 1
    assert two.plan.responsibilities.get().department.commune == two.a


def test_open_assignments_stay_under_their_plan_and_the_officials_keep_following_their_households(two):
    before = {a.pk: (a.plan_id, a.official_id, a.ended_on) for a in Assignment.objects.all()}
    merge(two)
    assert {a.pk: (a.plan_id, a.official_id, a.ended_on) for a in Assignment.objects.all()} == before
    official = refreshed(two.officials["a1"])
    official.user.refresh_from_db()
    listed = assignment_selectors.my_households(user=official.user, year=2024)
    assert sorted(row["code"] for row in listed.values("code")) == ["KLK-0001", "KLK-0002", "KLK-0005"]
    household = refreshed(two.households["a:KLK-0001"])
    for assignment in Assignment.objects.filter(ended_on__isnull=True):
        assignment.full_clean()  # official and household in the same (new) commune
    # Support of the rest of the plan year still counts under the household's plan.
    assert assignment_selectors.current_plan_for(household) == two.plan
    action, created = assignment_services.support_action_record(
        household=household,
        official=official,
        client_uuid="8d1f1c1e-3b0a-4d0e-9a55-0c6f6f7c2a01",
        plan=two.plan,
        date=datetime.date(2024, 8, 1),
        kind=SupportAction.Kind.LABOUR,
        description="Làm chuồng bò",
        contributor=SupportAction.Contributor.OFFICIAL,
    )
    assert created and action.plan == two.plan
    # The commune officer can still hand the household to another official of the new commune.
    assignment_services.assignment_reassign(
        plan=two.plan,
        household=household,
        official=refreshed(two.officials["b1"]),
        on=datetime.date(2025, 8, 1),
    )


def test_an_exit_registration_of_the_merged_commune_plan_can_still_be_updated(two):
    merge(two)
    registration = ExitRegistration.objects.get(household=two.households["a:KLK-0002"])
    plan_services.exit_registration_set_status(
        registration=registration, status=ExitRegistration.Status.IN_PROGRESS, note="Đã nhận bò"
    )
    assert refreshed(registration).status == ExitRegistration.Status.IN_PROGRESS


def test_a_household_of_another_commune_still_cannot_join_a_plan(two):
    outsider = factories.HouseholdFactory()
    with pytest.raises(ValidationError):
        ExitRegistration(
            plan=two.plan, household=outsider, registered_on=datetime.date(2024, 3, 1)
        ).full_clean()


# --- what stays -------------------------------------------------------------------------------


REPORTS = ("village-stats", "deprivations", "plan", "exit-households")


def report_content(report):
    """What a report prints: its summary, tables and charts (and the plan's text), not when it was made."""
    return (report.title, report.summary, report.tables, report.charts, report.document)


@pytest.mark.parametrize("slug", REPORTS)
def test_reports_of_a_merged_commune_closed_year_are_unchanged(two, slug):
    before = report_content(build_report(slug, commune=two.a, plan_year=2024))
    frozen = list(RoundResult.objects.order_by("pk").values_list())
    merge(two)
    after = report_content(build_report(slug, commune=refreshed(two.a), plan_year=2024))
    assert after == before
    assert list(RoundResult.objects.order_by("pk").values_list()) == frozen


def test_a_merged_commune_statistics_read_its_names_in_one_query_more(two, django_assert_num_queries):
    merge(two)
    old = refreshed(two.a)
    # the periodic round, its frozen results, the merger's names, the villages
    with django_assert_num_queries(4):
        statistics = village_statistics(commune=old, year=2023)
    assert [row.name for row in statistics.rows] == ["Điện Biên", "Làng Mới", "Làng Trống"]


def test_the_merged_commune_closed_year_prints_the_names_it_had(two):
    """Kông Bờ La's 2023 review names its village "Làng mới" and its household KLK-0001, as then."""
    plan_b = Plan.objects.get(commune=two.b)
    factories.ExitRegistrationFactory(plan=plan_b, household=two.households["b:KLK-0001"])
    before = [build_report(slug, commune=two.b, plan_year=2024) for slug in REPORTS]
    merge(two)
    after = [build_report(slug, commune=refreshed(two.b), plan_year=2024) for slug in REPORTS]
    assert [report_content(r) for r in after] == [report_content(r) for r in before]
    listed = after[3].tables[0].rows[0].values
    assert (listed["code"], listed["village"]) == ("KLK-0001", "Làng mới")


def test_old_rows_stay_as_they_were(two):
    rounds = list(ReviewRound.objects.order_by("pk").values_list())
    plans = list(Plan.objects.order_by("pk").values_list("pk", "commune_id", "year", "title"))
    registrations = list(ExitRegistration.objects.order_by("pk").values_list())
    merge(two)
    assert list(ReviewRound.objects.order_by("pk").values_list()) == rounds
    assert list(Plan.objects.order_by("pk").values_list("pk", "commune_id", "year", "title")) == plans
    assert list(ExitRegistration.objects.order_by("pk").values_list()) == registrations
    assert (refreshed(two.a).name, refreshed(two.a).district) == ("Kông Lơng Khơng", two.a.district)


def test_the_new_commune_statistics_start_from_the_union(two):
    olds = [village_statistics(commune=commune, year=2023) for commune in (two.a, two.b)]
    new = merge(two).into
    union = village_statistics(commune=new, year=2023)
    figures = ("households", "poor", "near_poor", "minority", "minority_poor")
    for name in figures:
        assert getattr(union.total, name) == sum(getattr(old.total, name) for old in olds), name
    by_village = {row.village_id: row for old in olds for row in old.rows}
    for row in union.rows:
        old = by_village[row.village_id]
        assert [getattr(row, name) for name in figures] == [getattr(old, name) for name in figures]
    assert union.surveyed == 8  # the households assessed in 2023, with their statuses
    assert (union.total.households, union.total.poor, union.total.near_poor) == (9, 5, 2)


# --- refusals -----------------------------------------------------------------------------------


def snapshot():
    return (
        list(Commune.objects.order_by("pk").values_list()),
        list(Village.objects.order_by("pk").values_list()),
        list(Household.objects.order_by("pk").values_list()),
        list(Official.objects.order_by("pk").values_list()),
        list(Department.objects.order_by("pk").values_list()),
        CommuneMerger.objects.count(),
    )


def test_a_second_merger_of_the_same_communes_is_refused(two):
    new = merge(two).into
    before = snapshot()
    with pytest.raises(ValidationError, match="đã được sáp nhập vào xã Tơ Tung từ ngày 01/07/2025"):
        merge(two, sources=[refreshed(two.a), refreshed(two.b)])
    with pytest.raises(ValidationError, match="không thể sáp nhập vào chính nó"):
        merge(two, sources=[new], into=new, on=datetime.date(2025, 7, 2))
    assert snapshot() == before


def held_code(two):
    factories.CommuneFactory(province=two.province, district=None, code="23999", name="Ia Pa")
    return {"into": merger.NewCommune(name="Tơ Tung", code="23999", province=two.province)}


def open_round(two):
    factories.ReviewRoundFactory(commune=two.b, year=2024)
    return {}


@pytest.mark.parametrize(
    "change, message",
    [(open_round, "đợt rà soát đang mở"), (held_code, "xã Ia Pa đã có mã 23999")],
    ids=["open round", "code held by a current commune"],
)
def test_a_refused_merger_writes_nothing(two, change, message):
    overrides = change(two)
    before = snapshot()
    with pytest.raises(ValidationError, match=message):
        merge(two, **overrides)
    assert snapshot() == before


def test_a_merger_dated_after_today_is_refused(two):
    with pytest.raises(ValidationError, match="sau ngày hôm nay"):
        merge(two, on=datetime.date(2999, 1, 1))


def test_a_clash_that_cannot_be_told_apart_is_refused_and_writes_nothing(two):
    factories.HouseholdFactory(village=two.villages["a:Làng Mới"], code="23665-KLK-0001")
    before = snapshot()
    with pytest.raises(ValidationError, match="23665-KLK-0001"):
        merge(two)
    assert snapshot() == before


def test_merging_into_an_existing_commune_renames_only_the_newcomers(two):
    result = merge(two, sources=[two.b], into=two.a)
    assert result.into == two.a and refreshed(two.a).valid_until is None
    assert refreshed(two.households["b:KLK-0001"]).code == "23665-KLK-0001"
    assert refreshed(two.villages["b:Làng mới"]).name == "Làng mới (Kông Bờ La)"
    assert refreshed(two.officials["b2"]).department.commune == two.a  # "women" created in a
    assert refreshed(two.officials["b1"]).department == Department.objects.get(commune=two.a, code="labour")


def test_the_plan_of_a_merger_writes_nothing(two):
    before = snapshot()
    plan = merger.merger_plan(sources=[two.a, two.b], into=tơ_tung(two), on=ON)
    assert plan.households == 9 and not plan.done
    assert snapshot() == before


# --- the command ------------------------------------------------------------------------------------


def run(*arguments):
    out = io.StringIO()
    call_command(
        "merge_communes",
        "--into-code=23668",
        "--into-name=Tơ Tung",
        "--province=52",
        "--on=2025-07-01",
        *arguments,
        stdout=out,
    )
    return out.getvalue()


def test_the_command_dry_run_prints_what_would_move_and_writes_nothing(two):
    before = snapshot()
    out = run("--dry-run", "23668", "23665")
    assert snapshot() == before
    assert "Chạy thử: chưa ghi gì." in out
    assert "Xã mới: xã Tơ Tung (mã 23668, tỉnh Gia Lai mới)." in out
    assert "Đổi mã hộ: KLK-0001 → 23665-KLK-0001." in out


def test_the_command_merges_and_refuses_to_run_again(two):
    out = run("23668", "23665")
    new = Commune.objects.get(code="23668", valid_until__isnull=True)
    assert "Đã sáp nhập vào xã Tơ Tung." in out
    assert "Xã mới: xã Tơ Tung (mã 23668, tỉnh Gia Lai mới)." in out
    assert Household.objects.filter(commune=new).count() == 9
    before = snapshot()
    with pytest.raises(
        CommandError, match="xã Kông Bờ La đã được sáp nhập vào xã Tơ Tung từ ngày 01/07/2025"
    ):
        run("23668", "23665")
    with pytest.raises(CommandError, match="xã Tơ Tung được thành lập do sáp nhập từ ngày 01/07/2025"):
        run("23668")
    assert snapshot() == before


def test_the_command_says_which_code_it_does_not_know(two):
    with pytest.raises(CommandError, match="Không có xã nào mang mã 99999"):
        run("--dry-run", "99999")
    with pytest.raises(CommandError, match="Không có tỉnh nào đang có hiệu lực mang mã 00"):
        run("--dry-run", "--province=00", "23668")


# --- the admin action -------------------------------------------------------------------------------


CHANGELIST = "/admin/households/commune/"


def admin_post(client, two, **fields):
    data = {"action": "merge_communes", "_selected_action": [two.a.pk, two.b.pk], **fields}
    return client.post(CHANGELIST, data)


FORM = {"name": "Tơ Tung", "code": "23668", "kind": "commune", "on": "01/07/2025"}


def test_the_admin_action_shows_what_would_move_then_merges_once_confirmed(client, two, administrator):
    client.force_login(administrator)
    assert 'value="merge_communes"' in client.get(CHANGELIST).content.decode()
    form = {**FORM, "province": two.province.pk}
    response = admin_post(client, two, index=0)
    assert response.status_code == 200
    assert "admin/households/commune/merge.html" in [t.name for t in response.templates]
    before = snapshot()
    response = admin_post(client, two, merge_step="preview", **form)
    content = response.content.decode()
    # In the order of the codes: 23665 (Kông Bờ La) keeps its names, 23668 takes the suffix.
    assert "Đổi tên thôn, làng: Làng Mới → Làng Mới (Kông Lơng Khơng)." in content
    assert "Xác nhận sáp nhập" in content
    assert snapshot() == before
    response = admin_post(client, two, merge_step="confirm", **form)
    assert response.status_code == 302
    new = Commune.objects.get(code="23668", valid_until__isnull=True)
    assert CommuneMerger.objects.filter(into=new, created_by=administrator).count() == 2
    # A merged commune's page shows where it went.
    page = client.get(f"{CHANGELIST}{two.a.pk}/change/").content.decode()
    assert "xã Tơ Tung" in page and "01/07/2025" in page


def test_the_admin_action_refusal_is_shown_and_writes_nothing(client, two, administrator):
    factories.ReviewRoundFactory(commune=two.b, year=2024)
    client.force_login(administrator)
    before = snapshot()
    response = admin_post(client, two, merge_step="confirm", province=two.province.pk, **FORM)
    assert response.status_code == 200
    assert "đợt rà soát đang mở" in response.content.decode()
    assert snapshot() == before


def test_only_a_superuser_may_merge_communes(client, two):
    officer = refreshed(two.officials["officer"]).user
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    before = snapshot()
    response = admin_post(client, two, merge_step="confirm", province=two.province.pk, **FORM)
    assert response.status_code == 200  # no action is offered to them: the list again
    assert snapshot() == before
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert 'value="merge_communes"' not in response.content.decode()
