"""The report centre: who sees it, the commune, plan and review year pickers, figures, query budget."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from povertyplan.roles import Role
from reports import freshness
from reports.access import REPORT_TITLES
from reports.models import ReportFile
from reports.selectors import REPORT_SLUGS
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("reports:centre")

# The permission matrix's rows for the report routes (tests/test_permission_matrix.py is the
# lead's; these are the statuses it should list, checked here against the same personas).
CENTRE_STATUSES = {
    "commune_admin": 200,
    "case_worker": 403,  # officials follow their own households, not commune-wide reports
    "other_case_worker": 403,
    "viewer": 200,
    "outsider": 200,  # their own commune's centre (no plan there), never ours
    "administrator": 200,
    "no_role": 403,
    "anonymous": 302,
}


# The movement report adds six (the rounds, the review years, two statuses, the listed households,
# the villages); the year-end report's table of support aimed at deprivations six more
# (tests/reports/test_report_data.py QUERY_CAP); the exit outcomes read from the review (plans.outcomes)
# one more.
CENTRE_QUERY_BUDGET = 51 + 6 + 1


DOWNLOAD_STATUSES = {  # ?commune=<the household's commune>
    "commune_admin": 200,
    "case_worker": 403,  # officials get no commune-wide list
    "other_case_worker": 403,
    "viewer": 200,
    "outsider": 404,  # another commune's officer: our commune is outside their scope
    "administrator": 200,
    "no_role": 403,
    "anonymous": 302,
}
JOB_STATUSES = {  # a build record of the household's commune; retry answers 302 (back to the download)
    "commune_admin": 200,
    "case_worker": 403,
    "other_case_worker": 403,
    "viewer": 200,
    "outsider": 404,
    "administrator": 200,
    "no_role": 403,
    "anonymous": 302,
}


def reviewed(village, level="poor", *, year=2022, minority=False):
    household = factories.HouseholdFactory(village=village, is_ethnic_minority=minority)
    factories.AssessmentFactory(household=household, review_year=year, computed_classification=level)
    return household


@pytest.fixture
def plan(commune):
    return factories.PlanFactory(commune=commune, year=2023, number="18/KH-UBND")


@pytest.fixture
def data(commune, village, plan):
    """A small commune: three households reviewed in 2022 (two poor), one registered to exit."""
    poor = reviewed(village, "poor", minority=True)
    reviewed(village, "poor")
    reviewed(village, "near_poor")
    factories.ExitRegistrationFactory(household=poor, plan=plan)
    factories.AssignmentFactory(household=poor, plan=plan)
    return plan


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize("role, expected", CENTRE_STATUSES.items())
def test_centre_access_per_role(client, everyone, household, role, expected):
    if everyone[role] is not None:
        client.force_login(everyone[role])
    response = client.get(URL)
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.fixture
def everyone(personas):
    return {**personas, "no_role": factories.UserFactory(), "anonymous": None}


@pytest.mark.parametrize("role, expected", DOWNLOAD_STATUSES.items())
def test_download_access_per_role(client, everyone, household, media, role, expected):
    if everyone[role] is not None:
        client.force_login(everyone[role])
    url = reverse("reports:download", args=[2023, "village-stats", "xlsx"])
    response = client.get(url, {"commune": household.commune.code})
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.fixture
def job(household):
    return ReportFile.objects.create(
        commune=household.commune,
        slug="progress",
        fmt="pdf",
        plan_year=2023,
        review_year=2022,
        language="vi",
        fingerprint="x",
        status=ReportFile.Status.FAILED,
    )


@pytest.mark.parametrize("role, expected", JOB_STATUSES.items())
def test_job_status_and_retry_access_per_role(client, everyone, job, media, settings, role, expected):
    settings.REPORTS_BACKGROUND_SECONDS = 0  # a retry queues the build (no worker runs here)
    if everyone[role] is not None:
        client.force_login(everyone[role])
    status = client.get(reverse("reports:job_status", args=[job.pk]))
    retry = client.post(reverse("reports:job_retry", args=[job.pk]))
    assert status.status_code == expected
    assert retry.status_code == (302 if expected == 200 else expected)
    job.refresh_from_db()
    assert job.status == (ReportFile.Status.QUEUED if expected == 200 else ReportFile.Status.FAILED)
    if role == "anonymous":
        assert status["Location"].startswith(reverse("login"))
        assert retry["Location"].startswith(reverse("login"))


def test_retry_refuses_get(client, commune_admin, job):
    client.force_login(commune_admin)
    assert client.get(reverse("reports:job_retry", args=[job.pk])).status_code == 405


def test_commune_officer_sees_every_report_with_its_downloads(client, commune_admin, commune, data):
    client.force_login(commune_admin)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for slug in REPORT_SLUGS:
        assert f'id="report-{slug}"' in html
        assert str(REPORT_TITLES[slug][0]) in html
        assert reverse("reports:download", kwargs={"year": 2023, "slug": slug, "fmt": "pdf"}) in html
    for slug in set(REPORT_SLUGS) - {"plan"}:
        assert reverse("reports:download", kwargs={"year": 2023, "slug": slug, "fmt": "xlsx"}) in html
    assert "/reports/2023/plan.xlsx" not in html  # the plan is a signed document: PDF only
    # Download links name the commune, so they work for any user who may read it.
    assert f"/reports/2023/progress.xlsx?commune={commune.code}" in html
    # No commune picker for a single commune.
    assert 'name="commune"' not in html


def test_centre_previews_figures_from_the_reports(client, commune_admin, data):
    client.force_login(commune_admin)
    response = client.get(URL)
    rows = {row["kind"].slug: row["preview"] for row in response.context["rows"]}
    # village-stats: 3 households reviewed in 2022, 2 poor (66,67%), as its summary says.
    figures = dict(rows["village-stats"])
    assert "3" in figures.values()
    assert "2" in figures.values()
    assert "66,67%" in figures.values()
    # The figures are on the page, next to the report.
    assert "66,67%" in page_text(response)
    assert all(len(preview) <= 4 for preview in rows.values())


def test_plan_year_defaults_to_the_latest_and_review_to_the_year_before(client, commune_admin, commune, data):
    factories.PlanFactory(commune=commune, year=2024)
    client.force_login(commune_admin)
    response = client.get(URL)
    assert response.context["year"] == 2024
    assert response.context["review_year"] == 2023
    assert response.context["years"] == [2024, 2023]
    assert "/reports/2024/progress.pdf" in response.content.decode()

    response = client.get(URL, {"year": 2023})
    assert (response.context["year"], response.context["review_year"]) == (2023, 2022)
    html = response.content.decode()
    assert "/reports/2023/progress.pdf" in html
    assert "review=" not in html  # the default review is not spelled out in the links


def test_another_review_year_is_carried_into_the_links(client, commune_admin, commune, data):
    client.force_login(commune_admin)
    response = client.get(URL, {"year": 2023, "review": 2021})
    assert response.context["review_year"] == 2021
    assert (
        f"/reports/2023/village-stats.xlsx?commune={commune.code}&amp;review=2021"
        in response.content.decode()
    )


@pytest.mark.parametrize("query", [{"year": 2019}, {"year": "abc"}, {"review": "20x1"}])
def test_a_year_without_plan_or_not_a_year_is_not_found(client, commune_admin, data, query):
    client.force_login(commune_admin)
    assert client.get(URL, query).status_code == 404


def test_a_commune_without_plan_shows_no_reports(client, commune_admin):
    client.force_login(commune_admin)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["rows"] == []


def test_upper_office_picks_one_of_its_communes(client, viewer, commune, data):
    neighbour = factories.CommuneFactory(
        district=commune.district, province=commune.province, name="Đak Rong"
    )
    factories.PlanFactory(commune=neighbour, year=2022)
    client.force_login(viewer)

    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="commune"' in html
    assert f'value="{commune.code}"' in html and f'value="{neighbour.code}"' in html

    response = client.get(URL, {"commune": neighbour.code})
    assert response.context["commune"] == neighbour
    assert response.context["year"] == 2022
    assert f"/reports/2022/progress.pdf?commune={neighbour.code}" in response.content.decode()


def test_upper_office_gets_404_for_a_commune_of_another_province(client, viewer, data):
    elsewhere = factories.CommuneFactory()
    factories.PlanFactory(commune=elsewhere)
    client.force_login(viewer)
    assert client.get(URL, {"commune": elsewhere.code}).status_code == 404


def test_outsider_cannot_open_our_commune(client, outsider, commune, data):
    client.force_login(outsider)
    assert client.get(URL, {"commune": commune.code}).status_code == 404


def test_administrator_sees_every_commune(client, administrator, commune, data):
    client.force_login(administrator)
    response = client.get(URL, {"commune": commune.code})
    assert response.status_code == 200
    assert response.context["commune"] == commune


def test_official_of_the_upper_office_role_without_unit_sees_no_commune(client, commune, data):
    lost = factories.OfficialFactory(commune=None, district=None, province=None, role=Role.UPPER_OFFICE).user
    client.force_login(lost)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["commune"] is None


def test_a_ready_file_is_marked_in_the_centre(client, commune_admin, commune, data, media):
    client.force_login(commune_admin)
    assert client.get(reverse("reports:download", args=[2023, "village-stats", "xlsx"])).status_code == 200
    response = client.get(URL)
    links = {
        (row["kind"].slug, link["fmt"]): link["entry"]
        for row in response.context["rows"]
        for link in row["links"]
    }
    assert links[("village-stats", "xlsx")].status == ReportFile.Status.DONE
    assert links[("village-stats", "pdf")] is None


def _centre_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_centre_query_count_does_not_grow_with_the_data(client, commune_admin, commune, village, data, media):
    client.force_login(commune_admin)
    small = _centre_queries(client)
    # Ten more households, registered and assigned, in another village, with supports and files.
    other = factories.VillageFactory(commune=commune, name="Dơng")
    for _ in range(10):
        home = reviewed(other, "poor", minority=True)
        factories.ExitRegistrationFactory(household=home, plan=data)
        assignment = factories.AssignmentFactory(household=home, plan=data)
        factories.SupportActionFactory(household=home, official=assignment.official, plan=data)
    client.get(reverse("reports:download", args=[2023, "village-stats", "xlsx"]))
    client.get(reverse("reports:download", args=[2023, "exit-households", "pdf"]))
    assert _centre_queries(client) == small
    # Session, user, scope, communes, plan and review years, fingerprint, files: 9; the rest is
    # the eight reports' selectors (their figures), each a constant handful of queries.
    assert small <= CENTRE_QUERY_BUDGET


# The data fingerprint (reports.freshness) ------------------------------------------------------


def _changes(commune, village, plan, household, case_worker):
    """One change to each kind of row a report reads, by the application's own services or saves."""
    from assignments import services as assignment_services
    from households import services as household_services
    from plans import services as plan_services

    registration = factories.ExitRegistrationFactory(household=household, plan=plan)
    department = factories.DepartmentFactory(commune=commune)
    meeting = factories.VillageMeetingFactory(round__commune=commune, round__year=2023, village=village)

    def attendance():
        meeting.attendance += 5
        meeting.save()

    return {
        "household": lambda: household_services.household_update(household=household, address="Thôn 2"),
        "member added": lambda: factories.MemberFactory(household=household),
        "member removed": lambda: household.members.first().delete(),
        "review": lambda: factories.AssessmentFactory(household=household, review_year=2023),
        "exit status": lambda: plan_services.exit_registration_set_status(
            registration=registration, status="in_progress"
        ),
        "support": lambda: factories.SupportActionFactory(household=household, plan=plan),
        "reassignment": lambda: assignment_services.assignment_reassign(
            plan=plan,
            household=household,
            official=factories.OfficialFactory(commune=commune, role=Role.OFFICIAL),
            on=datetime.date(2023, 6, 1),
        ),
        "plan": lambda: plan.save(),
        "duty": lambda: factories.ResponsibilityFactory(plan=plan, department=department),
        "village": lambda: village.save(),
        "official": lambda: case_worker.official.save(),
        "department": lambda: department.save(),
        "review round": lambda: factories.ReviewRoundFactory(commune=commune, year=2024),
        "round closed": lambda: household_services.review_round_close(
            review_round=meeting.round,
            decision_number="45/QĐ-UBND",
            decision_date=datetime.date(2023, 12, 20),
        ),
        "meeting attendance": attendance,
    }


CHANGES = [
    "household",
    "member added",
    "member removed",
    "review",
    "exit status",
    "support",
    "reassignment",
    "plan",
    "duty",
    "village",
    "official",
    "department",
    "review round",
    "round closed",
    "meeting attendance",
]


@pytest.mark.parametrize("change", CHANGES)
def test_the_fingerprint_changes_with_every_kind_of_row_a_report_reads(
    commune, village, plan, household, case_worker, django_assert_num_queries, change
):
    factories.MemberFactory(household=household)
    apply = _changes(commune, village, plan, household, case_worker)[change]
    with django_assert_num_queries(1):
        before = freshness.data_fingerprint(commune=commune)
    assert freshness.data_fingerprint(commune=commune) == before  # stable while nothing changes
    apply()
    assert freshness.data_fingerprint(commune=commune) != before


def test_another_communes_changes_leave_the_fingerprint_alone(commune, household, outsider):
    before = freshness.data_fingerprint(commune=commune)
    elsewhere = factories.HouseholdFactory(village__commune=outsider.official.commune)
    factories.AssessmentFactory(household=elsewhere)
    factories.SupportActionFactory(household=elsewhere)
    assert freshness.data_fingerprint(commune=commune) == before


def test_the_progress_report_is_fresh_for_a_day_while_its_plan_runs(commune):
    today = timezone.localdate()
    running = factories.PlanFactory(commune=commune, year=today.year)
    over = factories.PlanFactory(commune=commune, year=today.year - 1)
    assert freshness.report_day(commune=commune, plan_year=running.year) == today
    assert freshness.report_day(commune=commune, plan_year=over.year) is None
    data = freshness.data_fingerprint(commune=commune)
    assert freshness.report_fingerprint(data=data, slug="progress", day=today) != data
    assert freshness.report_fingerprint(data=data, slug="progress", day=None) == data
    assert freshness.report_fingerprint(data=data, slug="village-stats", day=today) == data
