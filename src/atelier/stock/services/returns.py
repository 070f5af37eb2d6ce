"""Supplier returns: a defective new part sent back to its supplier under the supplier's warranty, and what
the supplier answers (a credit received, or a refusal). One transaction each, checks before writing."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock
from atelier.core.models import Site, User
from atelier.core.money import parse_amount
from atelier.core.permissions import require_site
from atelier.stock.choices import SupplierReturnState
from atelier.stock.models import Part, Supplier, SupplierReturn
from atelier.stock.services.common import _quantity

S = SupplierReturnState


@transaction.atomic
def supplier_return_open(
    *,
    actor: User,
    site: Site,
    supplier: Supplier,
    part: Part,
    serials: str,
    fault: str,
    expected_credit,
    quantity="1",
    case=None,
) -> SupplierReturn:
    """Record a defective new part to send back to its supplier, with its serials and the credit expected."""
    require_step(actor, "stock.manage", site=site)
    require_site(actor, site)
    if not supplier.is_active:
        raise AtelierError(_("Ce fournisseur n'est plus actif."), field="supplier")
    if not (serials or "").strip():
        raise AtelierError(_("Indiquez le n° de série de la pièce défectueuse."), field="serials")
    if not (fault or "").strip():
        raise AtelierError(_("Décrivez le défaut constaté."), field="fault")
    if case is not None and case.site_id != site.pk:
        raise AtelierError(_("Le dossier n'est pas de ce site."), field="case")
    credit = parse_amount(expected_credit, field="expected_credit", zero_allowed=True)
    returned = SupplierReturn(
        site=site,
        supplier=supplier,
        part=part,
        quantity=_quantity(quantity),
        serials=serials.strip(),
        fault=fault.strip(),
        case=case,
        expected_credit=credit,
        created_by=actor,
    )
    returned.full_clean()
    returned.save()
    return returned


# action → (states it may leave, state it reaches)
TRANSITIONS = {
    "send": ((S.A_ENVOYER,), S.ENVOYEE),
    "credit": ((S.ENVOYEE,), S.AVOIR_RECU),
    "refuse": ((S.ENVOYEE,), S.REFUSEE),
}


@transaction.atomic
def supplier_return_transition(
    *, returned: SupplierReturn, actor: User, action: str, reference: str = "", amount="", reason: str = ""
) -> SupplierReturn:
    """Sent (with the supplier's return number), credit received (amount and credit note number) or refused
    (with the supplier's reason)."""
    if action not in TRANSITIONS:
        raise AtelierError(_("Action inconnue."))
    require_step(actor, "stock.manage", site=returned.site)
    require_site(actor, returned.site)
    fresh = lock(returned)
    sources, target = TRANSITIONS[action]
    if fresh.state not in sources:
        raise TransitionRefused(
            _("Le retour est « %(s)s » : « %(t)s » n'est pas possible.")
            % {"s": fresh.get_state_display(), "t": S(target).label}
        )
    now = timezone.now()
    reference = (reference or "").strip()
    if action == "send":
        fresh.supplier_reference = reference
        fresh.sent_at = now
    elif action == "credit":
        fresh.credit_received = parse_amount(amount, field="amount", zero_allowed=True)
        if not reference:
            raise AtelierError(_("Indiquez le n° de l'avoir du fournisseur."), field="reference")
        fresh.credit_reference = reference
        fresh.closed_at, fresh.closed_by = now, actor
    else:
        if not (reason or "").strip():
            raise AtelierError(_("Indiquez le motif du refus donné par le fournisseur."), field="reason")
        fresh.refusal_reason = reason.strip()
        fresh.closed_at, fresh.closed_by = now, actor
    fresh.state = target
    fresh.full_clean()
    fresh.save()
    return fresh
