"""Personas mirror the real roles (healthchecks' alice/bob/charlie idea).

`commune` is a commune under a district; `household` lives there and is assigned to `case_worker`.
"""

import pytest
from django.contrib.auth import get_user_model

from povertyplan.roles import Role
from tests import factories


@pytest.fixture
def commune(db):
    return factories.CommuneFactory(name="Kông Lơng Khơng")


@pytest.fixture
def village(commune):
    return factories.VillageFactory(commune=commune, name="Mơhven-Ôr")


@pytest.fixture
def commune_admin(commune):
    return factories.OfficialFactory(commune=commune, role=Role.COMMUNE_OFFICER, user__is_staff=True).user


@pytest.fixture
def case_worker(commune):
    return factories.OfficialFactory(commune=commune, role=Role.OFFICIAL).user


@pytest.fixture
def other_case_worker(commune):
    return factories.OfficialFactory(commune=commune, role=Role.OFFICIAL).user


@pytest.fixture
def viewer(commune):
    """The upper office of the commune's district (read-only)."""
    return factories.OfficialFactory(commune=None, district=commune.district, role=Role.UPPER_OFFICE).user


@pytest.fixture
def outsider(db):
    """A commune officer of another commune in another province."""
    return factories.OfficialFactory(role=Role.COMMUNE_OFFICER).user


@pytest.fixture
def administrator(db):
    return get_user_model().objects.create_superuser("quantri", password="mat-khau-thu")


@pytest.fixture
def household(village, case_worker):
    household = factories.HouseholdFactory(village=village, head_name="Đinh Văn Hmar", code="KLK-0001")
    factories.AssignmentFactory(household=household, official=case_worker.official)
    return household


@pytest.fixture
def personas(commune_admin, case_worker, other_case_worker, viewer, outsider, administrator):
    return {
        "commune_admin": commune_admin,
        "case_worker": case_worker,
        "other_case_worker": other_case_worker,
        "viewer": viewer,
        "outsider": outsider,
        "administrator": administrator,
    }
