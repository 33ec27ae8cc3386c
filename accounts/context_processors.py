from .roles import Role


def roles(request):
    """Expose the user's roles to the navigation (which links each role sees)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": frozenset(), "Role": Role}
    return {"user_roles": user.roles, "Role": Role}
