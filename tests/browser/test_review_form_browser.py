"""The commune officer records a review result on a phone: the classification follows what is typed
(the server's answer), and the result is saved through the same form."""

import re

import pytest
from playwright.sync_api import expect

from households import review_status, services
from households.models import Assessment, Household, ReviewRound
from tests.browser.conftest import no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_round_and_household(commune):
    """An open round of the demo commune (the 2023 review, or one opened here) and a household it has
    not surveyed."""
    review_round = ReviewRound.objects.filter(commune=commune, state=ReviewRound.State.OPEN).first()
    if review_round is None:
        review_round = services.review_round_open(commune=commune, year=2024)
    surveyed = Assessment.objects.filter(review_status.round_assessments(review_round)).values("household_id")
    household = (
        Household.objects.filter(commune=commune, archived_at__isnull=True)
        .exclude(pk__in=surveyed)
        .order_by("code")
        .first()
    )
    return review_round, household


def test_a_result_is_recorded_on_a_phone_with_the_classification_explained_live(page, demo):
    review_round, household = open_round_and_household(demo.own[0].commune)
    sign_in(page, "ldtbxh")
    page.goto(f"/households/reviews/{review_round.pk}/households/{household.pk}/")
    no_horizontal_scroll(page)
    result = page.locator("#review-result")
    expect(result).to_contain_text("Nhập thu nhập để xem kết quả phân loại.")
    expect(page.locator("[data-preview]")).to_be_hidden()  # the script asks the server as one types

    page.fill('input[name="income"]', "1,2 triệu")
    expect(result.locator("[data-level]")).to_have_text("Hộ cận nghèo")
    for code in ("employment", "nutrition", "latrine"):
        page.locator(f'input[name="deprived"][value="{code}"]').check()
    expect(result.locator("[data-level]")).to_have_text("Hộ nghèo")
    expect(result).to_contain_text("thiếu hụt 3/12 chỉ số")
    expect(result).to_contain_text("để thoát nghèo")
    page.fill('input[name="income"]', "1,2")  # no multiplier: not a readable amount
    expect(result.locator(".field-error")).to_contain_text("Không rõ")
    page.fill('input[name="income"]', "1.650.000")
    expect(result.locator("[data-level]")).to_have_text("Hộ có mức sống trung bình")
    no_horizontal_scroll(page)
    page.screenshot(path="/tmp/review-form-360.png", full_page=True)

    page.get_by_role("button", name="Lưu kết quả").click()
    expect(page).to_have_url(re.compile(rf"/households/reviews/{review_round.pk}/"))
    expect(page.locator(".messages")).to_contain_text("Đã lưu kết quả rà soát")
    saved = Assessment.objects.get(household=household, review_year=review_round.year)
    assert (saved.income_per_capita_month, saved.classification) == (1_650_000, "average_living")
    assert sorted(saved.deprivations.values_list("code", flat=True)) == ["employment", "latrine", "nutrition"]
