"""The site check shared by services (who may do what: core.access, steps × roles per site)."""

from atelier.core.errors import PermissionRefused


def require_site(user, site) -> None:
    if site.pk not in user.visible_site_ids:
        raise PermissionRefused("Ce site ne fait pas partie des vôtres.")
