"""Small communes for the yearly-cycle tests: households with their reviews, a plan, review rounds."""

import datetime

from households import services as household_services
from households.models import Indicator
from tests import factories


def indicators() -> dict[int, Indicator]:
    return {i.number: i for i in Indicator.objects.filter(standard__code="2022-2025")}


def review(household, year: int, level: str, *, income: int = 1_200_000, deprived=(), adjusted: str = ""):
    """A periodic result of the year: `level` as computed (or as the village meeting adjusted it)."""
    by_number = indicators()
    assessment = factories.AssessmentFactory(
        household=household,
        review_year=year,
        income_per_capita_month=income,
        computed_classification=level,
        classification=adjusted or level,
        adjustment_reason="Họp thôn điều chỉnh" if adjusted else "",
    )
    assessment.deprivations.set([by_number[number] for number in deprived])
    return assessment


def close_round(commune, year: int, *, by=None):
    """The year's periodic round, opened if needed and closed under a decision."""
    from households.review_status import periodic_round

    review_round = periodic_round(commune=commune, year=year) or household_services.review_round_open(
        commune=commune, year=year, by=by
    )
    return household_services.review_round_close(
        review_round=review_round,
        decision_number=f"{year}/QĐ-UBND",
        decision_date=datetime.date(year, 12, 20),
        by=by,
    )


def plan_2023(commune, **fields):
    """A 2023 plan with a text to copy and two departments' responsibilities with projects."""
    from plans.models import Project

    plan = factories.PlanFactory(
        commune=commune,
        year=2023,
        baseline_review_year=2022,
        title="Kế hoạch giúp đỡ hộ nghèo thoát nghèo năm 2023",
        subject="V/v phân công phụ trách hộ nghèo năm 2023",
        legal_bases="Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022\nCăn cứ Nghị định 07/2021/NĐ-CP",
        purposes="Giúp hộ nghèo thoát nghèo bền vững",
        requirements="Phân công cụ thể",
        support_forms="Kiến thức, ngày công, vật tư",
        time_frame="Từ tháng 02 đến hết năm 2023",
        closing="Yêu cầu các ban ngành thực hiện",
        signer_name="Trần Văn Nhơn",
        recipients="UBND huyện\nLưu: VT",
        **{"introduction": "Kết quả rà soát năm 2022", **fields},
    )
    for order, codes in enumerate((["DA1", "DA3"], ["DA7"]), start=1):
        duty = factories.ResponsibilityFactory(
            plan=plan, order=order, heading=f"Ban {order}", tasks=f"Việc {order}.1\nViệc {order}.2"
        )
        duty.projects.set(Project.objects.filter(code__in=codes, programme__code="ntp-spr-2021-2025"))
    return plan
