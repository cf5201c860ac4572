""" "My households": the official's fieldwork list (and the commune officer's view of it)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assignments import selectors
from households.models import Indicator
from plans import selectors as plan_selectors
from plans.models import ExitRegistration
from povertyplan.formatting import format_date
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("assignments:my_households")
# session, user, official profile and groups (scope), plan years, plan today, count, page; and the
# registrations' outcomes at the plan year's review (plans.outcomes: the round, the statuses)
QUERY_BUDGET = 11


def plan(commune, year=2023):
    return factories.PlanFactory(commune=commune, year=year)


def codes(response) -> list[str]:
    return [row.code for row in response.context["rows"]]


def assign(household, official, year=2023, **fields):
    return factories.AssignmentFactory(
        household=household, official=official, plan=plan(household.commune, year), **fields
    )


def test_the_page_needs_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_official_sees_the_households_they_are_currently_in_charge_of(
    client, case_worker, other_case_worker, household, village
):
    mine = factories.HouseholdFactory(village=village, code="KLK-0002")
    assign(mine, case_worker.official)
    ended = factories.HouseholdFactory(village=village, code="KLK-0003")
    assign(ended, case_worker.official, ended_on=datetime.date(2023, 6, 1), end_reason="Chuyển")
    assign(factories.HouseholdFactory(village=village, code="KLK-0004"), other_case_worker.official)
    archived = factories.HouseholdFactory(
        village=village, code="KLK-0005", archived_at=datetime.datetime(2023, 7, 1, tzinfo=datetime.UTC)
    )
    assign(archived, case_worker.official)
    factories.HouseholdFactory(village=village, code="KLK-0006")  # nobody in charge

    client.force_login(case_worker)
    response = client.get(URL)
    assert response.status_code == 200
    assert codes(response) == ["KLK-0001", "KLK-0002"]
    html = response.content.decode()
    assert "<h1>Hộ tôi phụ trách</h1>" in html
    for row in (household, mine):
        assert f'<a class="household-link" href="/households/{row.pk}/">' in html
    assert html.count('class="household-link"') == 2


def test_the_commune_officer_sees_every_household_with_an_official_in_charge(
    client, commune_admin, case_worker, other_case_worker, household, village
):
    assign(factories.HouseholdFactory(village=village, code="KLK-0002"), other_case_worker.official)
    factories.HouseholdFactory(village=village, code="KLK-0003")  # nobody in charge
    assign(factories.HouseholdFactory(code="XA-KHAC-1"), factories.OfficialFactory())  # another commune

    client.force_login(commune_admin)
    response = client.get(URL)
    assert codes(response) == ["KLK-0001", "KLK-0002"]
    html = response.content.decode()
    assert "<h1>Hộ có cán bộ phụ trách</h1>" in html
    assert case_worker.official.full_name in html and other_case_worker.official.full_name in html


@pytest.mark.parametrize(
    "persona, expected", [("viewer", ["KLK-0001"]), ("outsider", []), ("administrator", ["KLK-0001"])]
)
def test_other_roles_see_the_assigned_households_of_their_scope(
    client, personas, household, persona, expected
):
    client.force_login(personas[persona])
    response = client.get(URL)
    assert response.status_code == 200
    assert codes(response) == expected


def test_the_plan_year_is_the_latest_of_the_officials_assignments_or_the_one_asked_for(
    client, case_worker, household, village
):
    later = factories.HouseholdFactory(village=village, code="KLK-2024")
    assign(later, case_worker.official, year=2024)
    client.force_login(case_worker)

    response = client.get(URL)
    assert response.context["year"] == 2024
    assert response.context["years"] == [2024, 2023]
    assert codes(response) == ["KLK-2024"]
    assert "?year=2023" in response.content.decode()  # the year switch

    assert codes(client.get(URL, {"year": "2023"})) == ["KLK-0001"]
    assert codes(client.get(URL, {"year": "2022"})) == []
    assert client.get(URL, {"year": "abc"}).context["year"] == 2024


def test_an_official_with_no_household_gets_a_clear_empty_page(client, other_case_worker):
    client.force_login(other_case_worker)
    response = client.get(URL)
    assert response.status_code == 200
    assert codes(response) == []
    assert "Bạn chưa phụ trách hộ nào trong năm kế hoạch này." in response.content.decode()


@pytest.mark.parametrize("query", ["hmar", "HMAR", "Đinh Văn Hmar", "dinh van hmar", "klk-0001", "0001"])
def test_search_by_name_or_code_ignores_diacritics(client, case_worker, household, village, query):
    assign(
        factories.HouseholdFactory(village=village, code="KLK-0777", head_name="Nguyễn Thị Lan"),
        case_worker.official,
    )
    client.force_login(case_worker)
    response = client.get(URL, {"q": query})
    assert codes(response) == ["KLK-0001"]
    assert f'value="{query}"' in response.content.decode()


def test_search_stays_within_the_officials_households(client, case_worker, household, village):
    factories.HouseholdFactory(village=village, code="KLK-0002", head_name="Đinh Văn Hmar")
    client.force_login(case_worker)
    assert codes(client.get(URL, {"q": "hmar"})) == ["KLK-0001"]


def test_a_row_shows_review_last_support_supports_by_kind_and_exit(client, case_worker, household):
    official = case_worker.official
    indicators = list(Indicator.objects.filter(standard__code="2022-2025").order_by("number"))
    older = factories.AssessmentFactory(household=household, review_year=2021)
    older.deprivations.set(indicators[:5])
    latest = factories.AssessmentFactory(household=household, review_year=2022)
    latest.deprivations.set(indicators[:3])
    regular = factories.AssessmentFactory(
        household=household, review_year=2023, kind="regular", computed_classification="near_poor"
    )
    regular.deprivations.set(indicators[:1])  # an in-year review is not the latest periodic review
    factories.ExitRegistrationFactory(
        household=household, plan=plan(household.commune), status=ExitRegistration.Status.IN_PROGRESS
    )
    support = factories.SupportActionFactory
    support(household=household, official=official, kind="knowledge", date=datetime.date(2023, 3, 1))
    support(household=household, official=official, kind="knowledge", date=datetime.date(2023, 5, 2))
    support(household=household, official=official, kind="labour", date=datetime.date(2023, 6, 9))
    support(
        household=household, official=official, kind="materials", date=datetime.date(2022, 12, 30)
    )  # other year
    wrong = support(household=household, official=official, kind="labour", date=datetime.date(2023, 8, 20))
    support(
        household=household,
        official=official,
        kind="materials",
        date=datetime.date(2023, 8, 2),
        corrects=wrong,
    )

    client.force_login(case_worker)
    response = client.get(URL)
    (row,) = response.context["rows"]
    assert (row.review_year, row.classification, row.deprivations) == (2022, "poor", 3)
    # The corrected entry counts once, as its correction says: materials on 02/08, not labour on 20/08.
    assert row.last_support == datetime.date(2023, 8, 2)
    assert (row.knowledge, row.labour, row.materials) == (2, 1, 1)
    assert row.exit_status == "in_progress"
    assert row.village == "Mơhven-Ôr" and row.head_name == "Đinh Văn Hmar"
    html = response.content.decode()
    for text in (
        "Mơhven-Ôr",
        "Đinh Văn Hmar",
        "Hộ nghèo",
        "Thiếu hụt 3 chỉ số",
        "02/08/2023",
        "Thoát nghèo: đang thực hiện",
    ):
        assert text in html
    assert "Kiến thức <strong>2</strong>" in html and "Ngày công <strong>1</strong>" in html
    assert "Vật tư <strong>1</strong>" in html


def test_a_household_without_review_or_support_shows_dashes_not_zeros(client, case_worker, household):
    client.force_login(case_worker)
    (row,) = client.get(URL).context["rows"]
    assert (row.review_year, row.classification, row.deprivations, row.last_support) == (
        None,
        None,
        None,
        None,
    )
    assert (row.knowledge, row.labour, row.materials, row.exit_status) == (0, 0, 0, None)
    assert row.not_visited


@pytest.mark.parametrize("days_ago, not_visited", [(0, False), (30, False), (31, True), (400, True)])
def test_households_not_visited_for_30_days_are_marked(client, case_worker, household, days_ago, not_visited):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    factories.SupportActionFactory(household=household, official=case_worker.official, date=day)
    client.force_login(case_worker)
    response = client.get(URL)
    (row,) = response.context["rows"]
    assert row.not_visited is not_visited
    html = response.content.decode()
    assert ("Chưa thăm trong 30 ngày" in html) is not_visited
    assert ('class="case-row is-overdue"' in html) is not_visited


def test_the_rows_are_dataclasses_from_the_selector(case_worker, household):
    values = selectors.my_households(user=case_worker, year=2023)
    (row,) = selectors.my_household_rows(values, today=datetime.date(2023, 12, 31))
    assert isinstance(row, selectors.MyHouseholdRow)
    assert row.pk == household.pk and row.official == case_worker.official.full_name


@pytest.mark.parametrize("persona", ["case_worker", "commune_admin"])
def test_the_query_count_does_not_depend_on_the_number_of_households(
    client, personas, village, persona, django_assert_num_queries
):
    user = personas[persona]
    official = personas["case_worker"].official
    indicators = list(Indicator.objects.filter(standard__code="2022-2025")[:3])

    def add(count, start):
        for n in range(start, start + count):
            household = factories.HouseholdFactory(village=village, code=f"Q-{n:03d}")
            assign(household, official)
            factories.ExitRegistrationFactory(household=household, plan=plan(village.commune))
            factories.AssessmentFactory(household=household).deprivations.set(indicators)
            factories.SupportActionFactory(household=household, official=official)

    client.force_login(user)
    add(1, 0)
    client.get(URL)  # warm up
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(URL).context["rows"]) == 1
    add(9, 1)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(URL).context["rows"]) == 10
    assert len(one.captured_queries) <= QUERY_BUDGET


# --- The plan in force today ----------------------------------------------------------------------------


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize("persona", ["case_worker", "commune_admin"])
def test_the_page_says_when_no_plan_is_in_force_today(client, personas, household, persona):
    today = timezone.localdate()
    if today.year == 2023:
        pytest.skip("the test household's plan is in force today")
    client.force_login(personas[persona])
    response = client.get(URL)
    assert (
        f"Hiện không có kế hoạch giảm nghèo nào đang có hiệu lực (hôm nay {format_date(today)}). "
        "Kế hoạch gần nhất: năm 2023."
    ) in text_of(response)
    assert codes(response) == ["KLK-0001"]  # the latest plan's households are still listed


def test_no_notice_while_a_plan_is_in_force(client, case_worker, household):
    plan(household.commune, timezone.localdate().year)
    client.force_login(case_worker)
    assert "no-plan-notice" not in client.get(URL).content.decode()


def test_a_later_plan_does_not_count_as_in_force_today(client, case_worker, household):
    next_year = timezone.localdate().year + 1
    plan(household.commune, next_year)
    client.force_login(case_worker)
    html = text_of(client.get(URL))
    assert "Hiện không có kế hoạch giảm nghèo nào đang có hiệu lực" in html
    assert f"Kế hoạch gần nhất: năm {next_year}." not in html


def test_the_plan_in_force_is_the_plan_whose_year_contains_the_date(commune):
    plans = {year: plan(commune, year) for year in (2023, 2024)}
    factories.PlanFactory(year=2025)  # another commune's
    for day, expected in [
        (datetime.date(2022, 12, 31), None),
        (datetime.date(2023, 1, 1), plans[2023]),
        (datetime.date(2023, 12, 31), plans[2023]),
        (datetime.date(2024, 6, 30), plans[2024]),
        (datetime.date(2025, 1, 1), None),
    ]:
        assert plan_selectors.plan_in_force(commune=commune, on=day) == expected, day
        assert plan_selectors.plan_today(commune=commune, today=day).in_force == expected, day


# --- The layout around the officials' pages -----------------------------------------------------------


def test_officials_get_the_menu_link_and_the_sync_status(client, case_worker, household):
    client.force_login(case_worker)
    html = client.get(URL).content.decode()
    assert f'<a href="{URL}" aria-current="page">Hộ tôi phụ trách</a>' in html
    assert (
        '<div id="sync-status" class="sync-status" hidden aria-live="polite" data-keep-households></div>'
    ) in html


@pytest.mark.parametrize("persona", ["commune_admin", "administrator"])
def test_the_other_roles_that_log_support_get_the_sync_status_without_keeping_households(
    client, personas, persona
):
    """The commune officer logs support too: what waits or was refused must show for them."""
    client.force_login(personas[persona])
    html = client.get(reverse("households:list")).content.decode()
    assert '<div id="sync-status" class="sync-status" hidden aria-live="polite"></div>' in html
    assert ">Hộ tôi phụ trách<" not in html


def test_a_read_only_role_gets_no_sync_status(client, viewer):
    client.force_login(viewer)
    html = client.get(reverse("households:list")).content.decode()
    assert 'id="sync-status"' not in html
    assert ">Hộ tôi phụ trách<" not in html


def test_every_page_links_the_manifest_theme_colour_and_offline_script(client, case_worker, household):
    client.force_login(case_worker)
    for url in (URL, reverse("households:detail", args=[household.pk]), reverse("login")):
        client.force_login(case_worker)
        html = client.get(url).content.decode()
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html
        assert '<meta name="theme-color" content="#0b5d4b">' in html
        assert '<script src="/static/js/offline.js" defer></script>\n</body>' in html
