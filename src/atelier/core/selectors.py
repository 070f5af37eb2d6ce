"""Core reads: what a user may see."""

from django.db.models import QuerySet

from atelier.core.choices import Role
from atelier.core.models import Site, User


def sites_visible_to(user: User) -> QuerySet[Site]:
    return Site.objects.visible_to(user)


def site_users_with_role(*, sites, role: str) -> QuerySet[User]:
    """Active users of these sites holding a role (e.g. the technicians to assign)."""
    return User.objects.filter(is_active=True, sites__in=sites, roles__role=role).distinct()


def technicians_for(user: User) -> QuerySet[User]:
    return site_users_with_role(sites=Site.objects.visible_to(user), role=Role.TECHNICIEN)
