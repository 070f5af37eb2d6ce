"""Core writing services: numbering sequences, users, the permission matrix of a site."""

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from atelier.core import access
from atelier.core.choices import Role
from atelier.core.errors import AtelierError
from atelier.core.locking import lock, lock_rows
from atelier.core.models import NumberSequence, PermissionChange, Site, SiteStepRoles, User, UserRole


@transaction.atomic
def sequence_next(*, site: Site, kind: str, year: int) -> int:
    """Next number of a gapless sequence, taken under a row lock (callers' transaction keeps it until commit).

    The row is created on first use; get_or_create inside the atomic block handles the race on creation
    through the unique constraint, then the row lock serialises the increments.
    """
    NumberSequence.objects.get_or_create(site=site, kind=kind, year=year)
    (seq,) = lock_rows(NumberSequence.objects.filter(site=site, kind=kind, year=year))
    seq.last_value += 1
    seq.save(update_fields=["last_value"])
    return seq.last_value


@transaction.atomic
def user_set_roles(*, user: User, roles: list[str]) -> None:
    """Replace the roles of a user."""
    user.roles.exclude(role__in=roles).delete()
    for role in roles:
        UserRole.objects.get_or_create(user=user, role=role)
    user.__dict__.pop("_role_cache", None)


def _keeps_own_access(actor: User, site: Site) -> None:
    """The manager may not take away their own access to the matrix screen (no one could give it back)."""
    access.forget_matrix(actor)
    if not access.may(actor, "core.permissions", site):
        raise AtelierError(
            _(
                "Ce réglage vous retirerait l'accès à l'écran des droits : gardez « %(step)s » à l'un de vos rôles."
            )
            % {"step": access.step("core.permissions").label}
        )


@transaction.atomic
def permissions_apply_preset(*, site: Site, actor: User, preset: str) -> Site:
    """Apply a preset to a site: the steps set by hand are dropped, every step follows the preset; journalled."""
    access.require_step(actor, "core.permissions", site=site)
    if preset not in access.PRESETS:
        raise AtelierError(_("Modèle de droits inconnu."), field="preset")
    site = lock(site)
    SiteStepRoles.objects.filter(site=site).delete()
    site.permission_preset = preset
    site.save(update_fields=["permission_preset"])
    PermissionChange.objects.create(site=site, actor=actor, preset=preset)
    _keeps_own_access(actor, site)
    return site


@transaction.atomic
def permissions_set(*, site: Site, actor: User, matrix: Mapping[str, Iterable[str]]) -> int:
    """Set the roles of the steps given (step code → roles; steps not given keep theirs). Each step that changes
    is journalled; the site's preset becomes « personnalisé » when one does. Returns how many changed."""
    access.require_step(actor, "core.permissions", site=site)
    steps = access.all_steps()
    unknown = sorted(set(matrix) - set(steps))
    if unknown:
        raise AtelierError(_("Opération inconnue : %(codes)s.") % {"codes": ", ".join(unknown)})
    wanted = {code: frozenset(roles) for code, roles in matrix.items()}
    bad_roles = sorted(set().union(*wanted.values()) - set(Role.values)) if wanted else []
    if bad_roles:
        raise AtelierError(_("Rôle inconnu : %(roles)s.") % {"roles": ", ".join(bad_roles)})
    site = lock(site)
    current = access.site_matrix(site)
    changed = 0
    for code, roles in wanted.items():
        if roles == current[code]:
            continue
        SiteStepRoles.objects.update_or_create(site=site, step=code, defaults={"roles": sorted(roles)})
        PermissionChange.objects.create(
            site=site, actor=actor, step=code, before=sorted(current[code]), after=sorted(roles)
        )
        changed += 1
    if changed and site.permission_preset != access.PRESET_CUSTOM:
        # « personnalisé »: the preset's roles of the other steps are written down, so they stay as they were
        hand_set = set(SiteStepRoles.objects.filter(site=site).values_list("step", flat=True))
        SiteStepRoles.objects.bulk_create(
            SiteStepRoles(site=site, step=code, roles=sorted(roles))
            for code, roles in current.items()
            if code not in hand_set
        )
        site.permission_preset = access.PRESET_CUSTOM
        site.save(update_fields=["permission_preset"])
    _keeps_own_access(actor, site)
    return changed
