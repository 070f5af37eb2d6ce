"""What every fieldwork write shares: the roles, the dossier states in which work is recorded, « today »."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.choices import Role
from atelier.core.errors import AtelierError
from atelier.core.models import User
from atelier.core.permissions import require_role, require_site
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

TECH, RESP, MAG = Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER
# States in which work on the appliance is being done or just done: records are accepted then.
WORK_STATES = (
    CaseStatus.PLANIFIE,
    CaseStatus.EN_ATELIER,
    CaseStatus.ATTENTE_PIECES,
    CaseStatus.EN_REPARATION,
    CaseStatus.REPARE,
)


def _today(at: datetime.datetime | None) -> datetime.date:
    return timezone.localdate(at) if at else timezone.localdate()


def _case_for_work(case: RepairCase, actor: User) -> RepairCase:
    require_role(actor, TECH, RESP)
    require_site(actor, case.site)
    if case.status not in WORK_STATES:
        raise AtelierError(
            _("Le dossier %(number)s est « %(status)s » : aucune intervention n'y est en cours.")
            % {"number": case.number, "status": case.get_status_display()}
        )
    return case


def require_usable_instrument(instrument, *, site, on: datetime.date, field: str = "instrument") -> None:
    """The one check of a measuring instrument, for the diagnosis' measures and the safety tests: of the
    dossier's site, in service and its check / calibration not overdue on that day."""
    if instrument.site_id != site.pk:
        raise AtelierError(_("Cet appareil de mesure n'est pas de ce site."), field=field)
    if not instrument.is_usable(on):
        raise AtelierError(
            _(
                "L'appareil de mesure %(tool)s est en quarantaine ou son contrôle est échu : mesures non "
                "valables, prenez un autre appareil."
            )
            % {"tool": instrument},
            field=field,
        )
