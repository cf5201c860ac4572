"""Village statistics: the figures, their Vietnamese formatting, year and commune pickers, access."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.models import Assessment
from povertyplan.roles import Role
from reports import selectors
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("reports:statistics")
# Session, user, official profile and groups, the user's communes, the review years (rounds and
# results), the periodic round, the statuses, the villages; the exit cohorts: the rounds, the
# residents, one per review year (two here).
QUERY_BUDGET = 14  # the same whatever the number of villages (the test below)


def reviewed(village, level, *, year=2022, minority=False, kind=Assessment.Kind.PERIODIC, **household):
    """A household of the village with one review result."""
    home = factories.HouseholdFactory(village=village, is_ethnic_minority=minority, **household)
    factories.AssessmentFactory(household=home, review_year=year, kind=kind, computed_classification=level)
    return home


@pytest.fixture
def small_commune(commune):
    """Three villages; the expected 2022 figures are in the tests below."""
    a = factories.VillageFactory(commune=commune, name="Bờ-Chư pâu")
    b = factories.VillageFactory(commune=commune, name="Dơng")
    factories.VillageFactory(commune=commune, name="Làng Trống")  # no households at all
    # Bờ-Chư pâu: 4 reviewed in 2022, 2 poor (1 ethnic minority), 1 near-poor, 3 ethnic minority.
    reviewed(a, "poor", minority=True)
    adjusted = factories.HouseholdFactory(village=a)
    factories.AssessmentFactory(
        household=adjusted,
        review_year=2022,
        computed_classification="near_poor",
        classification="poor",  # the village meeting's classification is the one that counts
        adjustment_reason="Họp thôn",
    )
    reviewed(a, "near_poor", minority=True)
    reviewed(a, "average_living", minority=True)
    reviewed(a, "poor", year=2021, minority=True)  # not reviewed in 2022
    reviewed(a, "poor", kind=Assessment.Kind.REGULAR, minority=True)  # in-year review only
    # Dơng: 4 reviewed in 2022, 3 poor (2 ethnic minority), 3 ethnic minority.
    twice = reviewed(b, "poor", minority=True)
    factories.AssessmentFactory(household=twice, review_year=2021, computed_classification="near_poor")
    reviewed(b, "poor", minority=True)
    reviewed(b, "other", minority=True)
    reviewed(b, "poor", archived_at=datetime.datetime(2023, 5, 1, tzinfo=datetime.UTC))  # moved away later
    # Another commune's households never count.
    elsewhere = factories.VillageFactory(name="Làng khác")
    reviewed(elsewhere, "poor", minority=True)
    return commune


def test_village_statistics_count_every_resident_household_with_its_latest_result(small_commune):
    """The plan's rate is over every resident household ("242 hộ nghèo, chiếm 20,86 % tổng số hộ dân
    cư trên địa bàn"): a household not surveyed in 2022 counts with the result it had (the 2021 poor
    one in Bờ-Chư pâu stays poor), one reviewed in the year's regular review with that result, one
    archived after the review was resident then."""
    statistics = selectors.village_statistics(commune=small_commune, year=2022)
    table = [
        (row.name, row.households, row.poor, row.near_poor, row.minority, row.minority_poor)
        for row in statistics.rows
    ]
    assert table == [
        ("Bờ-Chư pâu", 6, 4, 1, 5, 3),
        ("Dơng", 4, 3, 0, 3, 2),
        ("Làng Trống", 0, 0, 0, 0, 0),
    ]
    total = statistics.total
    assert (total.households, total.poor, total.near_poor, total.minority, total.minority_poor) == (
        10,
        7,
        1,
        8,
        5,
    )
    assert statistics.surveyed == 8  # the periodic review of 2022 assessed 8 of the 10
    assert statistics.rows[0].poor_rate == Decimal("66.67")
    assert statistics.rows[0].near_poor_rate == Decimal("16.67")
    assert statistics.rows[0].minority_poor_rate == Decimal("60.00")
    assert statistics.rows[1].minority_poor_rate == Decimal("66.67")
    assert statistics.rows[2].poor_rate == Decimal("0.00")
    assert (total.poor_rate, total.near_poor_rate, total.minority_poor_rate) == (
        Decimal("70.00"),
        Decimal("10.00"),
        Decimal("62.50"),
    )


def test_village_statistics_for_an_earlier_year(small_commune):
    """At the end of 2021 only the two households reviewed by then were on a list; the others, not
    yet reviewed, are resident households on no list."""
    statistics = selectors.village_statistics(commune=small_commune, year=2021)
    counts = {row.name: (row.households, row.poor, row.near_poor) for row in statistics.rows}
    assert counts == {"Bờ-Chư pâu": (6, 1, 0), "Dơng": (4, 0, 1), "Làng Trống": (0, 0, 0)}
    assert statistics.surveyed == 2


def test_review_years_are_the_communes_periodic_reviews_latest_first(small_commune):
    assert selectors.review_years(commune=small_commune) == [2022, 2021]


def test_statistics_page_shows_the_figures_with_vietnamese_rates(client, commune_admin, small_commune):
    client.force_login(commune_admin)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["year"] == 2022  # the latest review year by default
    html = response.content.decode()
    for text in ["Bờ-Chư pâu", "Dơng", "Làng Trống", "66,67%", "16,67%", "60,00%", "75,00%"]:
        assert text in html
    assert "70,00%" in html and "10,00%" in html  # the commune total
    assert "10 hộ cư trú; 8 hộ được rà soát trong đợt này." in html
    assert '<option value="2022" selected>2022</option>' in html
    assert "2.022" not in html


def test_statistics_page_for_a_chosen_year(client, commune_admin, small_commune):
    client.force_login(commune_admin)
    response = client.get(URL, {"year": "2021"})
    assert response.context["year"] == 2021
    assert response.context["statistics"].total.poor == 1
    assert '<option value="2021" selected>2021</option>' in response.content.decode()


def test_statistics_page_for_a_year_without_review_shows_zeros(client, commune_admin, small_commune):
    client.force_login(commune_admin)
    response = client.get(URL, {"year": "2019"})
    assert response.context["year"] == 2019
    statistics = response.context["statistics"]
    assert (statistics.total.poor, statistics.total.near_poor, statistics.surveyed) == (0, 0, 0)
    assert not response.context["has_review"]


def test_a_malformed_year_falls_back_to_the_latest(client, commune_admin, small_commune):
    client.force_login(commune_admin)
    assert client.get(URL, {"year": "năm ngoái"}).context["year"] == 2022


def test_the_plans_village_figure_is_reproduced(client, commune_admin, commune):
    """Làng Bờ-Chư pâu in the 2023 plan: 42 poor households of 146, 28,77%."""
    village = factories.VillageFactory(commune=commune, name="Bờ-Chư pâu")
    for n in range(146):
        reviewed(village, "poor" if n < 42 else "average_living", minority=True)
    client.force_login(commune_admin)
    response = client.get(URL)
    row = response.context["statistics"].rows[0]
    assert (row.households, row.poor, row.poor_rate) == (146, 42, Decimal("28.77"))
    assert "28,77%" in response.content.decode()


def test_commune_without_reviews_shows_a_notice(client, outsider):
    client.force_login(outsider)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["statistics"] is None
    assert response.context["commune"] == outsider.official.commune


@pytest.fixture
def district_communes(commune):
    """A second commune under the viewer's district, and one under another district."""
    neighbour = factories.CommuneFactory(district=commune.district, name="Tơ Tung")
    reviewed(factories.VillageFactory(commune=neighbour, name="Làng Hợp"), "poor")
    faraway = factories.CommuneFactory(name="Xã xa")
    reviewed(factories.VillageFactory(commune=faraway), "poor")
    return neighbour, faraway


def test_upper_office_picks_among_its_communes(client, viewer, small_commune, district_communes):
    neighbour, faraway = district_communes
    client.force_login(viewer)

    response = client.get(URL)
    assert [c.name for c in response.context["communes"]] == ["Kông Lơng Khơng", "Tơ Tung"]
    assert response.context["commune"] == small_commune  # the first by default
    html = response.content.decode()
    assert f'<option value="{neighbour.code}"' in html
    assert faraway.code not in html

    response = client.get(URL, {"commune": neighbour.code, "year": "2022"})
    assert response.context["commune"] == neighbour
    assert [row.name for row in response.context["statistics"].rows] == ["Làng Hợp"]
    assert response.context["statistics"].total.poor == 1


def test_a_commune_outside_the_users_area_is_404(
    client, viewer, commune_admin, small_commune, district_communes
):
    neighbour, faraway = district_communes
    client.force_login(viewer)
    assert client.get(URL, {"commune": faraway.code}).status_code == 404
    assert client.get(URL, {"commune": "không-có"}).status_code == 404
    client.force_login(commune_admin)
    assert client.get(URL, {"commune": neighbour.code}).status_code == 404
    assert client.get(URL, {"commune": small_commune.code}).status_code == 200


def test_administrator_sees_every_commune(client, administrator, small_commune, district_communes):
    client.force_login(administrator)
    response = client.get(URL, {"commune": district_communes[1].code})
    assert response.status_code == 200
    assert len(response.context["communes"]) >= 3


@pytest.mark.parametrize("persona", ["case_worker", "other_case_worker"])
def test_officials_cannot_read_the_commune_statistics(client, personas, small_commune, persona):
    client.force_login(personas[persona])
    assert client.get(URL).status_code == 403


def test_a_user_without_a_role_gets_403(client, db):
    user = factories.UserFactory()
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_statistics_need_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_statistics_menu_link_only_for_roles_that_read_them(client, commune_admin, case_worker):
    client.force_login(commune_admin)
    assert URL in client.get(reverse("households:list")).content.decode()
    client.force_login(case_worker)
    assert URL not in client.get(reverse("households:list")).content.decode()


def test_query_count_does_not_depend_on_the_number_of_villages(
    client, commune_admin, commune, django_assert_num_queries
):
    def add_village(n):
        village = factories.VillageFactory(commune=commune, name=f"Làng {n}")
        reviewed(village, "poor", minority=True)
        reviewed(village, "near_poor")
        reviewed(village, "poor", year=2021)

    client.force_login(commune_admin)
    add_village(0)
    client.get(URL)  # warm up
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for n in range(1, 6):
        add_village(n)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(URL)
    assert len(response.context["statistics"].rows) == 6
    assert len(one.captured_queries) <= QUERY_BUDGET


def test_village_statistics_take_the_same_queries_for_10_and_200_households(
    commune, django_assert_num_queries
):
    village = factories.VillageFactory(commune=commune)
    for count in (10, 190):
        for _ in range(count):
            reviewed(village, "poor")
        # the periodic round, the statuses, the villages
        with django_assert_num_queries(3):
            statistics = selectors.village_statistics(commune=commune, year=2022)
    assert statistics.total.households == 200


def test_upper_office_of_a_province_reads_communes_directly_under_it(client, db):
    """Since July 2025 communes sit directly under a province; the province office reads them."""
    province = factories.ProvinceFactory(name="Gia Lai")
    merged = factories.CommuneFactory(district=None, province=province, name="Tơ Tung", code="23668")
    reviewed(factories.VillageFactory(commune=merged, name="Làng Mơ Tôn"), "poor", minority=True)
    office = factories.OfficialFactory(commune=None, province=province, role=Role.UPPER_OFFICE).user
    client.force_login(office)
    response = client.get(URL, {"commune": "23668"})
    assert response.status_code == 200
    assert response.context["statistics"].total.minority_poor == 1
    assert "100,00%" in response.content.decode()


def test_villages_are_listed_in_vietnamese_alphabetical_order(commune):
    from reports.selectors import village_statistics

    for name in ("Hợp Thành", "Đăk Pơ Kao", "Dơng", "Bờ-Chư pâu"):
        factories.VillageFactory(commune=commune, name=name)
    names = [row.name for row in village_statistics(commune=commune, year=2022).rows]
    assert names == ["Bờ-Chư pâu", "Dơng", "Đăk Pơ Kao", "Hợp Thành"]


def test_a_partial_review_reads_as_the_whole_commune_with_how_many_were_surveyed(
    client, commune_admin, commune
):
    """The year-end review of the households registered to exit surveys a few: the year's figures are
    still over every household, so the rate cannot seem to rise in a year households exited."""
    village = factories.VillageFactory(commune=commune, name="Dơng")
    households = factories.HouseholdFactory.create_batch(10, village=village)
    for household in households:
        factories.AssessmentFactory(household=household, review_year=2022)  # poor
    factories.AssessmentFactory(
        household=households[0], review_year=2023, computed_classification="average_living"
    )
    client.force_login(commune_admin)
    response = client.get(reverse("reports:statistics"))
    statistics = response.context["statistics"]
    assert response.context["year"] == 2023  # the latest review
    assert (statistics.total.households, statistics.total.poor, statistics.surveyed) == (10, 9, 1)
    assert statistics.total.poor_rate == Decimal("90.00")
