"""The household page as a case file: the latest review explained indicator by indicator, causes
and needs (and who may change them), the support form and the support timeline."""

import datetime
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from households.models import Indicator, PovertyCause, SupportNeed
from tests import factories

pytestmark = pytest.mark.django_db


def detail_url(household) -> str:
    return reverse("households:detail", args=[household.pk])


def causes_url(household) -> str:
    return reverse("households:causes_needs", args=[household.pk])


def indicators(*codes):
    return Indicator.objects.filter(standard__code="2022-2025", code__in=codes)


# --- The latest review, explained ------------------------------------------------------------------------


def test_every_indicator_of_the_standard_is_shown_deprived_or_met(client, case_worker, household):
    review = factories.AssessmentFactory(household=household, income_per_capita_month=1_350_000)
    review.deprivations.set(indicators("employment", "latrine", "telecom"))
    client.force_login(case_worker)
    html = client.get(detail_url(household)).content.decode()
    shown = re.findall(r'<li class="indicator (is-deprived|is-met)" data-indicator="([a-z_]+)">', html)
    assert len(shown) == 12
    assert [code for state, code in shown if state == "is-deprived"] == ["employment", "latrine", "telecom"]
    assert [code for _state, code in shown] == list(
        Indicator.objects.filter(standard__code="2022-2025").order_by("number").values_list("code", flat=True)
    )
    assert "12 chỉ số: thiếu hụt 3" in html
    assert html.count(">thiếu hụt</span>") == 3 and html.count(">đạt</span>") == 9
    assert "Thiếu hụt khi:" in html  # each indicator opens to its definition


def test_the_page_explains_a_poor_households_class_and_the_way_out(client, case_worker, household):
    review = factories.AssessmentFactory(household=household, income_per_capita_month=1_350_000)
    review.deprivations.set(indicators("employment", "latrine", "telecom"))
    client.force_login(case_worker)
    html = client.get(detail_url(household)).content.decode()
    assert (
        "thiếu hụt 3 chỉ số (từ 3 chỉ số trở lên là hộ nghèo); thu nhập 1.350.000 đ ≤ chuẩn nghèo 1.500.000 đ"
        in html
    )
    assert (
        "để thoát nghèo: thu nhập trên 1.500.000 đ/người/tháng hoặc giảm còn dưới 3 chỉ số thiếu hụt "
        "(khi đó là hộ cận nghèo)"
    ) in html


def test_the_page_says_what_would_make_a_near_poor_household_poor(client, case_worker, household):
    review = factories.AssessmentFactory(
        household=household, income_per_capita_month=1_400_000, computed_classification="near_poor"
    )
    review.deprivations.set(indicators("employment", "latrine"))
    client.force_login(case_worker)
    assert "thêm 1 chỉ số thiếu hụt sẽ là hộ nghèo" in client.get(detail_url(household)).content.decode()


def test_only_the_latest_review_is_explained_and_earlier_ones_are_listed(client, case_worker, household):
    older = factories.AssessmentFactory(
        household=household, review_year=2021, income_per_capita_month=900_000
    )
    older.deprivations.set(indicators("nutrition"))
    latest = factories.AssessmentFactory(
        household=household, review_year=2022, income_per_capita_month=1_800_000
    )
    latest.deprivations.set(indicators("employment", "latrine", "telecom", "housing_area"))
    client.force_login(case_worker)
    response = client.get(detail_url(household))
    assert response.context["case"].latest_review.assessment == latest
    html = response.content.decode()
    assert html.count('class="indicator ') == 12
    assert "Các lần rà soát trước" in html and "<li>3. Dinh dưỡng</li>" in html
    # Above the line the deprivations do not count; what would change it is the income.
    assert "thu nhập 1.800.000 đ &gt; chuẩn nghèo 1.500.000 đ" in html
    assert "thu nhập từ 1.500.000 đ trở xuống sẽ là hộ nghèo" in html


def test_a_household_without_review_says_so(client, case_worker, household):
    client.force_login(case_worker)
    response = client.get(detail_url(household))
    assert response.context["case"].latest_review is None
    assert "Chưa có kết quả rà soát." in response.content.decode()


def test_the_official_sees_the_national_id_masked(client, case_worker, household):
    factories.MemberFactory(household=household, number=1, national_id="064080001234")
    client.force_login(case_worker)
    html = client.get(detail_url(household)).content.decode()
    assert "064080001234" not in html and "•••••••••234" in html


# --- Causes and needs --------------------------------------------------------------------------------------


def cause(code):
    return PovertyCause.objects.get(code=code)


@pytest.mark.parametrize("persona", ["case_worker", "commune_admin", "administrator"])
def test_causes_and_needs_are_changed_by_the_official_in_charge_and_the_commune(
    client, personas, household, persona
):
    household.causes.set([cause("no_land")])
    need = SupportNeed.objects.filter(active=True).first()
    client.force_login(personas[persona])
    data = {"causes": [cause("no_capital").pk, cause("no_labour").pk], "needs": [need.pk]}
    response = client.post(causes_url(household), data)
    assert response.status_code == 302
    assert response["Location"] == detail_url(household)
    assert set(household.causes.values_list("code", flat=True)) == {"no_capital", "no_labour"}
    assert list(household.needs.all()) == [need]
    household.refresh_from_db()
    assert household.updated_by == personas[persona]
    page = client.get(response["Location"])
    assert "Đã lưu nguyên nhân và nhu cầu." in page.content.decode()


@pytest.mark.parametrize("persona, status", [("viewer", 403), ("other_case_worker", 404), ("outsider", 404)])
def test_others_cannot_change_causes_and_needs(client, personas, household, persona, status):
    household.causes.set([cause("no_land")])
    client.force_login(personas[persona])
    assert client.post(causes_url(household), {"causes": [cause("no_capital").pk]}).status_code == status
    assert list(household.causes.values_list("code", flat=True)) == ["no_land"]


@pytest.mark.parametrize(
    "persona, shown", [("case_worker", True), ("commune_admin", True), ("viewer", False)]
)
def test_the_causes_form_is_offered_only_to_those_who_may_use_it(client, personas, household, persona, shown):
    client.force_login(personas[persona])
    html = client.get(detail_url(household)).content.decode()
    assert (f'action="{causes_url(household)}"' in html) is shown
    assert ('name="causes"' in html) is shown


def test_an_item_no_longer_in_use_stays_only_where_it_was(client, case_worker, household):
    retired = cause("no_tools")
    retired.active = False
    retired.save()
    client.force_login(case_worker)
    assert f'name="causes" value="{retired.pk}"' not in client.get(detail_url(household)).content.decode()
    response = client.post(causes_url(household), {"causes": [retired.pk]}, follow=True)
    assert household.causes.count() == 0
    assert "Hãy chọn trong danh sách." in response.content.decode()

    household.causes.set([retired])  # already on the household: it may be kept
    assert f'name="causes" value="{retired.pk}" checked' in client.get(detail_url(household)).content.decode()
    client.post(causes_url(household), {"causes": [retired.pk, cause("no_land").pk]})
    assert set(household.causes.values_list("code", flat=True)) == {"no_tools", "no_land"}


@pytest.mark.parametrize("bad", ["abc", "999999"])
def test_unknown_items_are_refused_and_nothing_changes(client, case_worker, household, bad):
    household.causes.set([cause("no_land")])
    client.force_login(case_worker)
    client.post(causes_url(household), {"causes": [cause("no_capital").pk, bad]})
    assert list(household.causes.values_list("code", flat=True)) == ["no_land"]


# --- The support form on the page ---------------------------------------------------------------------------


def test_the_support_form_is_on_the_page_with_the_hooks_of_the_offline_script(client, case_worker, household):
    client.force_login(case_worker)
    html = client.get(detail_url(household)).content.decode()
    action = reverse("assignments:support_new", args=[household.pk])
    assert (
        f'<form id="support-form" method="post" enctype="multipart/form-data" action="{action}" '
        f'data-household="{household.pk}" data-api="/api/support-actions">'
    ) in html
    for name in (
        "client_uuid",
        "kind",
        "date",
        "description",
        "quantity",
        "unit",
        "value_vnd",
        "contributor",
        "photo",
    ):
        assert f'name="{name}"' in html
    (value,) = re.findall(r'name="client_uuid" value="([0-9a-f-]+)"', html)
    assert uuid.UUID(value)
    # The household's plan is for 2023: the date lies in that year, and not after today.
    last = min(timezone.localdate(), datetime.date(2023, 12, 31))
    assert f'min="2023-01-01" max="{last.isoformat()}"' in html


@pytest.mark.parametrize("persona", ["viewer", "administrator"])
def test_no_support_form_for_those_who_cannot_log_support(client, personas, household, persona):
    client.force_login(personas[persona])
    html = client.get(detail_url(household)).content.decode()
    assert 'id="support-form"' not in html
    assert '<ol id="support-timeline" class="support-timeline">' in html


def test_a_household_pk_over_a_thousand_is_written_plainly(client, commune_admin, village):
    household = factories.HouseholdFactory(village=village, pk=12345)
    client.force_login(commune_admin)
    html = client.get(detail_url(household)).content.decode()
    assert 'data-household="12345"' in html


# --- The timeline ---------------------------------------------------------------------------------------


def test_the_timeline_is_newest_first_with_one_entry_per_support(client, case_worker, household):
    first = factories.SupportActionFactory(
        household=household, official=case_worker.official, date=datetime.date(2023, 3, 1)
    )
    last = factories.SupportActionFactory(
        household=household, official=case_worker.official, date=datetime.date(2023, 9, 1)
    )
    client.force_login(case_worker)
    html = client.get(detail_url(household)).content.decode()
    assert '<ol id="support-timeline" class="support-timeline">' in html
    uuids = re.findall(r'<li class="support-entry[^"]*" data-uuid="([0-9a-f-]+)"', html)
    assert uuids == [str(last.client_uuid), str(first.client_uuid)]
    assert f'<li class="support-entry" data-uuid="{last.client_uuid}"' in html


def test_an_empty_timeline_keeps_its_list_for_the_offline_script(client, case_worker, household):
    client.force_login(case_worker)
    html = client.get(detail_url(household)).content.decode()
    assert re.search(
        r'<ol id="support-timeline" class="support-timeline">\s*<li class="empty">Chưa ghi nhận', html
    )


def test_a_correction_and_its_original_are_linked_both_ways(client, case_worker, household):
    official = case_worker.official
    original = factories.SupportActionFactory(
        household=household, official=official, date=datetime.date(2023, 3, 1)
    )
    correction = factories.SupportActionFactory(
        household=household, official=official, date=datetime.date(2023, 3, 2), corrects=original
    )
    client.force_login(case_worker)
    response = client.get(detail_url(household))
    html = response.content.decode()
    assert (
        f'class="support-entry is-corrected" data-uuid="{original.client_uuid}" id="support-{original.pk}"'
        in html
    )
    assert f'class="support-entry is-correction" data-uuid="{correction.client_uuid}"' in html
    assert f'<a href="#support-{original.pk}">Sửa cho mục ngày 01/03/2023</a>' in html
    assert f'<a href="#support-{correction.pk}">xem mục ngày 02/03/2023</a>' in html
    # "Sửa" is offered on the latest version only.
    new_url = reverse("assignments:support_new", args=[household.pk])
    assert f'{new_url}?corrects={correction.pk}"' in html
    assert f'{new_url}?corrects={original.pk}"' not in html


def test_correct_links_are_on_the_officials_own_entries_only(client, case_worker, commune_admin, household):
    own = factories.SupportActionFactory(household=household, official=case_worker.official)
    someone_elses = factories.SupportActionFactory(household=household)
    new_url = reverse("assignments:support_new", args=[household.pk])
    client.force_login(case_worker)
    html = client.get(detail_url(household)).content.decode()
    assert f"?corrects={own.pk}" in html and f"?corrects={someone_elses.pk}" not in html
    client.force_login(commune_admin)
    assert f"{new_url}?corrects=" not in client.get(detail_url(household)).content.decode()


@pytest.mark.parametrize(
    "persona, flagged",
    [("commune_admin", True), ("administrator", True), ("case_worker", False), ("viewer", False)],
)
def test_entries_to_review_are_marked_for_the_commune_officer(client, personas, household, persona, flagged):
    factories.SupportActionFactory(
        household=household, needs_review=True, review_reason="Cán bộ đã chuyển công tác", corrects=None
    )
    client.force_login(personas[persona])
    html = client.get(detail_url(household)).content.decode()
    assert ("Cần công chức xã xem lại: Cán bộ đã chuyển công tác" in html) is flagged
    assert ("needs-review" in html) is flagged


@pytest.mark.parametrize("persona", ["commune_admin", "case_worker", "viewer"])
def test_the_page_query_count_does_not_depend_on_the_timeline(
    client, personas, household, persona, django_assert_num_queries
):
    official = personas["case_worker"].official
    client.force_login(personas[persona])
    factories.SupportActionFactory(household=household, official=official)
    client.get(detail_url(household))  # warm up
    with CaptureQueriesContext(connection) as one:
        client.get(detail_url(household))
    for n in range(5):
        action = factories.SupportActionFactory(
            household=household, official=official, needs_review=bool(n % 2)
        )
        factories.SupportActionFactory(household=household, official=official, corrects=action)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(detail_url(household))
    assert len(response.context["case"].timeline) == 11
