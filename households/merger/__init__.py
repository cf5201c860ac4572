"""Communes merged by the 2025 reform: their villages, households and officials move to the new commune.

Since 1 July 2025 communes were merged into new ones (the demo's xã Kông Lơng Khơng, code 23668,
is part of xã Tơ Tung). `merger_plan` says what a merger would do, writing nothing (the command's
dry run, the admin's confirmation page); `communes_merge` does it in one transaction:

- the new commune is created (or an existing current one is taken), and each merged commune keeps
  its row with `valid_until` = the day before the merger, so its code may be reused by the new one;
- villages move with their households. Names and codes stay unique in the new commune: a village
  whose name (ignoring case) or code is taken gets the merged commune's name as a suffix
  ("Làng Mới (Kông Lơng Khơng)") or its code as a prefix ("23668-01"); a household whose code is
  taken gets the merged commune's code as a prefix ("23668-KLK-0001"), and a line of its notes
  says what it was. Only the later of two clashing rows is renamed, in the order the communes are
  given; the new commune's own rows never are;
- officials move, each to the new commune's department of the same code (created from the merged
  commune's when the new one has none): a department belongs to its commune, and the merged
  commune's departments stay with its plans' duties;
- assignments, exit registrations, support, assessments and review results point at households,
  officials and plans, so they follow without being written. An open assignment stays open under
  its plan, the merged commune's plan of the year, which stays the household's plan until it ends
  (its registration and its support of the year count under it); the new commune's plans, from the
  next one, start from the union of the households.

What the merger leaves as it was: the merged communes' rows (but `valid_until`), their plans and
duties, exit registrations, review rounds and frozen results. A `CommuneMerger` row per merged
commune records where it went and its villages' names and the household codes it changed, so its
reports (reports.selectors) print its closed years as they were printed before.

Refused, with a reason and nothing written: a commune already merged, a merger into one of the
merged communes, a merged commune with a review round still open or ending on or after the merger
date (close the round first: after the merger its households are no longer the commune's, so an
open round could not be closed as it stands), a date after today, a code a current commune holds.
"""

from .plan import MergerPlan, NewCommune, Renamed, SourceMove, merger_plan
from .reading import AsMerged, as_merged
from .service import communes_merge
from .text import describe

__all__ = [
    "AsMerged",
    "MergerPlan",
    "NewCommune",
    "Renamed",
    "SourceMove",
    "as_merged",
    "communes_merge",
    "describe",
    "merger_plan",
]
