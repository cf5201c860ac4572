"""Starting plan N+1 from plan N: refusals, the copied text and responsibilities, the carried
registrations with their officials, and the candidates closest to exit with their reasons."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from assignments import plan_selectors
from assignments import services as assignment_services
from assignments.models import Assignment
from households import services as household_services
from households.classification import Level
from plans import candidates, services
from plans.models import ExitRegistration, Plan
from tests import factories
from tests.plans.world import close_round, plan_2023, review

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 1, 15)


@pytest.fixture
def plan(commune):
    return plan_2023(
        commune,
        introduction=(
            "Kết quả rà soát năm 2022 theo chuẩn giai đoạn 2022-2023; kế hoạch năm 2023 (họp ngày 20/12/2023)"
        ),
    )


def registered(plan, village, level_2023, official, *, deprived=(4, 7, 9)):
    household = factories.HouseholdFactory(village=village)
    review(household, 2022, Level.POOR, deprived=(4, 7, 9, 10))
    review(household, 2023, level_2023, deprived=deprived)
    factories.ExitRegistrationFactory(
        household=household, plan=plan, needs="Bò giống", commitment="Chăm sóc bò", status="in_progress"
    )
    factories.AssignmentFactory(household=household, plan=plan, official=official)
    return household


def poor(village, income, deprived, *, adjusted=False, code=None):
    household = factories.HouseholdFactory(village=village, **({"code": code} if code else {}))
    level = Level.NEAR_POOR if adjusted else Level.POOR
    review(household, 2023, level, income=income, deprived=deprived, adjusted=Level.POOR if adjusted else "")
    return household


# --- refusals ------------------------------------------------------------------------------------


def test_no_next_plan_without_a_closed_round_of_the_year(plan):
    assert "Chưa có đợt rà soát định kỳ năm 2023" in services.plan_next_refusal(plan)
    household_services.review_round_open(commune=plan.commune, year=2023)
    assert "Đợt rà soát định kỳ năm 2023 chưa kết thúc" in services.plan_next_refusal(plan)
    with pytest.raises(ValidationError):
        services.plan_create_next(previous=plan, text={}, target_exits=0)
    assert not Plan.objects.filter(year=2024).exists()
    close_round(plan.commune, 2023)
    assert services.plan_next_refusal(plan) is None


def test_no_second_plan_for_the_same_year(plan):
    close_round(plan.commune, 2023)
    services.plan_create_next(previous=plan, text={}, target_exits=0)
    assert services.plan_next_refusal(plan) == "Xã đã có kế hoạch năm 2024."
    with pytest.raises(ValidationError):
        services.plan_create_next(previous=plan, text={}, target_exits=0)
    assert Plan.objects.filter(commune=plan.commune, year=2024).count() == 1


# --- the copy ------------------------------------------------------------------------------------


def test_the_text_and_responsibilities_are_copied_with_the_year_moved_on(plan):
    close_round(plan.commune, 2023)
    text = services.plan_next_text(plan)
    text["purposes"] = "Mục đích mới\u200b"  # edited on the page (an invisible character is cleaned)

    new = services.plan_create_next(previous=plan, text=text, target_exits=7)

    assert (new.year, new.baseline_review_year, new.target_exits) == (2024, 2023, 7)
    assert new.title == "Kế hoạch giúp đỡ hộ nghèo thoát nghèo năm 2024"
    assert new.subject == "V/v phân công phụ trách hộ nghèo năm 2024"
    assert new.time_frame == "Từ tháng 02 đến hết năm 2024"
    assert new.legal_bases == plan.legal_bases  # decisions keep their years
    assert new.purposes == "Mục đích mới"
    for name in ("requirements", "signer_name", "recipients"):
        assert getattr(new, name) == getattr(plan, name)
    # Only the plan's own year moves on: not the baseline's, a date's or a period's.
    assert new.introduction == (
        "Kết quả rà soát năm 2022 theo chuẩn giai đoạn 2022-2023; kế hoạch năm 2024 (họp ngày 20/12/2023)"
    )
    assert (new.number, new.issued_on) == ("", None)

    def duties(of):
        return [
            (d.department_id, d.order, d.heading, d.tasks, sorted(p.code for p in d.projects.all()))
            for d in of.responsibilities.order_by("order")
        ]

    assert duties(new) == duties(plan) and len(duties(new)) == 2
    assert duties(new)[0][4] == ["DA1", "DA3"]


# --- carried registrations and their officials -----------------------------------------------------


def test_registrations_that_did_not_exit_are_carried_with_their_official(
    plan, village, case_worker, commune_admin
):
    official = case_worker.official
    stayed = registered(plan, village, Level.POOR, official)
    exited = registered(plan, village, Level.NEAR_POOR, official, deprived=(9,))
    left_out = registered(plan, village, Level.POOR, commune_admin.official)
    close_round(plan.commune, 2023)

    start = plan_selectors.next_plan_start(plan, refusal=None)
    carried = {item.registration.household_id: item for item in start.carried}
    assert set(carried) == {stayed.pk, left_out.pk}
    assert carried[stayed.pk].official == official
    assert carried[stayed.pk].result.remaining_numbers == [4, 7, 9]
    assert exited.pk not in {c.household_id for c in start.candidates}

    new = assignment_services.plan_start_next(
        previous=plan,
        text=services.plan_next_text(plan),
        carried={stayed: official, left_out: None},
        chosen=[],
        registered_on=DAY,
    )

    registration = ExitRegistration.objects.get(plan=new, household=stayed)
    assert (registration.needs, registration.commitment, registration.registered_on) == (
        "Bò giống",
        "Chăm sóc bò",
        DAY,
    )
    assert registration.status == ExitRegistration.Status.REGISTERED
    assert Assignment.objects.get(plan=new, household=stayed).official == official
    assert ExitRegistration.objects.filter(plan=new, household=left_out).exists()
    assert not Assignment.objects.filter(plan=new, household=left_out).exists()
    assert not ExitRegistration.objects.filter(plan=new, household=exited).exists()
    assert new.target_exits == 2


def test_an_official_no_longer_eligible_is_not_carried(plan, village, case_worker):
    household = registered(plan, village, Level.POOR, case_worker.official)
    case_worker.is_active = False
    case_worker.save()
    close_round(plan.commune, 2023)
    (item,) = plan_selectors.next_plan_start(plan, refusal=None).carried
    assert item.registration.household_id == household.pk and item.official is None


# --- candidates ----------------------------------------------------------------------------------


def test_candidates_are_the_poor_closest_to_exit_with_their_reasons(plan, village, case_worker):
    farther = poor(village, 1_300_000, (4, 7, 9), code="C-3")
    more_lacking = poor(village, 1_450_000, (1, 4, 7, 9), code="C-2")
    closest = poor(village, 1_450_000, (4, 7, 9), code="C-1")
    kept_poor_by_meeting = poor(village, 1_480_000, (7,), adjusted=True, code="C-0")
    poor(village, 1_000_000, (1, 2, 3))  # far below the line
    near_poor = factories.HouseholdFactory(village=village)
    review(near_poor, 2023, Level.NEAR_POOR, income=1_450_000, deprived=(4,))
    carried = registered(plan, village, Level.POOR, case_worker.official)
    review_round = close_round(plan.commune, 2023)

    found = candidates.exit_candidates(review_round=review_round, exclude={carried.pk})

    assert [c.household_id for c in found][:4] == [
        kept_poor_by_meeting.pk,
        closest.pk,
        more_lacking.pk,
        farther.pk,
    ]
    assert near_poor.pk not in {c.household_id for c in found} and carried.pk not in {
        c.household_id for c in found
    }
    assert found[0].reason == (
        "thu nhập 1.480.000 đ/người/tháng, còn thiếu 20.000 đ; thiếu hụt 1 chỉ số: 7 (chất lượng nhà ở)"
    )
    assert found[1].reason == (
        "thu nhập 1.450.000 đ/người/tháng, còn thiếu 50.000 đ; thiếu hụt 3 chỉ số: "
        "4 (bảo hiểm y tế), 7 (chất lượng nhà ở), 9 (nguồn nước sinh hoạt)"
    )
    assert (found[0].shortfall, found[-1].shortfall) == (20_000, 500_000)


def test_a_reason_says_when_the_income_is_at_or_above_the_line(plan, village):
    at_line = poor(village, 1_500_000, (4, 7, 9), code="C-1")
    above = poor(village, 1_600_000, (7,), adjusted=True, code="C-2")
    found = {
        c.household_id: c for c in candidates.exit_candidates(review_round=close_round(plan.commune, 2023))
    }
    assert found[at_line.pk].reason.startswith(
        "thu nhập 1.500.000 đ/người/tháng, bằng chuẩn nghèo; thiếu hụt 3"
    )
    assert found[above.pk].reason.startswith(
        "thu nhập 1.600.000 đ/người/tháng, trên chuẩn nghèo; thiếu hụt 1"
    )
    assert [c.household_id for c in sorted(found.values(), key=candidates.closeness)] == [
        above.pk,
        at_line.pk,
    ]


def test_chosen_candidates_are_registered_in_the_new_plan(plan, village):
    candidate = poor(village, 1_450_000, (4, 7, 9))
    close_round(plan.commune, 2023)
    new = assignment_services.plan_start_next(
        previous=plan, text=services.plan_next_text(plan), carried={}, chosen=[candidate], registered_on=DAY
    )
    assert list(new.exit_registrations.values_list("household_id", flat=True)) == [candidate.pk]
    assert new.target_exits == 1
