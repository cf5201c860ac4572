"""A review round's documents (reports.round_views): each village meeting's minutes and the decision
recognising the lists (form 02 of Decision 24/2021/QĐ-TTg) with its four appendices, as PDF read back
with pdftotext, and the appendices as XLSX; who may download them, and their queries."""

import datetime
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households import review_status, services
from households.classification import Level
from households.models import Indicator, VillageMeeting
from households.movement import Movement
from reports.selectors import round_documents
from reports.selectors.round_documents import Appendix
from tests import factories
from tests.reports.test_pdf import appears, assert_only_liberation_serif, flat, pdftotext

P, N, A = Level.POOR, Level.NEAR_POOR, Level.AVERAGE_LIVING
MEETING_DAY = datetime.date(2023, 11, 20)
DECIDED_ON = datetime.date(2023, 12, 20)


def assessed(household, year, level, *, income=1_200_000, b1_score=None, deprived=()):
    assessment = factories.AssessmentFactory(
        household=household,
        review_year=year,
        computed_classification=level,
        classification=level,
        income_per_capita_month=income,
        b1_score=b1_score,
    )
    if deprived:
        assessment.deprivations.set(
            Indicator.objects.filter(standard=assessment.standard, number__in=deprived)
        )
    return assessment


# label: (code, head, village, level at the 2022 review, result in the 2023 round or None, votes for
# of the 40 present, ethnic minority)
HOUSEHOLDS = {
    "continuing poor": ("KLK-0001", "Đinh Văn Hmar", "Mơhven-Ôr", P, P, 30, True),
    "sent back": ("KLK-0002", "Đinh Thị Blui", "Mơhven-Ôr", P, N, 19, True),
    "to near-poor": ("KLK-0003", "Đinh Văn Chuang", "Mơhven-Ôr", P, N, 20, False),
    "exited": ("KLK-0004", "Đinh Văn Hrin", "Bờ-Chư pâu", P, A, 40, True),
    "near-poor exited": ("KLK-0005", "Đinh Thị Hyên", "Bờ-Chư pâu", N, A, 35, False),
    "continuing near-poor": ("KLK-0006", "Đinh Văn Tơih", "Bờ-Chư pâu", N, None, None, True),
    "newly poor": ("KLK-0007", "Đinh Văn Jun", "Mơhven-Ôr", A, P, 33, True),
    "never listed": ("KLK-0008", "Đinh Văn Ber", "Mơhven-Ôr", A, None, None, False),
}


def build_world(commune, village):
    """The 2022 review closed; the 2023 round open, with both villages' meetings and their votes."""
    villages = {
        village.name: village,
        "Bờ-Chư pâu": factories.VillageFactory(commune=commune, name="Bờ-Chư pâu"),
    }
    households, results = {}, {}
    round_2022 = services.review_round_open(commune=commune, year=2022)
    for label, (code, head, village_name, before, _after, _votes, minority) in HOUSEHOLDS.items():
        household = factories.HouseholdFactory(
            village=villages[village_name], code=code, head_name=head, is_ethnic_minority=minority
        )
        households[label] = household
        assessed(household, 2022, before)
    services.review_round_close(
        review_round=round_2022, decision_number="30/QĐ-UBND", decision_date=datetime.date(2022, 12, 20)
    )
    review_round = services.review_round_open(commune=commune, year=2023)
    for label, (_code, _head, _village, _before, after, _votes, _minority) in HOUSEHOLDS.items():
        if after is not None:
            deprived = (1, 4, 7, 10) if after == P else (4,)
            results[label] = assessed(households[label], 2023, after, b1_score=118, deprived=deprived)
    for name, item in villages.items():
        services.village_meeting_record(
            review_round=review_round,
            village=item,
            held_on=MEETING_DAY,
            attendance=40,
            chair_name="Đinh Văn Nhiu" if name == "Mơhven-Ôr" else "",
            secretary_name="Đinh Thị Nơ" if name == "Mơhven-Ôr" else "",
            votes={
                results[label].pk: HOUSEHOLDS[label][5]
                for label in results
                if households[label].village_id == item.pk
            },
        )
    return review_round, villages, households, results


@pytest.fixture
def world(commune, village):
    return build_world(commune, village)


def close(review_round, world):
    """Settle the household sent back (a second vote of 25 of 40), then close under decision 45."""
    _round, villages, _households, results = world
    services.village_meeting_record(
        review_round=review_round,
        village=villages["Mơhven-Ôr"],
        held_on=MEETING_DAY,
        attendance=40,
        votes={results["sent back"].pk: 25},
    )
    return services.review_round_close(
        review_round=review_round, decision_number="45/QĐ-UBND", decision_date=DECIDED_ON
    )


def minutes_url(review_round, village):
    return reverse("reports:round_minutes", args=[review_round.pk, village.pk])


def decision_url(review_round):
    return reverse("reports:round_decision", args=[review_round.pk])


def lists_url(review_round):
    return reverse("reports:round_lists", args=[review_round.pk])


def codes(listed) -> list[str]:
    return [household.code for household in listed]


# --- the minutes --------------------------------------------------------------------------------------


def test_the_minutes_list_each_household_voted_with_its_agreement_and_mark_those_sent_back(
    client, commune_admin, world
):
    review_round, villages, _households, _results = world
    client.force_login(commune_admin)
    response = client.get(minutes_url(review_round, villages["Mơhven-Ôr"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    text = pdftotext(data)
    for line in (
        "UBND XÃ KÔNG LƠNG KHƠNG",
        "LÀNG MƠHVEN-ÔR",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Kông Lơng Khơng, ngày 20 tháng 11 năm 2023",
        "BIÊN BẢN",
        "Họp làng Mơhven-Ôr bình xét kết quả rà soát hộ nghèo, hộ cận nghèo năm 2023",
        "Hôm nay, ngày 20/11/2023, làng Mơhven-Ôr, xã Kông Lơng Khơng tổ chức họp",
        "Chủ trì: Đinh Văn Nhiu;",
        "Thư ký: Đinh Thị Nơ;",
        "Số đại diện hộ gia đình dự họp: 40.",
        "Cuộc họp đã bình xét kết quả rà soát của 4 hộ gia đình",
        "Biên bản được lập thành 02 bản./.",
    ):
        assert appears(line, text), line
    # Each household: proposed classification, votes for, present, agreement, result.
    assert appears("1 KLK-0001 Đinh Văn Hmar Hộ nghèo 30 40 75,00% Thống nhất", text)
    assert appears(
        "2 KLK-0002 Đinh Thị Blui Hộ cận nghèo 19 40 47,50% Đưa về kiểm tra, rà soát lại (dưới 50%)", text
    )
    assert appears("3 KLK-0003 Đinh Văn Chuang Hộ cận nghèo 20 40 50,00% Thống nhất", text)  # exactly half
    assert appears("4 KLK-0007 Đinh Văn Jun Hộ nghèo 33 40 82,50% Thống nhất", text)
    assert "KLK-0004" not in text  # another village's
    assert appears(
        "Số hộ được cuộc họp thống nhất kết quả rà soát (từ 50% số người dự họp đồng ý trở lên): 3 hộ, "
        "trong đó hộ nghèo 2 hộ, hộ cận nghèo 1 hộ, hộ không thuộc hai danh sách 0 hộ;",
        text,
    )
    assert appears("Số hộ đưa về kiểm tra, rà soát lại (dưới 50% số người dự họp đồng ý): 1 hộ.", text)
    signatures = flat(text)
    assert signatures.index("THƯ KÝ") < signatures.index("CHỦ TRÌ")
    assert "Đinh Thị Nơ" in signatures[signatures.index("THƯ KÝ") :]
    assert_only_liberation_serif(data)
    assert "bien-ban-hop-thon-mohven-or-ra-soat-dinh-ky-nam-2023-" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_the_minutes_leave_the_names_to_write_by_hand_and_count_households_without_votes(
    client, commune_admin, world
):
    review_round, villages, households, _results = world
    extra = factories.HouseholdFactory(
        village=villages["Bờ-Chư pâu"], code="KLK-0009", head_name="Đinh Văn Kơn"
    )
    result = assessed(extra, 2023, P)
    services.village_meeting_record(
        review_round=review_round,
        village=villages["Bờ-Chư pâu"],
        held_on=MEETING_DAY,
        attendance=40,
        votes={result.pk: None},
    )
    client.force_login(commune_admin)
    text = pdftotext(client.get(minutes_url(review_round, villages["Bờ-Chư pâu"])).content)
    assert appears("Chủ trì: ;", text) and appears("Thư ký: ;", text)
    assert appears("KLK-0009 Đinh Văn Kơn Hộ nghèo 40 Chưa ghi số phiếu", text)
    assert appears("Số hộ chưa ghi kết quả biểu quyết: 1 hộ.", text)


def test_the_minutes_of_a_village_without_a_meeting_or_of_another_commune_are_not_found(
    client, commune_admin, world, commune
):
    review_round, _villages, _households, _results = world
    quiet = factories.VillageFactory(commune=commune, name="Dơng")
    elsewhere = factories.VillageFactory(name="Làng khác")
    client.force_login(commune_admin)
    assert client.get(minutes_url(review_round, quiet)).status_code == 404
    assert client.get(minutes_url(review_round, elsewhere)).status_code == 404


def test_the_meeting_page_records_who_chaired_and_wrote_the_minutes(client, commune_admin, world):
    review_round, villages, _households, results = world
    client.force_login(commune_admin)
    url = reverse("households:round_meeting", args=[review_round.pk, villages["Bờ-Chư pâu"].pk])
    page = client.get(url).content.decode()
    assert 'name="chair_name"' in page and 'name="secretary_name"' in page
    data = {
        "held_on": "20/11/2023",
        "attendance": "40",
        "chair_name": "  Đinh Văn Pui ",
        "secretary_name": "Đinh Thị Lan",
    }
    data.update({f"votes_{results[label].pk}": "30" for label in ("exited", "near-poor exited")})
    assert client.post(url, data).status_code == 302
    meeting = VillageMeeting.objects.get(round=review_round, village=villages["Bờ-Chư pâu"])
    assert (meeting.chair_name, meeting.secretary_name) == ("Đinh Văn Pui", "Đinh Thị Lan")


# --- the decision and its appendices --------------------------------------------------------------------


def test_the_appendices_are_the_round_s_statuses_and_the_exits_since_the_previous_review(world):
    review_round, _villages, households, _results = world
    document = round_documents.decision_document(review_round)
    end = review_status.status_at_round(review_round)
    poor = {status.household_id for status in end.households if status.classification == P}
    near_poor = {status.household_id for status in end.households if status.classification == N}
    assert {h.household_id for h in document.lists[Appendix.POOR]} == poor
    assert {h.household_id for h in document.lists[Appendix.NEAR_POOR]} == near_poor
    assert codes(document.lists[Appendix.POOR]) == [
        "KLK-0001",
        "KLK-0002",
        "KLK-0007",
    ]  # the one sent back stays poor
    assert codes(document.lists[Appendix.NEAR_POOR]) == ["KLK-0006", "KLK-0003"]  # Bờ-Chư pâu first
    assert codes(document.lists[Appendix.EXITED_POOR]) == ["KLK-0004", "KLK-0003"]
    assert codes(document.lists[Appendix.EXITED_NEAR_POOR]) == ["KLK-0005"]
    categories = {h.code: h.category for h in document.lists[Appendix.EXITED_POOR]}
    assert categories == {"KLK-0004": Movement.EXITED_POVERTY, "KLK-0003": Movement.POOR_TO_NEAR_POOR}
    assert households["never listed"].pk not in {
        h.household_id for listed in document.lists.values() for h in listed
    }


def test_the_draft_decision_of_an_open_round(client, commune_admin, world):
    review_round, _villages, _households, _results = world
    client.force_login(commune_admin)
    response = client.get(decision_url(review_round))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    text = pdftotext(data)
    page_1 = pdftotext(data, page=1)
    assert appears("ỦY BAN NHÂN DÂN XÃ KÔNG LƠNG KHƠNG", page_1)
    assert appears("DỰ THẢO", page_1) and "Số:" in page_1 and "/QĐ-UBND" in page_1
    assert not re.search(r"\d\s*/QĐ-UBND", page_1)  # the number is left blank
    assert "Kông Lơng Khơng, ngày tháng năm 2023" in flat(page_1)
    for page in range(2, 6):  # the mark on every page, the appendices' too
        assert "DỰ THẢO" in pdftotext(data, page=page)
    assert appears("(Kèm theo dự thảo Quyết định của Chủ tịch Ủy ban nhân dân xã Kông Lơng Khơng)", text)
    assert "du-thao-quyet-dinh-cong-nhan-danh-sach-kong-long-khong" in response["Content-Disposition"]


def test_the_decision_of_a_closed_round_with_its_number_date_articles_and_appendices(client, viewer, world):
    review_round, _villages, _households, _results = world
    close(review_round, world)
    client.force_login(viewer)  # the upper office reads it
    response = client.get(decision_url(review_round))
    assert response.status_code == 200
    data = response.content
    text = pdftotext(data)
    page_1 = flat(pdftotext(data, page=1))
    assert "DỰ THẢO" not in text
    for line in (
        "Số: 45/QĐ-UBND",
        "Kông Lơng Khơng, ngày 20 tháng 12 năm 2023",
        "QUYẾT ĐỊNH",
        "Về việc công nhận hộ nghèo, hộ cận nghèo; hộ thoát nghèo, hộ thoát cận nghèo năm 2023",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ KÔNG LƠNG KHƠNG",
        # The standard's legal basis is its data; Decision 24 is the review procedure.
        "Căn cứ Nghị định số 07/2021/NĐ-CP ngày 27/01/2021 của Chính phủ quy định chuẩn nghèo đa chiều "
        "giai đoạn 2022-2025;",
        "Căn cứ Quyết định số 24/2021/QĐ-TTg ngày 16 tháng 7 năm 2021 của Thủ tướng Chính phủ",
        "Điều 1. Công nhận danh sách hộ nghèo, hộ cận nghèo; hộ thoát nghèo, hộ thoát cận nghèo năm 2023 "
        "trên địa bàn xã Kông Lơng Khơng, gồm:",
        "- Hộ nghèo: 2 hộ (Phụ lục I);",
        "- Hộ cận nghèo: 3 hộ (Phụ lục II);",
        "- Hộ thoát nghèo: 3 hộ (Phụ lục III);",
        "- Hộ thoát cận nghèo: 1 hộ (Phụ lục IV).",
        "Hộ thoát nghèo, thoát cận nghèo được xác định so với đợt rà soát định kỳ năm 2022.",
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
        "Nơi nhận:",
        "- Như Điều 3;",
        "- Lưu: VT.",
        "CHỦ TỊCH",
    ):
        assert line in page_1, line
    for label, title in (
        ("Phụ lục I", "DANH SÁCH HỘ NGHÈO NĂM 2023"),
        ("Phụ lục II", "DANH SÁCH HỘ CẬN NGHÈO NĂM 2023"),
        ("Phụ lục III", "DANH SÁCH HỘ THOÁT NGHÈO NĂM 2023"),
        ("Phụ lục IV", "DANH SÁCH HỘ THOÁT CẬN NGHÈO NĂM 2023"),
    ):
        assert appears(f"{label} {title}", text), title
    attached = (
        "(Kèm theo Quyết định số 45/QĐ-UBND ngày 20/12/2023 của Chủ tịch Ủy ban nhân dân xã Kông Lơng Khơng)"
    )
    assert flat(text).count(attached) == 4
    # A row: no., code, head, village, ethnic minority, B1 score, income, indicators deprived, note.
    assert appears("1 KLK-0001 Đinh Văn Hmar Mơhven-Ôr x 118 1.200.000 đ 1, 4, 7, 10", text)
    assert appears(
        "KLK-0007 Đinh Văn Jun Mơhven-Ôr x 118 1.200.000 đ 1, 4, 7, 10 Hộ nghèo phát sinh mới", text
    )
    # Exited: where each stands after the review.
    assert appears("KLK-0004 Đinh Văn Hrin Bờ-Chư pâu x 118 1.200.000 đ 4 Hộ có mức sống trung bình", text)
    assert appears("KLK-0003 Đinh Văn Chuang Mơhven-Ôr 118 1.200.000 đ 4 Hộ cận nghèo", text)
    assert_only_liberation_serif(data)


def test_the_decision_reads_the_frozen_results_of_a_closed_round(world):
    review_round, _villages, households, _results = world
    review_round = close(review_round, world)
    before = round_documents.decision_document(review_round)
    household = households["continuing poor"]
    household.is_ethnic_minority = False
    household.save()
    assessed(household, 2024, A)  # a later review changes nothing in 2023's lists
    after = round_documents.decision_document(review_round)
    assert after.lists == before.lists
    assert [h.is_ethnic_minority for h in after.lists[Appendix.POOR] if h.code == "KLK-0001"] == [True]


def test_a_regular_round_recognises_the_households_it_surveyed(commune, village):
    listed = factories.HouseholdFactory(village=village, code="KLK-0101")
    assessed(listed, 2023, P)
    applied = factories.HouseholdFactory(village=village, code="KLK-0102")
    exited = factories.HouseholdFactory(village=village, code="KLK-0103")
    assessed(exited, 2023, P)
    review_round = services.review_round_open(
        commune=commune,
        year=2024,
        kind="regular",
        starts_on=datetime.date(2024, 4, 15),
        ends_on=datetime.date(2024, 4, 30),
    )
    for household, level in ((applied, N), (exited, A)):
        services.assessment_record(
            household=household,
            review_year=2024,
            kind="regular",
            reviewed_on=datetime.date(2024, 4, 20),
            income_per_capita_month=1_200_000 if level == N else 2_000_000,
            deprived=[],
        )
    document = round_documents.decision_document(review_round)
    assert codes(document.lists[Appendix.POOR]) == []  # KLK-0101 was not surveyed
    assert codes(document.lists[Appendix.NEAR_POOR]) == ["KLK-0102"]
    assert codes(document.lists[Appendix.EXITED_POOR]) == ["KLK-0103"]
    assert document.baseline == "danh sách ngày 14/04/2024"


def test_the_lists_workbook_has_the_decision_s_rows(client, commune_admin, world):
    review_round, _villages, _households, _results = world
    close(review_round, world)
    client.force_login(commune_admin)
    response = client.get(lists_url(review_round))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    document = round_documents.decision_document(review_round)
    assert len(workbook.sheetnames) == 4
    for sheet, appendix in zip(workbook.worksheets, round_documents.APPENDICES, strict=True):
        rows = list(sheet.iter_rows(values_only=True))
        header = next(index for index, row in enumerate(rows) if row[0] == "STT")
        assert rows[header][:4] == ("STT", "Mã hộ", "Chủ hộ", "Thôn/làng")
        body = [row for row in rows[header + 1 :] if isinstance(row[0], int)]
        assert [row[1] for row in body] == codes(document.lists[appendix])
    cells = [cell for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row if cell]
    assert "Kèm theo: Quyết định số 45/QĐ-UBND ngày 20/12/2023" in cells
    assert "Rà soát năm 2023" in cells
    poor = workbook.worksheets[0]
    first = next(row for row in poor.iter_rows(values_only=True) if row[1] == "KLK-0001")
    assert first[4:8] == ("x", 118, 1_200_000, "1, 4, 7, 10")


# --- where they are offered, and who may have them -------------------------------------------------------


def test_the_round_page_offers_the_minutes_of_each_meeting_and_the_decision(client, viewer, world, commune):
    review_round, villages, _households, _results = world
    factories.HouseholdFactory(village=factories.VillageFactory(commune=commune, name="Dơng"))
    client.force_login(viewer)
    page = client.get(reverse("households:round", args=[review_round.pk])).content.decode()
    for village in villages.values():
        assert minutes_url(review_round, village) in page
    assert page.count("/minutes.pdf") == 2
    assert decision_url(review_round) in page and lists_url(review_round) in page
    assert "Dự thảo quyết định công nhận danh sách (PDF)" in page


@pytest.mark.parametrize("persona, expected", [("case_worker", 403), ("outsider", 404), ("viewer", 200)])
def test_the_documents_follow_the_round_page_s_access(client, request, world, persona, expected):
    review_round, villages, _households, _results = world
    client.force_login(request.getfixturevalue(persona))
    for url in (
        minutes_url(review_round, villages["Mơhven-Ôr"]),
        decision_url(review_round),
        lists_url(review_round),
    ):
        assert client.get(url).status_code == expected, url


# --- queries ------------------------------------------------------------------------------------------


def grown(world, count: int):
    """`count` more households of the commune on the lists, surveyed in the 2023 round with votes."""
    review_round, villages, _households, _results = world
    village = villages["Mơhven-Ôr"]
    more = factories.HouseholdFactory.create_batch(count, village=village)
    votes = {}
    for index, household in enumerate(more):
        assessed(household, 2022, P if index % 2 else N)
        votes[assessed(household, 2023, (P, N, A)[index % 3], b1_score=100, deprived=(4, 7)).pk] = 30
    services.village_meeting_record(
        review_round=review_round, village=village, held_on=MEETING_DAY, attendance=40, votes=votes
    )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def document_urls(world) -> tuple[str, ...]:
    review_round, villages, _households, _results = world
    return (
        minutes_url(review_round, villages["Mơhven-Ôr"]),
        decision_url(review_round),
        lists_url(review_round),
    )


def test_the_documents_of_an_open_round_take_as_many_queries_for_10_and_200_households(
    client, commune_admin, world
):
    client.force_login(commune_admin)
    grown(world, 10)
    few = [queries(client, url) for url in document_urls(world)]
    grown(world, 190)
    assert [queries(client, url) for url in document_urls(world)] == few


def test_the_documents_of_a_closed_round_take_as_many_queries_for_10_and_200_households(
    client, administrator
):
    counts = []
    for count in (10, 200):
        commune = factories.CommuneFactory(name=f"Xã {count}")
        world = build_world(commune, factories.VillageFactory(commune=commune, name="Mơhven-Ôr"))
        grown(world, count)
        close(world[0], world)
        client.force_login(administrator)
        counts.append([queries(client, f"{url}") for url in document_urls(world)])
    assert counts[0] == counts[1]
