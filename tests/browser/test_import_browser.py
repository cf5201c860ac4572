"""The commune officer imports a households file on a phone: the check, its row problems, the import."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from households.models import Household, Village
from tests.browser.conftest import no_horizontal_scroll, sign_in
from tests.households.test_import_jobs import households_xlsx, new_row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCREENSHOT = "/tmp/import-preview.png"


def test_the_officer_imports_only_the_valid_rows_of_a_file_on_a_phone(page, demo):
    officer = get_user_model().objects.get(username="ldtbxh")
    commune = officer.official.commune
    village = Village.objects.filter(commune=commune).order_by("name").first()
    data = households_xlsx(
        commune,
        officer,
        [
            new_row("NHAP-0001", village, head_name="Đinh Văn Thử"),
            new_row("NHAP-0002", "Làng Không Có Thật", head_name="Y Thị Lỗi"),
            new_row("NHAP-0003", village, head_name="A Lăng Thị Mới", address="Làng Kon Mơ"),
        ],
    )
    before = Household.objects.count()

    sign_in(page, "ldtbxh")
    page.goto("/households/")
    with page.expect_navigation():
        page.locator('a[href="/households/imports/"]').click()
    no_horizontal_scroll(page)
    page.locator('input[name="kind"][value="households"]').check()
    page.locator("#id_file").set_input_files(
        files=[{"name": "ho-moi.xlsx", "mimeType": XLSX, "buffer": data}]
    )
    with page.expect_navigation():
        page.locator('#import-upload button[type="submit"]').click()

    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("Dòng 3, cột 'Thôn, làng'")
    expect(problems).to_contain_text("Làng Không Có Thật")
    expect(page.locator("#import-counts")).to_be_visible()
    no_horizontal_scroll(page)
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert Household.objects.count() == before  # only checked so far

    with page.expect_navigation():
        page.locator('#import-confirm-valid button[type="submit"]').click()

    message = page.locator("#import-job-message")
    expect(message).to_contain_text(re.compile(r"Đã nhập: 2 thêm mới, 0 cập nhật|Imported: 2 new, 0 updated"))
    no_horizontal_scroll(page)
    assert Household.objects.count() == before + 2
    assert set(Household.objects.filter(code__startswith="NHAP-").values_list("code", flat=True)) == {
        "NHAP-0001",
        "NHAP-0003",
    }


def test_the_officer_sees_a_new_head_flagged_before_confirming_on_a_phone(page, demo):
    officer = get_user_model().objects.get(username="ldtbxh")
    household = demo.own[0]
    data = households_xlsx(
        household.commune,
        officer,
        [new_row(household.code, household.village, head_name="Tên Từ Dòng Ví Dụ", address="Làng ở xã khác")],
    )
    before = Household.objects.values_list("head_name", "address").get(pk=household.pk)

    sign_in(page, "ldtbxh")
    page.goto("/households/imports/")
    page.locator('input[name="kind"][value="households"]').check()
    page.locator("#id_file").set_input_files(files=[{"name": "ho.xlsx", "mimeType": XLSX, "buffer": data}])
    with page.expect_navigation():
        page.locator('#import-upload button[type="submit"]').click()

    expect(page.locator("#import-alerts")).to_contain_text("Số dòng đổi chủ hộ hoặc thôn, làng: 1")
    updates = page.locator("#import-updates")
    expect(updates).to_contain_text(f"{household.code} – {household.head_name}")
    expect(updates).to_contain_text("Đổi chủ hộ — kiểm tra lại mã hộ")
    expect(updates).to_contain_text(f"Chủ hộ: {household.head_name} → Tên Từ Dòng Ví Dụ")
    no_horizontal_scroll(page)
    page.screenshot(path="/tmp/import-updates.png", full_page=True)
    assert Household.objects.values_list("head_name", "address").get(pk=household.pk) == before
