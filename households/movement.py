"""Movement between two reviews: what became of each household, as an upper office tabulates it.

Pure rules, no database. The inputs are a household's status at the start review and at the end
review (a `Level` code, or None when it was not resident then: not yet in the commune, or already
gone) and two facts from its assessment history before the start. The output is one `Movement`
category, and from it the household's line in the two movement tables, poor and near-poor:

    start of period (đầu kỳ) − decreases (giảm) + increases (tăng) = end of period (cuối kỳ)

Each category moves a household out of at most one list and into at most one list (`FLOWS`), so
the identity holds for every household, hence for every village and the commune (tested over
every pair of statuses). The definitions:

- continuing poor (nghèo cũ): poor at both reviews.
- newly poor (nghèo phát sinh mới): poor at the end, on neither list at the start (average-living
  or no list), and never poor before: no counted assessment up to the start review classified it
  poor.
- fell back into poverty (tái nghèo): poor at the end, on neither list at the start, and poor in
  some counted assessment up to the start review: it was poor, left the poor list, and is poor
  again.
- near-poor → poor: near-poor at the start, poor at the end, whatever its history. A household
  moving between the two lists is always counted as such a move, so that it has one cause in each
  table: the poor table's increase "from near-poor" is the near-poor table's decrease "became
  poor". (An upper office's form with only "phát sinh" and "tái nghèo" columns takes it in the
  one its instructions name.)
- exited poverty (thoát nghèo): poor at the start, average-living or on no list at the end.
- poor → near-poor (thoát nghèo, sang cận nghèo): poor at the start, near-poor at the end. It has
  exited poverty too: a decrease of the poor and an increase of the near-poor.
- the same four for the near-poor: continuing near-poor, newly near-poor, fell back into
  near-poverty (tái cận nghèo: near-poor in some counted assessment up to the start review),
  exited near-poverty (thoát cận nghèo).
- left (chuyển đi, giải thể hộ): on a list at the start and no longer resident at the end (moved
  away, merged into another household, died out): a decrease of that list.
- arrived (chuyển đến, hộ mới): on a list at the end and not resident at the start (moved in, or
  a new household recorded after the start review was frozen): an increase of that list.
- on neither list (not reported): on neither list at both reviews, or at the one it was resident.

"Resident" and the statuses are those of households.review_status: every household not archived
at the review's date, with its latest counted assessment up to it (a closed round's frozen ones).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from households.classification import Level


class Movement(models.TextChoices):
    CONTINUING_POOR = "continuing_poor", _("Continuing poor")
    NEWLY_POOR = "newly_poor", _("Newly poor")
    FELL_BACK_POOR = "fell_back_poor", _("Fell back into poverty")
    NEAR_POOR_TO_POOR = "near_poor_to_poor", _("Near-poor to poor")
    EXITED_POVERTY = "exited_poverty", _("Exited poverty, off both lists")
    POOR_TO_NEAR_POOR = "poor_to_near_poor", _("Exited poverty to near-poor")
    LEFT_POOR = "left_poor", _("Poor household that left the commune")
    ARRIVED_POOR = "arrived_poor", _("Poor household that arrived")
    CONTINUING_NEAR_POOR = "continuing_near_poor", _("Continuing near-poor")
    NEWLY_NEAR_POOR = "newly_near_poor", _("Newly near-poor")
    FELL_BACK_NEAR_POOR = "fell_back_near_poor", _("Fell back into near-poverty")
    EXITED_NEAR_POVERTY = "exited_near_poverty", _("Exited near-poverty")
    LEFT_NEAR_POOR = "left_near_poor", _("Near-poor household that left the commune")
    ARRIVED_NEAR_POOR = "arrived_near_poor", _("Near-poor household that arrived")
    NOT_LISTED = "not_listed", _("On neither list")


class Cause(StrEnum):
    """Why a household entered or left a list: the columns of a movement table."""

    # decreases
    EXITED = "exited"  # off both lists (average-living or no list)
    TO_OTHER_LIST = "to_other_list"
    LEFT = "left"  # no longer resident
    # increases
    NEW = "new"
    FELL_BACK = "fell_back"
    FROM_OTHER_LIST = "from_other_list"
    ARRIVED = "arrived"  # not resident at the start


DECREASES = (Cause.EXITED, Cause.TO_OTHER_LIST, Cause.LEFT)
INCREASES = (Cause.NEW, Cause.FELL_BACK, Cause.FROM_OTHER_LIST, Cause.ARRIVED)
STAYED = "stayed"  # on the list at both reviews: counted at the start and the end, no change


@dataclass(frozen=True)
class Flow:
    """A category's effect on the poor and on the near-poor table: STAYED, a Cause, or None."""

    poor: str | None
    near_poor: str | None


M = Movement
FLOWS: dict[str, Flow] = {
    M.CONTINUING_POOR: Flow(STAYED, None),
    M.NEWLY_POOR: Flow(Cause.NEW, None),
    M.FELL_BACK_POOR: Flow(Cause.FELL_BACK, None),
    M.NEAR_POOR_TO_POOR: Flow(Cause.FROM_OTHER_LIST, Cause.TO_OTHER_LIST),
    M.EXITED_POVERTY: Flow(Cause.EXITED, None),
    M.POOR_TO_NEAR_POOR: Flow(Cause.TO_OTHER_LIST, Cause.FROM_OTHER_LIST),
    M.LEFT_POOR: Flow(Cause.LEFT, None),
    M.ARRIVED_POOR: Flow(Cause.ARRIVED, None),
    M.CONTINUING_NEAR_POOR: Flow(None, STAYED),
    M.NEWLY_NEAR_POOR: Flow(None, Cause.NEW),
    M.FELL_BACK_NEAR_POOR: Flow(None, Cause.FELL_BACK),
    M.EXITED_NEAR_POVERTY: Flow(None, Cause.EXITED),
    M.LEFT_NEAR_POOR: Flow(None, Cause.LEFT),
    M.ARRIVED_NEAR_POOR: Flow(None, Cause.ARRIVED),
    M.NOT_LISTED: Flow(None, None),
}
REPORTED = tuple(category for category in Movement if category != Movement.NOT_LISTED)


def movement(before: str | None, after: str | None, *, was_poor: bool, was_near_poor: bool) -> Movement:
    """The household's category between two reviews.

    `before`/`after`: its Level code at the start and end review, None when not resident then.
    `was_poor`/`was_near_poor`: a counted assessment up to the start review classified it poor /
    near-poor (its history; only read for a household on neither list at the start).
    """
    if before is None and after is None:
        return M.NOT_LISTED
    if before == Level.POOR:
        return {
            Level.POOR: M.CONTINUING_POOR,
            Level.NEAR_POOR: M.POOR_TO_NEAR_POOR,
            None: M.LEFT_POOR,
        }.get(after, M.EXITED_POVERTY)
    if before == Level.NEAR_POOR:
        return {
            Level.POOR: M.NEAR_POOR_TO_POOR,
            Level.NEAR_POOR: M.CONTINUING_NEAR_POOR,
            None: M.LEFT_NEAR_POOR,
        }.get(after, M.EXITED_NEAR_POVERTY)
    # On neither list at the start, or not resident then.
    if after == Level.POOR:
        if before is None:
            return M.ARRIVED_POOR
        return M.FELL_BACK_POOR if was_poor else M.NEWLY_POOR
    if after == Level.NEAR_POOR:
        if before is None:
            return M.ARRIVED_NEAR_POOR
        return M.FELL_BACK_NEAR_POOR if was_near_poor else M.NEWLY_NEAR_POOR
    return M.NOT_LISTED
