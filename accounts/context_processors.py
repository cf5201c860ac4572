from accounts.selectors import scope_for_user


def role(request):
    """The signed-in user's role and official profile, for menus (never for access decisions)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for_user(user)
    return {"user_role": scope.role.value, "user_official": scope.official}
