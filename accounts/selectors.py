"""Who is asking: the role and the unit of a signed-in user."""

from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import Official
from povertyplan.roles import GROUP_ROLES, Role


@dataclass(frozen=True)
class Scope:
    role: Role
    official: Official | None

    @property
    def commune_id(self) -> int | None:
        return self.official.commune_id if self.official else None

    @property
    def can_write(self) -> bool:
        return self.role in (Role.ADMINISTRATOR, Role.COMMUNE_OFFICER)


def scope_for_user(user) -> Scope:
    """The user's role and unit, computed once per request and kept on the user object."""
    cached = getattr(user, "_povertyplan_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    if user.is_authenticated:
        user._povertyplan_scope = scope
    return scope


def _compute_scope(user) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return Scope(Role.NONE, None)
    official = Official.objects.select_related("commune", "district", "province").filter(user=user).first()
    if user.is_superuser:
        return Scope(Role.ADMINISTRATOR, official)
    group_names = set(user.groups.values_list("name", flat=True))
    for role in GROUP_ROLES:
        if role.value in group_names and official is not None:
            return Scope(role, official)
    return Scope(Role.NONE, official)


# Who may be put in charge of households: officials and commune officers. Never an administrator
# (a technical account) nor the upper office (it reads, it does not follow households).
ASSIGNABLE_ROLES = (Role.OFFICIAL, Role.COMMUNE_OFFICER)


def officials_assignable(*, commune=None) -> QuerySet[Official]:
    """Officials who may be put in charge of a commune's households (`commune`: a Commune, its id,
    or None for every commune): active accounts in the official or commune-officer group, not
    superusers, not in the upper office's group."""
    officials = Official.objects.filter(
        commune__isnull=False,
        user__is_active=True,
        user__is_superuser=False,
        user__groups__name__in=[role.value for role in ASSIGNABLE_ROLES],
    ).exclude(user__groups__name=Role.UPPER_OFFICE.value)
    if commune is not None:
        officials = officials.filter(commune=commune)
    return Official.objects.filter(pk__in=officials.values("pk"))


def official_is_assignable(official: Official) -> bool:
    return officials_assignable(commune=official.commune_id).filter(pk=official.pk).exists()
