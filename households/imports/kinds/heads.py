"""One rule for the two lists that name a household's head: after any import, the household's "head
of household" and the full name of its member whose relation is "head" are the same.

The file being imported wins, and both records are written: a households list that renames the head
renames the head member too, and a members list that names or renames the head member renames the
household's head. An officer corrects a name once, in whichever list he holds; refusing the row instead
would make that correction impossible in either list alone. A household without a head member keeps its
own name. Either rename is a line of the check's preview, flagged like any new head, since a name that
changes under a stored code usually means the row carries the wrong code.
"""

import copy

from django.utils import timezone
from django.utils.translation import gettext as _

from households.imports.engine import BATCH_SIZE
from households.imports.kinds.common import header
from households.models import Household, Member
from households.services import household_search_key, member_search_key

HEAD_FIELDS = ["updated_by", "updated_at", "search_key"]


class HeadMembers:
    """The commune's head members by household (one query), for the households list."""

    def __init__(self, commune):
        self.by_household: dict[int, list[Member]] = {}
        heads = Member.objects.filter(household__commune=commune, relation=Member.Relation.HEAD)
        for member in heads.order_by("number"):
            self.by_household.setdefault(member.household_id, []).append(member)

    def renamed(self, household: Household) -> tuple[list[Member], list[list]]:
        """Copies of the household's head members given its head's name, and their preview lines."""
        members, lines = [], []
        for stored in self.by_household.get(household.pk, []):
            if stored.full_name == household.head_name:
                continue
            member = copy.copy(stored)
            member.full_name = household.head_name
            members.append(member)
            label = _("Full name of member no. %(number)s (head of household)") % {"number": stored.number}
            lines.append([label, stored.full_name, member.full_name, True])
        return members, lines


def household_renamed(household: Household, member: Member) -> tuple[Household | None, list]:
    """The household given the name of `member`, its head after the import, and the preview line;
    (None, []) when the names agree or the member is not the head."""
    if member.relation != Member.Relation.HEAD or member.full_name == household.head_name:
        return None, []
    renamed = copy.copy(household)
    renamed.head_name = member.full_name
    return renamed, [header(Household, "head_name"), household.head_name, renamed.head_name, True]


def write(*, members: list[Member] = (), households: list[Household] = (), user) -> None:
    """Write the renamed head members or households, with their search keys, stamped who and when."""
    now = timezone.now()
    for member in members:
        member.search_key = member_search_key(full_name=member.full_name)
    for household in households:
        household.search_key = household_search_key(
            code=household.code, head_name=household.head_name, address=household.address
        )
    for model, rows, name in ((Member, members, "full_name"), (Household, households, "head_name")):
        for row in rows:
            row.updated_by, row.updated_at = user, now
        model.objects.bulk_update(rows, [name, *HEAD_FIELDS], batch_size=BATCH_SIZE)
