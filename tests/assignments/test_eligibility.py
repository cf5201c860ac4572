"""Who may be put in charge of households: officials and commune officers, never an administrator
or the upper office — in the service, the importer and the admin's choices alike."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.selectors import officials_assignable
from assignments import services
from assignments.models import Assignment
from povertyplan.roles import Role
from tests import factories
from tests.assignments.test_import_assignments import check, line, messages, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(commune, commune_admin, case_worker):
    """Every kind of account that has an official profile in the commune."""
    admin_user = get_user_model().objects.create_superuser("quantri2", password="mat-khau-thu")
    return {
        "official": case_worker.official,
        "commune officer": commune_admin.official,
        "administrator": factories.OfficialFactory(user=admin_user, commune=commune, full_name="Quản Trị"),
        # An upper-office account whose profile names the commune (a data-entry slip): still not eligible.
        "upper office": factories.OfficialFactory(
            commune=commune, role=Role.UPPER_OFFICE, full_name="Cấp Trên"
        ),
        "inactive": factories.OfficialFactory(commune=commune, user__is_active=False, full_name="Đã Nghỉ"),
        "other commune": factories.OfficialFactory(full_name="Xã Khác"),
    }


ELIGIBLE = {
    "official": True,
    "commune officer": True,
    "administrator": False,
    "upper office": False,
    "inactive": False,
    "other commune": False,
}


def test_only_officials_and_commune_officers_of_the_commune_are_assignable(commune, cast):
    assignable = set(officials_assignable(commune=commune))
    assert {name: official in assignable for name, official in cast.items()} == ELIGIBLE


@pytest.mark.parametrize("name", sorted(ELIGIBLE))
def test_the_service_refuses_an_official_who_may_not_be_in_charge(commune, village, cast, name):
    plan = factories.PlanFactory(commune=commune)
    household = factories.HouseholdFactory(village=village)
    official = cast[name]
    if ELIGIBLE[name]:
        services.assignment_create(
            plan=plan, household=household, official=official, started_on=datetime.date(2023, 2, 10)
        )
        assert Assignment.objects.get(household=household).official == official
        return
    with pytest.raises(ValidationError):
        services.assignment_create(
            plan=plan, household=household, official=official, started_on=datetime.date(2023, 2, 10)
        )
    assert not Assignment.objects.filter(household=household).exists()


def test_the_import_does_not_know_an_administrator_or_the_upper_office(commune_admin, commune, village, cast):
    factories.PlanFactory(commune=commune, year=2023)
    factories.HouseholdFactory(village=village, code="KLK-0001")
    with translation.override("en"):
        refused = messages(
            check(commune_admin, commune, xlsx(line(official="Quản Trị"), line("KLK-0001", "Cấp Trên")))
        )
    assert len(refused) == 2
    assert all("is not in the commune's officials" in message for message in refused)
    assert "Quản Trị" not in refused[0].split("(")[1] and "Cấp Trên" not in refused[0].split("(")[1]


def test_the_admins_choice_of_official_offers_only_those_who_may_be_in_charge(client, commune_admin, cast):
    client.force_login(commune_admin)
    form = client.get(reverse("admin:assignments_assignment_add")).context["adminform"].form
    offered = set(form.fields["official"].queryset)
    assert offered == {cast["official"], cast["commune officer"]}
