"""Every export of personal data leaves an ExportRecord: who, which list, how many rows, from where."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from households.models import ExportRecord, Household, Member
from tests import factories

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(type(user).objects.get(pk=user.pk))


def page_url(list_name: str, fmt: str) -> str:
    return reverse("households:export", kwargs={"list_name": list_name, "fmt": fmt})


def admin_url(model, view: str) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


@pytest.fixture
def members(household):
    for number in (1, 2, 3):
        factories.MemberFactory(household=household, number=number)
    return household.members.all()


def test_csv_page_export_is_recorded_once_the_stream_is_consumed(client, commune_admin, commune, members):
    login(client, commune_admin)
    response = client.get(page_url("members", "csv"))
    assert response.status_code == 200
    assert not ExportRecord.objects.exists()  # nothing has left yet: the rows are written as they stream
    body = b"".join(response.streaming_content)
    assert body.count(b"\n") == 4  # header and three members
    record = ExportRecord.objects.get()
    assert (record.list_name, record.fmt, record.rows, record.source) == ("members", "csv", 3, "page")
    assert (record.user, record.username, record.commune) == (commune_admin, commune_admin.username, commune)


def test_xlsx_page_export_is_recorded(client, commune_admin, household):
    factories.HouseholdFactory(village=household.village, code="KLK-0002")
    login(client, commune_admin)
    response = client.get(page_url("households", "xlsx"))
    b"".join(response.streaming_content)
    record = ExportRecord.objects.get()
    assert (record.list_name, record.fmt, record.rows, record.source) == ("households", "xlsx", 2, "page")


def test_refused_page_export_leaves_no_record(client, case_worker, household):
    login(client, case_worker)
    assert client.get(page_url("households", "csv")).status_code == 403
    assert not ExportRecord.objects.exists()


@pytest.mark.parametrize("fmt, index", [("xlsx", "0"), ("csv", "1")])
def test_admin_export_is_recorded(client, commune_admin, commune, members, fmt, index):
    login(client, commune_admin)
    response = client.post(admin_url(Member, "export"), {"resource": "0", "format": index})
    assert response.status_code == 200
    record = ExportRecord.objects.get()
    assert (record.list_name, record.fmt, record.rows, record.source) == ("members", fmt, 3, "admin")
    assert (record.user, record.commune) == (commune_admin, commune)


def test_administrators_export_is_recorded_without_a_commune(client, administrator, household):
    login(client, administrator)
    client.post(admin_url(Household, "export"), {"resource": "0", "format": "1"})
    record = ExportRecord.objects.get()
    assert (record.username, record.commune, record.rows) == ("quantri", None, 1)


def test_the_record_keeps_the_username_when_the_account_is_deleted(client, household):
    user = get_user_model().objects.create_superuser("tam-thoi", password="mat-khau-thu")
    login(client, user)
    client.post(admin_url(Household, "export"), {"resource": "0", "format": "1"})
    user.delete()
    record = ExportRecord.objects.get()
    assert (record.user, record.username) == (None, "tam-thoi")


def test_administrators_read_the_records_and_nobody_edits_them(
    client, administrator, commune_admin, household
):
    login(client, commune_admin)
    client.get(page_url("households", "xlsx"))
    record = ExportRecord.objects.get()

    login(client, administrator)
    listing = client.get(admin_url(ExportRecord, "changelist"))
    assert listing.status_code == 200
    assert commune_admin.username in listing.content.decode()
    assert client.get(admin_url(ExportRecord, "add")).status_code == 403
    change = reverse("admin:households_exportrecord_change", args=[record.pk])
    assert client.post(change, {"rows": 0}).status_code == 403
    delete = reverse("admin:households_exportrecord_delete", args=[record.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ExportRecord.objects.get().rows == 1


def test_commune_officers_do_not_see_the_records(client, commune_admin, household):
    login(client, commune_admin)
    assert client.get(admin_url(ExportRecord, "changelist")).status_code == 403
    assert "exportrecord" not in client.get(reverse("admin:index")).content.decode()
