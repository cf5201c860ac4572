"""Writes for accounts: role groups and officials."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import Official
from povertyplan.roles import ROLE_PERMISSIONS, Role


@transaction.atomic
def role_groups_sync() -> None:
    """Create each role's group and give it exactly the permissions listed in povertyplan.roles."""
    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=Role(role).value)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:  # absent only while the app's migrations have not all run
                wanted.append(permission)
        group.permissions.set(wanted)


@transaction.atomic
def official_create(
    *,
    username: str,
    password: str | None,
    full_name: str,
    role: Role,
    commune=None,
    district=None,
    province=None,
    department=None,
    position: str = "",
    phone: str = "",
    by=None,
) -> Official:
    """Create a user account with its official profile and role group."""
    user_model = get_user_model()
    user = user_model(username=username, is_staff=role == Role.COMMUNE_OFFICER)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=role.value))
    official = Official(
        user=user,
        full_name=full_name,
        position=position,
        phone=phone,
        commune=commune,
        district=district,
        province=province,
        department=department,
        created_by=by,
        updated_by=by,
    )
    official.full_clean()
    official.save()
    return official
