"""The check's preview of what an import changes: for every row that changes a stored record, the
household and each changed field "old → new", a change of head or village flagged, the list bounded.

Asserted in Vietnamese, as the officer reads it; the files carry the Vietnamese headers.
"""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.imports import engine
from households.models import ImportJob, PovertyCause
from tests import factories
from tests.spreadsheets import keyed_xlsx

HEAD_ALERT = "Đổi chủ hộ — kiểm tra lại mã hộ"
VILLAGE_ALERT = "Đổi thôn, làng — kiểm tra lại mã hộ"
TODAY = datetime.date(2023, 6, 1)


@pytest.fixture
def stored(village):
    return factories.HouseholdFactory(
        village=village, code="KLK-0001", head_name="Đinh Văn Hliêu", address="Làng Mơhven", phone=""
    )


@pytest.fixture
def second_village(commune):
    return factories.VillageFactory(commune=commune, name="Mơ Tôn")


def xlsx(kind, commune, user, rows: list[dict]) -> bytes:
    return keyed_xlsx(engine.importer_for(kind, commune=commune, user=user, today=TODAY), rows)


def check(kind, user, content: bytes):
    return engine.check(
        kind=kind,
        commune=user.official.commune,
        user=user,
        file_bytes=content,
        filename="tep.xlsx",
        today=TODAY,
    )


def household_row(household, **changes) -> dict:
    row = {
        "village": household.village.name,
        "household_code": household.code,
        "head_name": household.head_name,
        "address": household.address,
        "phone": household.phone,
    }
    return {**row, **changes}


def test_an_updated_household_lists_each_changed_field_and_flags_the_new_head(
    stored, second_village, commune_admin
):
    content = xlsx(
        "households",
        stored.commune,
        commune_admin,
        [household_row(stored, village="Mơ Tôn", head_name="Đinh Văn Hyưk", phone="0905123456")],
    )

    summary = check("households", commune_admin, content).summary()

    assert summary["updates"] == [
        {
            "row": 2,
            "household": "KLK-0001 – Đinh Văn Hliêu",
            "item": "",
            "alert": HEAD_ALERT,
            "fields": [
                ["Thôn, làng", "Mơhven-Ôr", "Mơ Tôn", True],
                ["Chủ hộ", "Đinh Văn Hliêu", "Đinh Văn Hyưk", True],
                ["Điện thoại", "—", "0905123456", False],
            ],
        }
    ]
    assert (summary["updates_more"], summary["alerts"]) == (0, 1)


def test_a_move_to_another_village_is_flagged_and_causes_are_named(stored, second_village, commune_admin):
    first, second = PovertyCause.objects.filter(active=True).order_by("order", "name")[:2]
    stored.causes.add(first)
    row = household_row(stored, village="Mơ Tôn", causes=f"{first.name}; {second.name}")

    summary = check(
        "households", commune_admin, xlsx("households", stored.commune, commune_admin, [row])
    ).summary()

    (update,) = summary["updates"]
    assert update["alert"] == VILLAGE_ALERT
    assert update["fields"] == [
        ["Thôn, làng", "Mơhven-Ôr", "Mơ Tôn", True],
        ["Nguyên nhân nghèo", first.name, f"{first.name}; {second.name}", False],
    ]


def test_unchanged_and_new_rows_are_not_listed(stored, commune_admin, village):
    rows = [household_row(stored), {**household_row(stored), "household_code": "KLK-0002"}]

    summary = check(
        "households", commune_admin, xlsx("households", stored.commune, commune_admin, rows)
    ).summary()

    assert (summary["new"], summary["unchanged"], summary["updates"]) == (1, 1, [])


def test_the_list_is_bounded_with_the_flagged_rows_first(monkeypatch, village, commune_admin):
    monkeypatch.setattr(engine, "PREVIEW_UPDATES", 2)
    households = [
        factories.HouseholdFactory(village=village, code=f"KLK-{n:04d}", head_name=f"Chủ hộ {n}", address="")
        for n in range(1, 5)
    ]
    rows = [household_row(h, address="Làng Kon Mơ") for h in households[:3]]
    rows.append(household_row(households[3], head_name="Người khác"))

    summary = check(
        "households", commune_admin, xlsx("households", village.commune, commune_admin, rows)
    ).summary()

    assert [update["row"] for update in summary["updates"]] == [5, 2]
    assert (summary["updated"], summary["updates_more"], summary["alerts"]) == (4, 2, 1)


def test_a_member_update_names_the_household_and_the_member_and_hides_the_id_number(stored, commune_admin):
    factories.MemberFactory(
        household=stored, number=2, full_name="Đinh Thị Hbia", relation="child", national_id="064080001234"
    )
    row = {
        "household_code": "KLK-0001",
        "number": 2,
        "full_name": "Đinh Thị H'Bia",
        "birth_year": 1985,
        "sex": "nữ",
        "relation": "con",
        "national_id": "064080009876",
    }

    summary = check("members", commune_admin, xlsx("members", stored.commune, commune_admin, [row])).summary()

    assert summary["updates"] == [
        {
            "row": 2,
            "household": "KLK-0001 – Đinh Văn Hliêu",
            "item": "Thành viên số 2: Đinh Thị Hbia",
            "alert": "",
            "fields": [
                ["Họ và tên", "Đinh Thị Hbia", "Đinh Thị H'Bia", False],
                ["Số CCCD", "•••••••••234", "•••••••••876", False],
            ],
        }
    ]


def test_an_exit_registration_update_shows_its_plan_and_status(stored, commune_admin):
    plan = factories.PlanFactory(commune=stored.commune, year=2023)
    factories.ExitRegistrationFactory(household=stored, plan=plan, registered_on=datetime.date(2023, 2, 10))
    row = {
        "household_code": "KLK-0001",
        "plan_year": 2023,
        "registered_on": "15/02/2023",
        "status": "đang thực hiện",
    }

    content = xlsx("exit-registrations", stored.commune, commune_admin, [row])
    (update,) = check("exit-registrations", commune_admin, content).summary()["updates"]

    assert update["item"] == "Kế hoạch năm 2023"
    assert update["fields"] == [
        ["Ngày đăng ký", "10/02/2023", "15/02/2023", False],
        ["Tình trạng", "đã đăng ký", "đang thực hiện", False],
    ]


def test_an_assignment_update_names_the_old_and_new_official(stored, commune_admin):
    plan = factories.PlanFactory(commune=stored.commune, year=2023)
    old = factories.OfficialFactory(commune=stored.commune, full_name="Y Kông Niê")
    new = factories.OfficialFactory(commune=stored.commune, full_name="Rơ Châm Hiếu")
    factories.AssignmentFactory(
        household=stored, plan=plan, official=old, started_on=datetime.date(2023, 2, 10)
    )
    row = {
        "household_code": "KLK-0001",
        "plan_year": 2023,
        "official": new.full_name,
        "started_on": "10/02/2023",
    }

    content = xlsx("assignments", stored.commune, commune_admin, [row])
    (update,) = check("assignments", commune_admin, content).summary()["updates"]

    assert update["item"] == "Kế hoạch năm 2023, từ 10/02/2023"
    assert update["fields"] == [["Cán bộ phụ trách", "Y Kông Niê", "Rơ Châm Hiếu", False]]


def test_a_review_update_shows_the_income_as_money(stored, commune_admin):
    factories.AssessmentFactory(household=stored, review_year=2024, income_per_capita_month=1_200_000)
    row = {"household_code": "KLK-0001", "review_year": 2024, "income_per_capita_month": "1.500.000"}

    content = xlsx("assessments", stored.commune, commune_admin, [row])
    (update,) = check("assessments", commune_admin, content).summary()["updates"]

    assert update["item"] == "Rà soát năm 2024"
    assert update["fields"][0] == [
        "Thu nhập bình quân đầu người/tháng (đồng)",
        "1.200.000 đ",
        "1.500.000 đ",
        False,
    ]


def _check_queries(kind, user, content: bytes) -> int:
    with CaptureQueriesContext(connection) as queries:
        result = check(kind, user, content)
    assert result.invalid == 0 and result.updated
    return len(queries)


def test_the_checks_query_count_does_not_grow_with_the_updated_rows(village, second_village, commune_admin):
    commune = village.commune
    households = [
        factories.HouseholdFactory(village=village, code=f"Q-{n}", head_name=f"Chủ hộ {n}") for n in range(31)
    ]
    for household in households:
        household.causes.add(PovertyCause.objects.filter(active=True).first())
        factories.MemberFactory(household=household, number=1, full_name=household.head_name, relation="head")
    rows = [household_row(h, village="Mơ Tôn", head_name=f"{h.head_name} mới") for h in households]
    members = [
        {
            "household_code": h.code,
            "number": 1,
            "full_name": "Tên mới",
            "birth_year": 1985,
            "sex": "nữ",
            "relation": "chủ hộ",
        }
        for h in households
    ]

    for kind, lines in (("households", rows), ("members", members)):
        one = _check_queries(kind, commune_admin, xlsx(kind, commune, commune_admin, lines[:1]))
        thirty = _check_queries(kind, commune_admin, xlsx(kind, commune, commune_admin, lines[1:]))
        assert one == thirty, kind


def _upload(client, content: bytes) -> ImportJob:
    stream = io.BytesIO(content)
    stream.name = "ho.xlsx"
    client.post(reverse("households:imports"), {"kind": "households", "file": stream})
    return ImportJob.objects.latest("pk")


def test_the_check_page_shows_the_changes_old_to_new_with_the_warning(client, stored, commune_admin):
    client.force_login(commune_admin)
    content = xlsx("households", stored.commune, commune_admin, [household_row(stored, head_name="Y Blă")])

    job = _upload(client, content)
    html = client.get(reverse("households:import_job", args=[job.pk])).content.decode()

    table = html.split('id="import-updates"')[1].split('id="import-updates-more"')[0]
    assert "KLK-0001 – Đinh Văn Hliêu" in table
    assert "Chủ hộ" in table and "Đinh Văn Hliêu → Y Blă" in table
    assert f'<strong class="overdue-text">{HEAD_ALERT}</strong>' in table
    assert "Số dòng đổi chủ hộ hoặc thôn, làng: 1. Hãy kiểm tra lại mã hộ của các dòng này" in html


def test_the_check_page_counts_the_updated_rows_it_does_not_list(client, monkeypatch, village, commune_admin):
    monkeypatch.setattr(engine, "PREVIEW_UPDATES", 1)
    client.force_login(commune_admin)
    households = [factories.HouseholdFactory(village=village, code=f"KLK-{n}", address="") for n in range(3)]
    rows = [household_row(h, address="Làng Kon Mơ") for h in households]

    job = _upload(client, xlsx("households", village.commune, commune_admin, rows))
    html = client.get(reverse("households:import_job", args=[job.pk])).content.decode()

    assert html.split('id="import-updates"')[1].count('class="card import-update"') == 1
    assert "Số dòng thay đổi khác không liệt kê ở đây: 2." in html


def test_the_job_page_query_count_does_not_grow_with_the_updates(
    client, village, commune_admin, django_assert_max_num_queries
):
    client.force_login(commune_admin)

    def job_with(updates: int) -> ImportJob:
        households = [
            factories.HouseholdFactory(village=village, address="", code=f"U{updates}-{n}")
            for n in range(updates)
        ]
        rows = [household_row(h, address="Làng Kon Mơ") for h in households]
        return _upload(client, xlsx("households", village.commune, commune_admin, rows))

    one, thirty = job_with(1), job_with(30)
    assert len(thirty.summary["updates"]) == 30
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("households:import_job", args=[one.pk]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("households:import_job", args=[thirty.pk]))
