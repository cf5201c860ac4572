import datetime

import pytest
from django.core.exceptions import ValidationError

from assignments import services
from assignments.models import Assignment
from plans import services as plan_services
from tests import factories

pytestmark = pytest.mark.django_db


def test_reassigning_keeps_the_previous_official_as_history(household, case_worker, other_case_worker):
    current = Assignment.objects.get(household=household)
    new = services.assignment_reassign(
        plan=current.plan,
        household=household,
        official=other_case_worker.official,
        on=datetime.date(2023, 6, 1),
        reason="Cán bộ chuyển công tác",
        by=None,
    )
    history = list(Assignment.objects.filter(household=household).order_by("started_on"))
    assert [a.official for a in history] == [case_worker.official, other_case_worker.official]
    assert history[0].ended_on == datetime.date(2023, 6, 1)
    assert history[0].end_reason == "Cán bộ chuyển công tác"
    assert new.is_current and not history[0].is_current


def test_reassigning_to_the_same_official_changes_nothing(household, case_worker):
    current = Assignment.objects.get(household=household)
    again = services.assignment_reassign(
        plan=current.plan, household=household, official=case_worker.official, on=datetime.date(2023, 6, 1)
    )
    assert again.pk == current.pk
    assert Assignment.objects.filter(household=household).count() == 1


def test_a_household_has_one_current_official_per_plan(household, other_case_worker):
    current = Assignment.objects.get(household=household)
    with pytest.raises(ValidationError):
        services.assignment_create(
            plan=current.plan,
            household=household,
            official=other_case_worker.official,
            started_on=current.started_on,
        )


def test_an_official_of_another_commune_cannot_be_put_in_charge(household):
    stranger = factories.OfficialFactory()
    plan = Assignment.objects.get(household=household).plan
    with pytest.raises(ValidationError):
        services.assignment_reassign(
            plan=plan, household=household, official=stranger, on=datetime.date(2023, 6, 1)
        )
    assert Assignment.objects.get(household=household, ended_on__isnull=True).official != stranger


def test_exit_registration_status_moves_and_household_must_be_in_the_plans_commune(household):
    plan = Assignment.objects.get(household=household).plan
    registration = plan_services.exit_registration_create(
        plan=plan, household=household, registered_on=datetime.date(2023, 2, 10), needs="Nuôi bò sinh sản"
    )
    plan_services.exit_registration_set_status(
        registration=registration, status="in_progress", note="Đang hỗ trợ"
    )
    registration.refresh_from_db()
    assert registration.status == "in_progress"
    # Whether it exited is the review's to say (plans.outcomes), never a stored status.
    with pytest.raises(ValidationError):
        plan_services.exit_registration_set_status(registration=registration, status="exited")
    registration.refresh_from_db()
    assert registration.status == "in_progress"
    with pytest.raises(ValidationError):
        plan_services.exit_registration_create(
            plan=factories.PlanFactory(), household=household, registered_on=datetime.date(2023, 2, 10)
        )


def test_support_action_needs_a_unit_with_a_quantity(household, case_worker):
    import uuid

    fields = dict(
        household=household,
        official=case_worker.official,
        date=datetime.date(2023, 3, 1),
        kind="labour",
        description="Giúp làm chuồng bò",
        quantity=2,
        contributor="official",
    )
    with pytest.raises(ValidationError):
        services.support_action_record(client_uuid=uuid.uuid4(), unit="", **fields)
    action, created = services.support_action_record(
        client_uuid=uuid.uuid4(), unit="ngày công", value_vnd=400_000, **fields
    )
    assert created and action.value_vnd == 400_000 and not action.needs_review


def test_the_same_client_uuid_is_stored_once(household, case_worker):
    import uuid

    from assignments.models import SupportAction

    key = uuid.uuid4()
    fields = dict(
        household=household,
        official=case_worker.official,
        date=datetime.date(2023, 3, 1),
        kind="knowledge",
        description="Hướng dẫn trồng mì",
        contributor="official",
        client_uuid=key,
    )
    first, created = services.support_action_record(**fields)
    again, created_again = services.support_action_record(**{**fields, "description": "khác"})
    assert created and not created_again
    assert again.pk == first.pk and again.description == "Hướng dẫn trồng mì"
    assert SupportAction.objects.filter(client_uuid=key).count() == 1
