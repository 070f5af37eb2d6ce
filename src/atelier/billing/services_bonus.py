"""The repair bonus claims (QualiRépar) of the shop: opened with the invoice that deducts the bonus, reduced
or flagged « à retirer » by a credit note that takes the bonus back, then followed by the accountant (filed
with the eco-organism, paid, withdrawn). Each runs inside its caller's transaction or its own."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.billing.models import BonusClaim, BonusClaimState, Invoice
from atelier.core.access import require_step
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock
from atelier.core.permissions import require_site

ZERO = Decimal("0.00")

# action → (the states it leaves, the state it reaches, the date it sets)
MOVES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "deposee": ((BonusClaimState.A_DEPOSER,), BonusClaimState.DEPOSEE, "filed_at"),
    "payee": ((BonusClaimState.DEPOSEE,), BonusClaimState.PAYEE, "paid_at"),
    "retiree": ((BonusClaimState.A_RETIRER,), BonusClaimState.RETIREE, "withdrawn_at"),
}


def bonus_claim_open(*, invoice: Invoice) -> BonusClaim:
    """The claim of an invoice that deducts a bonus; called by invoice_issue, in its transaction."""
    claim = BonusClaim(
        invoice=invoice,
        amount=invoice.bonus_amount,
        label=invoice.bonus_label,
        created_at=invoice.issued_at,
        updated_by=invoice.issued_by,
    )
    claim.full_clean()
    claim.save()
    return claim


def bonus_claim_reverse(
    *, invoice: Invoice, amount: Decimal, actor, at: datetime.datetime
) -> BonusClaim | None:
    """A credit note took `amount` of the invoice's bonus back (called by credit_note_issue, in its
    transaction, the dossier locked). A claim not filed yet is reduced (wholly reversed, it is closed as
    « retirée »: nothing is left to file); a claim filed or paid must be withdrawn: « à retirer »."""
    if amount <= 0:
        return None
    found = BonusClaim._default_manager.filter(invoice=invoice).first()
    claim = lock(found) if found is not None else bonus_claim_open(invoice=invoice)
    claim.reversed_amount += amount
    claim.reversed_at = at
    claim.updated_by = actor
    if claim.state == BonusClaimState.A_DEPOSER:
        if claim.to_claim == 0:
            claim.state, claim.withdrawn_at = BonusClaimState.RETIREE, at
    else:
        claim.state = BonusClaimState.A_RETIRER
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def bonus_claim_mark(
    *, claim: BonusClaim, actor, state: str, at: datetime.datetime | None = None
) -> BonusClaim:
    """The accountant records what happened to a claim at the eco-organism: « déposée », « payée »,
    « retirée »; only from the state before it (a claim is filed before it is paid)."""
    require_step(actor, "billing.bonus")
    fresh = lock(claim, related=("invoice", "invoice__site"))
    require_site(actor, fresh.invoice.site)
    move = MOVES.get(state)
    if move is None:
        raise AtelierError(
            _("Action inconnue sur la demande de bonus : %(s)s.") % {"s": state}, field="state"
        )
    sources, target, date_field = move
    if fresh.state not in sources:
        raise TransitionRefused(
            _("La demande de bonus de la facture %(n)s est « %(s)s » : elle ne peut pas passer à « %(t)s ».")
            % {
                "n": fresh.invoice.number,
                "s": fresh.get_state_display(),
                "t": BonusClaimState(target).label,
            }
        )
    fresh.state = target
    setattr(fresh, date_field, at or timezone.now())
    fresh.updated_by = actor
    fresh.save()
    return fresh
