"""Invisible and direction-changing characters are cleaned at every entry point (issue 9, item 9).

The same rule (povertyplan.text.clean_text) at the admin, the page's support form, the JSON API
and the spreadsheet import: what a list shows is what is stored.
"""

import uuid

import pytest
from django.urls import reverse

from assignments.models import SupportAction
from households.models import Household
from tests.api import post_support
from tests.households.test_import_households import apply, file_of, household_row
from tests.payloads import support_data
from tests.test_admin import household_post_data, login

# A right-to-left override turns "Hliêu" around on screen; zero-width spaces and a tab hide in it.
TYPED_NAME = "\u202eĐinh\u200b Văn\tHliêu\u2069"
STORED_NAME = "Đinh Văn Hliêu"
TYPED_DESCRIPTION = "Giúp\u200b làm chuồng bò\u202e\r\nGiống bò\u00a0vàng\x07"
STORED_DESCRIPTION = "Giúp làm chuồng bò\nGiống bò vàng"


def test_the_admin_stores_a_head_name_without_invisible_characters(client, personas, household):
    login(client, personas["commune_admin"])
    data = household_post_data(
        commune=household.commune, village=household.village, code="KLK-0999\u200b", head_name=TYPED_NAME
    )
    response = client.post(reverse("admin:households_household_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = Household.objects.get(code="KLK-0999")
    assert stored.head_name == STORED_NAME


def test_the_admin_keeps_line_breaks_of_multiline_text_but_not_invisible_characters(
    client, personas, household
):
    login(client, personas["commune_admin"])
    data = household_post_data(
        commune=household.commune, village=household.village, code="KLK-0998", head_name=STORED_NAME
    )
    data["notes"] = TYPED_DESCRIPTION
    assert client.post(reverse("admin:households_household_add"), data).status_code == 302
    assert Household.objects.get(code="KLK-0998").notes == STORED_DESCRIPTION


def test_the_support_page_stores_the_description_without_invisible_characters(client, case_worker, household):
    client.force_login(case_worker)
    data = support_data(description=TYPED_DESCRIPTION, unit="ngày\u200b công\u202e")
    response = client.post(reverse("assignments:support_new", args=[household.pk]), data)
    assert response.status_code in (200, 302)
    action = SupportAction.objects.get()
    assert (action.description, action.unit) == (STORED_DESCRIPTION, "ngày công")


def test_the_api_stores_the_description_without_invisible_characters(client, case_worker, household):
    client.force_login(case_worker)
    payload = {
        "client_uuid": str(uuid.uuid4()),
        "household": household.pk,
        "kind": "labour",
        "date": "2023-03-01",
        "description": TYPED_DESCRIPTION,
        "quantity": 2,
        "unit": "\u2066ngày công\u2069",
        "contributor": "official",
    }
    assert post_support(client, payload).status_code == 201
    action = SupportAction.objects.get()
    assert (action.description, action.unit) == (STORED_DESCRIPTION, "ngày công")


@pytest.mark.parametrize("typed", [TYPED_NAME, "\ufeffĐinh Văn\u00ad Hliêu\u200d"])
def test_the_import_stores_a_head_name_without_invisible_characters(commune_admin, village, typed):
    data = file_of([household_row(village.commune, village, "KLK-0777\u200b", typed)])
    result = apply(village.commune, commune_admin, data)
    assert (result.new, result.invalid) == (1, 0), result.problems
    assert Household.objects.get(code="KLK-0777").head_name == STORED_NAME
