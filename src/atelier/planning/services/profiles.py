"""Technicians' profiles and days off (who can be planned, when, where from)."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from atelier.core.access import may
from atelier.core.choices import Role
from atelier.core.errors import AtelierError, PermissionRefused
from atelier.core.models import User
from atelier.planning.models import (
    DayOff,
    TechnicianProfile,
)
from atelier.planning.services.common import _manager


@transaction.atomic
def technician_profile_save(*, actor: User, profile: TechnicianProfile) -> TechnicianProfile:
    """Create or update a technician's profile (the form has filled it), after every check."""
    _manager(actor, profile.site)
    if not profile.user.has_role(Role.TECHNICIEN):
        raise AtelierError(_("%(u)s n'a pas le rôle technicien.") % {"u": profile.user}, field="user")
    if not profile.user.sites.filter(pk=profile.site_id).exists():
        raise AtelierError(_("Ce technicien n'est pas rattaché à ce site."))
    from atelier.core import geo

    if profile.home_postcode and not geo.postcode_exists(profile.home_postcode):
        raise AtelierError(
            _("Code postal inconnu : %(p)s.") % {"p": profile.home_postcode}, field="home_postcode"
        )
    for zone in profile.zone_list:
        if not (len(zone) in (2, 3) and zone[:2].isalnum()):
            raise AtelierError(
                _("Zone invalide : « %(z)s » (numéro de département).") % {"z": zone}, field="zones"
            )
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def day_off_add(*, actor: User, profile: TechnicianProfile, day: datetime.date, reason: str = "") -> DayOff:
    _manager(actor, profile.site)
    if DayOff.objects.filter(profile=profile, day=day).exists():
        raise AtelierError(_("Ce jour d'absence est déjà noté."), field="day")
    return DayOff.objects.create(profile=profile, day=day, reason=reason.strip())


def ensure_technician(actor: User) -> None:
    if not may(actor, "planning.my_day"):
        raise PermissionRefused()
