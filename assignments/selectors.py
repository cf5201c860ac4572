"""Reads for assignments and support, scoped to the user."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.selectors import scope_for_user
from assignments.models import Assignment
from households import selectors as household_selectors
from households.models import Household
from povertyplan.roles import Role


def household_for_support(*, user, pk: int) -> tuple[Household, str]:
    """The household a user may log support for, and a reason to flag the entry ('' when none).

    An official logs for the households they are in charge of. One they were in charge of earlier
    (reassigned while they were offline, say) is still accepted, since the work was done, and
    flagged for the commune officer. Any other household is a 404. The commune officer and the
    administrator log for households in their scope; read-only roles get 403.
    """
    scope = scope_for_user(user)
    if scope.role == Role.OFFICIAL:
        household = Household.objects.filter(pk=pk, assignments__official=scope.official).distinct().first()
        if household is None:
            raise Http404
        if Assignment.objects.filter(
            household=household, official=scope.official, ended_on__isnull=True
        ).exists():
            return household, ""
        return household, _("Logged by an official no longer in charge of this household.")
    household = household_selectors.household_get_for_user(user=user, pk=pk, write=True)
    if scope.official is None:  # support is always logged under an official's name
        raise PermissionDenied
    return household, ""


def current_plan_year_for(household: Household) -> int | None:
    """The plan year of the household's current assignment (its latest plan), if any."""
    assignment = (
        Assignment.objects.filter(household=household).select_related("plan").order_by("-plan__year").first()
    )
    return assignment.plan.year if assignment else None
