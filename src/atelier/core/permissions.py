"""Role and site checks shared by views and services."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from atelier.core.choices import Role
from atelier.core.errors import PermissionRefused

ACCUEIL, TECH, RESP, MAG, COMPTA = (
    Role.ACCUEIL,
    Role.TECHNICIEN,
    Role.RESPONSABLE_SAV,
    Role.MAGASINIER,
    Role.COMPTABLE,
)

# Who sees which entry of the main menu (base.html: `user|may_open:"stock"`): one table, not role names
# written in the template. Entries not listed here (home, customers, dossiers, knowledge) are for everyone.
MENU_ROLES: dict[str, frozenset[str]] = {
    "reception": frozenset({ACCUEIL, RESP}),
    "my_day": frozenset({TECH}),
    "planning": frozenset({RESP, ACCUEIL}),
    "stock": frozenset({MAG, RESP, TECH, COMPTA, ACCUEIL}),
    "tools": frozenset({TECH, RESP, MAG}),
    "loans": frozenset({ACCUEIL, RESP, TECH}),
    "billing": frozenset({COMPTA, RESP, ACCUEIL}),
}


def may_open(user, menu: str) -> bool:
    """Whether the main menu shows this entry to the user (by role, see MENU_ROLES)."""
    roles = MENU_ROLES.get(menu)
    if roles is None:
        raise KeyError(f"Unknown menu entry: {menu}")
    return bool(getattr(user, "is_authenticated", False) and user.has_role(*roles))


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
