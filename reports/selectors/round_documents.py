"""The documents of a review round, from its data: a village meeting's minutes, and the commune
chairman's decision recognising the lists (form 02 of Decision 24/2021/QĐ-TTg) with its four
appendices: poor, near-poor, exited-poor and exited-near-poor households (shared/docs/domain.md §3).

Reads only; reports.builders.round_documents writes them out. Permission is the caller's business
(reports.access.review_round_for_documents).

The lists of the decision are the round's statuses (households.review_status: a closed round's
frozen results, an open round's results as they stand, then the decision is a draft). The exited
households are those whose movement (households.movement's rule, through review_movement.movements)
from the previous review to the round is "exited poverty" (to near-poor or off both lists) or
"exited near-poverty". The previous review of a periodic round is the periodic review of the year
before, as in the movement report; a regular round recognises the households it surveyed, against
their status the day before it started.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, Case, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from households import review_movement, review_status
from households.classification import Level
from households.models import (
    Assessment,
    Commune,
    PovertyStandard,
    ReviewRound,
    Village,
    VillageMeeting,
)
from households.movement import Movement
from households.review_selectors import round_standard
from povertyplan.formatting import format_date, format_number, rate
from reports.data import Column, Report, Row, Table

from .common import by_vietnamese, indicator_numbers, level_label, now

ID_BATCH = review_status.ID_BATCH

# --- the village meeting's minutes -----------------------------------------------------------------


@dataclass(frozen=True)
class VoteLine:
    """A household the meeting voted on: its result in the round and the votes for it."""

    code: str
    head_name: str
    classification: str  # the result's Level code (the rule's, or the meeting's adjustment)
    votes_for: int | None  # None: no votes recorded
    attendance: int
    sent_back: bool  # under 50 % agreement (households.review_status's rule)

    @property
    def agreement(self) -> Decimal | None:
        """The share of the representatives present who agreed, in % (20.86 = 20,86 %)."""
        return None if self.votes_for is None else rate(self.votes_for, self.attendance)


@dataclass(frozen=True)
class MinutesDocument:
    round: ReviewRound
    commune: Commune
    village: Village
    meeting: VillageMeeting
    lines: list[VoteLine]

    @property
    def voted(self) -> int:
        return sum(line.votes_for is not None for line in self.lines)

    @property
    def sent_back(self) -> int:
        return sum(line.sent_back for line in self.lines)

    @property
    def agreed(self) -> int:
        return self.voted - self.sent_back

    def agreed_with(self, level: str) -> int:
        return sum(
            line.votes_for is not None and not line.sent_back and line.classification == level
            for line in self.lines
        )


def minutes_document(review_round: ReviewRound, village_pk: int) -> MinutesDocument:
    """The minutes of a village's meeting in the round: the results it voted on, with their votes.
    404 when the village is not the round's commune's or held no meeting. Three queries."""
    village = Village.objects.filter(commune_id=review_round.commune_id, pk=village_pk).first()
    meeting = VillageMeeting.objects.filter(round=review_round, village=village).first() if village else None
    if meeting is None:
        raise Http404
    results = (
        Assessment.objects.filter(review_status.round_assessments(review_round), meeting=meeting)
        .annotate(
            is_sent_back=Case(
                When(review_status._sent_back(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("household__code", "reviewed_on", "pk")
        .values_list("household__code", "household__head_name", "classification", "votes_for", "is_sent_back")
    )
    lines = [
        VoteLine(code, head, level, votes, meeting.attendance, bool(back))
        for code, head, level, votes, back in results
    ]
    return MinutesDocument(
        round=review_round, commune=review_round.commune, village=village, meeting=meeting, lines=lines
    )


def vote_result(line: VoteLine) -> str:
    if line.votes_for is None:
        return _("No vote recorded")
    if line.sent_back:
        return _("Sent back for checking (under 50%)")
    return _("Agreed")


def minutes_table(document: MinutesDocument) -> Table:
    """The households the meeting voted on, one line each (the minutes' table)."""
    return Table(
        title="",
        columns=[
            Column("no", _("No."), "int", 5),
            Column("code", _("Household code"), "text", 10),
            Column("head", _("Head of household"), "text", 20),
            Column("level", _("Classification proposed"), "text", 14),
            Column("votes", _("Agreeing"), "int", 7),
            Column("present", _("Present"), "int", 7),
            Column("agreement", _("Agreement"), "percent", 8),
            Column("result", _("Result"), "text", 16),
        ],
        rows=[
            Row(
                {
                    "no": number,
                    "code": line.code,
                    "head": line.head_name,
                    "level": level_label(line.classification),
                    "votes": line.votes_for,
                    "present": line.attendance,
                    "agreement": line.agreement,
                    "result": vote_result(line),
                }
            )
            for number, line in enumerate(document.lines, start=1)
        ],
    )


# --- the decision recognising the lists (form 02) -------------------------------------------------


class Appendix:
    POOR = "poor"
    NEAR_POOR = "near_poor"
    EXITED_POOR = "exited_poor"
    EXITED_NEAR_POOR = "exited_near_poor"


APPENDICES = (Appendix.POOR, Appendix.NEAR_POOR, Appendix.EXITED_POOR, Appendix.EXITED_NEAR_POOR)
EXITED = {
    Appendix.EXITED_POOR: (Movement.EXITED_POVERTY, Movement.POOR_TO_NEAR_POOR),
    Appendix.EXITED_NEAR_POOR: (Movement.EXITED_NEAR_POVERTY,),
}


@dataclass(frozen=True)
class ListedHousehold:
    household_id: int
    code: str
    head_name: str
    village: str
    is_ethnic_minority: bool
    b1_score: int | None
    income: int | None  # per person per month, of the assessment the status comes from
    deprived: tuple[int, ...]  # numbers of the indicators deprived
    classification: str  # Level code at the end of the round
    before: str | None  # Level code at the previous review; None: not resident then
    category: str  # its Movement code from the previous review


@dataclass(frozen=True)
class DecisionDocument:
    round: ReviewRound
    commune: Commune
    standard: PovertyStandard | None
    baseline: str  # what the exits are counted from ("the 2022 review")
    lists: dict[str, list[ListedHousehold]]  # Appendix → households

    @property
    def draft(self) -> bool:
        """No decision yet: the round is open (its lists may still change) or has no number."""
        review_round = self.round
        return not (review_round.is_closed and review_round.decision_number and review_round.decision_date)

    def count(self, appendix: str) -> int:
        return len(self.lists[appendix])


def _baseline(review_round: ReviewRound) -> tuple[review_status.CommuneStatus, str]:
    if review_round.kind == ReviewRound.Kind.PERIODIC:
        year = review_round.year - 1
        status = review_status.status_after_periodic_review(
            commune=review_round.commune, year=year, with_deprived=False
        )
        return status, _("the periodic review of %(year)s") % {"year": year}
    day = review_round.starts_on - datetime.timedelta(days=1)
    status = review_status.status_at(commune=review_round.commune, until=day, with_deprived=False)
    return status, _("the lists on %(date)s") % {"date": format_date(day)}


def _scores(assessment_ids: list[int]) -> dict[int, tuple[int | None, int]]:
    """assessment id → (B1 score, income per person per month); one query for any commune."""
    found = {}
    for start in range(0, len(assessment_ids), ID_BATCH):
        rows = Assessment.objects.filter(pk__in=assessment_ids[start : start + ID_BATCH]).values_list(
            "pk", "b1_score", "income_per_capita_month"
        )
        found.update({pk: (score, income) for pk, score, income in rows})
    return found


def decision_document(review_round: ReviewRound) -> DecisionDocument:
    """The decision recognising the round's lists, with the households of its four appendices.

    A fixed number of queries whatever the number of households (eight for an open periodic round).
    """
    end = review_status.status_at_round(review_round)
    start, baseline = _baseline(review_round)
    moved = {item.household_id: item for item in review_movement.movements(start=start, end=end)}
    periodic = review_round.kind == ReviewRound.Kind.PERIODIC
    statuses = {status.household_id: status for status in end.households if periodic or status.surveyed}
    picked: dict[str, list] = {appendix: [] for appendix in APPENDICES}
    for pk, status in statuses.items():
        if status.classification == Level.POOR:
            picked[Appendix.POOR].append(status)
        elif status.classification == Level.NEAR_POOR:
            picked[Appendix.NEAR_POOR].append(status)
        item = moved.get(pk)
        for appendix, categories in EXITED.items():
            if item is not None and item.category in categories:
                picked[appendix].append(status)
    listed = [status for statuses_of in picked.values() for status in statuses_of]
    scores = _scores(sorted({s.assessment_id for s in listed if s.assessment_id is not None}))
    villages = dict(Village.objects.filter(pk__in={s.village_id for s in listed}).values_list("pk", "name"))
    standard, _indicators = round_standard(review_round)

    def entry(status: review_status.HouseholdStatus) -> ListedHousehold:
        item = moved[status.household_id]
        score, income = scores.get(status.assessment_id, (None, None))
        return ListedHousehold(
            household_id=status.household_id,
            code=item.code,
            head_name=item.head_name,
            village=villages.get(status.village_id, ""),
            is_ethnic_minority=status.is_ethnic_minority,
            b1_score=score,
            income=income,
            deprived=status.deprived,
            classification=status.classification,
            before=item.before,
            category=item.category,
        )

    lists = {
        appendix: by_vietnamese(
            [entry(status) for status in statuses_of], lambda h: h.village, lambda h: h.code
        )
        for appendix, statuses_of in picked.items()
    }
    return DecisionDocument(
        round=review_round, commune=review_round.commune, standard=standard, baseline=baseline, lists=lists
    )


# --- the appendices as tables (the PDF's and the XLSX's rows) -------------------------------------


def appendix_titles(document: DecisionDocument) -> dict[str, str]:
    year = document.round.year
    return {
        Appendix.POOR: _("List of poor households, %(year)s") % {"year": year},
        Appendix.NEAR_POOR: _("List of near-poor households, %(year)s") % {"year": year},
        Appendix.EXITED_POOR: _("List of households that exited poverty, %(year)s") % {"year": year},
        Appendix.EXITED_NEAR_POOR: _("List of households that exited near-poverty, %(year)s")
        % {"year": year},
    }


def _note(household: ListedHousehold, appendix: str) -> str:
    """The remark column: how a household came onto the list, or where an exited one stands now."""
    if appendix in EXITED:
        return level_label(household.classification)
    if household.category in (Movement.CONTINUING_POOR, Movement.CONTINUING_NEAR_POOR):
        return ""
    return str(Movement(household.category).label)


def appendix_table(document: DecisionDocument, appendix: str) -> Table:
    exited = appendix in EXITED
    columns = [
        Column("no", _("No."), "int", 5),
        Column("code", _("Household code"), "text", 10),
        Column("head", _("Head of household"), "text", 20),
        Column("village", _("Village"), "text", 14),
        Column("minority", _("Ethnic minority"), "text", 7),
        Column("b1", _("B1 points"), "int", 6),
        Column("income", _("Income per person per month"), "vnd", 12),
        Column("deprived", _("Indicators deprived"), "text", 10),
        Column("note", _("After the review") if exited else _("Note"), "text", 14),
    ]
    rows = [
        Row(
            {
                "no": number,
                "code": household.code,
                "head": household.head_name,
                "village": household.village,
                "minority": "x" if household.is_ethnic_minority else "",
                "b1": household.b1_score,
                "income": household.income,
                "deprived": indicator_numbers(household.deprived),
                "note": _note(household, appendix),
            }
        )
        for number, household in enumerate(document.lists[appendix], start=1)
    ]
    return Table(
        title=appendix_titles(document)[appendix],
        columns=columns,
        rows=rows,
        note=_(
            "Ethnic minority: x for an ethnic-minority household. Indicators deprived: the numbers of the "
            "12 indicators of the poverty standard. B1 score and income: from the household's latest "
            "review result."
        ),
    )


def decision_reference(document: DecisionDocument) -> str:
    """ "Decision No. 45/QĐ-UBND of 20/12/2023", or that it is a draft."""
    review_round = document.round
    if document.draft:
        return _("Draft: the round is not closed under a decision yet")
    return _("Decision No. %(number)s of %(date)s") % {
        "number": review_round.decision_number,
        "date": format_date(review_round.decision_date),
    }


def lists_report(document: DecisionDocument) -> Report:
    """The four appendices as a report (the XLSX), with the same rows as the decision's PDF."""
    review_round = document.round
    titles = appendix_titles(document)
    return Report(
        slug="round-lists",
        title=_("Lists of poor, near-poor, exited-poor and exited-near-poor households, %(round)s")
        % {"round": review_round},
        commune=document.commune,
        plan_year=None,
        review_year=review_round.year,
        generated_at=now(),
        summary=[
            (_("Attached to"), decision_reference(document)),
            *((titles[appendix], format_number(document.count(appendix))) for appendix in APPENDICES),
            (_("Exits counted from"), document.baseline),
        ],
        tables=[appendix_table(document, appendix) for appendix in APPENDICES],
    )
