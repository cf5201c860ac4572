"""The household list and the household page: scope, search, pagination, masking, query budgets."""

import datetime
import unicodedata
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from households.classification import Level
from households.models import Indicator, PovertyCause, SupportNeed
from plans.models import ExitRegistration, Plan
from tests import factories

pytestmark = pytest.mark.django_db

LIST_URL = reverse("households:list")
# Session, user, the user's official profile and groups (scope), the village filter, count, page;
# the latest registrations' outcomes at their plan year's review (plans.outcomes: round, statuses);
# for the commune officer, the plan in force today (to offer starting the next one).
LIST_QUERY_BUDGET = 11
# The same five, the household, then members, reviews, their indicators, causes, needs, exit
# registrations, officials in charge and support actions; the latest review's standard's
# indicators (all twelve, deprived or met); for those who may edit them, the causes and needs to
# choose from; for those who may log support, the commune's plan in force today; the exit
# registrations' outcomes at their plan year's review (plans.outcomes: round, statuses, deprived);
# the indicators each support addressed (the timeline's); for a household registered to exit
# poverty, its indicator progress (assignments.indicators.household_progress): the plan's two
# periodic rounds, the household's status after each review, their deprived indicators.
DETAIL_QUERY_BUDGET = 20 + 1 + 4


def vi(label) -> str:
    with translation.override("vi"):
        return str(label)


def plan_2023(commune) -> Plan:
    """The commune's 2023 plan (the `household` fixture's assignment may have made it already)."""
    return factories.PlanFactory(commune=commune, year=2023)


def codes_on_page(response) -> set[str]:
    return {household.code for household in response.context["page"].object_list}


def test_list_needs_sign_in(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_case_worker_sees_only_the_households_assigned_to_them(client, case_worker, household, village):
    factories.HouseholdFactory(village=village, code="KLK-0002")
    ended = factories.HouseholdFactory(village=village, code="KLK-0003")
    factories.AssignmentFactory(
        household=ended,
        plan=plan_2023(village.commune),
        official=case_worker.official,
        ended_on=datetime.date(2023, 6, 1),
    )
    client.force_login(case_worker)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert codes_on_page(response) == {"KLK-0001"}


def test_commune_officer_sees_the_whole_commune_and_nothing_of_another(
    client, commune_admin, household, village
):
    factories.HouseholdFactory(village=village, code="KLK-0002")
    factories.HouseholdFactory(code="XA-KHAC-1")  # another commune
    client.force_login(commune_admin)
    response = client.get(LIST_URL)
    assert codes_on_page(response) == {"KLK-0001", "KLK-0002"}
    assert b"XA-KHAC-1" not in response.content


def test_outsider_sees_none_of_the_communes_households(client, outsider, household):
    client.force_login(outsider)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert codes_on_page(response) == set()
    assert "KLK-0001" not in response.content.decode()


def test_archived_households_are_left_out_of_the_list(client, commune_admin, household, village):
    factories.HouseholdFactory(
        village=village, code="KLK-0009", archived_at=datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)
    )
    client.force_login(commune_admin)
    assert codes_on_page(client.get(LIST_URL)) == {"KLK-0001"}


@pytest.mark.parametrize(
    "query",
    [
        "mohven",
        "Mơhven",
        unicodedata.normalize("NFD", "Mơhven"),
        "MOHVEN",
        "MƠHVEN-ÔR",
        "  mohven   or ",
    ],
)
def test_search_by_village_ignores_diacritics_case_and_normalisation(client, commune_admin, household, query):
    elsewhere = factories.VillageFactory(commune=household.commune, name="Dơng")
    factories.HouseholdFactory(village=elsewhere, code="KLK-0100", head_name="Đinh Văn Dú")
    client.force_login(commune_admin)
    response = client.get(LIST_URL, {"q": query})
    assert codes_on_page(response) == {"KLK-0001"}


@pytest.mark.parametrize("query", ["Hmar", "hmar", "đinh văn hmar", "DINH VAN HMAR"])
def test_search_by_head_name(client, commune_admin, household, query):
    factories.HouseholdFactory(village=household.village, code="KLK-0002", head_name="Nguyễn Văn An")
    client.force_login(commune_admin)
    assert codes_on_page(client.get(LIST_URL, {"q": query})) == {"KLK-0001"}


@pytest.mark.parametrize("query", ["Blưi", "blui", unicodedata.normalize("NFD", "Đinh Thị Blưi")])
def test_search_by_a_members_name(client, commune_admin, household, query):
    factories.MemberFactory(household=household, full_name="Đinh Thị Blưi", number=2)
    other = factories.HouseholdFactory(village=household.village, code="KLK-0002")
    factories.MemberFactory(household=other, full_name="Nguyễn Văn Bình", number=1)
    client.force_login(commune_admin)
    assert codes_on_page(client.get(LIST_URL, {"q": query})) == {"KLK-0001"}


@pytest.mark.parametrize("query", ["KLK-0001", "klk-0001", "klk 0001", "0001"])
def test_search_by_code(client, commune_admin, household, query):
    factories.HouseholdFactory(village=household.village, code="KLK-0022")
    client.force_login(commune_admin)
    assert codes_on_page(client.get(LIST_URL, {"q": query})) == {"KLK-0001"}


def test_search_stays_within_scope(client, case_worker, household):
    factories.HouseholdFactory(village=household.village, code="KLK-0002", head_name="Đinh Văn Hmar")
    client.force_login(case_worker)
    assert codes_on_page(client.get(LIST_URL, {"q": "hmar"})) == {"KLK-0001"}


def test_village_filter_shows_one_village_and_ignores_villages_out_of_scope(client, commune_admin, household):
    other_village = factories.VillageFactory(commune=household.commune, name="Dơng")
    factories.HouseholdFactory(village=other_village, code="KLK-0200")
    foreign_village = factories.VillageFactory()
    factories.HouseholdFactory(village=foreign_village, code="XA-KHAC-1")
    client.force_login(commune_admin)

    response = client.get(LIST_URL, {"village": other_village.pk})
    assert codes_on_page(response) == {"KLK-0200"}
    assert response.context["village"] == other_village
    assert {v.pk for v in response.context["villages"]} == {household.village_id, other_village.pk}

    response = client.get(LIST_URL, {"village": foreign_village.pk})
    assert response.context["village"] is None
    assert codes_on_page(response) == {"KLK-0001", "KLK-0200"}


def test_list_paginates_by_fifty_and_shows_the_count(client, commune_admin, village):
    factories.HouseholdFactory.create_batch(51, village=village)
    client.force_login(commune_admin)

    first = client.get(LIST_URL)
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 51
    assert first.context["page"].has_next()
    assert "51" in first.content.decode()

    second = client.get(LIST_URL, {"page": 2})
    assert len(second.context["page"].object_list) == 1
    assert client.get(LIST_URL, {"page": "many"}).context["page"].number == 1


def test_pagination_links_keep_the_search(client, commune_admin, village):
    factories.HouseholdFactory.create_batch(51, village=village)
    client.force_login(commune_admin)
    html = client.get(LIST_URL, {"q": "mohven"}).content.decode()
    assert "?q=mohven&amp;page=2" in html


def test_list_row_shows_the_latest_periodic_review_and_exit_registration(client, commune_admin, household):
    factories.AssessmentFactory(household=household, review_year=2021, computed_classification="near_poor")
    factories.AssessmentFactory(household=household, review_year=2022, computed_classification="poor")
    factories.AssessmentFactory(
        household=household, review_year=2023, kind="regular", computed_classification="average_living"
    )
    factories.ExitRegistrationFactory(
        household=household, plan=plan_2023(household.commune), status=ExitRegistration.Status.IN_PROGRESS
    )
    client.force_login(commune_admin)

    response = client.get(LIST_URL)
    row = response.context["page"].object_list[0]
    assert (row.latest_review_year, row.latest_classification) == (2022, "poor")
    assert (row.latest_exit_year, row.latest_exit_status) == (2023, "in_progress")
    html = response.content.decode()
    assert vi(Level.POOR.label) in html
    assert vi(ExitRegistration.Status.IN_PROGRESS.label) in html
    assert "(2022)" in html  # a year, not "2.022"
    assert reverse("households:detail", args=[household.pk]) in html


def _list_row_with_everything(village, n):
    household = factories.HouseholdFactory(village=village, code=f"Q-{n:03d}", is_ethnic_minority=True)
    factories.AssessmentFactory(household=household, review_year=2021)
    factories.AssessmentFactory(household=household, review_year=2022, computed_classification="near_poor")
    factories.MemberFactory(household=household, number=1)
    return household


@pytest.mark.parametrize("persona", ["commune_admin", "case_worker"])
def test_list_query_count_does_not_depend_on_the_number_of_households(
    client, personas, village, persona, django_assert_num_queries
):
    user = personas[persona]
    plan = plan_2023(village.commune)

    def add_households(count, start):
        for n in range(start, start + count):
            household = _list_row_with_everything(village, n)
            factories.ExitRegistrationFactory(household=household, plan=plan)
            if persona == "case_worker":
                factories.AssignmentFactory(household=household, plan=plan, official=user.official)

    client.force_login(user)
    add_households(1, 0)
    client.get(LIST_URL)  # warm up: the first request of a session may differ
    with CaptureQueriesContext(connection) as one:
        response = client.get(LIST_URL)
    assert len(response.context["page"].object_list) == 1

    add_households(29, 1)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(LIST_URL)
    assert len(response.context["page"].object_list) == 30
    assert len(one.captured_queries) <= LIST_QUERY_BUDGET


# --- The household page ----------------------------------------------------------------------------


def detail_url(household) -> str:
    return reverse("households:detail", args=[household.pk])


@pytest.fixture
def member_with_id(household):
    return factories.MemberFactory(
        household=household,
        number=1,
        full_name="Đinh Văn Hmar",
        relation="head",
        sex="male",
        birth_date=datetime.date(1980, 3, 7),
        birth_year=1980,
        national_id="064080001234",
    )


@pytest.mark.parametrize(
    "persona, full_id_shown",
    [
        ("commune_admin", True),
        ("administrator", True),
        ("case_worker", False),
        ("viewer", False),
    ],
)
def test_national_id_is_masked_except_for_roles_that_process_it(
    client, personas, member_with_id, persona, full_id_shown
):
    client.force_login(personas[persona])
    html = client.get(detail_url(member_with_id.household)).content.decode()
    assert ("064080001234" in html) is full_id_shown
    if not full_id_shown:
        assert member_with_id.masked_national_id in html
        assert "•••••••••234" in html


@pytest.mark.parametrize("persona", ["other_case_worker", "outsider"])
def test_household_out_of_scope_is_404(client, personas, household, persona):
    client.force_login(personas[persona])
    assert client.get(detail_url(household)).status_code == 404


def test_unknown_household_is_404(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("households:detail", args=[999999])).status_code == 404


def test_household_page_needs_sign_in(client, household):
    response = client.get(detail_url(household))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_household_page_shows_the_profile_members_and_review(client, commune_admin, member_with_id):
    household = member_with_id.household
    household.address = "Thôn Mơhven-Ôr, xã Kông Lơng Khơng"
    household.phone = "0905123456"
    household.is_ethnic_minority = True
    household.save()
    factories.MemberFactory(household=household, number=2, full_name="Đinh Thị Blưi", birth_year=1985)
    standard_indicators = Indicator.objects.filter(standard__code="2022-2025")
    assessment = factories.AssessmentFactory(
        household=household,
        review_year=2022,
        income_per_capita_month=1_350_000,
        b1_score=118,
        computed_classification="near_poor",
        classification="poor",
        adjustment_reason="Họp thôn xác định hộ thiếu đất sản xuất",
        reviewed_on=datetime.date(2022, 11, 5),
    )
    assessment.deprivations.set(standard_indicators.filter(code__in=["health_insurance", "latrine"]))
    household.causes.set(PovertyCause.objects.filter(code="no_land"))
    household.needs.set(SupportNeed.objects.all()[:1])

    client.force_login(commune_admin)
    response = client.get(detail_url(household))
    assert response.status_code == 200
    html = response.content.decode()
    assert "KLK-0001" in html and "Đinh Văn Hmar" in html and "Đinh Thị Blưi" in html
    assert "Thôn Mơhven-Ôr, xã Kông Lơng Khơng" in html
    assert "0905123456" in html
    assert "07/03/1980" in html  # birth date dd/mm/yyyy
    assert "1985" in html and "1.985" not in html  # a birth year is not a number to group
    assert "1.350.000 đ" in html
    assert "118" in html
    assert "05/11/2022" in html
    assert vi(Level.POOR.label) in html
    assert vi(Level.NEAR_POOR.label) in html  # what the rule gave, beside the adjustment
    assert "Họp thôn xác định hộ thiếu đất sản xuất" in html
    for code, deprived in (("health_insurance", True), ("latrine", True), ("employment", False)):
        indicator = standard_indicators.get(code=code)
        state = "is-deprived" if deprived else "is-met"
        assert f'<li class="indicator {state}" data-indicator="{code}">' in html
        assert f'<span class="indicator-name">{indicator.number}. {indicator.name}</span>' in html
    assert "Thiếu đất sản xuất" in html
    assert SupportNeed.objects.all()[0].name in html


def test_household_page_shows_exit_registration_officials_and_support(client, commune_admin, household):
    plan = plan_2023(household.commune)
    factories.ExitRegistrationFactory(
        household=household, plan=plan, needs="Cần 1 con bò giống", commitment="Chăm sóc bò, trồng mì"
    )
    past = factories.OfficialFactory(commune=household.commune, full_name="Trần Văn Cũ")
    factories.AssignmentFactory(
        household=household,
        plan=plan,
        official=past,
        started_on=datetime.date(2022, 2, 1),
        ended_on=datetime.date(2023, 2, 9),
        end_reason="Chuyển công tác",
    )
    factories.SupportActionFactory(
        household=household,
        official=past,
        plan=plan,
        date=datetime.date(2023, 4, 15),
        kind="materials",
        description="Mua bò giống cùng gia đình",
        quantity=Decimal("1.00"),
        unit="con",
        value_vnd=12_500_000,
        contributor="relatives",
    )
    client.force_login(commune_admin)
    html = client.get(detail_url(household)).content.decode()
    assert "Cần 1 con bò giống" in html and "Chăm sóc bò, trồng mì" in html
    assert "10/02/2023" in html  # registered on / current assignment from
    assert household.assignments.get(ended_on__isnull=True).official.full_name in html
    assert "Trần Văn Cũ" in html and "01/02/2022" in html and "09/02/2023" in html
    assert "Chuyển công tác" in html
    assert "15/04/2023" in html and "Mua bò giống cùng gia đình" in html
    assert "12.500.000 đ" in html
    assert "1 con" in html


def _fill_household(household, plan, official, count):
    indicators = list(Indicator.objects.filter(standard__code="2022-2025")[:3])
    for n in range(count):
        factories.MemberFactory(household=household, number=n + 1, national_id=f"06408000{n:04d}")
        assessment = factories.AssessmentFactory(household=household, review_year=2022 - n)
        assessment.deprivations.set(indicators)
        factories.SupportActionFactory(household=household, official=official, plan=plan)
        factories.AssignmentFactory(
            household=household,
            plan=plan,
            official=official,
            started_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
            ended_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
        )
    household.causes.set(PovertyCause.objects.all()[:count])
    household.needs.set(SupportNeed.objects.all()[:count])


@pytest.mark.parametrize("persona", ["commune_admin", "case_worker", "viewer"])
def test_household_page_query_count_does_not_depend_on_its_rows(
    client, personas, village, persona, django_assert_num_queries
):
    user = personas[persona]
    plan = plan_2023(village.commune)
    official = factories.OfficialFactory(commune=village.commune)
    small = factories.HouseholdFactory(village=village, code="SMALL")
    big = factories.HouseholdFactory(village=village, code="BIG")
    for household in (small, big):
        factories.AssignmentFactory(household=household, plan=plan, official=personas["case_worker"].official)
        factories.ExitRegistrationFactory(household=household, plan=plan)
    _fill_household(small, plan, official, 1)
    _fill_household(big, plan, official, 5)

    client.force_login(user)
    client.get(detail_url(small))  # warm up
    with CaptureQueriesContext(connection) as one:
        assert client.get(detail_url(small)).status_code == 200
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(detail_url(big))
    assert len(response.context["detail"].members) == 5
    assert len(response.context["detail"].assessments) == 5
    assert len(one.captured_queries) <= DETAIL_QUERY_BUDGET


# --- Sign-in and the layout around the pages ---------------------------------------------------------


def test_sign_in_lands_on_the_household_list(client, commune_admin, household):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode()

    credentials = {"username": commune_admin.username, "password": "mat-khau-thu"}  # UserFactory's
    response = client.post(reverse("login"), credentials, follow=True)
    assert response.redirect_chain[0] == (reverse("home"), 302)
    assert response.redirect_chain[-1][0] == LIST_URL
    assert "KLK-0001" in response.content.decode()


def test_wrong_password_shows_the_form_again(client, commune_admin):
    response = client.post(reverse("login"), {"username": commune_admin.username, "password": "sai"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'class="form-errors"' in response.content.decode()


def test_pages_have_a_sign_out_form_and_a_language_switch(client, commune_admin):
    client.force_login(commune_admin)
    html = client.get(LIST_URL).content.decode()
    assert f'method="post" action="{reverse("logout")}"' in html
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="language" value="en"' in html
    assert '<html lang="vi">' in html  # Vietnamese unless the user picks English

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(LIST_URL).status_code == 302


def test_switching_to_english_keeps_vietnamese_numbers(client, commune_admin, household):
    factories.AssessmentFactory(household=household, income_per_capita_month=1_350_000)
    client.force_login(commune_admin)
    client.post(reverse("set_language"), {"language": "en", "next": LIST_URL})
    html = client.get(detail_url(household)).content.decode()
    assert '<html lang="en">' in html
    assert "1.350.000 đ" in html


def test_a_browser_asking_for_english_still_starts_in_vietnamese(client, commune_admin):
    client.force_login(commune_admin)
    html = client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in html
    client.post(reverse("set_language"), {"language": "en", "next": LIST_URL})
    assert '<html lang="en">' in client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
