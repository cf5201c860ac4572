"""Role predicates for the household registry (row scope lives in selectors)."""

from accounts.selectors import scope_for_user
from povertyplan.roles import Role

# Roles that process national ID numbers as a statutory task; everyone else sees them masked.
NATIONAL_ID_ROLES = (Role.ADMINISTRATOR, Role.COMMUNE_OFFICER)


def national_id_visible_to(*, user) -> bool:
    """Full national ID numbers are for the roles that process them; the others see them masked."""
    return scope_for_user(user).role in NATIONAL_ID_ROLES


# Roles that may import the lists: the administrator into a commune they pick, the commune officer
# into their own commune.
IMPORT_ROLES = (Role.ADMINISTRATOR, Role.COMMUNE_OFFICER)


def imports_allowed_to(*, user) -> bool:
    """Whether the user may import lists from spreadsheets (into the communes they may write)."""
    return scope_for_user(user).role in IMPORT_ROLES


# Roles that see the review rounds: the commune officer of their commune, the administrator, and the
# upper office (read-only) of its area. Officials follow households, not the commune's reviews.
REVIEW_ROUND_ROLES = (Role.ADMINISTRATOR, Role.COMMUNE_OFFICER, Role.UPPER_OFFICE)


def review_rounds_visible_to(*, user) -> bool:
    """Whether the user may read review rounds (in the communes they may read)."""
    return scope_for_user(user).role in REVIEW_ROUND_ROLES
