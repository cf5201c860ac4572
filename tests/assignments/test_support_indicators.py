"""A support names the deprivation indicators it addresses: the page's form, its boxes, the admin.
The API's side is in tests/api/test_support_actions.py."""

import datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from assignments.forms import SupportActionForm
from assignments.models import SupportAction
from households.models import Indicator, PovertyStandard
from tests import factories
from tests.payloads import support_data

pytestmark = pytest.mark.django_db


def new_url(household) -> str:
    return reverse("assignments:support_new", args=[household.pk])


def detail_url(household) -> str:
    return reverse("households:detail", args=[household.pk])


@pytest.fixture
def older_standard(db):
    """The 2016–2020 standard with two indicators: one whose code the 2022 standard also has, one not."""
    standard = PovertyStandard.objects.create(
        code="2016-2020",
        name="Chuẩn nghèo đa chiều giai đoạn 2016-2020",
        legal_basis="Quyết định số 59/2015/QĐ-TTg",
        start_year=2016,
        end_year=2020,
        rule="multidimensional_2022",
        poverty_line_rural=700_000,
        poverty_line_urban=900_000,
        average_ceiling_rural=1_000_000,
        average_ceiling_urban=1_300_000,
    )
    for number, code, name in (
        (1, "water_source", "Nguồn nước sinh hoạt"),
        (2, "health_service", "Tiếp cận y tế"),
    ):
        Indicator.objects.create(
            standard=standard, number=number, code=code, dimension="Y tế", name=name, deprived_when="…"
        )
    return standard


def post(client, household, **changes):
    return client.post(new_url(household), support_data(**changes))


def test_the_page_records_the_indicators_ticked(client, case_worker, household):
    client.force_login(case_worker)
    response = post(client, household, indicators=["water_source", "latrine"], description="Xây bể nước")
    assert response.status_code == 302
    action = SupportAction.objects.get()
    assert sorted(action.indicators.values_list("code", flat=True)) == ["latrine", "water_source"]
    assert {indicator.standard.code for indicator in action.indicators.all()} == {"2022-2025"}


def test_without_indicators_the_support_is_recorded_as_before(client, case_worker, household):
    client.force_login(case_worker)
    assert post(client, household).status_code == 302
    assert SupportAction.objects.get().indicators.count() == 0


def test_an_unknown_code_is_refused_in_vietnamese_and_nothing_is_written(client, case_worker, household):
    client.force_login(case_worker)
    response = post(client, household, indicators=["water_source", "wifi"])
    assert response.status_code == 200
    assert response.context["form"].errors["indicators"] == ["Không có chỉ số thiếu hụt nào mang mã wifi."]
    assert "Không có chỉ số thiếu hụt nào mang mã wifi." in response.content.decode()
    assert not SupportAction.objects.exists()
    # the boxes stay as ticked
    assert 'value="water_source" checked' in response.content.decode()


def test_a_code_of_another_standard_is_refused(client, case_worker, household, older_standard):
    client.force_login(case_worker)
    response = post(client, household, indicators=["health_service"])
    assert response.context["form"].errors["indicators"] == [
        "health_service: không phải chỉ số của chuẩn nghèo áp dụng vào ngày 01/03/2023 "
        "(Chuẩn nghèo đa chiều giai đoạn 2022-2025)."
    ]
    assert not SupportAction.objects.exists()


def test_the_indicators_follow_the_standard_of_the_supports_date(older_standard):
    """The same code names the indicator of the standard in force on the date."""
    form = SupportActionForm(support_data(date="2019-06-01", indicators=["water_source"]), plan=None)
    assert form.is_valid(), form.errors
    (chosen,) = form.cleaned_data["indicators"]
    assert chosen.standard == older_standard
    form = SupportActionForm(support_data(indicators=["water_source"]), plan=None)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["indicators"][0].standard.code == "2022-2025"


def test_no_indicator_can_be_chosen_where_no_standard_is_in_force(db):
    form = SupportActionForm(support_data(date="2012-06-01", indicators=["water_source"]), plan=None)
    assert not form.is_valid()
    assert form.errors["indicators"] == [
        "Không có chuẩn nghèo nào áp dụng vào ngày 01/06/2012 nên không chọn được chỉ số thiếu hụt "
        "(water_source)."
    ]


def test_a_correction_starts_from_the_originals_indicators(client, case_worker, household):
    original = factories.SupportActionFactory(household=household, official=case_worker.official)
    original.indicators.set(Indicator.objects.filter(standard__code="2022-2025", code="telecom"))
    client.force_login(case_worker)
    html = client.get(new_url(household), {"corrects": original.pk}).content.decode()
    assert 'value="telecom" checked' in html
    assert html.count(" checked>") == 1 + 1  # the kind's radio button and the one box


@pytest.mark.parametrize("url", [new_url, detail_url])
def test_the_boxes_list_the_twelve_the_households_deprived_ones_first_and_marked(
    client, case_worker, household, url
):
    review = factories.AssessmentFactory(household=household, review_year=2022)
    review.deprivations.set(Indicator.objects.filter(standard__code="2022-2025", number__in=[4, 9]))
    client.force_login(case_worker)
    html = client.get(url(household)).content.decode()
    fieldset = html[html.index('class="field support-indicators') :]
    fieldset = fieldset[: fieldset.index("</fieldset>")]
    assert "Chỉ số thiếu hụt mà hỗ trợ này hướng tới (không bắt buộc)" in fieldset
    codes = [part.split('"')[0] for part in fieldset.split('name="indicators" value="')[1:]]
    assert codes[:2] == ["health_insurance", "water_source"] and len(codes) == 12
    flag = '<span class="indicator-flag">đang thiếu hụt</span>'
    assert fieldset.count(flag) == 2
    assert fieldset.index("4. Bảo hiểm y tế") < fieldset.index(flag) < fieldset.index("1. Việc làm")


# --- The admin: the same rule ---------------------------------------------------------------------------


def admin_form(user, data):
    model_admin = admin.site._registry[SupportAction]
    request = RequestFactory().get("/admin/")
    request.user = user
    form_class = model_admin.get_form(request)
    return form_class(data)


def admin_data(household, official, indicators, *, day="2023-03-01"):
    return {
        "household": household.pk,
        "official": official.pk,
        "date": day,
        "kind": "materials",
        "description": "Bể chứa nước",
        "value_vnd": "0",
        "contributor": "official",
        "indicators": [indicator.pk for indicator in indicators],
    }


def test_the_admin_refuses_an_indicator_of_another_standard(
    administrator, household, case_worker, older_standard
):
    old_water = Indicator.objects.get(standard=older_standard, code="water_source")
    form = admin_form(administrator, admin_data(household, case_worker.official, [old_water]))
    assert not form.is_valid()
    assert form.errors["indicators"] == [
        "water_source: không phải chỉ số của chuẩn nghèo áp dụng vào ngày 01/03/2023 "
        "(Chuẩn nghèo đa chiều giai đoạn 2022-2025)."
    ]
    water = Indicator.objects.get(standard__code="2022-2025", code="water_source")
    form = admin_form(administrator, admin_data(household, case_worker.official, [water]))
    assert form.is_valid(), form.errors
    action = form.save()
    assert list(action.indicators.all()) == [water]
    assert "2022-2025" in str(form["indicators"])  # each box names its standard


def test_a_support_before_the_plan_year_is_still_refused_with_its_indicators(client, case_worker, household):
    """The date's own rule comes first: the indicators are not checked against a refused date."""
    client.force_login(case_worker)
    response = post(client, household, date=str(datetime.date(2022, 5, 1)), indicators=["water_source"])
    assert "date" in response.context["form"].errors and "indicators" not in response.context["form"].errors
    assert not SupportAction.objects.exists()
