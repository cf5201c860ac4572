"""The review-round pages as the commune officer uses them (in Vietnamese, the default language): the
rounds, a round's survey list and meetings, closing, and the review form with its live classification."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households import services
from households.classification import Level
from households.models import Assessment, ReviewRound, RoundCandidate, RoundResult, VillageMeeting
from tests import factories

POOR_DEPRIVED = ["employment", "nutrition", "latrine"]
CLOSED_VI = "Rà soát định kỳ năm 2023 đã kết thúc, kết quả đã được chốt."


@pytest.fixture
def review_round(commune):
    return services.review_round_open(commune=commune, year=2023)


@pytest.fixture
def meeting(review_round, village):
    return services.village_meeting_record(
        review_round=review_round, village=village, held_on=datetime.date(2023, 11, 20), attendance=40
    )


def round_url(review_round, name="households:round") -> str:
    return reverse(name, args=[review_round.pk])


def result_url(review_round, household) -> str:
    return reverse("households:round_result", args=[review_round.pk, household.pk])


def close(review_round):
    return services.review_round_close(
        review_round=review_round, decision_number="45/QĐ-UBND", decision_date=datetime.date(2023, 12, 20)
    )


def form_data(**changes) -> dict:
    data = {"income": "1.200.000", "b1_score": "118", "deprived": POOR_DEPRIVED, "classification": ""}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- The list of rounds and opening one -------------------------------------------------------------


def test_the_officer_sees_the_commune_s_rounds_with_their_counts(
    client, commune_admin, review_round, household
):
    services.assessment_record(household=household, review_year=2023, income_per_capita_month=1, deprived=[])
    client.force_login(commune_admin)
    response = client.get(reverse("households:rounds"))
    assert response.status_code == 200
    (row,) = response.context["rounds"]
    assert (row, row.surveyed, row.sent_back) == (review_round, 1, 0)
    content = response.content.decode()
    assert "Rà soát định kỳ năm 2023" in content and "01/09/2023 – 14/12/2023" in content
    assert reverse("households:round_open") in content


def test_the_upper_office_reads_the_rounds_without_a_way_to_change_them(
    client, viewer, review_round, household
):
    client.force_login(viewer)
    content = client.get(reverse("households:rounds")).content.decode()
    assert round_url(review_round) in content and reverse("households:round_open") not in content
    page = client.get(round_url(review_round))
    assert page.status_code == 200
    assert not page.context["can_write"]
    assert 'method="post" action="/households/reviews/' not in page.content.decode()


def test_the_header_links_the_rounds_for_the_commune_officer_and_not_for_an_official(
    client, commune_admin, case_worker
):
    client.force_login(commune_admin)
    assert reverse("households:rounds") in client.get(reverse("households:list")).content.decode()
    client.force_login(case_worker)
    assert reverse("households:rounds") not in client.get(reverse("households:list")).content.decode()


@pytest.mark.parametrize(
    "data, expected",
    [
        (
            {"kind": "periodic", "year": "2024"},
            (2024, datetime.date(2024, 9, 1), datetime.date(2024, 12, 14)),
        ),
        (
            {"kind": "regular", "starts_on": "2024-04-15", "ends_on": "2024-04-30"},
            (2024, datetime.date(2024, 4, 15), datetime.date(2024, 4, 30)),
        ),
    ],
)
def test_opening_a_round(client, commune_admin, data, expected):
    client.force_login(commune_admin)
    response = client.post(reverse("households:round_open"), data)
    review_round = ReviewRound.objects.get()
    assert response.status_code == 302 and response["Location"] == round_url(review_round)
    assert (review_round.year, review_round.starts_on, review_round.ends_on) == expected
    assert review_round.created_by == commune_admin


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "periodic", "year": "2023"}, "Xã đã có đợt rà soát định kỳ năm 2023."),
        ({"kind": "periodic"}, "Hãy nhập năm của đợt rà soát định kỳ."),
        ({"kind": "regular", "starts_on": "2024-04-15"}, "Hãy nhập ngày bắt đầu và ngày kết thúc"),
        (
            {"kind": "regular", "starts_on": "2024-04-30", "ends_on": "2024-04-01"},
            "Ngày kết thúc không thể trước",
        ),
    ],
)
def test_a_round_that_cannot_open_is_refused_in_vietnamese(
    client, commune_admin, review_round, data, message
):
    client.force_login(commune_admin)
    response = client.post(reverse("households:round_open"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ReviewRound.objects.count() == 1


# --- A round's page -------------------------------------------------------------------------------------


def test_the_round_page_shows_each_household_to_survey_and_where_it_stands(
    client, commune_admin, review_round, meeting, village, household
):
    services.assessment_record(
        household=household, review_year=2022, income_per_capita_month=1_200_000, deprived=POOR_DEPRIVED
    )
    applied = factories.HouseholdFactory(village=village, code="KLK-0002")
    services.round_candidate_add(review_round=review_round, household=applied, source="applied")
    services.assessment_record(
        household=household,
        review_year=2023,
        income_per_capita_month=1_400_000,
        deprived=[],
        meeting=meeting,
        votes_for=12,
    )
    client.force_login(commune_admin)
    response = client.get(round_url(review_round))
    content = response.content.decode()
    assert [(row.household, row.state) for row in response.context["page"].rows] == [
        (household, "sent_back"),
        (applied, "not_surveyed"),
    ]
    assert "Hội nghị thôn trả lại để kiểm tra" in content and "Hộ nghèo đầu kỳ" in content
    assert "Có 1 hộ bị hội nghị thôn trả lại" in content
    assert 'method="post" action="/households/reviews/' in content  # the forms the closed page lacks
    assert result_url(review_round, applied) in content


def test_a_household_that_applied_is_added_by_its_code(client, commune_admin, review_round, household):
    client.force_login(commune_admin)
    url = round_url(review_round, "households:round_candidate_add")
    response = client.post(url, {"code": "klk-0001", "source": "applied", "note": "Đơn ngày 02/10"})
    assert response.status_code == 302
    assert RoundCandidate.objects.get().household == household
    refused = client.post(url, {"code": "KLK-9999", "source": "applied"})
    assert (
        refused.status_code == 400
        and "Không có hộ nào mã &#x27;KLK-9999&#x27; trong xã." in refused.content.decode()
    )
    again = client.post(url, {"code": "KLK-0001", "source": "identified"})
    assert "đã có trong danh sách rà soát của đợt" in again.content.decode()
    assert RoundCandidate.objects.count() == 1


@pytest.mark.parametrize("households", [10, 200])
def test_the_round_page_takes_the_same_queries_for_10_and_200_households(
    client, commune_admin, review_round, meeting, village, households
):
    for number, household in enumerate(factories.HouseholdFactory.create_batch(households, village=village)):
        services.assessment_record(
            household=household, review_year=2022, income_per_capita_month=1_200_000, deprived=POOR_DEPRIVED
        )
        if number % 3 == 0:
            services.assessment_record(
                household=household,
                review_year=2023,
                income_per_capita_month=1_400_000,
                deprived=["latrine"],
                meeting=meeting,
                votes_for=30 if number % 2 else 10,
            )
        elif number % 3 == 1:
            services.round_candidate_add(
                review_round=review_round,
                household=factories.HouseholdFactory(village=village),
                source="identified",
            )
    client.force_login(commune_admin)
    client.get(round_url(review_round))  # warm up the session and the scope
    with CaptureQueriesContext(connection) as queries:
        response = client.get(round_url(review_round))
    assert response.status_code == 200
    assert response.context["page"].total > households
    # session, user, official, groups, round, status at the start (2), candidates, results, sent back
    # (2), households, villages, meetings
    assert len(queries.captured_queries) == 14


# --- Village meetings ---------------------------------------------------------------------------------


def test_the_meeting_page_records_the_meeting_and_each_household_s_votes(
    client, commune_admin, review_round, village, household
):
    result = services.assessment_record(
        household=household, review_year=2023, income_per_capita_month=1_200_000, deprived=POOR_DEPRIVED
    )
    client.force_login(commune_admin)
    url = reverse("households:round_meeting", args=[review_round.pk, village.pk])
    assert household.head_name in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "held_on": "2023-11-20",
            "attendance": "40",
            "minutes_reference": "BB 03",
            f"votes_{result.pk}": "19",
        },
    )
    assert response.status_code == 302
    meeting = VillageMeeting.objects.get()
    result.refresh_from_db()
    assert (meeting.attendance, meeting.minutes_reference, result.meeting, result.votes_for) == (
        40,
        "BB 03",
        meeting,
        19,
    )
    page = client.get(round_url(review_round))
    assert [row.state for row in page.context["page"].rows] == ["sent_back"]


def test_a_meeting_with_more_votes_than_people_is_refused_in_vietnamese(
    client, commune_admin, review_round, village, household
):
    result = services.assessment_record(
        household=household, review_year=2023, income_per_capita_month=1_200_000, deprived=[]
    )
    client.force_login(commune_admin)
    url = reverse("households:round_meeting", args=[review_round.pk, village.pk])
    response = client.post(url, {"held_on": "2023-11-20", "attendance": "20", f"votes_{result.pk}": "25"})
    assert response.status_code == 400
    assert "25 người đồng ý là nhiều hơn 20 đại diện dự họp." in response.content.decode()
    assert not VillageMeeting.objects.exists()


# --- Closing -------------------------------------------------------------------------------------------


def test_closing_from_the_page_freezes_the_round_and_leaves_it_read_only(
    client, commune_admin, review_round, household
):
    client.force_login(commune_admin)
    response = client.post(
        round_url(review_round, "households:round_close"),
        {"decision_number": "45/QĐ-UBND", "decision_date": "2023-12-20"},
    )
    assert response.status_code == 302
    review_round.refresh_from_db()
    assert review_round.is_closed and RoundResult.objects.filter(round=review_round).count() == 1
    page = client.get(round_url(review_round))
    content = page.content.decode()
    assert "Đã kết thúc theo quyết định công nhận danh sách số 45/QĐ-UBND, ngày 20/12/2023." in content
    assert "trang này chỉ để xem" in content
    assert not page.context["can_write"] and 'method="post" action="/households/reviews/' not in content


def test_a_round_with_a_household_sent_back_does_not_close_and_says_why(
    client, commune_admin, review_round, meeting, household
):
    services.assessment_record(
        household=household,
        review_year=2023,
        income_per_capita_month=1_200_000,
        deprived=[],
        meeting=meeting,
        votes_for=5,
    )
    client.force_login(commune_admin)
    response = client.post(
        round_url(review_round, "households:round_close"),
        {"decision_number": "45/QĐ-UBND", "decision_date": "2023-12-20"},
    )
    assert response.status_code == 400
    assert "trả lại 1 hộ" in response.content.decode()
    review_round.refresh_from_db()
    assert not review_round.is_closed and not RoundResult.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"decision_number": "", "decision_date": "2023-12-20"}, "Trường này là bắt buộc."),
        (
            {"decision_number": "45/QĐ-UBND", "decision_date": "2023-08-31"},
            "Quyết định không thể có trước ngày bắt đầu",
        ),
        ({"decision_number": "45/QĐ-UBND", "decision_date": "2999-01-01"}, "Ngày không được ở tương lai"),
    ],
)
def test_a_decision_without_number_or_with_a_wrong_date_is_refused(
    client, commune_admin, review_round, data, message
):
    client.force_login(commune_admin)
    response = client.post(round_url(review_round, "households:round_close"), data)
    assert response.status_code == 400 and message in response.content.decode()
    review_round.refresh_from_db()
    assert not review_round.is_closed


# --- The review form --------------------------------------------------------------------------------


def test_the_form_shows_the_12_indicators_with_when_each_is_deprived(
    client, commune_admin, review_round, household
):
    client.force_login(commune_admin)
    response = client.get(result_url(review_round, household))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('name="deprived"') == 12
    assert "Hộ không có nhà tiêu hoặc sử dụng nhà tiêu không hợp vệ sinh." in content
    assert "Chưa ghi nhận hội nghị thôn" in content  # no meeting yet: no votes field
    assert 'name="votes_for"' not in content


def test_recording_a_result_classifies_it_by_the_rule_and_saves_causes_and_needs(
    client, commune_admin, review_round, meeting, household
):
    from households.models import PovertyCause, SupportNeed

    cause, need = (
        PovertyCause.objects.filter(active=True).first(),
        SupportNeed.objects.filter(active=True).first(),
    )
    client.force_login(commune_admin)
    response = client.post(
        result_url(review_round, household),
        form_data(
            income="1,2 triệu", votes_for="30", causes=[cause.pk], needs=[need.pk], reviewed_on="2023-10-05"
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"{round_url(review_round)}#household-{household.pk}"
    assessment = Assessment.objects.get()
    assert (
        assessment.review_year,
        assessment.kind,
        assessment.income_per_capita_month,
        assessment.b1_score,
        assessment.classification,
        assessment.meeting,
        assessment.votes_for,
        assessment.reviewed_on,
        assessment.created_by,
    ) == (
        2023,
        "periodic",
        1_200_000,
        118,
        Level.POOR,
        meeting,
        30,
        datetime.date(2023, 10, 5),
        commune_admin,
    )
    assert sorted(assessment.deprivations.values_list("code", flat=True)) == sorted(POOR_DEPRIVED)
    assert (list(household.causes.all()), list(household.needs.all())) == ([cause], [need])


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"income": "1,2"}, "income", "Không rõ"),
        ({"income": ""}, "income", "Trường này là bắt buộc."),
        (
            {"classification": "near_poor"},
            "adjustment_reason",
            "Ghi lý do hội nghị thôn, làng điều chỉnh phân loại.",
        ),
        (
            {"reviewed_on": "2023-12-15"},
            "reviewed_on",
            "Ngày rà soát phải nằm trong đợt, từ 01/09/2023 đến 14/12/2023.",
        ),
        ({"deprived": ["nope"]}, "deprived", "nope"),
    ],
)
def test_a_wrong_result_is_refused_beside_its_field_and_nothing_is_written(
    client, commune_admin, review_round, household, changes, field, message
):
    client.force_login(commune_admin)
    response = client.post(result_url(review_round, household), form_data(**changes))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Assessment.objects.exists()


def test_the_village_meeting_s_adjustment_is_kept_with_its_reason(
    client, commune_admin, review_round, household
):
    client.force_login(commune_admin)
    reason = "Hội nghị thôn 20/11: chủ hộ ốm dài ngày"
    response = client.post(
        result_url(review_round, household),
        form_data(deprived=["latrine"], classification="poor", adjustment_reason=reason),
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.computed_classification, assessment.classification, assessment.adjustment_reason) == (
        Level.NEAR_POOR,
        Level.POOR,
        reason,
    )


def test_votes_above_the_meeting_s_attendance_are_refused(
    client, commune_admin, review_round, meeting, household
):
    client.force_login(commune_admin)
    response = client.post(result_url(review_round, household), form_data(votes_for="41"))
    assert response.status_code == 400
    assert "41 người đồng ý là nhiều hơn 40 đại diện dự họp." in " ".join(
        response.context["form"].errors["votes_for"]
    )
    assert not Assessment.objects.exists()


def test_the_same_form_corrects_the_result_of_an_open_round(client, commune_admin, review_round, household):
    first = services.assessment_record(
        household=household, review_year=2023, income_per_capita_month=1_200_000, deprived=POOR_DEPRIVED
    )
    client.force_login(commune_admin)
    page = client.get(result_url(review_round, household))
    assert page.context["form"].initial["income"] == 1_200_000
    assert 'value="1.200.000"' in page.content.decode()
    response = client.post(result_url(review_round, household), form_data(income="2.000.000"))
    assert response.status_code == 302
    first.refresh_from_db()
    assert Assessment.objects.count() == 1
    assert (first.income_per_capita_month, first.classification) == (2_000_000, Level.AVERAGE_LIVING)


def test_a_result_in_a_closed_round_is_refused_with_the_service_s_message(
    client, commune_admin, review_round, household
):
    old = services.assessment_record(
        household=household, review_year=2023, income_per_capita_month=1_200_000, deprived=[]
    )
    close(review_round)
    client.force_login(commune_admin)
    page = client.get(result_url(review_round, household))
    assert CLOSED_VI in page.content.decode() and 'name="income"' not in page.content.decode()
    response = client.post(result_url(review_round, household), form_data(income="3.000.000"))
    assert response.status_code == 400 and CLOSED_VI in response.content.decode()
    old.refresh_from_db()
    assert old.income_per_capita_month == 1_200_000


def test_a_regular_round_s_result_is_dated_within_it(client, commune_admin, household):
    regular = services.review_round_open(
        commune=household.commune,
        year=2023,
        kind="regular",
        starts_on=datetime.date(2023, 4, 15),
        ends_on=datetime.date(2023, 4, 30),
    )
    client.force_login(commune_admin)
    missing = client.post(result_url(regular, household), form_data())
    assert "Trường này là bắt buộc." in missing.context["form"].errors["reviewed_on"]
    response = client.post(result_url(regular, household), form_data(reviewed_on="2023-04-20"))
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.kind, assessment.reviewed_on) == ("regular", datetime.date(2023, 4, 20))


def test_the_classify_button_explains_without_saving(client, commune_admin, review_round, household):
    client.force_login(commune_admin)
    response = client.post(result_url(review_round, household), form_data(preview="1"))
    assert response.status_code == 200
    content = response.content.decode()
    assert response.context["explanation"].level == Level.POOR
    assert "thiếu hụt 3/12 chỉ số" in content and "để thoát nghèo" in content
    assert not Assessment.objects.exists()


# --- The live classification ------------------------------------------------------------------------


def classify(client, review_round, household, **query):
    return client.get(reverse("households:round_classify", args=[review_round.pk, household.pk]), query)


@pytest.mark.parametrize(
    "income, deprived, level, label",
    [
        ("1.500.000", POOR_DEPRIVED, "poor", "Hộ nghèo"),  # at the line
        ("1.500.000", ["latrine", "nutrition"], "near_poor", "Hộ cận nghèo"),
        ("1.500.001", POOR_DEPRIVED, "average_living", "Hộ có mức sống trung bình"),
        ("3 triệu", [], "other", "Không thuộc danh sách"),
    ],
)
def test_the_live_answer_is_the_rule_s_with_its_reasons(
    client, commune_admin, review_round, household, income, deprived, level, label
):
    client.force_login(commune_admin)
    answer = json.loads(classify(client, review_round, household, income=income, deprived=deprived).content)
    assert (answer["level"], answer["label"]) == (level, label)
    assert answer["sentences"] and answer["summary"].startswith("thiếu hụt")


def test_the_live_answer_explains_what_cannot_be_read(client, commune_admin, review_round, household):
    client.force_login(commune_admin)
    refused = classify(client, review_round, household, income="abc")
    assert (
        refused.status_code == 400
        and "Không đọc được 'abc' thành số đồng." in json.loads(refused.content)["error"]
    )
    empty = json.loads(classify(client, review_round, household, income="").content)
    assert empty == {"level": None, "message": "Nhập thu nhập để xem kết quả phân loại."}


# --- From the household page ------------------------------------------------------------------------


def test_the_household_page_leads_to_the_form_of_the_open_round(
    client, commune_admin, review_round, household
):
    client.force_login(commune_admin)
    review_url = reverse("households:review", args=[household.pk])
    assert review_url in client.get(reverse("households:detail", args=[household.pk])).content.decode()
    response = client.get(review_url)
    assert (
        response.status_code == 302
        and response["Location"] == result_url(review_round, household) + "?back=household"
    )
    saved = client.post(response["Location"], form_data())
    assert saved["Location"] == reverse("households:detail", args=[household.pk])


def test_without_an_open_round_the_household_page_s_link_says_so(
    client, commune_admin, review_round, household
):
    close(review_round)
    client.force_login(commune_admin)
    response = client.get(reverse("households:review", args=[household.pk]))
    assert response.status_code == 200
    assert "Xã chưa có đợt rà soát nào đang thực hiện" in response.content.decode()


def test_read_only_roles_get_no_link_to_the_review_form(client, viewer, case_worker, review_round, household):
    for user in (viewer, case_worker):
        client.force_login(user)
        page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
        assert reverse("households:review", args=[household.pk]) not in page


def test_with_several_open_rounds_the_household_page_s_link_offers_a_choice(
    client, commune_admin, review_round, household
):
    regular = services.review_round_open(
        commune=household.commune,
        year=2024,
        kind="regular",
        starts_on=datetime.date(2024, 4, 15),
        ends_on=datetime.date(2024, 4, 30),
    )
    client.force_login(commune_admin)
    response = client.get(reverse("households:review", args=[household.pk]))
    assert response.status_code == 200
    assert response.context["open_rounds"] == [review_round, regular]  # the periodic round first
    content = response.content.decode()
    assert result_url(review_round, household) in content and result_url(regular, household) in content


def test_the_list_of_rounds_takes_the_same_queries_for_1_and_6_rounds(
    client, commune_admin, commune, django_assert_num_queries
):
    services.review_round_open(commune=commune, year=2022)
    client.force_login(commune_admin)
    client.get(reverse("households:rounds"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("households:rounds"))
    for month in range(1, 6):
        services.review_round_open(
            commune=commune,
            year=2023,
            kind="regular",
            starts_on=datetime.date(2023, month, 15),
            ends_on=datetime.date(2023, month, 28),
        )
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("households:rounds"))
    assert len(response.context["rounds"]) == 6
