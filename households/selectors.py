"""Reads for a user: every queryset here is already scoped to what the user may see."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.selectors import Scope, scope_for_user
from households.models import Commune, Household, Member
from povertyplan.roles import Role
from povertyplan.text import fold


def commune_list_for_user(*, user) -> QuerySet[Commune]:
    """Communes the user may read: all (administrator), their own, or those under their upper office."""
    scope = scope_for_user(user)
    communes = Commune.objects.select_related("district", "province")
    if scope.role == Role.ADMINISTRATOR:
        return communes
    if scope.role in (Role.COMMUNE_OFFICER, Role.OFFICIAL):
        return communes.filter(pk=scope.commune_id)
    if scope.role == Role.UPPER_OFFICE:
        return communes.filter(_upper_office_communes(scope))
    return communes.none()


def _upper_office_communes(scope: Scope, prefix: str = "") -> Q:
    official = scope.official
    if official.district_id:
        return Q(**{f"{prefix}district_id": official.district_id})
    if official.province_id:
        return Q(**{f"{prefix}province_id": official.province_id})
    return Q(pk__in=[])


def household_scope_filter(*, user) -> Q:
    """The rows of Household a user may read, as a Q (also used by the admin and other apps)."""
    from assignments.models import Assignment  # the assignments app depends on this one, not the reverse

    scope = scope_for_user(user)
    if scope.role == Role.ADMINISTRATOR:
        return Q()
    if scope.role == Role.COMMUNE_OFFICER:
        return Q(commune_id=scope.commune_id)
    if scope.role == Role.OFFICIAL:
        current = Assignment.objects.filter(
            household=OuterRef("pk"), official=scope.official, ended_on__isnull=True
        )
        return Q(Exists(current))
    if scope.role == Role.UPPER_OFFICE:
        return _upper_office_communes(scope, prefix="commune__")
    return Q(pk__in=[])


def household_list_for_user(*, user, include_archived: bool = False) -> QuerySet[Household]:
    households = Household.objects.filter(household_scope_filter(user=user)).select_related(
        "village", "commune", "head_ethnicity"
    )
    if not include_archived:
        households = households.filter(archived_at__isnull=True)
    return households


def household_get_for_user(*, user, pk: int, write: bool = False) -> Household:
    """One household: 404 when out of the user's scope, 403 when in scope but read-only."""
    household = household_list_for_user(user=user, include_archived=True).filter(pk=pk).first()
    if household is None:
        raise Http404
    if write and not scope_for_user(user).can_write:
        raise PermissionDenied
    return household


def household_search(households: QuerySet[Household], query: str) -> QuerySet[Household]:
    """Households whose code, head, address, village or any member's name contains the query.

    Matching ignores case, diacritics and Unicode normalisation (see povertyplan.text.fold).
    """
    folded = fold(query)
    if not folded:
        return households
    member_matches = Member.objects.filter(household=OuterRef("pk"), search_key__contains=folded)
    return households.filter(
        Q(search_key__contains=folded) | Q(village__search_key__contains=folded) | Q(Exists(member_matches))
    )
