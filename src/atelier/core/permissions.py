"""Role and site checks shared by views and services."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from atelier.core.errors import PermissionRefused


def require_role(user, *roles: str) -> None:
    """Raise PermissionRefused unless the user holds one of the roles (superusers pass)."""
    if user.is_superuser or user.has_role(*roles):
        return
    raise PermissionRefused()


def role_required(*roles: str):
    """View decorator: logged in and holding one of the roles, else 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                require_role(request.user, *roles)
            except PermissionRefused as exc:
                raise PermissionDenied(exc.message) from None
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def require_site(user, site) -> None:
    if site.pk not in user.visible_site_ids:
        raise PermissionRefused("Ce site ne fait pas partie des vôtres.")
