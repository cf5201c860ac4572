"""The error pages: Vietnamese, in the site's layout, with the way back to the user's start page."""

import pytest
from django.core.exceptions import BadRequest
from django.test import Client
from django.urls import path, reverse

from povertyplan.urls import urlpatterns as site_urlpatterns

# The real site's URLs plus views that fail, so the real error handlers answer.


def _fails(request):
    raise RuntimeError("a bug")


def _bad(request):
    raise BadRequest("unreadable")


urlpatterns = [path("test-errors/500/", _fails), path("test-errors/400/", _bad), *site_urlpatterns]

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def assert_error_page(response, status: int, heading: str):
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert f"Lỗi {status}" in html
    assert heading in html
    assert f'href="{reverse("home")}"' in html and "Về trang đầu của tôi" in html
    assert "Not Found" not in html and "Forbidden" not in html and "Server Error" not in html


def test_a_missing_page_is_a_vietnamese_404_in_the_site_layout(client, case_worker):
    client.force_login(case_worker)
    response = client.get("/khong-co-trang-nay/")
    assert_error_page(response, 404, "Không tìm thấy trang")
    assert "Hộ tôi phụ trách" in response.content.decode()  # the site's menu: the user can move on


def test_a_missing_page_answers_in_vietnamese_without_signing_in(client):
    assert_error_page(client.get("/khong-co-trang-nay/"), 404, "Không tìm thấy trang")


def test_the_report_centre_refuses_an_official_with_a_vietnamese_403(client, case_worker):
    client.force_login(case_worker)
    assert_error_page(client.get(reverse("reports:centre")), 403, "Bạn không có quyền xem trang này")


def test_a_bad_request_is_a_vietnamese_400(client, case_worker):
    client.force_login(case_worker)
    assert_error_page(client.get("/test-errors/400/"), 400, "Yêu cầu không đọc được")


def test_a_server_error_is_a_vietnamese_500(case_worker):
    client = Client(raise_request_exception=False)
    client.force_login(case_worker)
    assert_error_page(client.get("/test-errors/500/"), 500, "Máy chủ gặp lỗi")


def test_an_expired_form_says_so_in_vietnamese(case_worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(case_worker)
    response = client.post(reverse("logout"))
    assert_error_page(response, 403, "Biểu mẫu đã hết hạn")
