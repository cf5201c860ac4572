import datetime
import threading
import unicodedata
import uuid
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assignments import services
from assignments.models import Assignment, SupportAction
from households.models import Indicator, PovertyStandard
from povertyplan.formatting import AmountError, parse_vnd
from tests import factories
from tests.api import assert_documented, get_my_households, post_support
from tests.typed_values import QUANTITY_ACCEPTED, QUANTITY_REFUSED, VND_ACCEPTED, VND_REFUSED

REQUIRED = "Trường này là bắt buộc."  # Django's own "This field is required." in Vietnamese


@pytest.fixture
def payload(household):
    return {
        "client_uuid": str(uuid.uuid4()),
        "household": household.pk,
        "kind": "labour",
        "date": "2023-03-01",
        "description": "Giúp 2 ngày công làm cỏ cà phê",
        "quantity": 2,
        "unit": "ngày công",
        "value_vnd": 400000,
        "contributor": "official",
    }


@pytest.fixture
def official_client(client, case_worker):
    client.force_login(case_worker)
    return client


def _refused(response, field=None):
    assert response.status_code == 400, response.content
    assert SupportAction.objects.count() == 0
    body = response.json()
    assert body["message"]
    if field is not None:
        assert body["errors"][field], body
        return body["errors"][field]
    return body


# --- Recording ---------------------------------------------------------------------------------


def test_an_official_records_support_for_their_household(official_client, payload, household, case_worker):
    response = post_support(official_client, payload)

    assert response.status_code == 201
    body = response.json()
    action = SupportAction.objects.get()
    assert body == {
        "id": action.pk,
        "client_uuid": payload["client_uuid"],
        "household": household.pk,
        "official": case_worker.official.pk,
        "kind": "labour",
        "date": "2023-03-01",
        "description": "Giúp 2 ngày công làm cỏ cà phê",
        "quantity": 2,
        "unit": "ngày công",
        "value_vnd": 400000,
        "contributor": "official",
        "indicators": [],
        "needs_review": False,
        "review_reason": "",
        "created_at": timezone.localtime(action.created_at).isoformat(),
    }
    assert action.quantity == Decimal("2.00")
    assert action.official == case_worker.official
    assert action.plan == household.assignments.get().plan  # counted under the household's plan
    assert action.created_by == case_worker
    assert str(action.client_uuid) == payload["client_uuid"]


def test_optional_fields_may_be_left_out_or_null(official_client, payload):
    for name in ("quantity", "unit", "value_vnd"):
        del payload[name]
    assert post_support(official_client, payload).status_code == 201
    payload.update(client_uuid=str(uuid.uuid4()), quantity=None, unit=None, value_vnd=None)
    assert post_support(official_client, payload).status_code == 201
    assert list(SupportAction.objects.values_list("value_vnd", "quantity", "unit")) == [(0, None, "")] * 2


def test_a_decimal_quantity_is_kept_exactly(official_client, payload):
    payload.update(quantity=1.5, unit="tạ")
    response = post_support(official_client, payload)
    assert response.json()["quantity"] == 1.5
    assert SupportAction.objects.get().quantity == Decimal("1.50")


def test_text_is_stored_composed(official_client, payload):
    """Some phone keyboards send decomposed (NFD) Vietnamese; it is stored composed (NFC)."""
    payload["description"] = unicodedata.normalize("NFD", "Hướng dẫn trồng cà phê")
    payload["unit"] = unicodedata.normalize("NFD", "ngày công")
    post_support(official_client, payload)
    action = SupportAction.objects.get()
    assert (action.description, action.unit) == ("Hướng dẫn trồng cà phê", "ngày công")


# --- Idempotency ---------------------------------------------------------------------------------


def test_a_repeated_uuid_answers_the_stored_record(official_client, payload):
    first = post_support(official_client, payload)
    payload["description"] = "Nội dung khác, gửi lại"
    again = post_support(official_client, payload)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert again.json()["description"] == "Giúp 2 ngày công làm cỏ cà phê"
    assert SupportAction.objects.count() == 1


def test_a_repeat_is_answered_even_when_the_rules_would_now_refuse_it(official_client, payload, household):
    """A queue re-sent long after it was stored still gets its 200 (the rules looked at the first send)."""
    stored = factories.SupportActionFactory(
        household=household, official=household.assignments.get().official, client_uuid=payload["client_uuid"]
    )
    payload["date"] = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = post_support(official_client, payload)
    assert response.status_code == 200
    assert response.json()["id"] == stored.pk
    assert SupportAction.objects.count() == 1


def test_a_uuid_of_another_officials_record_is_not_revealed(
    official_client, payload, other_case_worker, village
):
    theirs = factories.HouseholdFactory(village=village)
    factories.AssignmentFactory(household=theirs, official=other_case_worker.official)
    stored = factories.SupportActionFactory(
        household=theirs, official=other_case_worker.official, description="Việc của người khác"
    )
    payload["client_uuid"] = str(stored.client_uuid)
    response = post_support(official_client, payload)

    assert response.status_code == 404
    assert "Việc của người khác" not in response.content.decode()
    assert response.json()["errors"]["client_uuid"]
    assert SupportAction.objects.count() == 1


def test_the_commune_officer_may_see_a_repeat_of_an_officials_record(
    client, commune_admin, payload, household
):
    stored = factories.SupportActionFactory(
        household=household, official=household.assignments.get().official, client_uuid=payload["client_uuid"]
    )
    client.force_login(commune_admin)
    response = post_support(client, payload)
    assert response.status_code == 200
    assert response.json()["id"] == stored.pk


def test_an_official_reassigned_away_still_gets_their_own_record_back(
    official_client, payload, household, other_case_worker
):
    first = post_support(official_client, payload)
    _reassign(household, other_case_worker)
    again = post_support(official_client, payload)
    assert again.status_code == 200
    assert again.json() == first.json()


def test_a_read_only_role_gets_403_even_for_a_repeat(client, viewer, payload, household):
    factories.SupportActionFactory(
        household=household, official=household.assignments.get().official, client_uuid=payload["client_uuid"]
    )
    client.force_login(viewer)
    assert post_support(client, payload).status_code == 403


def _concurrent_posts_race(case_worker, payload, monkeypatch):
    """Two requests with one UUID, both past every "already stored?" look-up before either saves."""
    barrier = threading.Barrier(2, timeout=20)
    full_clean = SupportAction.full_clean

    def full_clean_then_wait(self, *args, **kwargs):
        full_clean(self, *args, **kwargs)
        barrier.wait()

    monkeypatch.setattr(SupportAction, "full_clean", full_clean_then_wait)
    statuses, failures = [], []

    def send():
        try:
            client = Client()
            client.force_login(case_worker)
            statuses.append(post_support(client, payload).status_code)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses, failures


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL's row locking"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_requests_with_one_uuid_store_one_record(case_worker, household, payload, monkeypatch):
    assert connection.vendor == "postgresql"
    statuses, failures = _concurrent_posts_race(case_worker, payload, monkeypatch)

    assert failures == []
    assert sorted(statuses) == [200, 201]
    assert SupportAction.objects.filter(client_uuid=payload["client_uuid"]).count() == 1


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL's row locking"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_service_calls_with_one_uuid_create_once(case_worker, household):
    client_uuid = uuid.uuid4()
    barrier = threading.Barrier(2, timeout=20)
    results, failures = [], []

    def record():
        try:
            barrier.wait()
            action, created = services.support_action_record(
                household=household,
                official=case_worker.official,
                client_uuid=client_uuid,
                date=datetime.date(2023, 3, 1),
                kind=SupportAction.Kind.KNOWLEDGE,
                description="Tập huấn kỹ thuật",
                contributor=SupportAction.Contributor.OFFICIAL,
            )
            results.append((action.pk, created))
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=record) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert sorted(created for _pk, created in results) == [False, True]
    assert len({pk for pk, _created in results}) == 1
    assert SupportAction.objects.filter(client_uuid=client_uuid).count() == 1


# --- Who may log for which household ------------------------------------------------------------


def _reassign(household, official_user):
    current = Assignment.objects.get(household=household, ended_on__isnull=True)
    services.assignment_reassign(
        plan=current.plan,
        household=household,
        official=official_user.official,
        on=datetime.date(2023, 6, 1),
        reason="Cán bộ chuyển công tác",
    )


def test_support_for_a_household_reassigned_meanwhile_is_kept_and_flagged(
    official_client, payload, household, other_case_worker
):
    _reassign(household, other_case_worker)
    response = post_support(official_client, payload)

    assert response.status_code == 201
    body = response.json()
    assert body["needs_review"] is True
    assert body["review_reason"]
    action = SupportAction.objects.get()
    assert action.needs_review and action.review_reason == body["review_reason"]


def test_the_commune_officer_may_log_for_any_household_of_the_commune(
    client, commune_admin, payload, village
):
    unassigned = factories.HouseholdFactory(village=village)
    client.force_login(commune_admin)
    response = post_support(client, payload)
    payload.update(client_uuid=str(uuid.uuid4()), household=unassigned.pk)
    other = post_support(client, payload)

    assert (response.status_code, other.status_code) == (201, 201)
    assert {action.official for action in SupportAction.objects.all()} == {commune_admin.official}
    assert other.json()["needs_review"] is False


def test_a_household_of_another_official_is_404_and_nothing_is_written(client, other_case_worker, payload):
    client.force_login(other_case_worker)
    response = post_support(client, payload)
    assert response.status_code == 404
    assert response.json()["errors"]["household"]
    assert SupportAction.objects.count() == 0


@pytest.mark.parametrize("persona", ["case_worker", "commune_admin"])
def test_a_household_of_another_commune_is_404(client, personas, payload, persona):
    elsewhere = factories.HouseholdFactory()
    factories.AssignmentFactory(household=elsewhere)
    client.force_login(personas[persona])
    payload["household"] = elsewhere.pk
    assert post_support(client, payload).status_code == 404
    assert SupportAction.objects.count() == 0


def test_an_unknown_household_id_is_404(official_client, payload):
    payload["household"] = 987654321
    assert post_support(official_client, payload).status_code == 404


@pytest.mark.parametrize("persona", ["viewer", "administrator"])
def test_roles_that_log_no_support_get_403(client, personas, payload, persona):
    """The upper office only reads; the administrator has no official's name to log under."""
    client.force_login(personas[persona])
    response = post_support(client, payload)
    assert response.status_code == 403
    assert response.json()["message"]
    assert SupportAction.objects.count() == 0


def test_anonymous_gets_401_json_not_the_sign_in_page(client, payload):
    response = post_support(client, payload)
    assert response.status_code == 401
    assert response.json()["message"]
    assert "Location" not in response


def test_wrong_method_is_405_json(official_client):
    response = official_client.get(reverse("api:support_actions"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["message"]


def test_a_body_not_sent_as_json_is_415(official_client, payload):
    response = official_client.post(reverse("api:support_actions"), payload)  # form-encoded
    assert_documented(response)
    assert response.status_code == 415
    assert SupportAction.objects.count() == 0


# --- CSRF ------------------------------------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_403_json(case_worker, payload):
    client = Client(enforce_csrf_checks=True)
    client.force_login(case_worker)
    response = post_support(client, payload)
    assert response.status_code == 403
    assert response.json()["message"]
    assert SupportAction.objects.count() == 0


def test_a_post_with_a_wrong_csrf_token_is_403_json(case_worker, payload):
    client = Client(enforce_csrf_checks=True)
    client.force_login(case_worker)
    get_my_households(client)
    response = post_support(client, payload, HTTP_X_CSRFTOKEN="x" * 64)
    assert response.status_code == 403
    assert SupportAction.objects.count() == 0


def test_a_post_with_the_token_from_the_cookie_passes(case_worker, payload):
    client = Client(enforce_csrf_checks=True)
    client.force_login(case_worker)
    get_my_households(client)  # sets the csrftoken cookie
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = post_support(client, payload, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


# --- Validation --------------------------------------------------------------------------------------

REQUIRED_FIELDS = ["client_uuid", "household", "kind", "date", "description", "contributor"]


@pytest.mark.parametrize("field", REQUIRED_FIELDS)
def test_a_missing_field_is_refused_in_vietnamese(official_client, payload, field):
    del payload[field]
    assert _refused(post_support(official_client, payload), field) == [REQUIRED]


@pytest.mark.parametrize("field", REQUIRED_FIELDS)
def test_a_null_required_field_is_refused(official_client, payload, field):
    payload[field] = None
    assert _refused(post_support(official_client, payload), field) == [REQUIRED]


def test_an_empty_description_is_refused(official_client, payload):
    payload["description"] = "   "
    assert _refused(post_support(official_client, payload), "description") == [REQUIRED]


def test_all_the_errors_come_in_one_answer(official_client, payload):
    del payload["kind"]
    payload.update(date="2099-01-01", value_vnd="1,5", extra=1)
    errors = _refused(post_support(official_client, payload))["errors"]
    assert set(errors) == {"kind", "date", "value_vnd", "extra"}


def test_an_unknown_field_is_refused(official_client, payload):
    payload["extra_field"] = "x"
    assert _refused(post_support(official_client, payload), "extra_field") == [
        "Trường này không được chấp nhận."
    ]


def test_an_unknown_kind_is_refused(official_client, payload):
    payload["kind"] = "money"
    (message,) = _refused(post_support(official_client, payload), "kind")
    assert "lựa chọn hợp lệ" in message


def test_an_unknown_contributor_is_refused(official_client, payload):
    payload["contributor"] = "bank"
    _refused(post_support(official_client, payload), "contributor")


def test_a_date_in_the_future_is_refused(official_client, payload):
    payload["date"] = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    (message,) = _refused(post_support(official_client, payload), "date")
    assert "tương lai" in message


def test_today_is_accepted_under_this_years_plan(official_client, payload, household, case_worker):
    today = timezone.localdate()
    this_year = factories.PlanFactory(commune=household.commune, year=today.year)
    current = factories.HouseholdFactory(village=household.village)
    factories.AssignmentFactory(household=current, official=case_worker.official, plan=this_year)
    payload.update(household=current.pk, date=today.isoformat())
    assert post_support(official_client, payload).status_code == 201
    assert SupportAction.objects.get().plan == this_year


OUTSIDE_2023 = (
    "Ngày {date} nằm ngoài kế hoạch năm 2023: hỗ trợ cho hộ này phải có ngày từ 01/01/2023 đến 31/12/2023."
)


@pytest.mark.parametrize("day", [datetime.date(2022, 12, 31), datetime.date(2024, 1, 1), "today"])
def test_a_date_outside_the_plan_year_is_refused(official_client, payload, day):
    """The household's plan is for 2023: a support dated in another year is not counted under it."""
    day = timezone.localdate() if day == "today" else day
    if day.year == 2023:
        pytest.skip("today is in the plan's year")
    payload["date"] = day.isoformat()
    assert _refused(post_support(official_client, payload), "date") == [
        OUTSIDE_2023.format(date=day.strftime("%d/%m/%Y"))
    ]


@pytest.mark.parametrize("day", ["2023-01-01", "2023-12-31"])
def test_the_first_and_last_days_of_the_plan_year_are_accepted(official_client, payload, day):
    payload["date"] = day
    assert post_support(official_client, payload).status_code == 201


@pytest.mark.parametrize(
    "value", ["01/03/2023", "2023-3-1", "2023-03-01T08:00:00", "１２３４-０３-０１", "", 20230301]
)
def test_a_date_not_in_iso_form_is_refused(official_client, payload, value):
    payload["date"] = value
    _refused(post_support(official_client, payload), "date")


def test_an_impossible_date_is_refused_in_vietnamese(official_client, payload):
    payload["date"] = "2023-02-30"
    assert _refused(post_support(official_client, payload), "date") == ["Nhập một ngày hợp lệ."]


@pytest.mark.parametrize("typed, amount", [case for case in VND_ACCEPTED if isinstance(case[0], str)])
def test_the_value_is_read_as_typed_with_the_shared_table(official_client, payload, typed, amount):
    """The page's script sends the text as typed; the server alone reads it (tests/typed_values.py)."""
    payload["value_vnd"] = typed
    response = post_support(official_client, payload)
    assert response.status_code == 201, response.json()
    assert response.json()["value_vnd"] == amount == SupportAction.objects.get().value_vnd


@pytest.mark.parametrize(
    "typed, why", [case for case in VND_REFUSED if isinstance(case[0], str) and case[0].strip()]
)
def test_an_unclear_value_is_refused_saying_how_to_type_it(official_client, payload, typed, why):
    payload["value_vnd"] = typed
    (message,) = _refused(post_support(official_client, payload), "value_vnd")
    with pytest.raises(AmountError) as refused:
        parse_vnd(typed)
    assert message == refused.value.message  # the page's message, word for word
    assert "JSON" not in message


def test_1_5_is_refused_not_stored_as_15_dong(official_client, payload):
    payload["value_vnd"] = "1,5"
    assert _refused(post_support(official_client, payload), "value_vnd") == [
        "Không rõ '1,5' là bao nhiêu đồng. Gõ số đồng như 1.500.000 hoặc 1,5 triệu."
    ]


@pytest.mark.parametrize("value", [1500000.0, 1.5, True, [1], {"vnd": 1}])
def test_a_value_that_is_neither_text_nor_whole_dong_is_refused(official_client, payload, value):
    payload["value_vnd"] = value
    (message,) = _refused(post_support(official_client, payload), "value_vnd")
    assert "đồng" in message and "JSON" not in message


@pytest.mark.parametrize("value", [-1, 2**63, 10**30])
def test_a_negative_or_oversized_value_is_refused(official_client, payload, value):
    payload["value_vnd"] = value
    _refused(post_support(official_client, payload), "value_vnd")


def test_a_large_value_is_kept_exactly(official_client, payload):
    payload["value_vnd"] = 2**63 - 1
    assert post_support(official_client, payload).json()["value_vnd"] == 2**63 - 1


def test_a_quantity_without_unit_is_refused(official_client, payload):
    payload["unit"] = ""
    assert _refused(post_support(official_client, payload), "unit") == [
        "Ghi đơn vị tính của số lượng (ngày công, con, kg…)."
    ]


@pytest.mark.parametrize("typed, quantity", [case for case in QUANTITY_ACCEPTED if case[1] is not None])
def test_the_quantity_is_read_as_typed_with_the_shared_table(official_client, payload, typed, quantity):
    payload["quantity"] = typed
    assert post_support(official_client, payload).status_code == 201
    assert SupportAction.objects.get().quantity == quantity


@pytest.mark.parametrize("value", ["", None])
def test_an_empty_quantity_is_none(official_client, payload, value):
    payload.update(quantity=value, unit="")
    assert post_support(official_client, payload).status_code == 201
    assert SupportAction.objects.get().quantity is None


@pytest.mark.parametrize(
    "value", [*QUANTITY_REFUSED, "-5", True, -1, 1.255, 123456789.5, 10**12, [2], "1,255", "\x00"]
)
def test_a_bad_quantity_is_refused(official_client, payload, value):
    payload["quantity"] = value
    _refused(post_support(official_client, payload), "quantity")


@pytest.mark.parametrize("value", ["12", 12.0, 0, -3, True, 2**70, [1]])
def test_a_household_id_that_is_not_a_positive_integer_is_refused(official_client, payload, value):
    payload["household"] = value
    _refused(post_support(official_client, payload), "household")


@pytest.mark.parametrize("value", ["not-a-uuid", 12345, "\x00"])
def test_a_malformed_uuid_is_refused(official_client, payload, value):
    payload["client_uuid"] = value
    _refused(post_support(official_client, payload), "client_uuid")


@pytest.mark.parametrize(
    "body",
    [
        "{",
        "",
        "[]",
        '["client_uuid"]',
        '"text"',
        "null",
        "42",
        '{"value_vnd": NaN}',
        b"\xff\xfe\x00garbage",
        "[" * 100_000 + "]" * 100_000,
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(official_client, body):
    assert _refused(post_support(official_client, body))["message"]


JUNK = [
    {},
    {"client_uuid": None, "household": None, "kind": None, "date": None},
    {"description": {"nested": {"deeper": [1, 2, 3]}}},
    {"description": "x" * 100_000},
    {"unit": "đ" * 10_000, "quantity": 1},
    {"kind": ["labour"]},
    {"contributor": 1},
    {"description": "\x00 NUL"},
    {"description": "\ud800 lone surrogate"},
    {"unit": "\ud83d"},
    {"\ud800": 1},
    {"quantity": 10**400},
    {"quantity": 1e-400},
    {"household": -(2**80)},
    {"date": "9999-12-31"},
    {"date": "0000-01-01"},
    {"value_vnd": -(10**40)},
    {"client_uuid": "{" + "0" * 10_000 + "}"},
    {"extra": [[[[]]]] * 1000},
]


@pytest.mark.parametrize("junk", JUNK)
def test_junk_never_causes_a_server_error(official_client, payload, junk):
    payload.update(junk)
    response = post_support(official_client, payload)
    assert response.status_code < 500
    if response.status_code != 201:
        assert SupportAction.objects.count() == 0


def test_junk_with_nothing_valid_is_refused(official_client):
    response = post_support(official_client, {"a": 1, "b": [None], "c": {"d": "e"}})
    errors = _refused(response)["errors"]
    assert set(errors) >= {"a", "b", "c", *REQUIRED_FIELDS}


def test_a_json_quantity_is_exact_and_never_read_as_thousands(official_client, payload):
    payload.update(quantity=1.25, unit="kg")
    assert post_support(official_client, payload).status_code == 201
    assert SupportAction.objects.get().quantity == Decimal("1.25")


# --- Indicators the support addresses --------------------------------------------------------------


def test_the_indicators_named_are_stored_and_answered(official_client, payload):
    payload["indicators"] = ["water_source", "latrine", "water_source"]
    response = post_support(official_client, payload)
    assert response.status_code == 201
    assert response.json()["indicators"] == ["water_source", "latrine"]  # by number, once each
    action = SupportAction.objects.get()
    assert sorted(action.indicators.values_list("number", flat=True)) == [9, 10]
    # a repeat answers the stored record with its indicators
    repeat = post_support(official_client, {**payload, "indicators": []})
    assert repeat.status_code == 200 and repeat.json()["indicators"] == ["water_source", "latrine"]


@pytest.mark.parametrize("indicators", [None, []])
def test_no_indicator_is_the_same_as_none_named(official_client, payload, indicators):
    payload["indicators"] = indicators
    response = post_support(official_client, payload)
    assert response.status_code == 201 and response.json()["indicators"] == []


def test_an_unknown_indicator_code_is_refused_in_vietnamese(official_client, payload):
    payload["indicators"] = ["water_source", "wifi"]
    assert _refused(post_support(official_client, payload), "indicators") == [
        "Không có chỉ số thiếu hụt nào mang mã wifi."
    ]


def test_an_indicator_of_another_standard_is_refused(official_client, payload):
    older = PovertyStandard.objects.create(
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
    Indicator.objects.create(
        standard=older,
        number=2,
        code="health_service",
        dimension="Y tế",
        name="Tiếp cận y tế",
        deprived_when="…",
    )
    payload["indicators"] = ["health_service"]
    assert _refused(post_support(official_client, payload), "indicators") == [
        "health_service: không phải chỉ số của chuẩn nghèo áp dụng vào ngày 01/03/2023 "
        "(Chuẩn nghèo đa chiều giai đoạn 2022-2025)."
    ]


@pytest.mark.parametrize(
    "indicators", ["water_source", [9], [None], {"code": "water_source"}, [["water_source"]], ["x"] * 51]
)
def test_indicators_that_are_not_a_list_of_codes_are_refused(official_client, payload, indicators):
    payload["indicators"] = indicators
    messages = _refused(post_support(official_client, payload), "indicators")
    assert messages[0] in (
        'Hãy gửi các chỉ số dưới dạng danh sách mã, ví dụ ["water_source"].',
        "Quá nhiều chỉ số.",
    )
