"""Writes of the loans: lend an appliance for a dossier against signed terms, take it back."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock
from atelier.core.money import fr_amount, parse_amount
from atelier.core.permissions import require_site
from atelier.loans.choices import Handover, LoanCondition
from atelier.loans.models import Loan, LoanAppliance
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

MAX_DAYS = 90


def terms_text(
    *, appliance: LoanAppliance, due_on: datetime.date, delivery: str, return_mode: str, deposit, fee
) -> str:
    """The terms the customer signs, in plain French."""
    return _(
        "Prêt gracieux de l'appareil %(app)s (n° %(code)s, état : %(cond)s) pendant la réparation. À rendre au "
        "plus tard le %(due)s, en bon état, avec ses accessoires. Remise : %(out)s ; retour : %(back)s. "
        "Dépôt de garantie : %(dep)s €, restitué au retour. Frais de prêt : %(fee)s €. Tout dommage ou perte "
        "pourra être retenu sur le dépôt de garantie."
    ) % {
        "app": appliance.label,
        "code": appliance.code,
        "cond": appliance.get_condition_display().lower(),
        "due": due_on.strftime("%d/%m/%Y"),
        "out": Handover(delivery).label.lower(),
        "back": Handover(return_mode).label.lower(),
        "dep": fr_amount(deposit),
        "fee": fr_amount(fee),
    }


@transaction.atomic
def loan_create(
    *,
    case: RepairCase,
    actor,
    appliance: LoanAppliance,
    due_on: datetime.date,
    signer_name: str,
    signature: str,
    delivery: str = Handover.MAGASIN,
    return_mode: str = Handover.MAGASIN,
    deposit="0",
    fee="0",
    at=None,
) -> Loan:
    require_step(actor, "loans.manage", site=case.site)
    require_site(actor, case.site)
    at = at or timezone.now()
    if case.status in (CaseStatus.CLOTURE, CaseStatus.ANNULE, CaseStatus.RENDU):
        raise TransitionRefused(_("Le dossier %(n)s est terminé : pas de prêt.") % {"n": case.number})
    appliance = lock(appliance)
    if appliance.site_id != case.site_id:
        raise AtelierError(_("Cet appareil de prêt appartient à un autre site."), field="appliance")
    if not appliance.is_active or appliance.condition == LoanCondition.HORS_SERVICE:
        raise AtelierError(
            _("Cet appareil n'est pas prêtable (retiré du parc ou hors service)."), field="appliance"
        )
    if appliance.loans.filter(returned_at__isnull=True).exists():
        raise AtelierError(_("L'appareil %(c)s est déjà prêté.") % {"c": appliance.code}, field="appliance")
    today = timezone.localdate(at)
    if due_on is None or due_on < today:
        raise AtelierError(_("La date de retour doit être aujourd'hui ou plus tard."), field="due_on")
    if due_on > today + datetime.timedelta(days=MAX_DAYS):
        raise AtelierError(_("Un prêt dure au plus %(d)s jours.") % {"d": MAX_DAYS}, field="due_on")
    if not signer_name.strip():
        raise AtelierError(_("Indiquez le nom de la personne qui signe."), field="signer_name")
    if not signature:
        raise AtelierError(
            _("La signature du client est nécessaire : faites-le signer dans le cadre."), field="signature"
        )
    deposit = parse_amount(deposit or "0", field="deposit", zero_allowed=True)
    fee = parse_amount(fee or "0", field="fee", zero_allowed=True)
    loan = Loan.objects.create(
        appliance=appliance,
        case=case,
        lent_at=at,
        due_on=due_on,
        delivery=delivery,
        return_mode=return_mode,
        deposit=deposit,
        fee=fee,
        condition_out=appliance.condition,
        terms=terms_text(
            appliance=appliance,
            due_on=due_on,
            delivery=delivery,
            return_mode=return_mode,
            deposit=deposit,
            fee=fee,
        ),
        signer_name=signer_name.strip(),
        signature=signature,
        lent_by=actor,
    )
    return loan


@transaction.atomic
def loan_return(*, loan: Loan, actor, condition: str, note: str = "", at=None) -> Loan:
    require_step(actor, "loans.manage", site=loan.case.site)
    require_site(actor, loan.case.site)
    fresh = lock(loan, related=("appliance",))
    if fresh.returned_at is not None:
        raise AtelierError(_("Ce prêt est déjà rendu."))
    if condition not in LoanCondition.values:
        raise AtelierError(_("Indiquez l'état de l'appareil au retour."), field="condition")
    at = at or timezone.now()
    fresh.returned_at, fresh.condition_back, fresh.return_note, fresh.returned_to = (
        at,
        condition,
        note.strip(),
        actor,
    )
    fresh.save()
    fresh.appliance.condition = condition
    fresh.appliance.save(update_fields=["condition"])
    return fresh
