"""The admin of review rounds: scoped to the commune, and a closed round, its meetings and its results
read-only (a change is refused, not only hidden)."""

import datetime

import pytest

from households import services
from households.models import Assessment, ReviewRound, VillageMeeting
from tests import factories
from tests.test_admin import assessment_post_data, login, standard_indicators, url

CLOSED_VI = "Rà soát định kỳ năm 2023 đã kết thúc, kết quả đã được chốt."


@pytest.fixture
def closed_round(household):
    review_round = services.review_round_open(commune=household.commune, year=2023)
    services.village_meeting_record(
        review_round=review_round,
        village=household.village,
        held_on=datetime.date(2023, 11, 20),
        attendance=40,
    )
    services.assessment_record(
        household=household, review_year=2023, income_per_capita_month=1_200_000, deprived=["latrine"]
    )
    return services.review_round_close(
        review_round=review_round, decision_number="45/QĐ-UBND", decision_date=datetime.date(2023, 12, 20)
    )


def round_post_data(commune, **changes) -> dict:
    data = {
        "commune": commune.pk,
        "year": "2024",
        "kind": "periodic",
        "starts_on": "01/09/2024",
        "ends_on": "14/12/2024",
        "meetings-TOTAL_FORMS": "0",
        "meetings-INITIAL_FORMS": "0",
        "meetings-MIN_NUM_FORMS": "0",
        "meetings-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_the_officer_lists_the_rounds_of_their_commune_only(client, personas, closed_round):
    foreign = factories.ReviewRoundFactory(commune=personas["outsider"].official.commune)
    login(client, personas["commune_admin"])
    response = client.get(url(ReviewRound, "changelist"))
    assert set(response.context["cl"].queryset) == {closed_round}
    assert client.get(url(ReviewRound, "change", foreign.pk)).status_code in (302, 404)


@pytest.mark.parametrize("role", ["administrator", "commune_admin"])
def test_a_closed_round_is_read_only_and_a_change_is_refused(client, personas, closed_round, role):
    login(client, personas[role])
    page = client.get(url(ReviewRound, "change", closed_round.pk))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    data = round_post_data(closed_round.commune, year="2023", starts_on="01/08/2023", ends_on="14/12/2023")
    assert client.post(url(ReviewRound, "change", closed_round.pk), data).status_code == 403
    closed_round.refresh_from_db()
    assert closed_round.starts_on == datetime.date(2023, 9, 1)
    assert VillageMeeting.objects.get().attendance == 40


@pytest.mark.parametrize("role", ["administrator", "commune_admin"])
def test_a_result_of_a_closed_round_is_read_only_and_a_change_is_refused(
    client, personas, household, closed_round, role
):
    assessment = Assessment.objects.get(review_year=2023)
    login(client, personas[role])
    page = client.get(url(Assessment, "change", assessment.pk))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    data = assessment_post_data(household, year=2023, income=3_000_000, deprivations=[])
    assert client.post(url(Assessment, "change", assessment.pk), data).status_code == 403
    assessment.refresh_from_db()
    assert assessment.income_per_capita_month == 1_200_000


def test_a_result_added_to_a_closed_round_in_the_admin_is_refused_in_vietnamese(
    client, personas, closed_round, village
):
    other = factories.HouseholdFactory(village=village)
    login(client, personas["commune_admin"])
    data = assessment_post_data(other, year=2023, income=1_200_000, deprivations=standard_indicators(3))
    response = client.post(url(Assessment, "add"), data)
    assert response.status_code == 200
    assert CLOSED_VI in response.content.decode()
    assert not Assessment.objects.filter(household=other).exists()


def test_a_result_of_an_open_round_is_still_changed_in_the_admin(client, personas, household):
    services.review_round_open(commune=household.commune, year=2023)
    assessment = services.assessment_record(
        household=household, review_year=2023, income_per_capita_month=1_200_000, deprived=[]
    )
    login(client, personas["commune_admin"])
    data = assessment_post_data(household, year=2023, income=2_000_000, deprivations=[])
    assert client.post(url(Assessment, "change", assessment.pk), data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.income_per_capita_month == 2_000_000


def test_the_admin_opens_a_round_with_its_meetings_checked(client, personas, household, closed_round):
    login(client, personas["administrator"])
    duplicate = client.post(
        url(ReviewRound, "add"),
        round_post_data(household.commune, year="2023", starts_on="01/09/2023", ends_on="14/12/2023"),
    )
    assert duplicate.status_code == 200
    assert "Xã đã có đợt rà soát định kỳ năm 2023." in duplicate.content.decode()

    elsewhere = factories.VillageFactory()
    data = round_post_data(
        household.commune,
        **{
            "meetings-TOTAL_FORMS": "1",
            "meetings-0-village": str(elsewhere.pk),
            "meetings-0-held_on": "20/11/2024",
            "meetings-0-attendance": "30",
            "meetings-0-minutes_reference": "",
        },
    )
    refused = client.post(url(ReviewRound, "add"), data)
    assert refused.status_code == 200
    assert "Thôn/làng này không thuộc xã của đợt rà soát." in refused.content.decode()
    assert ReviewRound.objects.count() == 1

    data["meetings-0-village"] = str(household.village.pk)
    assert client.post(url(ReviewRound, "add"), data).status_code == 302
    added = ReviewRound.objects.get(year=2024)
    assert (added.state, added.meetings.get().attendance, added.created_by) == (
        "open",
        30,
        personas["administrator"],
    )
