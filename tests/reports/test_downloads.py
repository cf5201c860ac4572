"""Report downloads on the demo commune: every report in both formats, names, scope and the cache.

The demo is loaded once for the module inside a transaction rolled back at the end (as in
tests/test_demo.py); each test runs in its own savepoint. Files go to a temporary MEDIA_ROOT.
"""

import datetime
import io
import re
from urllib.parse import unquote

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from demo import data as demo_data
from households import services as household_services
from households.models import Commune, Household
from povertyplan.roles import Role
from reports import services
from reports.models import ReportFile
from reports.selectors import REPORT_SLUGS
from tests import factories

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOADS = [(slug, "pdf") for slug in REPORT_SLUGS] + [
    (slug, "xlsx") for slug in REPORT_SLUGS if slug != "plan"
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--quiet")
        yield Commune.objects.get(code=demo_data.COMMUNE["code"], valid_until__isnull=True)
        transaction.set_rollback(True)


@pytest.fixture
def commune(demo, db, media):
    """The demo commune (this module's, in place of conftest's small one)."""
    return demo


def user(username):
    return get_user_model().objects.get(username=username)


def url(slug, fmt, year=2023, **query):
    path = reverse("reports:download", kwargs={"year": year, "slug": slug, "fmt": fmt})
    return path + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


@pytest.fixture
def builds(monkeypatch):
    """Counts the report builds (the real selector runs; only the calls are counted)."""
    calls = []
    real = services.build_report

    def counting(slug, **kwargs):
        calls.append(slug)
        return real(slug, **kwargs)

    monkeypatch.setattr(services, "build_report", counting)
    return calls


# Every report, both formats --------------------------------------------------------------------


@pytest.mark.parametrize("slug, fmt", DOWNLOADS)
def test_every_report_downloads_as_a_file_that_opens(client, commune, slug, fmt):
    client.force_login(user("ldtbxh"))
    response = client.get(url(slug, fmt))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if fmt == "pdf":
        assert response["Content-Type"] == PDF
        reader = PdfReader(io.BytesIO(content))
        assert len(reader.pages) >= 1
        text = "".join(page.extract_text() for page in reader.pages)
        assert "Kông Lơng Khơng".upper() in text.upper()
    else:
        assert response["Content-Type"] == XLSX
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        sheet = workbook.worksheets[0]
        assert sheet.max_row > 3
        cells = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell)
        assert "Kông Lơng Khơng".upper() in cells.upper()
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("slug, fmt", [("progress", "xlsx"), ("plan", "pdf")])
def test_the_file_name_is_dated_ascii_with_the_vietnamese_name_beside(client, commune, slug, fmt):
    client.force_login(user("ldtbxh"))
    disposition = client.get(url(slug, fmt))["Content-Disposition"]
    today = timezone.localdate().strftime("%Y%m%d")
    match = re.fullmatch(
        r'attachment; filename="([a-z0-9-]+)-23668-2023-(\d{8})\.' + fmt + r"\"; filename\*=UTF-8''(\S+)",
        disposition,
    )
    assert match, disposition
    assert match.group(2) == today
    assert disposition.isascii()
    readable = unquote(match.group(3))
    assert readable.endswith(f" - xã Kông Lơng Khơng - 2023 - {today}.{fmt}")


def test_the_progress_workbook_is_named_in_vietnamese(client, commune):
    # Needs the Vietnamese catalogue with locale/fragments/report-views.po merged in.
    client.force_login(user("ldtbxh"))
    today = timezone.localdate().strftime("%Y%m%d")
    disposition = client.get(url("progress", "xlsx"))["Content-Disposition"]
    ascii_name, readable = re.fullmatch(
        r"attachment; filename=\"(.+)\"; filename\*=UTF-8''(.+)", disposition
    ).groups()
    assert ascii_name == f"bao-cao-tien-do-23668-2023-{today}.xlsx"
    assert unquote(readable) == f"Báo cáo tiến độ - xã Kông Lơng Khơng - 2023 - {today}.xlsx"


def test_the_plan_has_no_spreadsheet_and_unknown_reports_are_not_found(client, commune):
    client.force_login(user("ldtbxh"))
    assert client.get(url("plan", "xlsx")).status_code == 404
    assert client.get(url("no-such-report", "pdf")).status_code == 404
    assert client.get("/reports/2023/progress.docx").status_code == 404
    assert client.get("/reports/2023/progress.PDF").status_code == 404


def test_a_year_without_plan_is_not_found(client, commune):
    client.force_login(user("ldtbxh"))
    assert client.get(url("village-stats", "xlsx", year=99999)).status_code == 404
    assert client.get(url("village-stats", "xlsx", year=2021)).status_code == 404
    assert client.get(url("village-stats", "xlsx", review="x")).status_code == 404


def test_another_review_year_is_a_report_of_its_own(client, commune, builds):
    client.force_login(user("ldtbxh"))
    assert client.get(url("village-stats", "xlsx")).status_code == 200
    assert client.get(url("village-stats", "xlsx", review=2021)).status_code == 200
    assert sorted(ReportFile.objects.values_list("review_year", flat=True)) == [2021, 2022]
    assert builds == ["village-stats", "village-stats"]


# Scope -----------------------------------------------------------------------------------------


def test_upper_office_of_the_district_downloads_with_or_without_the_commune(client, commune):
    client.force_login(user("huyen"))
    assert client.get(url("village-stats", "xlsx", commune="23668")).status_code == 200
    assert client.get(url("village-stats", "xlsx")).status_code == 200  # its only commune


def test_a_commune_is_required_when_the_user_has_several(client, commune):
    factories.CommuneFactory(district=commune.district, province=commune.province)
    client.force_login(user("huyen"))
    assert client.get(url("village-stats", "xlsx")).status_code == 404
    assert client.get(url("village-stats", "xlsx", commune="23668")).status_code == 200
    client.force_login(user("admin"))
    assert client.get(url("village-stats", "xlsx")).status_code == 404
    assert client.get(url("village-stats", "xlsx", commune="23668")).status_code == 200


def test_upper_office_of_another_province_gets_nothing(client, commune):
    elsewhere = factories.OfficialFactory(
        commune=None, district=factories.DistrictFactory(), role=Role.UPPER_OFFICE
    )
    client.force_login(elsewhere.user)
    for slug, fmt in DOWNLOADS:
        assert client.get(url(slug, fmt, commune="23668")).status_code == 404
    assert ReportFile.objects.count() == 0


def test_an_official_cannot_download_a_commune_wide_list(client, commune):
    client.force_login(user("canbo01"))
    for slug, fmt in DOWNLOADS:
        assert client.get(url(slug, fmt)).status_code == 403
        assert client.get(url(slug, fmt, commune="23668")).status_code == 403
    assert ReportFile.objects.count() == 0


def test_anonymous_is_sent_to_sign_in(client, commune):
    response = client.get(url("progress", "pdf"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# The cache -------------------------------------------------------------------------------------


def test_a_second_download_serves_the_stored_file_without_building(client, commune, builds):
    client.force_login(user("ldtbxh"))
    first = b"".join(client.get(url("progress", "xlsx")).streaming_content)
    entry = ReportFile.objects.get()
    assert entry.status == ReportFile.Status.DONE
    stored = entry.file.path
    modified = entry.file.storage.get_modified_time(entry.file.name)

    client.force_login(user("huyen"))  # the cache is the commune's, whoever asks
    second = b"".join(client.get(url("progress", "xlsx", commune="23668")).streaming_content)

    assert builds == ["progress"]
    assert second == first
    assert ReportFile.objects.get().file.path == stored
    assert entry.file.storage.get_modified_time(entry.file.name) == modified


def test_a_change_to_the_data_rebuilds_and_deletes_the_old_file(client, commune, builds):
    client.force_login(user("ldtbxh"))
    client.get(url("exit-households", "pdf"))
    old = ReportFile.objects.get()
    storage, old_name = old.file.storage, old.file.name
    assert storage.exists(old_name)

    household = Household.objects.filter(commune=commune, exit_registrations__isnull=False).first()
    household_services.household_update(household=household, head_name="Đinh Văn Blơi", by=user("ldtbxh"))
    response = client.get(url("exit-households", "pdf"))

    assert response.status_code == 200
    assert "Đinh Văn Blơi" in "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    )
    assert builds == ["exit-households", "exit-households"]
    new = ReportFile.objects.get()  # the old entry is gone…
    assert new.pk != old.pk and new.fingerprint != old.fingerprint
    assert not storage.exists(old_name)  # …with its file


def test_a_stored_file_deleted_from_the_disk_is_built_again(client, commune, builds):
    client.force_login(user("ldtbxh"))
    client.get(url("village-stats", "xlsx"))
    entry = ReportFile.objects.get()
    entry.file.storage.delete(entry.file.name)

    response = client.get(url("village-stats", "xlsx"))

    assert response.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert builds == ["village-stats", "village-stats"]
    assert ReportFile.objects.get().file.storage.exists(ReportFile.objects.get().file.name)


def test_the_files_are_not_under_a_served_url(client, commune):
    client.force_login(user("ldtbxh"))
    client.get(url("village-stats", "pdf"))
    entry = ReportFile.objects.get()
    assert entry.file.name.startswith(f"reports/{commune.pk}/")
    assert "Kông" not in entry.file.name and "23668" not in entry.file.name
    assert client.get("/media/" + entry.file.name).status_code == 404


def test_a_build_in_the_request_that_fails_shows_the_error_and_a_retry(client, commune, monkeypatch):
    def broken(slug, **kwargs):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(services, "build_report", broken)
    client.force_login(user("ldtbxh"))
    response = client.get(url("assignments", "pdf"))
    assert response.status_code == 500
    entry = ReportFile.objects.get()
    assert entry.status == ReportFile.Status.FAILED
    assert entry.error == "RuntimeError: hỏng"
    assert not entry.file
    html = response.content.decode()
    assert entry.message in html
    assert f'action="{reverse("reports:job_retry", args=[entry.pk])}"' in html

    monkeypatch.undo()
    response = client.post(reverse("reports:job_retry", args=[entry.pk]))
    assert response.status_code == 302
    assert response["Location"] == url("assignments", "pdf", commune="23668")
    entry.refresh_from_db()
    assert entry.status == ReportFile.Status.DONE
    assert client.get(response["Location"])["Content-Type"] == PDF


def test_a_report_estimated_slow_goes_to_the_background(client, commune, settings):
    # On the demo every build is quick; a one-second threshold sends the measured-slow ones away.
    client.force_login(user("ldtbxh"))
    client.get(url("progress", "pdf"))
    first = ReportFile.objects.get()
    first.started_at = first.finished_at - datetime.timedelta(seconds=5)  # as if it took 5 s
    first.save()
    household = Household.objects.filter(commune=commune).first()
    household_services.household_update(household=household, address="Thôn 3", by=user("ldtbxh"))

    response = client.get(url("progress", "pdf"))

    assert response.status_code == 202
    entry = ReportFile.objects.exclude(pk=first.pk).get()
    assert entry.status == ReportFile.Status.QUEUED
    assert entry.task_id
    assert services.estimated_seconds(commune=commune, slug="progress", fmt="pdf", plan_year=2023) == 5


def test_the_admin_lists_stored_files_read_only_and_deleting_one_deletes_its_file(client, commune):
    client.force_login(user("ldtbxh"))
    client.get(url("village-stats", "pdf"))
    entry = ReportFile.objects.get()
    storage, name = entry.file.storage, entry.file.name
    client.force_login(user("admin"))

    assert client.get(reverse("admin:reports_reportfile_changelist")).status_code == 200
    page = client.get(reverse("admin:reports_reportfile_change", args=[entry.pk]))
    assert page.status_code == 200
    assert name in page.content.decode() and "/media/" not in page.content.decode()
    assert client.get(reverse("admin:reports_reportfile_add")).status_code == 403
    response = client.post(reverse("admin:reports_reportfile_delete", args=[entry.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not ReportFile.objects.exists()
    assert not storage.exists(name)
