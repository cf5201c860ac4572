"""Who may download the movement report: the same rule as every commune report."""

import pytest
from django.urls import reverse

from tests import factories

STATUSES = {
    "commune_admin": 200,
    "viewer": 200,  # the upper office of the commune's district (read-only)
    "administrator": 200,
    "case_worker": 403,  # officials get no commune-wide list
    "outsider": 404,  # another commune's officer: our commune is outside their scope
    "anonymous": 302,
}


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
@pytest.mark.parametrize("role, expected", STATUSES.items())
def test_movement_download_access_per_role(client, personas, household, media, role, expected, fmt):
    factories.AssessmentFactory(household=household, review_year=2022)
    if role != "anonymous":
        client.force_login(personas[role])
    url = reverse("reports:download", kwargs={"year": 2023, "slug": "movement", "fmt": fmt})
    response = client.get(url, {"commune": household.commune.code})
    assert response.status_code == expected
