"""Role groups and the write rule shared by every view: in scope but read-only is 403."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.selectors import scope_for_user
from households import selectors
from povertyplan.roles import ROLE_PERMISSIONS, Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_role_group_exists_with_exactly_its_listed_permissions():
    for role, codes in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=Role(role).value)
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert granted == set(codes)


def test_upper_office_has_no_write_permission_at_all():
    group = Group.objects.get(name=Role.UPPER_OFFICE.value)
    assert group.permissions.exists()
    assert not group.permissions.exclude(codename__startswith="view_").exists()


@pytest.mark.parametrize("persona", ["viewer", "case_worker"])
def test_read_only_roles_get_403_when_asking_to_write_a_household_in_scope(personas, household, persona):
    user = personas[persona]
    assert selectors.household_get_for_user(user=user, pk=household.pk) == household
    with pytest.raises(PermissionDenied):
        selectors.household_get_for_user(user=user, pk=household.pk, write=True)


@pytest.mark.parametrize("persona", ["commune_admin", "administrator"])
def test_writers_may_write_households_in_scope(personas, household, persona):
    assert selectors.household_get_for_user(user=personas[persona], pk=household.pk, write=True) == household


@pytest.mark.parametrize("persona", ["other_case_worker", "outsider"])
def test_out_of_scope_is_404_even_for_writing(personas, household, persona):
    with pytest.raises(Http404):
        selectors.household_get_for_user(user=personas[persona], pk=household.pk, write=True)


def test_upper_office_cannot_open_the_admin(client, viewer):
    client.force_login(viewer)
    response = client.get("/admin/households/household/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_official_no_longer_in_charge_loses_the_household(household, case_worker, other_case_worker):
    import datetime

    from assignments import services
    from assignments.models import Assignment

    plan = Assignment.objects.get(household=household).plan
    services.assignment_reassign(
        plan=plan, household=household, official=other_case_worker.official, on=datetime.date(2023, 7, 1)
    )
    for user in (case_worker, other_case_worker):
        user._povertyplan_scope = None  # a new request
    assert not selectors.household_list_for_user(user=case_worker).filter(pk=household.pk).exists()
    assert selectors.household_list_for_user(user=other_case_worker).filter(pk=household.pk).exists()


def test_province_level_upper_office_reads_communes_directly_under_the_province():
    """The 2025 two-tier shape: a commune with no district, an office at the province."""
    province = factories.ProvinceFactory(code="52", name="Gia Lai")
    commune = factories.CommuneFactory(district=None, province=province, name="Tơ Tung")
    old_shape = factories.CommuneFactory()  # under a district of another province
    office = factories.OfficialFactory(commune=None, province=province, role=Role.UPPER_OFFICE).user
    household = factories.HouseholdFactory(village=factories.VillageFactory(commune=commune))
    factories.HouseholdFactory(village=factories.VillageFactory(commune=old_shape))
    assert list(selectors.commune_list_for_user(user=office)) == [commune]
    assert list(selectors.household_list_for_user(user=office)) == [household]


def test_a_user_without_role_or_profile_sees_nothing(household, django_user_model):
    nobody = django_user_model.objects.create_user("khach", password="x")
    assert scope_for_user(nobody).role == Role.NONE
    assert not selectors.household_list_for_user(user=nobody).exists()
    assert not selectors.commune_list_for_user(user=nobody).exists()
