"""The import pages: upload, the check's preview, confirmation, refusals, downloads.

The client asks for English (the language cookie) and the files carry English headers, except in
the test of the Vietnamese row messages, whose text is already in the catalogue.
"""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from households.imports import jobs
from households.models import Household, ImportJob
from tests import factories
from tests.households.test_import_jobs import existing_row, households_xlsx, new_row, snapshot

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def officer(client, commune_admin):
    client.force_login(commune_admin)
    client.cookies["django_language"] = "en"
    return commune_admin


def english_file(commune, user, rows) -> bytes:
    with translation.override("en"):
        return households_xlsx(commune, user, rows)


def upload(client, data: bytes, name: str = "ho.xlsx", kind: str = "households", **extra):
    return client.post(
        reverse("households:imports"), {"kind": kind, "file": _named(data, name), **extra}, follow=True
    )


def _named(data: bytes, name: str):
    stream = io.BytesIO(data)
    stream.name = name
    return stream


def test_the_import_page_offers_the_five_lists_their_templates_and_recent_imports(client, officer, village):
    other = ImportJob.objects.create(
        kind="members", commune=village.commune, filename="tv.xlsx", data=b"x", created_by=officer
    )
    ImportJob.objects.filter(pk=other.pk).update(status=ImportJob.Status.APPLIED, summary={"total": 1234})

    response = client.get(reverse("households:imports"))

    assert response.status_code == 200
    html = response.content.decode()
    for kind in ("households", "members", "assessments", "exit-registrations", "assignments"):
        assert f'name="kind" value="{kind}"' in html
        assert reverse("households:import_template", kwargs={"kind": kind}) in html
    assert 'accept=".xlsx,.csv"' in html and 'enctype="multipart/form-data"' in html
    assert "Registrations to exit poverty" in html  # the Kind label
    recent = html.split('id="import-recent"')[1]
    assert reverse("households:import_job", args=[other.pk]) in recent
    assert "1,234" in recent or "1.234" in recent
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", recent)


def test_an_upload_shows_the_counts_and_every_row_problem(client, officer, village, household):
    before = snapshot()
    data = english_file(
        village.commune,
        officer,
        [
            new_row("KLK-0101", village),
            existing_row(household, head_name="Đinh Văn Hmar Mới"),
            new_row("KLK-0102", "Làng Không Có"),
            new_row("KLK-0103", village, is_merit_family="Có lẽ"),
        ],
    )

    response = upload(client, data)

    job = ImportJob.objects.get()
    assert response.redirect_chain == [(reverse("households:import_job", args=[job.pk]), 302)]
    html = response.content.decode()
    counts = html.split('id="import-counts"')[1].split("</table>")[0]
    assert re.findall(r'<td class="num">(?:<strong[^>]*>)?(\d+)', counts) == ["1", "1", "0", "2"]
    problems = html.split('id="import-problems"')[1].split("</table>")[0]
    assert "Row 4, column &#x27;Village&#x27;: &#x27;Làng Không Có&#x27; is not in" in problems
    assert "Row 5, column &#x27;Merit family&#x27;: &#x27;Có lẽ&#x27; is not yes or no" in problems
    assert "Import only 2 valid rows, skip 2 with errors" in html
    assert reverse("households:import_rejected", args=[job.pk]) in html
    assert 'id="import-confirm"' not in html  # no "import everything" while rows are invalid
    assert snapshot() == before


def test_the_row_messages_are_in_vietnamese(client, commune_admin, village):
    client.force_login(commune_admin)
    data = households_xlsx(village.commune, commune_admin, [new_row("KLK-0101", "Làng Không Có")])

    html = upload(client, data).content.decode()

    assert "Dòng 2, cột &#x27;Thôn, làng&#x27;" in html


def test_confirming_writes_the_rows_and_shows_what_was_imported(client, officer, village, household):
    data = english_file(
        village.commune,
        officer,
        [new_row("KLK-0201", village), existing_row(household, address="Nhà 5, làng Kon Mơ")],
    )
    upload(client, data)
    job = ImportJob.objects.get()
    assert (
        "Import: 1 new, 1 updated"
        in client.get(reverse("households:import_job", args=[job.pk])).content.decode()
    )

    response = client.post(reverse("households:import_confirm", args=[job.pk]), follow=True)

    html = response.content.decode()
    assert "Imported: 1 new, 1 updated." in html
    assert reverse("households:list") in html
    assert Household.objects.get(code="KLK-0201").village == village
    household.refresh_from_db()
    assert household.address == "Nhà 5, làng Kon Mơ"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLIED and bytes(job.data) == b""


def test_importing_only_the_valid_rows_through_the_page(client, officer, village):
    data = english_file(
        village.commune, officer, [new_row("KLK-0301", village), new_row("KLK-0302", "Không")]
    )
    upload(client, data)
    job = ImportJob.objects.get()

    html = client.post(
        reverse("households:import_confirm", args=[job.pk]), {"valid_only": "1"}, follow=True
    ).content.decode()

    assert "Imported: 1 new, 0 updated." in html and "1 row with errors was skipped." in html
    assert list(Household.objects.values_list("code", flat=True)) == ["KLK-0301"]


def test_a_png_renamed_xlsx_is_refused_with_a_message_and_nothing_written(client, officer, household):
    before = snapshot()
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(200))

    response = upload(client, png, name="danh-sach.xlsx")

    html = response.content.decode()
    assert "The file is not a spreadsheet." in html
    assert 'class="message message-error"' in html
    assert ImportJob.objects.get().status == ImportJob.Status.REJECTED
    assert snapshot() == before


def test_a_file_over_the_size_limit_is_refused_before_anything_is_stored(client, officer, village, settings):
    settings.IMPORT_MAX_BYTES = 1000
    data = english_file(village.commune, officer, [new_row("KLK-0401", village)])

    response = upload(client, data)

    assert response.status_code == 200
    assert "more than the limit of" in response.content.decode()
    assert not ImportJob.objects.exists() and not Household.objects.exists()


def test_the_administrator_must_choose_the_commune(client, administrator, village, commune_admin):
    client.force_login(administrator)
    client.cookies["django_language"] = "en"
    # A second commune, so that the administrator has a choice to make.
    factories.VillageFactory()
    html = client.get(reverse("households:imports")).content.decode()
    assert "Choose the commune to import into." in html and 'id="import-upload"' not in html

    data = english_file(village.commune, commune_admin, [new_row("KLK-0501", village)])
    response = upload(client, data)
    assert "Choose the commune to import into." in response.content.decode()
    assert not ImportJob.objects.exists()

    code = village.commune.code
    html = client.get(reverse("households:imports") + f"?commune={code}").content.decode()
    assert 'id="import-upload"' in html and f'name="commune" value="{code}"' in html
    assert reverse("households:import_template", kwargs={"kind": "households"}) + f"?commune={code}" in html
    upload(client, data, commune=code)
    job = ImportJob.objects.get()
    assert (job.commune, job.created_by, job.status) == (village.commune, administrator, "checked")


def test_the_job_page_query_count_does_not_grow_with_the_problems(
    client, officer, village, django_assert_max_num_queries
):
    def job_with(problems: int) -> ImportJob:
        rows = [new_row(f"KLK-{n:04d}", "Không Có") for n in range(problems)]
        upload(client, english_file(village.commune, officer, rows))
        return ImportJob.objects.latest("pk")

    one, thirty = job_with(1), job_with(30)
    assert len(thirty.summary["problems"]) == 30
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("households:import_job", args=[one.pk]))
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        html = client.get(reverse("households:import_job", args=[thirty.pk])).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert html.count("<tr>") >= 30


def test_a_running_job_shows_its_progress_and_a_status_for_the_script(client, officer, village, settings):
    settings.IMPORT_BACKGROUND_BYTES = 0  # queued for the worker
    upload(client, english_file(village.commune, officer, [new_row("KLK-0601", village)]))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(progress_done=500, progress_total=2000)

    html = client.get(reverse("households:import_job", args=[job.pk])).content.decode()

    assert '<meta http-equiv="refresh" content="3">' in html
    assert '<progress id="import-job-progress" max="100" value="25">' in html
    assert "js/import-progress.js" in html
    status_url = reverse("households:import_status", args=[job.pk])
    assert f'data-status-url="{status_url}"' in html
    response = client.get(status_url)
    assert response["Cache-Control"] == "no-store"
    state = response.json()
    assert (state["status"], state["percent"], state["running"]) == ("checking", 25, True)
    assert (state["done"], state["total"]) == (500, 2000)


def test_cancelling_deletes_the_job_and_returns_to_the_import_page(client, officer, village):
    upload(client, english_file(village.commune, officer, [new_row("KLK-0701", village)]))
    job = ImportJob.objects.get()

    response = client.post(reverse("households:import_cancel", args=[job.pk]), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("households:imports"))
    assert "The import was cancelled and its file deleted." in response.content.decode()
    assert not ImportJob.objects.exists() and not Household.objects.exists()


def test_the_rejected_rows_download_holds_the_invalid_rows(client, officer, village):
    upload(
        client,
        english_file(
            village.commune, officer, [new_row("KLK-0801", village), new_row("KLK-0802", "Làng Lạ")]
        ),
    )
    job = ImportJob.objects.get()

    response = client.get(reverse("households:import_rejected", args=[job.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Cache-Control"] == "private, no-store"
    book = load_workbook(io.BytesIO(response.content))
    cells = [
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    ]
    assert "KLK-0802" in cells and "KLK-0801" not in cells


def test_the_template_download_has_the_lists_headers(client, officer, village):
    response = client.get(reverse("households:import_template", kwargs={"kind": "households"}))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    headers = {str(cell) for sheet in book.worksheets for cell in next(sheet.iter_rows(values_only=True))}
    assert {"Household code", "Village", "Head of household"} <= headers
    assert client.get(reverse("households:import_template", kwargs={"kind": "nothing"})).status_code == 404


def test_the_household_list_links_to_the_import_page_for_importers_only(client, commune_admin, case_worker):
    link = f'href="{reverse("households:imports")}"'
    client.force_login(commune_admin)
    assert link in client.get(reverse("households:list")).content.decode()
    client.force_login(case_worker)
    assert link not in client.get(reverse("households:list")).content.decode()


@pytest.mark.parametrize(
    "kind", ["households", "members", "assessments", "exit-registrations", "assignments"]
)
def test_every_lists_template_downloads(client, officer, village, kind):
    response = client.get(reverse("households:import_template", kwargs={"kind": kind}))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert load_workbook(io.BytesIO(response.content)).worksheets


@pytest.mark.parametrize(
    "name", ["households:import_confirm", "households:import_recheck", "households:import_cancel"]
)
def test_the_import_actions_are_post_only_and_need_the_csrf_token(commune_admin, village, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(commune_admin)
    with translation.override("en"):
        data = households_xlsx(village.commune, commune_admin, [new_row("KLK-0901", village)])
    job = jobs.import_job_create(
        kind="households", commune=village.commune, user=commune_admin, filename="ho.xlsx", data=data
    )
    url = reverse(name, args=[job.pk])

    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403  # no CSRF token

    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    assert not Household.objects.exists()
