"""The fieldwork pages: where each role lands, logging support (the form, corrections, photos) and
their permission matrix. "My households" has its own file; the household page's case file too.
"""

import datetime
import uuid
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from assignments import services
from assignments.models import Assignment, SupportAction
from povertyplan.formatting import AmountError, format_date, parse_vnd
from tests import factories
from tests.payloads import png_bytes, support_data
from tests.typed_values import QUANTITY_ACCEPTED, QUANTITY_REFUSED, VND_ACCEPTED, VND_REFUSED

pytestmark = pytest.mark.django_db

# --- Helpers ------------------------------------------------------------------------------------------------


def new_url(household) -> str:
    return reverse("assignments:support_new", args=[household.pk])


def detail_url(household) -> str:
    return reverse("households:detail", args=[household.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Where each role lands ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, target",
    [
        ("case_worker", "assignments:my_households"),
        ("other_case_worker", "assignments:my_households"),
        ("commune_admin", "households:list"),
        ("viewer", "households:list"),
        ("outsider", "households:list"),
        ("administrator", "households:list"),
    ],
)
def test_home_sends_officials_to_their_households_and_others_to_the_registry(
    client, personas, persona, target
):
    client.force_login(personas[persona])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(target)


def test_home_needs_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_official_signing_in_lands_on_my_households(client, case_worker, household):
    credentials = {"username": case_worker.username, "password": "mat-khau-thu"}
    response = client.post(reverse("login"), credentials, follow=True)
    assert [url for url, _status in response.redirect_chain] == [
        reverse("home"),
        reverse("assignments:my_households"),
    ]
    html = response.content.decode()
    assert "Hộ tôi phụ trách" in html
    assert f'<a class="household-link" href="/households/{household.pk}/">' in html


# --- Logging support: the form ------------------------------------------------------------------------------


def test_the_support_page_shows_the_form_with_its_bounds(client, case_worker, household):
    today = timezone.localdate()
    this_year = factories.PlanFactory(commune=household.commune, year=today.year)
    factories.AssignmentFactory(household=household, official=case_worker.official, plan=this_year)
    client.force_login(case_worker)
    response = client.get(new_url(household))
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        f'<form id="support-form" method="post" enctype="multipart/form-data" action="{new_url(household)}" '
        f'data-household="{household.pk}" data-api="/api/support-actions">'
    ) in html
    assert (
        f'type="date" id="support-date" name="date" value="{today.isoformat()}" '
        f'min="{today.year}-01-01" max="{today.isoformat()}"'
    ) in html
    assert f"Kế hoạch năm {today.year}: ngày hỗ trợ từ 01/01/{today.year} đến 31/12/{today.year}." in html
    assert html.count('type="radio" name="kind"') == 3
    for label in ("Kiến thức – kỹ thuật", "Ngày công", "Con, giống, vật tư"):
        assert label in html
    assert 'inputmode="decimal"' in html and 'inputmode="numeric"' in html
    assert 'accept="image/*" capture="environment"' in html
    for unit in ("ngày công", "con", "kg", "cây", "bao", "buổi"):
        assert f'<option value="{unit}">' in html
    assert response.context["panel"].official == case_worker.official


@pytest.mark.parametrize("page", ["household", "support_new"])
def test_a_form_for_a_finished_plan_says_so_and_keeps_to_its_year(client, case_worker, household, page):
    """Today (outside 2023) no plan is in force: the form is only for a support given in 2023."""
    today = timezone.localdate()
    if today.year == 2023:
        pytest.skip("the test household's plan is in force today")
    client.force_login(case_worker)
    response = client.get(detail_url(household) if page == "household" else new_url(household))
    text = " ".join(response.content.decode().split())
    assert (
        f"Hiện không có kế hoạch giảm nghèo nào đang có hiệu lực (hôm nay {format_date(today)}). "
        "Kế hoạch gần nhất: năm 2023."
    ) in text
    assert (
        "Kế hoạch năm 2023: ngày hỗ trợ từ 01/01/2023 đến 31/12/2023. "
        f"Hôm nay ({format_date(today)}) không thuộc năm đó: ở đây chỉ ghi được hỗ trợ đã làm trong năm 2023."
    ) in text
    # No date of a finished year is offered as today's: the official picks a day of 2023.
    assert 'type="date" id="support-date" name="date" value="" min="2023-01-01" max="2023-12-31"' in text


def test_a_household_still_in_last_years_plan_gets_no_no_plan_notice_when_one_is_in_force(
    client, case_worker, household
):
    factories.PlanFactory(commune=household.commune, year=timezone.localdate().year)
    client.force_login(case_worker)
    html = client.get(detail_url(household)).content.decode()
    assert "no-plan-notice" not in html
    assert "Kế hoạch năm 2023: ngày hỗ trợ từ 01/01/2023 đến 31/12/2023." in html


def test_each_render_of_the_form_has_a_new_client_uuid(client, case_worker, household):
    client.force_login(case_worker)
    first = client.get(new_url(household)).context["panel"].client_uuid
    second = client.get(new_url(household)).context["panel"].client_uuid
    assert isinstance(first, uuid.UUID) and first != second


def test_the_support_form_records_one_entry_and_returns_to_the_household(client, case_worker, household):
    client.force_login(case_worker)
    data = support_data(value_vnd="1.500.000", quantity="1,5")
    response = client.post(new_url(household), data)
    assert response.status_code == 302
    assert response["Location"] == detail_url(household)
    action = SupportAction.objects.get()
    assert action.household == household and action.official == case_worker.official
    assert str(action.client_uuid) == data["client_uuid"]
    assert action.plan == Assignment.objects.get(household=household).plan
    assert (action.kind, action.date, action.unit) == ("labour", datetime.date(2023, 3, 1), "ngày công")
    assert action.value_vnd == 1_500_000
    assert str(action.quantity) == "1.50"
    assert not action.needs_review and action.corrects is None and not action.photo
    assert action.created_by == case_worker
    page = client.get(response["Location"])
    assert messages_of(page) == ["Đã ghi nhận hỗ trợ."]
    assert f'data-uuid="{data["client_uuid"]}"' in page.content.decode()


@pytest.mark.parametrize(
    "typed, stored", [*[case for case in VND_ACCEPTED if isinstance(case[0], str)], ("", 0), ("  ", 0)]
)
def test_the_value_is_read_the_vietnamese_way(client, case_worker, household, typed, stored):
    """The shared table of cases (tests/typed_values.py), through the page's form."""
    client.force_login(case_worker)
    response = client.post(new_url(household), support_data(value_vnd=typed))
    assert response.status_code == 302, response.context["form"].errors
    assert SupportAction.objects.get().value_vnd == stored


@pytest.mark.parametrize(
    "typed, why", [case for case in VND_REFUSED if isinstance(case[0], str) and case[0].strip()]
)
def test_an_unclear_value_is_refused_beside_the_field_saying_how_to_type_it(
    client, case_worker, household, typed, why
):
    client.force_login(case_worker)
    response = client.post(new_url(household), support_data(value_vnd=typed))
    assert response.status_code == 200
    with pytest.raises(AmountError) as refused:
        parse_vnd(typed)
    assert response.context["form"].errors["value_vnd"] == [refused.value.message]
    html = response.content.decode()
    assert f'<p class="field-error">{escape(refused.value.message)}</p>' in html
    assert f'name="value_vnd" value="{escape(typed.strip())}"' in html  # kept as typed, to fix
    assert SupportAction.objects.count() == 0


def test_1_5_is_refused_on_the_page_with_the_apis_message(client, case_worker, household):
    client.force_login(case_worker)
    response = client.post(new_url(household), support_data(value_vnd="1,5"))
    assert response.context["form"].errors["value_vnd"] == [
        "Không rõ '1,5' là bao nhiêu đồng. Gõ số đồng như 1.500.000 hoặc 1,5 triệu."
    ]


@pytest.mark.parametrize("typed, stored", [case for case in QUANTITY_ACCEPTED if case[1] is not None])
def test_the_quantity_is_read_the_vietnamese_way(client, case_worker, household, typed, stored):
    client.force_login(case_worker)
    client.post(new_url(household), support_data(quantity=typed))
    assert SupportAction.objects.get().quantity == stored


@pytest.mark.parametrize(
    "typed, message",
    [("-5", "Số lượng không được âm."), ("hai", "Ghi số lượng bằng số, như 2 hoặc 1,5.")],
)
def test_a_bad_quantity_is_refused_in_plain_words(client, case_worker, household, typed, message):
    client.force_login(case_worker)
    response = client.post(new_url(household), support_data(quantity=typed))
    assert response.context["form"].errors["quantity"] == [message]


@pytest.mark.parametrize("typed", QUANTITY_REFUSED)
def test_a_quantity_that_is_not_a_number_is_refused(client, case_worker, household, typed):
    client.force_login(case_worker)
    response = client.post(new_url(household), support_data(quantity=typed))
    assert set(response.context["form"].errors) == {"quantity"}
    assert SupportAction.objects.count() == 0


def test_sending_the_same_form_twice_stores_it_once(client, case_worker, household):
    client.force_login(case_worker)
    data = support_data()
    first = client.post(new_url(household), data, follow=True)
    assert messages_of(first) == ["Đã ghi nhận hỗ trợ."]
    response = client.post(new_url(household), {**data, "description": "gửi lại"}, follow=True)
    assert SupportAction.objects.count() == 1
    assert SupportAction.objects.get().description == "Giúp gia đình làm chuồng bò"
    assert messages_of(response) == ["Hỗ trợ này đã được ghi nhận trước đó."]


def test_a_future_date_is_refused_in_vietnamese_and_nothing_is_written(client, case_worker, household):
    client.force_login(case_worker)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = support_data(date=tomorrow.isoformat())
    response = client.post(new_url(household), data)
    assert response.status_code == 200
    html = response.content.decode()
    today = format_date(timezone.localdate())
    assert f"Ngày không được ở tương lai (hôm nay là {today})." in html
    assert 'aria-invalid="true"' in html
    assert "Giúp gia đình làm chuồng bò" in html  # what was typed is kept
    assert f'name="client_uuid" value="{data["client_uuid"]}"' in html  # fixed and sent again: still once
    assert SupportAction.objects.count() == 0


OUTSIDE_2023 = (
    "Ngày {date} nằm ngoài kế hoạch năm 2023: hỗ trợ cho hộ này phải có ngày từ 01/01/2023 đến 31/12/2023."
)


@pytest.mark.parametrize("day", [datetime.date(2022, 12, 31), datetime.date(2024, 1, 1), "today"])
def test_a_date_outside_the_plan_year_is_refused(client, case_worker, household, day):
    """The household's plan is for 2023: a support dated in another year is not counted under it."""
    day = timezone.localdate() if day == "today" else day
    if day.year == 2023:
        pytest.skip("today is in the plan's year")
    client.force_login(case_worker)
    response = client.post(new_url(household), support_data(date=day.isoformat()))
    assert response.status_code == 200
    message = OUTSIDE_2023.format(date=format_date(day))
    assert response.context["form"].errors["date"] == [message]  # the API's message too
    assert message in response.content.decode()
    assert SupportAction.objects.count() == 0


@pytest.mark.parametrize("day", ["2023-01-01", "2023-12-31"])
def test_the_first_and_last_days_of_the_plan_year_are_accepted(client, case_worker, household, day):
    client.force_login(case_worker)
    assert client.post(new_url(household), support_data(date=day)).status_code == 302
    assert str(SupportAction.objects.get().date) == day


def test_missing_fields_are_refused_with_the_form_again(client, case_worker, household):
    client.force_login(case_worker)
    response = client.post(new_url(household), support_data(kind="", description="", quantity="2", unit=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"kind", "description", "unit"}
    assert "Ghi đơn vị tính của số lượng" in response.content.decode()
    assert SupportAction.objects.count() == 0


# --- Photos -------------------------------------------------------------------------------------------------


def test_a_photo_is_stored_as_a_small_jpeg_without_exif(client, case_worker, household, media):
    client.force_login(case_worker)
    upload = SimpleUploadedFile("anh.png", png_bytes(), content_type="image/png")
    response = client.post(new_url(household), {**support_data(), "photo": upload})
    assert response.status_code == 302
    action = SupportAction.objects.get()
    path = Path(action.photo.path)
    assert path.is_relative_to(media)
    raw = path.read_bytes()
    assert b"TestPhone" not in raw and b"Model X" not in raw
    with Image.open(path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) <= 1600 and stored.size == (1600, 800)
        assert len(stored.getexif()) == 0


def test_a_text_file_named_jpg_is_refused(client, case_worker, household, media):
    client.force_login(case_worker)
    upload = SimpleUploadedFile("anh.jpg", b"not a photo at all\n" * 20, content_type="image/jpeg")
    response = client.post(new_url(household), {**support_data(), "photo": upload})
    assert response.status_code == 200
    assert "Tệp này không phải là ảnh đọc được." in response.content.decode()
    assert SupportAction.objects.count() == 0


def test_a_photo_over_the_limit_is_refused(client, case_worker, household, media, settings):
    settings.SUPPORT_PHOTO_MAX_BYTES = 2_000
    client.force_login(case_worker)
    upload = SimpleUploadedFile("anh.png", png_bytes(), content_type="image/png")
    assert upload.size > 2_000
    response = client.post(new_url(household), {**support_data(), "photo": upload})
    assert response.status_code == 200
    assert "Ảnh quá lớn" in response.content.decode()
    assert SupportAction.objects.count() == 0


def test_photos_are_served_only_through_the_scoped_view(client, case_worker, action_with_photo):
    url = reverse("assignments:support_photo", args=[action_with_photo.pk])
    assert client.get(url)["Location"].startswith(reverse("login"))
    assert client.get(django_settings.MEDIA_URL + action_with_photo.photo.name).status_code == 404

    client.force_login(case_worker)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=86400"
    assert b"".join(response.streaming_content) == Path(action_with_photo.photo.path).read_bytes()

    thumb = client.get(url, {"size": "thumb"})
    with Image.open(BytesIO(thumb.content)) as image:
        assert image.format == "JPEG" and max(image.size) <= 240


def test_the_timeline_links_a_thumbnail_of_the_photo(client, case_worker, action_with_photo):
    client.force_login(case_worker)
    html = client.get(detail_url(action_with_photo.household)).content.decode()
    url = reverse("assignments:support_photo", args=[action_with_photo.pk])
    assert f'<a class="entry-photo" href="{url}"><img src="{url}?size=thumb"' in html


def test_an_entry_without_a_photo_has_no_photo_page(client, case_worker, household):
    action = factories.SupportActionFactory(household=household, official=case_worker.official)
    client.force_login(case_worker)
    assert client.get(reverse("assignments:support_photo", args=[action.pk])).status_code == 404


# --- Corrections --------------------------------------------------------------------------------------------


@pytest.fixture
def original(household, case_worker):
    return factories.SupportActionFactory(
        household=household,
        official=case_worker.official,
        kind="materials",
        date=datetime.date(2023, 4, 15),
        description="Mua 1 con bò giống",
        quantity="1.50",
        unit="con",
        value_vnd=12_500_000,
        contributor="relatives",
    )


def test_the_correction_form_is_prefilled_from_the_original(client, case_worker, original):
    client.force_login(case_worker)
    response = client.get(new_url(original.household), {"corrects": original.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<input type="hidden" name="corrects" value="{original.pk}">' in html
    assert f'data-corrects="{original.pk}">' in html
    assert "data-api=" not in html  # posted as a page: the offline queue does not carry `corrects`
    assert 'value="materials" required checked' in html
    assert 'value="2023-04-15"' in html
    assert ">Mua 1 con bò giống</textarea>" in html
    assert 'value="1,5"' in html and 'value="12.500.000"' in html
    assert '<option value="relatives" selected>' in html
    assert "15/04/2023" in html  # "this corrects the entry of …"


def test_a_correction_is_a_new_entry_pointing_at_the_original_which_stays(client, case_worker, original):
    client.force_login(case_worker)
    data = support_data(corrects=original.pk, kind="materials", date="2023-04-15", description="Mua 2 con bò")
    response = client.post(new_url(original.household), data)
    assert response.status_code == 302
    correction = SupportAction.objects.exclude(pk=original.pk).get()
    assert correction.corrects == original
    original.refresh_from_db()
    assert original.description == "Mua 1 con bò giống" and original.value_vnd == 12_500_000

    html = client.get(detail_url(original.household)).content.decode()
    assert "Mua 1 con bò giống" in html and "Mua 2 con bò" in html
    assert f'href="#support-{original.pk}">Sửa cho mục ngày 15/04/2023</a>' in html
    assert f'href="#support-{correction.pk}">xem mục ngày 15/04/2023</a>' in html


def test_a_correction_without_a_new_photo_keeps_the_originals(client, case_worker, action_with_photo):
    client.force_login(case_worker)
    data = support_data(corrects=action_with_photo.pk, description="Sửa nội dung")
    client.post(new_url(action_with_photo.household), data)
    correction = SupportAction.objects.get(corrects=action_with_photo)
    assert correction.photo.name == action_with_photo.photo.name


@pytest.mark.parametrize("whose", ["other_official", "other_household", "garbage", "unknown"])
def test_only_ones_own_entry_of_the_same_household_can_be_corrected(
    client, case_worker, household, original, whose
):
    if whose == "other_official":
        target = factories.SupportActionFactory(household=household).pk
    elif whose == "other_household":
        elsewhere = factories.HouseholdFactory(village=household.village)
        factories.AssignmentFactory(household=elsewhere, official=case_worker.official)
        target = factories.SupportActionFactory(household=elsewhere, official=case_worker.official).pk
    else:
        target = "abc" if whose == "garbage" else 999_999
    client.force_login(case_worker)
    assert client.get(new_url(household), {"corrects": target}).status_code == 404
    before = SupportAction.objects.count()
    assert client.post(new_url(household), support_data(corrects=target)).status_code == 404
    assert SupportAction.objects.count() == before


# --- Reassigned while offline -------------------------------------------------------------------------------


def test_support_from_an_official_no_longer_in_charge_is_kept_for_review(
    client, case_worker, other_case_worker, commune_admin, household
):
    current = Assignment.objects.get(household=household)
    services.assignment_reassign(
        plan=current.plan,
        household=household,
        official=other_case_worker.official,
        on=datetime.date(2023, 6, 1),
    )
    client.force_login(case_worker)
    form_page = client.get(new_url(household))
    assert form_page.status_code == 200
    assert "Bạn không còn phụ trách hộ này" in form_page.content.decode()
    response = client.post(new_url(household), support_data(date="2023-05-30"))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "assignments:my_households"
    )  # the household page is no longer theirs
    action = SupportAction.objects.get()
    assert action.needs_review and action.official == case_worker.official
    assert action.review_reason

    client.force_login(commune_admin)
    html = client.get(detail_url(household)).content.decode()
    assert "Cần công chức xã xem lại" in html and "needs-review" in html
    client.force_login(other_case_worker)
    assert "Cần công chức xã xem lại" not in client.get(detail_url(household)).content.decode()


def test_the_commune_officer_logs_support_under_their_own_name(client, commune_admin, household):
    client.force_login(commune_admin)
    assert client.post(new_url(household), support_data()).status_code == 302
    action = SupportAction.objects.get()
    assert action.official == commune_admin.official and not action.needs_review


# --- Permission matrix of this pages ----------------------------------------------------------------
