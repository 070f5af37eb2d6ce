"""Taking money: one payment of one or several methods (deposit or settlement), the legal cash limit (dated
data), payment anomalies, and an unpaid balance accepted at closing. Each payment is journalled in its own
transaction with the dossier locked, so two counters never take the same balance twice."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.billing import selectors
from atelier.billing.choices import (
    AnomalyKind,
    JournalKind,
    PaymentKind,
    PaymentMethod,
    RuleKind,
)
from atelier.billing.integrity import payment_reference
from atelier.billing.journal import journal_append
from atelier.billing.models import LegalFigure, Payment, PaymentAnomaly, UnpaidBalance
from atelier.billing.services import ZERO, deposit_invoice_issue
from atelier.core.access import require_step
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock
from atelier.core.money import fr_amount, parse_amount
from atelier.core.permissions import require_site
from atelier.customers.choices import CustomerKind
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase


def cash_limit(*, payer_resident: bool, for_business: bool, on: datetime.date) -> Decimal:
    kind = (
        RuleKind.CASH_LIMIT_RESIDENT if payer_resident or for_business else RuleKind.CASH_LIMIT_NON_RESIDENT
    )
    return LegalFigure.in_force(kind, on)


@transaction.atomic
def payment_take(
    *,
    case: RepairCase,
    actor,
    parts: list[tuple[str, object]],
    cash_tendered=None,
    payer_resident: bool = True,
    reference: str = "",
    deposit: bool = False,
    at: datetime.datetime | None = None,
    for_history: bool = False,
) -> list[Payment]:
    """Take one payment made of one or several methods (card + cash…); all or nothing.

    A deposit (acompte) comes before the invoice, within what remains to pay on the accepted quote, and issues
    its facture d'acompte in the same transaction (the payment rows point to it); otherwise the invoice must be
    issued. Nothing is taken above what is due, except cash handed over, whose surplus is change given back.
    Cash stays within the legal limit for the whole debt (dated data).
    """
    require_step(actor, "billing.payment", site=case.site)
    require_site(actor, case.site)
    fresh = lock(case, related=("site", "customer"))
    if fresh.status == CaseStatus.ANNULE or (fresh.status == CaseStatus.CLOTURE and not for_history):
        raise TransitionRefused(
            _("Le dossier %(n)s est fermé : aucun paiement possible.") % {"n": fresh.number}
        )
    amounts: list[tuple[str, Decimal]] = []
    for method, value in parts:
        if value in (None, ""):
            continue
        if method not in PaymentMethod.values:
            raise AtelierError(_("Moyen de paiement inconnu : %(m)s.") % {"m": method})
        amounts.append((method, parse_amount(value, field=method)))
    if not amounts:
        raise AtelierError(_("Indiquez au moins un montant."))
    total = sum((a for _m, a in amounts), ZERO)
    at = at or timezone.now()
    on = timezone.localdate(at)
    invoice = selectors.current_invoice(fresh)
    if deposit:
        if invoice is not None and selectors.invoice_remaining(invoice) > 0:
            raise AtelierError(
                _("Le dossier %(n)s est déjà facturé (%(inv)s) : encaissez un règlement, pas un acompte.")
                % {"n": fresh.number, "inv": invoice.number}
            )
        quote = selectors.accepted_quote(fresh)
        due = (quote.net_to_pay - selectors.paid_total(fresh)) if quote else None
        if due is not None and total > due:
            raise AtelierError(
                _(
                    "L'acompte (%(t)s €) dépasse ce qui reste à payer sur le devis %(q)s (%(d)s €) : rien n'a été "
                    "encaissé."
                )
                % {"t": fr_amount(total), "q": quote.number, "d": fr_amount(max(due, ZERO))},
                field="carte" if PaymentMethod.CARTE in dict(amounts) else None,
            )
    else:
        if invoice is None:
            raise AtelierError(
                _("La facture du dossier %(n)s n'est pas émise : émettez-la, ou enregistrez un acompte.")
                % {"n": fresh.number}
            )
        due = selectors.balance_due(fresh)
    if due is not None and total > due:
        non_cash = [m for m, _a in amounts if m != PaymentMethod.ESPECES]
        if due <= 0:
            raise AtelierError(_("Le dossier %(n)s ne doit plus rien.") % {"n": fresh.number})
        raise AtelierError(
            _("Le paiement (%(t)s €) dépasse le reste dû (%(d)s €)%(hint)s : rien n'a été encaissé.")
            % {
                "t": fr_amount(total),
                "d": fr_amount(due),
                "hint": _(" ; un paiement par carte ne peut excéder la somme due") if non_cash else "",
            },
            field="carte" if PaymentMethod.CARTE in dict(amounts) else None,
        )
    cash = sum((a for m, a in amounts if m == PaymentMethod.ESPECES), ZERO)
    for_business = fresh.customer.kind == CustomerKind.PROFESSIONNEL
    change = ZERO
    tendered = None
    if cash:
        limit = cash_limit(payer_resident=payer_resident, for_business=for_business, on=on)
        already = (
            Payment.objects.filter(case=fresh, method=PaymentMethod.ESPECES, amount__gt=0).aggregate(
                s=Sum("amount")
            )["s"]
            or ZERO
        )
        if already + cash > limit:
            raise AtelierError(
                _(
                    "Paiement en espèces refusé : %(c)s € dépasse le plafond légal de %(l)s € pour ce payeur "
                    "(art. L112-6 et D112-3 du Code monétaire et financier)%(already)s. Proposez la carte, le "
                    "chèque ou le virement."
                )
                % {
                    "c": fr_amount(already + cash),
                    "l": fr_amount(limit),
                    "already": _(", espèces déjà reçues comprises") if already else "",
                },
                field="especes",
            )
        tendered = (
            parse_amount(cash_tendered, field="cash_tendered") if cash_tendered not in (None, "") else cash
        )
        if tendered < cash:
            raise AtelierError(
                _("Les espèces remises (%(t)s €) sont inférieures au montant en espèces (%(c)s €).")
                % {"t": fr_amount(tendered), "c": fr_amount(cash)},
                field="cash_tendered",
            )
        change = tendered - cash
    if deposit:  # the law wants an invoice for a deposit received before the work (CGI art. 289 I-1-c)
        invoice = deposit_invoice_issue(
            case=fresh,
            actor=actor,
            amount=total,
            methods=[m for m, _a in amounts],
            at=at,
            for_history=for_history,
        )
    payments = []
    for method, amount in amounts:
        is_cash = method == PaymentMethod.ESPECES
        payment = Payment(
            site=fresh.site,
            case=fresh,
            invoice=invoice,
            kind=PaymentKind.ACOMPTE if deposit else PaymentKind.REGLEMENT,
            method=method,
            amount=amount,
            tendered=tendered if is_cash else None,
            change_given=change if is_cash else ZERO,
            reference=reference.strip()[:80],
            payer_resident=payer_resident,
            for_business=for_business,
            at=at,
            received_by=actor,
        )
        payment.save()
        journal_payment(payment)
        payments.append(payment)
    return payments


def journal_payment(payment: Payment) -> None:
    """The journal entry of money taken (…/P<n>) or given back (…/R<n>, negative), in the caller's transaction:
    it holds the payment's whole content."""
    journal_append(
        site=payment.site,
        kind=JournalKind.PAIEMENT,
        reference=payment_reference(payment),
        amount=payment.amount,
        at=payment.at,
        document=payment,
    )


@transaction.atomic
def anomaly_record(*, case: RepairCase, actor, kind: str, method: str = "", amount=None, note: str = ""):
    require_step(actor, "billing.anomaly", site=case.site)
    require_site(actor, case.site)
    if kind not in AnomalyKind.values:
        raise AtelierError(_("Type d'anomalie inconnu."), field="kind")
    value = parse_amount(amount, field="amount") if amount not in (None, "") else None
    if kind == AnomalyKind.AUTRE and not note.strip():
        raise AtelierError(_("Précisez l'anomalie."), field="note")
    return PaymentAnomaly.objects.create(
        case=case, kind=kind, method=method, amount=value, note=note.strip(), recorded_by=actor
    )


@transaction.atomic
def unpaid_record(*, case: RepairCase, actor, reason: str, assigned_to) -> UnpaidBalance:
    """Accept closing with an unpaid balance: the reason and who follows it up."""
    require_step(actor, "billing.unpaid", site=case.site)
    require_site(actor, case.site)
    fresh = lock(case, related=("site", "customer"))
    due = selectors.balance_due(fresh)
    if due <= 0:
        raise AtelierError(_("Le dossier %(n)s ne présente pas de reste dû.") % {"n": fresh.number})
    if not reason.strip():
        raise AtelierError(_("Indiquez le motif du reste dû."), field="reason")
    if assigned_to is None or not assigned_to.sites.filter(pk=fresh.site_id).exists():
        raise AtelierError(_("Choisissez une personne du site pour suivre le reste dû."), field="assigned_to")
    # append-only: recording it again writes a new row, the latest is the dossier's current one
    return UnpaidBalance.objects.create(
        case=fresh, amount=due, reason=reason.strip(), assigned_to=assigned_to, recorded_by=actor
    )
