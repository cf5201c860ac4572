"""Personas mirror the real roles (healthchecks' alice/bob/charlie idea).

`commune` is a commune under a district; `household` lives there and is assigned to `case_worker`.
"""

import os
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from povertyplan.roles import Role
from tests import factories
from tests.fontconfig import use_dejavu_only

use_dejavu_only()  # before any test starts Pango: the PDFs must not depend on the machine's fonts


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite the test database is a file (one per test run), not memory, so that a real worker
    process started by a test (tests/test_worker_stops.py) opens the same database."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and not database.get("TEST", {}).get("NAME"):
        name = Path(tempfile.gettempdir()) / f"povertyplan-test-{os.getpid()}.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)
        # A test database need not survive a power cut: no waiting for the disk.
        database.setdefault("OPTIONS", {})["init_command"] = "PRAGMA synchronous=OFF"


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


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a temporary folder, never to the real media root."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def action_with_photo(client, case_worker, household, media):
    """A support with a photo, logged by case_worker through the real form."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from assignments.models import SupportAction
    from tests.payloads import png_bytes, support_data

    client.force_login(case_worker)
    upload = SimpleUploadedFile("anh.png", png_bytes(), content_type="image/png")
    client.post(reverse("assignments:support_new", args=[household.pk]), {**support_data(), "photo": upload})
    client.logout()
    return SupportAction.objects.get()


@pytest.fixture(autouse=True)
def vietnamese_after_each_test():
    """A page asked for in English leaves English active in this thread; the next test starts in
    Vietnamese, as every request does (povertyplan.middleware.VietnameseFirstMiddleware)."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
