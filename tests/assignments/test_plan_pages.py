"""The commune officer's plan pages: starting plan N+1 from the closed year, and registering and
assigning several households at once with each official's load."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments import plan_selectors
from assignments.models import Assignment
from households import services as household_services
from households.classification import Level
from plans.models import ExitRegistration, Plan
from tests import factories
from tests.plans.world import close_round, plan_2023, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commune):
    return plan_2023(commune)


def next_url(plan):
    return reverse("assignments:plan_next", args=[plan.pk])


def bulk_url(plan):
    return reverse("assignments:plan_households", args=[plan.pk])


def not_exited(plan, village, official, n=0):
    household = factories.HouseholdFactory(village=village, code=f"NE-{n:03d}")
    review(household, 2022, Level.POOR, deprived=(4, 7, 9))
    review(household, 2023, Level.POOR, deprived=(4, 7, 9))
    factories.ExitRegistrationFactory(household=household, plan=plan, needs="Bò", status="in_progress")
    factories.AssignmentFactory(household=household, plan=plan, official=official)
    return household


def candidate(village, n=0, income=1_450_000):
    household = factories.HouseholdFactory(village=village, code=f"CA-{n:03d}")
    review(household, 2022, Level.POOR, deprived=(1, 4, 7))
    review(household, 2023, Level.POOR, income=income, deprived=(1, 4, 7))
    return household


def form_data(response) -> dict:
    """What the page's form sends as rendered (boxes as ticked, choices as selected)."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return data


# --- starting the next plan ------------------------------------------------------------------------


def test_the_page_refuses_while_the_round_is_open_and_links_to_it(
    client, commune_admin, plan, village, case_worker
):
    not_exited(plan, village, case_worker.official)
    review_round = household_services.review_round_open(commune=plan.commune, year=2023)
    client.force_login(commune_admin)

    page = client.get(next_url(plan))

    html = page.content.decode()
    assert "Đợt rà soát định kỳ năm 2023 chưa kết thúc" in html
    assert reverse("households:round", args=[review_round.pk]) in html
    assert page.context["form"] is None
    client.post(next_url(plan), {"title": "X", "registered_on": "15/01/2024"})
    assert not Plan.objects.filter(year=2024).exists()


def test_without_a_round_the_page_links_to_the_rounds(client, commune_admin, plan):
    client.force_login(commune_admin)
    html = client.get(next_url(plan)).content.decode()
    assert "Chưa có đợt rà soát định kỳ năm 2023" in html and reverse("households:rounds") in html


def test_the_officer_starts_the_next_plan_as_proposed(client, commune_admin, plan, village, case_worker):
    official = case_worker.official
    carried = not_exited(plan, village, official)
    proposed = candidate(village)
    close_round(plan.commune, 2023)
    client.force_login(commune_admin)

    page = client.get(next_url(plan))
    html = page.content.decode()
    assert "Thu nhập 1.450.000 đ/người/tháng, còn thiếu 50.000 đ; thiếu hụt 3 chỉ số" in html
    assert "Kế hoạch giúp đỡ hộ nghèo thoát nghèo năm 2024" in html
    data = form_data(page)
    assert data[f"carry_{carried.pk}"] == "on" and data[f"official_{carried.pk}"] == official.pk
    assert f"candidate_{proposed.pk}" not in data  # proposed, not ticked
    data[f"candidate_{proposed.pk}"] = "on"
    data["registered_on"] = "15/01/2024"

    response = client.post(next_url(plan), data)

    new = Plan.objects.get(commune=plan.commune, year=2024)
    assert response.status_code == 302 and response["Location"] == bulk_url(new)
    assert set(new.exit_registrations.values_list("household_id", flat=True)) == {carried.pk, proposed.pk}
    assert Assignment.objects.get(plan=new, household=carried).official == official
    assert (new.baseline_review_year, new.target_exits, new.responsibilities.count()) == (2023, 2, 2)
    again = client.get(next_url(plan)).content.decode()
    assert "Xã đã có kế hoạch năm 2024." in again


def test_a_bad_day_changes_nothing(client, commune_admin, plan, village, case_worker):
    not_exited(plan, village, case_worker.official)
    close_round(plan.commune, 2023)
    client.force_login(commune_admin)
    data = form_data(client.get(next_url(plan)))
    data["registered_on"] = "15/01/2031"
    response = client.post(next_url(plan), data)
    assert response.status_code == 200
    assert "Ngày không được sau hôm nay." in response.content.decode()
    assert not Plan.objects.filter(year=2024).exists()


def world(commune, plan, size: int) -> None:
    village = factories.VillageFactory(commune=commune)
    officials = [factories.OfficialFactory(commune=commune) for _ in range(3)]
    for n in range(size):
        if n % 2:
            not_exited(plan, village, officials[n % 3], n)
        else:
            candidate(village, n, income=1_200_000 + n * 1_000)


@pytest.mark.parametrize("url", [next_url, bulk_url])
def test_the_plan_pages_query_count_does_not_depend_on_the_number_of_households(client, commune_admin, url):
    def queries(size):
        commune = factories.CommuneFactory()
        admin = factories.OfficialFactory(commune=commune, role="commune_officer").user
        plan = plan_2023(commune)
        world(commune, plan, size)
        close_round(commune, 2023)
        client.force_login(admin)
        client.get(url(plan))  # warm up
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(plan)).status_code == 200
        return len(captured.captured_queries)

    assert queries(10) == queries(200)


# --- bulk registration and assignment ------------------------------------------------------------


def test_bulk_registration_registers_the_ticked_households_once(
    client, commune_admin, plan, village, case_worker
):
    already = not_exited(plan, village, case_worker.official)
    first, second = candidate(village, 1), candidate(village, 2)
    factories.HouseholdFactory(village=village, code="KHONG-NGHEO")  # on no list: not offered
    client.force_login(commune_admin)
    listed = {row.household.pk for row in client.get(bulk_url(plan)).context["rows"]}
    assert listed == {already.pk, first.pk, second.pk}

    response = client.post(
        bulk_url(plan),
        {"action": "register", "households": [first.pk, second.pk, already.pk], "day": "10/02/2023"},
        follow=True,
    )

    assert "Đã đăng ký thoát nghèo cho 2 hộ." in response.content.decode()
    registrations = ExitRegistration.objects.filter(plan=plan)
    assert registrations.count() == 3
    assert registrations.get(household=first).registered_on == datetime.date(2023, 2, 10)


def test_bulk_registration_with_nothing_ticked_or_a_household_not_listed_changes_nothing(
    client, commune_admin, plan, village
):
    candidate(village, 1)
    elsewhere = factories.HouseholdFactory()
    client.force_login(commune_admin)
    for households in ([], [elsewhere.pk]):
        response = client.post(
            bulk_url(plan), {"action": "register", "households": households, "day": "10/02/2023"}
        )
        assert response.status_code == 200 and response.context["form"].errors
    assert not ExitRegistration.objects.exists()


def test_bulk_assignment_hands_over_and_keeps_the_history(
    client, commune_admin, plan, village, case_worker, other_case_worker
):
    first = not_exited(plan, village, case_worker.official, 1)
    second = not_exited(plan, village, case_worker.official, 2)
    fresh = candidate(village, 3)
    client.force_login(commune_admin)
    loads = {load.official: load.households for load in client.get(bulk_url(plan)).context["officials"]}
    assert loads[case_worker.official] == 2 and loads[other_case_worker.official] == 0

    client.post(
        bulk_url(plan),
        {
            "action": "assign",
            "households": [first.pk, fresh.pk],
            "official": other_case_worker.official.pk,
            "day": "01/06/2023",
            "reason": "Cán bộ chuyển công tác",
        },
    )

    ended = Assignment.objects.get(plan=plan, household=first, official=case_worker.official)
    assert (ended.ended_on, ended.end_reason) == (datetime.date(2023, 6, 1), "Cán bộ chuyển công tác")
    assert (
        Assignment.objects.get(plan=plan, household=first, ended_on=None).official
        == other_case_worker.official
    )
    assert Assignment.objects.get(plan=plan, household=fresh).official == other_case_worker.official
    assert Assignment.objects.get(plan=plan, household=second, ended_on=None).official == case_worker.official
    loads = {load.official: load.households for load in plan_selectors.official_loads(plan)}
    assert (loads[case_worker.official], loads[other_case_worker.official]) == (1, 2)


def test_an_administrator_cannot_be_given_households(client, commune_admin, plan, village):
    household = candidate(village, 1)
    admin = factories.OfficialFactory(commune=plan.commune, user=factories.UserFactory(is_superuser=True))
    client.force_login(commune_admin)
    offered = {load.official for load in client.get(bulk_url(plan)).context["officials"]}
    assert admin not in offered and commune_admin.official in offered
    response = client.post(
        bulk_url(plan),
        {"action": "assign", "households": [household.pk], "official": admin.pk, "day": "01/06/2023"},
    )
    assert response.status_code == 200
    assert not Assignment.objects.filter(household=household).exists()


# --- the way there ---------------------------------------------------------------------------------


def test_the_officers_pages_offer_to_start_the_next_plan_when_none_is_in_force(
    client, commune_admin, case_worker, plan
):
    client.force_login(commune_admin)
    for name in ("households:list", "assignments:my_households"):
        html = client.get(reverse(name)).content.decode()
        assert next_url(plan) in html, name
        assert "Lập kế hoạch năm 2024 từ kế hoạch năm 2023" in html
        assert "Kế hoạch gần nhất: năm 2023." in html
    client.force_login(case_worker)
    assert next_url(plan) not in client.get(reverse("assignments:my_households")).content.decode()
