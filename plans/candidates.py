"""Households to propose for the next plan: the poor households closest to exiting poverty.

Under the 2022–2025 rule a poor household exits when its income rises above the poverty line or
fewer indicators stay deprived (households.classification). So those closest to it are those
with the income nearest the line, then the fewest deprived indicators: the order here. Each comes
with its reason, in the words of the plan ("thu nhập 1.450.000 đ/người/tháng, còn thiếu 50.000 đ;
thiếu hụt 1 chỉ số: 4 (nhà ở)"), from its status at the end of the closed review.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from households import review_status
from households.classification import Area
from households.models import Assessment, ReviewRound
from plans.outcomes import Deprivation, indicator_names
from povertyplan.formatting import format_vnd


@dataclass(frozen=True)
class Candidate:
    household_id: int
    code: str
    head_name: str
    village: str
    income: int  # per person per month, at the review
    poverty_line: int  # of the household's area, in the review's standard
    deprived: tuple[Deprivation, ...]

    @property
    def shortfall(self) -> int:
        """How far the income is below the line (0 when not below)."""
        return max(0, self.poverty_line - self.income)

    @property
    def reason(self) -> str:
        if self.income < self.poverty_line:
            income = _("income %(income)s/person/month, %(shortfall)s short of the line") % {
                "income": format_vnd(self.income),
                "shortfall": format_vnd(self.shortfall),
            }
        elif self.income == self.poverty_line:  # poor at the line: a household exits above it
            income = _("income %(income)s/person/month, at the poverty line") % {
                "income": format_vnd(self.income)
            }
        else:  # kept on the poor list by the village meeting
            income = _("income %(income)s/person/month, above the poverty line") % {
                "income": format_vnd(self.income)
            }
        return _("%(income)s; deprived on %(count)s indicators: %(indicators)s") % {
            "income": income,
            "count": len(self.deprived),
            "indicators": ", ".join(str(item) for item in self.deprived) or "—",
        }


def closeness(candidate: Candidate) -> tuple:
    """The order of the proposal: the smallest shortfall first, then the fewest deprivations."""
    return (candidate.shortfall, len(candidate.deprived), candidate.code)


def exit_candidates(*, review_round: ReviewRound, exclude=()) -> list[Candidate]:
    """The households poor at the end of the (closed) round, closest to exit first, leaving out
    `exclude` (household ids). Four queries whatever the number of households."""
    status = review_status.status_at_round(review_round)
    excluded = set(exclude)
    poor = {item.assessment_id: item for item in status.households if item.is_poor}
    poor = {pk: item for pk, item in poor.items() if item.household_id not in excluded and pk is not None}
    rows = Assessment.objects.filter(pk__in=list(poor)).values_list(
        "pk",
        "income_per_capita_month",
        "standard__poverty_line_rural",
        "standard__poverty_line_urban",
        "household__area",
        "household__code",
        "household__head_name",
        "household__village__name",
    )
    names = indicator_names(review_round.year)
    candidates = [
        Candidate(
            household_id=poor[pk].household_id,
            code=code,
            head_name=head_name,
            village=village,
            income=income,
            poverty_line=urban_line if area == Area.URBAN else rural_line,
            deprived=tuple(Deprivation(number, names.get(number, "")) for number in poor[pk].deprived),
        )
        for pk, income, rural_line, urban_line, area, code, head_name, village in rows
    ]
    return sorted(candidates, key=closeness)
