import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.models import Indicator
from tests import factories
from tests.api import get_my_households

pytestmark = pytest.mark.django_db


def _codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()]


def _followed_household(official_user, village, **kwargs):
    household = factories.HouseholdFactory(village=village, **kwargs)
    factories.AssignmentFactory(household=household, official=official_user.official)
    return household


def test_an_official_sees_exactly_the_households_they_are_in_charge_of(
    client, case_worker, other_case_worker, household, village
):
    mine = _followed_household(case_worker, village, code="KLK-0002")
    _followed_household(other_case_worker, village, code="KLK-0003")
    factories.HouseholdFactory(village=village, code="KLK-0004")  # nobody's
    factories.HouseholdFactory(code="KLK-0005")  # another commune
    client.force_login(case_worker)
    assert _codes(get_my_households(client)) == [household.code, mine.code]


def test_another_official_of_the_commune_sees_none_of_them(client, other_case_worker, household):
    client.force_login(other_case_worker)
    assert _codes(get_my_households(client)) == []


def test_a_household_handed_to_another_official_leaves_the_list(
    client, case_worker, other_case_worker, household
):
    from assignments import services

    current = household.assignments.get()
    services.assignment_reassign(
        plan=current.plan,
        household=household,
        official=other_case_worker.official,
        on=datetime.date(2023, 6, 1),
    )
    client.force_login(case_worker)
    assert _codes(get_my_households(client)) == []
    client.force_login(other_case_worker)
    assert _codes(get_my_households(client)) == [household.code]


def test_archived_households_are_left_out(client, case_worker, household, village):
    _followed_household(
        case_worker, village, code="KLK-0009", archived_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    )
    client.force_login(case_worker)
    assert _codes(get_my_households(client)) == [household.code]


@pytest.mark.parametrize("persona", ["viewer", "commune_admin", "administrator"])
def test_wider_roles_see_their_whole_scope(client, personas, household, village, persona):
    nobodys = factories.HouseholdFactory(village=village, code="KLK-0002")
    elsewhere = factories.HouseholdFactory(code="KLK-0003")
    client.force_login(personas[persona])
    codes = _codes(get_my_households(client))
    assert codes[:2] == [household.code, nobodys.code]
    assert (elsewhere.code in codes) == (persona == "administrator")


def test_an_officer_of_another_commune_sees_none_of_ours(client, outsider, household):
    client.force_login(outsider)
    assert household.code not in _codes(get_my_households(client))


def test_anonymous_gets_401_json(client, household):
    response = get_my_households(client)
    assert response.status_code == 401
    assert response.json()["message"]
    assert "Location" not in response


def test_wrong_method_is_405_json(client, case_worker):
    client.force_login(case_worker)
    response = client.post(reverse("api:my_households"), "{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()["message"]


def test_each_household_carries_what_the_client_shows(client, case_worker, household, village):
    household.address = "Làng Mơhven-Ôr, xã Kông Lơng Khơng"
    household.is_ethnic_minority = True
    household.save()
    older = factories.AssessmentFactory(household=household, review_year=2022, computed_classification="poor")
    newer = factories.AssessmentFactory(
        household=household, review_year=2023, computed_classification="near_poor"
    )
    indicators = list(Indicator.objects.filter(standard=newer.standard).order_by("number")[:3])
    older.deprivations.set(indicators[:1])
    newer.deprivations.set([indicators[2], indicators[1]])
    factories.ExitRegistrationFactory(household=household, plan=household.assignments.get().plan)
    factories.SupportActionFactory(household=household, date=datetime.date(2023, 3, 1))
    factories.SupportActionFactory(household=household, date=datetime.date(2023, 5, 9))
    client.force_login(case_worker)

    (row,) = get_my_households(client).json()

    assert row == {
        "id": household.pk,
        "code": "KLK-0001",
        "head_name": "Đinh Văn Hmar",
        "village": "Mơhven-Ôr",
        "village_id": village.pk,
        "address": "Làng Mơhven-Ôr, xã Kông Lơng Khơng",
        "is_ethnic_minority": True,
        "latest_classification": "near_poor",
        "deprived_indicators": [indicators[1].code, indicators[2].code],
        "exit_status": "registered",
        "last_support_date": "2023-05-09",
        "url": reverse("households:detail", args=[household.pk]),
    }


def test_a_household_with_no_review_has_empty_fields(client, case_worker, household):
    client.force_login(case_worker)
    (row,) = get_my_households(client).json()
    assert row["latest_classification"] is None
    assert row["deprived_indicators"] == []
    assert row["exit_status"] is None
    assert row["last_support_date"] is None


def _populate(official_user, village, count, start):
    standard_indicators = None
    for number in range(start, start + count):
        household = _followed_household(official_user, village, code=f"KLK-{number:04d}")
        assessment = factories.AssessmentFactory(household=household)
        if standard_indicators is None:
            standard_indicators = list(Indicator.objects.filter(standard=assessment.standard)[:2])
        assessment.deprivations.set(standard_indicators)
        factories.SupportActionFactory(household=household)
        factories.ExitRegistrationFactory(household=household, plan=household.assignments.get().plan)


def test_the_query_count_does_not_grow_with_the_rows(client, case_worker, village, django_assert_num_queries):
    _populate(case_worker, village, 1, start=100)
    client.force_login(case_worker)
    with CaptureQueriesContext(connection) as one_row:
        assert len(get_my_households(client).json()) == 1

    _populate(case_worker, village, 9, start=200)
    with django_assert_num_queries(len(one_row.captured_queries)):
        assert len(get_my_households(client).json()) == 10


def test_long_scopes_come_in_pages_with_a_link_to_the_next(client, commune_admin, village):
    for number in range(5):
        factories.HouseholdFactory(village=village, code=f"KLK-{number:04d}")
    client.force_login(commune_admin)

    first = get_my_households(client, limit=2)
    assert _codes(first) == ["KLK-0000", "KLK-0001"]
    assert first["Link"] == f'<{reverse("api:my_households")}?offset=2&limit=2>; rel="next"'
    last = get_my_households(client, offset=4, limit=2)
    assert _codes(last) == ["KLK-0004"]
    assert "Link" not in last
    assert "Link" not in get_my_households(client)


@pytest.mark.parametrize(
    "params, field",
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": "abc"}, "limit"),
        ({"limit": "٣"}, "limit"),  # an Arabic-Indic digit: isdigit() but not ASCII
        ({"offset": "-1"}, "offset"),
        ({"offset": "9" * 40}, "offset"),
    ],
)
def test_bad_paging_parameters_are_400(client, case_worker, params, field):
    client.force_login(case_worker)
    response = get_my_households(client, **params)
    assert response.status_code == 400
    assert response.json()["errors"][field]


def test_the_list_hands_out_the_csrf_cookie(client, case_worker):
    client.force_login(case_worker)
    response = get_my_households(client)
    assert "csrftoken" in response.cookies
