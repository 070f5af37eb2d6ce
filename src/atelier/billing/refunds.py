"""Giving money back to the customer: after a credit note (or a final invoice lower than the deposits), what
the dossier owes the customer is refunded, journalled like any payment.

A refund is a Payment row of kind « remboursement » with a negative amount, pointing to the credit note it
settles: paid totals, receipts and closures are then net of it with no special case. Card and cash go back by
the way they came in (a card is refunded to the card, up to what it paid; the till gives back no more cash than
it took on the dossier); a cheque or a transfer from the shop can settle any remainder.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.billing import selectors
from atelier.billing.choices import DocumentKind, PaymentKind, PaymentMethod
from atelier.billing.models import Payment
from atelier.billing.payments import journal_payment
from atelier.billing.services import ZERO
from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock
from atelier.core.money import fr_amount, parse_amount
from atelier.core.permissions import require_site
from atelier.customers.choices import CustomerKind
from atelier.repairs.models import RepairCase

SAME_WAY_BACK = (PaymentMethod.CARTE, PaymentMethod.ESPECES)


def owed_to_customer(case: RepairCase) -> Decimal:
    """What the shop owes the customer on the dossier (zero when the customer owes, or nothing is due)."""
    return max(-selectors.balance_due(case), ZERO)


def taken_by(case: RepairCase, method: str) -> Decimal:
    """Net amount received on the dossier by one method (refunds by that method deducted)."""
    return Payment.objects.filter(case=case, method=method).aggregate(s=Sum("amount"))["s"] or ZERO


@transaction.atomic
def refund_make(
    *, case: RepairCase, actor, method: str, amount, reference: str = "", at: datetime.datetime | None = None
) -> Payment:
    """Refund the customer what a credit note gave back, by one method; nothing is written on a refusal."""
    require_step(actor, "billing.refund", site=case.site)
    require_site(actor, case.site)
    fresh = lock(case, related=("site", "customer"))  # serialises refunds and payments of one dossier
    if method not in PaymentMethod.values:
        raise AtelierError(_("Moyen de remboursement inconnu : %(m)s.") % {"m": method}, field="method")
    value = parse_amount(amount, field="amount")
    owed = owed_to_customer(fresh)
    if owed <= 0:
        raise AtelierError(
            _("Le dossier %(n)s ne doit rien au client : un remboursement suit un avoir.")
            % {"n": fresh.number}
        )
    if value > owed:
        raise AtelierError(
            _(
                "Le remboursement (%(a)s €) dépasse ce qui est dû au client (%(o)s €) : rien n'a été enregistré."
            )
            % {"a": fr_amount(value), "o": fr_amount(owed)},
            field="amount",
        )
    if method in SAME_WAY_BACK:
        received = taken_by(fresh, method)
        if value > received:
            raise AtelierError(
                _(
                    "%(m)s : le dossier n'a reçu que %(r)s € par ce moyen ; remboursez le reste par chèque ou par "
                    "virement."
                )
                % {"m": PaymentMethod(method).label, "r": fr_amount(max(received, ZERO))},
                field="amount",
            )
    settles = fresh.invoices.filter(kind=DocumentKind.AVOIR).order_by(
        "-issued_at", "-pk"
    ).first() or selectors.current_invoice(fresh)
    at = at or timezone.now()
    refund = Payment(
        site=fresh.site,
        case=fresh,
        invoice=settles,
        kind=PaymentKind.REMBOURSEMENT,
        method=method,
        amount=-value,
        reference=reference.strip()[:80],
        for_business=fresh.customer.kind == CustomerKind.PROFESSIONNEL,
        at=at,
        received_by=actor,
    )
    refund.save()
    journal_payment(refund)
    return refund
