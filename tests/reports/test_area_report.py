"""Area reports: one village-stats report over every commune of the upper office (`?commune=all`).

Always built by the background worker (django-tasks' db_worker, run here in batch mode), its rows
one per commune of the area, its totals their sum, its fingerprint over all the area's communes.
"""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from households import services as household_services
from households.models import Assessment
from reports import access
from reports.models import ReportFile
from reports.selectors import area_from_scope, area_scope, build_area_report
from tests import factories


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())


@pytest.fixture
def commune(db):
    """The persona's commune, in the district of Kbang (the viewer is its upper office)."""
    return factories.CommuneFactory(name="Kông Lơng Khơng", district__name="Kbang")


@pytest.fixture
def area_data(commune):
    """Three communes of Kbang (one without any review), one commune of another district."""
    sơ_pai = factories.CommuneFactory(name="Sơ Pai", district=commune.district)
    empty = factories.CommuneFactory(name="Đăk Rong", district=commune.district)
    elsewhere = factories.CommuneFactory(name="Ia Pa Ngoài")
    factories.PlanFactory(commune=commune, year=2023)
    homes = {}
    for unit, levels in (
        (commune, ["poor", "poor", "near_poor", "not_poor"]),
        (sơ_pai, ["poor", "near_poor", "near_poor"]),
        (elsewhere, ["poor", "poor", "poor"]),
    ):
        village = factories.VillageFactory(commune=unit)
        for number, level in enumerate(levels):
            home = factories.HouseholdFactory(village=village, is_ethnic_minority=number % 2 == 0)
            factories.AssessmentFactory(household=home, review_year=2022, computed_classification=level)
            homes.setdefault(unit.pk, home)
    # A review of another year is not counted.
    factories.AssessmentFactory(household=homes[commune.pk], review_year=2021, computed_classification="poor")
    return {"district": [commune, sơ_pai, empty], "elsewhere": elsewhere, "homes": homes}


def expected(commune) -> dict:
    """Independent ORM counts of the 2022 periodic review of one commune."""
    reviews = Assessment.objects.filter(
        household__commune=commune, review_year=2022, kind=Assessment.Kind.PERIODIC
    )
    return {
        "households": reviews.count(),
        "poor": reviews.filter(classification="poor").count(),
        "near_poor": reviews.filter(classification="near_poor").count(),
        "minority": reviews.filter(household__is_ethnic_minority=True).count(),
        "minority_poor": reviews.filter(household__is_ethnic_minority=True, classification="poor").count(),
    }


def area_url(fmt: str) -> str:
    return (
        reverse("reports:download", kwargs={"year": 2023, "slug": "village-stats", "fmt": fmt})
        + "?commune=all"
    )


def sheet_rows(content: bytes) -> dict[str, tuple]:
    """The XLSX table rows by their second cell (the commune's name, or the totals label)."""
    book = load_workbook(io.BytesIO(content))
    rows = {}
    for values in book.active.iter_rows(values_only=True):
        if isinstance(values[0], int) or (values[0] is None and isinstance(values[2], int)):
            rows[values[1]] = values
    return rows


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_district_office_gets_the_area_report_through_the_worker(client, viewer, area_data, media):
    client.force_login(viewer)

    for fmt in ("pdf", "xlsx"):
        response = client.get(area_url(fmt))
        assert response.status_code == 202  # never built in the request
    entries = ReportFile.objects.order_by("fmt")
    assert [(entry.commune_id, entry.fmt) for entry in entries] == [(None, "pdf"), (None, "xlsx")]
    assert {entry.scope for entry in entries} == {f"district:{area_data['district'][0].district_id}"}
    assert all(entry.task_id for entry in entries)
    status = client.get(reverse("reports:job_status", args=[entries[0].pk])).json()
    assert status["status"] == "queued"
    assert status["download_url"] == area_url("pdf")

    run_worker()

    counts = {commune.name: expected(commune) for commune in area_data["district"]}
    totals = {key: sum(figures[key] for figures in counts.values()) for key in counts["Sơ Pai"]}
    assert totals["households"] == 7 and counts["Đăk Rong"]["households"] == 0

    response = client.get(area_url("xlsx"))
    assert response.status_code == 200
    assert "huyen-kbang" in response["Content-Disposition"]
    rows = sheet_rows(body(response))
    labels = [label for label in rows if not str(label).startswith("Toàn")]
    assert sorted(labels) == sorted(counts)  # one row per commune of the district, no other
    assert "Ia Pa Ngoài" not in rows
    for name, figures in counts.items():
        row = rows[name]
        assert row[2:4] == (figures["households"], figures["poor"])
        assert row[5] == figures["near_poor"]
        assert row[7:9] == (figures["minority"], figures["minority_poor"])
    total = rows["Toàn huyện Kbang"]
    assert total[2:4] == (totals["households"], totals["poor"])
    assert total[5] == totals["near_poor"]
    assert total[7:9] == (totals["minority"], totals["minority_poor"])
    assert Decimal(str(total[4])).quantize(Decimal("0.0001")) == Decimal("0.4286")  # 3 poor of 7

    response = client.get(area_url("pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body(response))).pages)
    assert "HUYỆN KBANG" in text and "huyện Kbang" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    for name in counts:
        assert name in text
    assert "Ia Pa Ngoài" not in text
    assert "Toàn huyện Kbang" in text and "42,86%" in text


def test_a_commune_officer_or_an_official_gets_403_on_the_area_report(
    client, commune_admin, case_worker, area_data
):
    for user in (commune_admin, case_worker):
        client.force_login(user)
        assert client.get(area_url("pdf")).status_code == 403
        assert client.get(area_url("xlsx")).status_code == 403
    assert not ReportFile.objects.exists()


def test_an_area_report_other_than_village_stats_is_404(client, viewer, area_data):
    client.force_login(viewer)
    url = reverse("reports:download", kwargs={"year": 2023, "slug": "progress", "fmt": "pdf"})
    assert client.get(url + "?commune=all").status_code == 404


def test_the_centre_offers_the_area_report_to_the_upper_office_only(client, viewer, commune_admin, area_data):
    client.force_login(viewer)
    html = client.get(
        reverse("reports:centre") + f"?commune={area_data['district'][0].code}"
    ).content.decode()
    assert "Toàn huyện/tỉnh: Thống kê theo xã" in html
    assert f'href="{area_url("pdf")}"' in html and f'href="{area_url("xlsx")}"' in html

    client.force_login(commune_admin)
    html = client.get(reverse("reports:centre")).content.decode()
    assert "Toàn huyện/tỉnh" not in html and "commune=all" not in html


def test_another_upper_office_cannot_read_the_area_report_entry(client, viewer, area_data, media):
    client.force_login(viewer)
    assert client.get(area_url("xlsx")).status_code == 202
    entry = ReportFile.objects.get()
    other = factories.OfficialFactory(commune=None, district=factories.DistrictFactory(), role="upper_office")
    client.force_login(other.user)
    assert client.get(reverse("reports:job_status", args=[entry.pk])).status_code == 404


def test_the_area_rows_take_a_constant_number_of_queries(db):
    district = factories.DistrictFactory(name="Kbang")
    scope = area_scope(district_id=district.pk)

    def add_commune():
        village = factories.VillageFactory(commune=factories.CommuneFactory(district=district))
        for level in ("poor", "near_poor"):
            home = factories.HouseholdFactory(village=village, is_ethnic_minority=True)
            factories.AssessmentFactory(household=home, review_year=2022, computed_classification=level)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            report = build_area_report("village-stats", scope=scope, plan_year=2023)
        assert len(report.tables[0].rows) == district.communes.count()
        return len(context.captured_queries)

    add_commune()
    one = queries()
    add_commune()
    add_commune()
    assert queries() == one
    assert one <= 5  # the district, its communes, their rounds, the households' statuses and deprivations


def test_the_area_fingerprint_follows_every_commune_of_the_area(area_data, commune_admin):
    area = area_from_scope(area_scope(district_id=area_data["district"][0].district_id))
    before = access.area_fingerprint(area=area)
    assert access.area_fingerprint(area=area) == before  # stable while nothing changes

    elsewhere = area_data["homes"][area_data["elsewhere"].pk]
    household_services.household_update(household=elsewhere, head_name="Rơ Mah Thị Hoa", by=None)
    assert access.area_fingerprint(area=area) == before  # another district's data

    second = area_data["homes"][area_data["district"][1].pk]
    household_services.household_update(household=second, head_name="Đinh Thị Hiên", by=commune_admin)
    after = access.area_fingerprint(area=area)
    assert after != before

    factories.HouseholdFactory(village=factories.VillageFactory(commune=area_data["district"][2]))
    assert access.area_fingerprint(area=area) != after
