"""Commissioning at the customer's (C1.12), recorded with the dossier's step « commission »."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.models import User
from atelier.core.permissions import require_site
from atelier.fieldwork.models import (
    Commissioning,
)
from atelier.repairs import services as case_services
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.repairs.models import RepairCase


@transaction.atomic
def commissioning_record(
    *,
    actor: User,
    case: RepairCase,
    control_tests: str,
    explanations: str,
    signer_name: str,
    signature: str = "",
    settings_chosen: str = "",
    at: datetime.datetime | None = None,
) -> Commissioning:
    """Record the commissioning and take the dossier's step « commission » in the same transaction.

    The step's checks (installation conform, safety tests passed) run inside case_commission: a refusal
    undoes this record too.
    """
    require_step(actor, "fieldwork.work", site=case.site)
    require_site(actor, case.site)
    control_tests, explanations = (control_tests or "").strip(), (explanations or "").strip()
    signer_name = (signer_name or "").strip()
    if case.status != CaseStatus.REPARE:
        raise AtelierError(
            _("La mise en service se fait quand la réparation est terminée (dossier « %(s)s »).")
            % {"s": case.get_status_display()}
        )
    if not control_tests:
        raise AtelierError(_("Décrivez les tests de contrôle effectués."), field="control_tests")
    if not explanations:
        raise AtelierError(_("Notez les explications données au client."), field="explanations")
    if not signer_name:
        raise AtelierError(_("Saisissez le nom de la personne qui signe."), field="signer_name")
    if case.location == WorkLocation.DOMICILE and not signature:
        raise AtelierError(
            _("La signature du client est requise pour une mise en service à domicile."), field="signature"
        )
    at = at or timezone.now()
    record = Commissioning.objects.create(
        case=case,
        done_by=actor,
        done_at=at,
        control_tests=control_tests,
        settings_chosen=(settings_chosen or "").strip(),
        explanations=explanations,
        signer_name=signer_name,
        signature=signature or "",
    )
    case_services.case_commission(case=case, actor=actor, note=control_tests, at=at)
    return record
