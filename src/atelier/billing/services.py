"""Writes of billing documents: issue an invoice, a deposit invoice or a credit note, numbered in one
chronological sequence per site. Each writes its journal entry in the same transaction, so no document exists
unjournalled. Money taken is in payments.py, money given back in refunds.py, period closures in closures.py."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.billing import deposits, selectors, services_bonus, third_party
from atelier.billing.choices import (
    DocumentKind,
    JournalKind,
    LineKind,
    PaymentMethod,
    RuleKind,
)
from atelier.billing.journal import journal_append
from atelier.billing.models import (
    Invoice,
    InvoiceLine,
    LegalFigure,
)
from atelier.billing.originals import schedule_original
from atelier.core.access import require_step
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock
from atelier.core.money import fr_amount, parse_amount
from atelier.core.permissions import require_site
from atelier.core.services import sequence_next
from atelier.customers.choices import CustomerKind
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

INVOICEABLE = (
    CaseStatus.REPARE,
    CaseStatus.PRET,
    CaseStatus.RENDU,
    CaseStatus.REFUSE,
    CaseStatus.NON_REPARABLE,
)
ZERO = Decimal("0.00")


def _seller(site) -> dict:
    return {
        "name": site.name,
        "legal_name": site.legal_name,
        "legal_form": site.legal_form,
        "share_capital": str(site.share_capital) if site.share_capital is not None else "",
        "siren": site.siren,
        "siret": site.siret,
        "vat_number": site.vat_number,
        "rcs": site.rcs,
        "address": site.address,
        "postcode": site.postcode,
        "city": site.city,
        "phone": site.phone,
        "email": site.email,
    }


def _buyer(customer) -> dict:
    business = customer.kind == CustomerKind.PROFESSIONNEL
    return {
        "name": customer.display_name,
        "address": customer.address,
        "address2": customer.address2,
        "postcode": customer.postcode,
        "city": customer.city,
        "siren": customer.siren if business else "",
        # only the number the customer gave: never derived from the SIREN, a business may be exempt or not
        # registered for VAT (a derived number printed on its invoice would be false)
        "vat_number": customer.vat_number if business else "",
    }


def _operations(*, goods: bool, services: bool) -> str:
    """What the invoice is made of, a mention French invoices carry with the e-invoicing reform (CGI, annexe II,
    art. 242 nonies A, as amended by décret 2022-1299)."""
    if goods and services:
        return _("Nature des opérations : livraisons de biens et prestations de services.")
    if goods:
        return _("Nature des opérations : livraisons de biens.")
    return _("Nature des opérations : prestations de services.")


def _vat_regime(site) -> dict:
    if site.vat_on_debits:
        return {"vat_regime": _("Option pour le paiement de la taxe d'après les débits.")}
    return {}


def _work_done(case: RepairCase, quote, on: datetime.date) -> str:
    """The date and place of the work (the note of a service states them: arrêté n° 83-50/A du 3 octobre 1983;
    arrêté du 2 mars 1990 for repairs of household equipment): the day the
    dossier's work ended (repaired, or found not repairable / quote refused after the diagnosis) and the place
    written on the accepted quote (or the dossier's: the customer's home, or the workshop)."""
    from atelier.quotes.services import place_of_work

    ended = (
        case.events.filter(to_status__in=(CaseStatus.REPARE, CaseStatus.NON_REPARABLE, CaseStatus.REFUSE))
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    day = timezone.localdate(ended) if ended else on
    place = quote.place_of_work if quote is not None and quote.place_of_work else place_of_work(case)
    return _("Travaux réalisés le %(date)s. Lieu d'exécution : %(place)s.") % {
        "date": day.strftime("%d/%m/%Y"),
        "place": place,
    }


def _mentions(
    *,
    business: bool,
    has_goods: bool,
    has_services: bool,
    on: datetime.date,
    due_on: datetime.date,
    site=None,
) -> dict:
    from atelier.quotes.guarantee import repair_guarantee_terms

    mentions = {
        "operations": _operations(goods=has_goods, services=has_services or not has_goods),
        "payment": _("Paiement à réception de la facture. Pas d'escompte pour paiement anticipé."),
    }
    guarantee = repair_guarantee_terms(site, on) if site is not None else None
    if guarantee is not None:  # the site's own commercial guarantee, with the L217-21/22 elements
        mentions["warranty"] = guarantee.text
    if business:
        fee = LegalFigure.in_force(RuleKind.RECOVERY_FEE, on)
        mentions["payment"] = _(
            "Date d'échéance : %(due)s. Pas d'escompte pour paiement anticipé. En cas de retard de paiement, "
            "pénalités au taux égal à trois fois le taux d'intérêt légal, exigibles dès le lendemain de "
            "l'échéance, et indemnité forfaitaire pour frais de recouvrement de %(fee)s € (art. L441-10 et "
            "D441-5 du Code de commerce)."
        ) % {"due": due_on.strftime("%d/%m/%Y"), "fee": f"{fee:.0f}"}
    if has_goods:
        mentions["guarantee"] = _(
            "Les pièces et produits vendus bénéficient de la garantie légale de conformité (art. L217-3 à "
            "L217-20 du Code de la consommation) et de la garantie des vices cachés (art. 1641 à 1649 du Code "
            "civil)."
        )
    return mentions


def _next_number(site, kind: str, at) -> str:
    """Invoices and deposit invoices share one sequence (F-…), credit notes have theirs (AV-…)."""
    year = timezone.localtime(at).year
    series = DocumentKind.AVOIR if kind == DocumentKind.AVOIR else DocumentKind.FACTURE
    value = sequence_next(site=site, kind=series, year=year)
    prefix = "AV" if series == DocumentKind.AVOIR else "F"
    return f"{prefix}-{site.code}-{year}-{value:06d}"


@transaction.atomic
def invoice_issue(
    *, case: RepairCase, actor, at: datetime.datetime | None = None, for_history: bool = False
) -> Invoice:
    """Issue the dossier's invoice from the accepted quote and accepted complementary sales.

    Refused when the parts used differ from the signed quote: the difference must first be accepted by the
    customer through a new version of the quote. `for_history` records the invoice of a dossier closed before
    the site billed in Atelier (demo, import of past records): no state nor parts check, still numbered in
    order and journalled; no screen offers it.
    """
    require_step(actor, "billing.invoice", site=case.site)
    require_site(actor, case.site)
    fresh = lock(case, related=("site", "customer"))
    if fresh.status not in INVOICEABLE and not (for_history and fresh.status == CaseStatus.CLOTURE):
        raise TransitionRefused(
            _("Le dossier %(n)s est à l'état « %(s)s » : la facture s'émet une fois la réparation terminée.")
            % {"n": fresh.number, "s": fresh.get_status_display()}
        )
    current = selectors.current_invoice(fresh)
    if current is not None and selectors.invoice_remaining(current) > 0:
        raise AtelierError(
            _("Le dossier %(n)s est déjà facturé (%(inv)s) : pour corriger, établissez un avoir.")
            % {"n": fresh.number, "inv": current.number}
        )
    draft = selectors.invoice_draft(fresh, check_parts=not for_history)
    if draft.refusals:
        raise AtelierError(_("Facture impossible : %(why)s.") % {"why": " ; ".join(draft.refusals)})
    t = draft.totals
    taken = draft.deductions
    deducted = sum((d.ttc for d in taken), ZERO)
    payers = _third_party_parts(fresh, draft)
    covered = third_party.by_payer(payers)
    paid_by_others = sum((p.ttc for p in payers), ZERO)
    customer_net = t.total_ttc - paid_by_others - min(draft.bonus_amount, t.total_ttc)
    if deducted > customer_net:
        raise AtelierError(
            _(
                "Facture impossible : les acomptes déjà facturés (%(d)s €) dépassent le net à payer de la facture "
                "(%(n)s €). Remboursez l'excédent par un avoir sur la facture d'acompte, puis émettez la facture."
            )
            % {"d": fr_amount(deducted), "n": fr_amount(customer_net)}
        )
    at = at or timezone.now()
    on = timezone.localdate(at)
    business = fresh.customer.kind == CustomerKind.PROFESSIONNEL
    due_on = on + datetime.timedelta(
        days=int(LegalFigure.in_force(RuleKind.PAYMENT_TERM_DAYS, on)) if business else 0
    )
    net_ttc = t.total_ttc - deducted - paid_by_others
    invoice = Invoice(
        site=fresh.site,
        case=fresh,
        kind=DocumentKind.FACTURE,
        number=_next_number(fresh.site, DocumentKind.FACTURE, at),
        issued_at=at,
        quote=draft.quote,
        seller=_seller(fresh.site),
        buyer=_buyer(fresh.customer),
        is_business=business,
        total_ht=t.total_ht - sum((d.ht for d in taken), ZERO) - sum((p.ht for p in payers), ZERO),
        total_vat=t.total_vat - sum((d.vat for d in taken), ZERO) - sum((p.vat for p in payers), ZERO),
        total_ttc=net_ttc,
        bonus_amount=min(draft.bonus_amount, net_ttc),
        bonus_label=draft.bonus_label,
        deposits_ttc=deducted,
        third_party_ttc=paid_by_others,
        due_on=due_on,
        mentions=_mentions(
            business=business,
            has_goods=any(x.is_goods for x in draft.lines),
            has_services=any(not x.is_goods for x in draft.lines),
            on=on,
            due_on=due_on,
            site=fresh.site,
        )
        | {"work": _work_done(fresh, draft.quote, on)}
        | _vat_regime(case.site),
        issued_by=actor,
    )
    invoice.save()
    for position, line in enumerate(draft.lines, start=1):
        InvoiceLine(
            invoice=invoice,
            position=position,
            kind=line.kind,
            designation=line.designation,
            quantity=line.quantity,
            unit_price_ht=line.unit_price_ht,
            vat_rate=line.vat_rate,
            total_ht=line.amounts.total_ht,
            vat=line.amounts.vat,
            is_goods=line.is_goods,
        ).save()
        if line.offer is not None:
            line.offer.invoice = invoice
            line.offer.save(update_fields=["invoice"])
    position = len(draft.lines)
    for parts in covered.values():  # « Pris en charge par des tiers »: each payer's share, per VAT rate
        rates = third_party.by_rate(parts)
        for rate, ht, vat in rates:
            position += 1
            label = _("Pris en charge par %(payer)s") % {"payer": parts[0].label}
            InvoiceLine(
                invoice=invoice,
                position=position,
                kind=LineKind.TIERS,
                designation=(label if len(rates) == 1 else f"{label} (TVA {_fr_rate(rate)} %)")[:200],
                quantity=Decimal("-1"),
                unit_price_ht=ht,
                vat_rate=rate,
                total_ht=-ht,
                vat=-vat,
            ).save()
    for deduction in taken:  # « Acomptes déjà facturés »: each deposit taken back at its own rates
        for part in deduction.parts:
            position += 1
            InvoiceLine(
                invoice=invoice,
                position=position,
                kind=LineKind.DEDUCTION,
                designation=_("Acompte déjà facturé : facture d'acompte n° %(n)s du %(d)s")
                % {
                    "n": deduction.deposit.number,
                    "d": timezone.localdate(deduction.deposit.issued_at).strftime("%d/%m/%Y"),
                },
                quantity=Decimal("-1"),
                unit_price_ht=part.ht,
                vat_rate=part.rate,
                total_ht=-part.ht,
                vat=-part.vat,
                deposit=deduction.deposit,
            ).save()
    if invoice.bonus_amount:  # the shop claims the bonus it deducted from the eco-organism
        services_bonus.bonus_claim_open(invoice=invoice)
    _journal_document(invoice)
    if not for_history:  # a past record's original is produced at its first download (`atelier demo` fast)
        schedule_original(invoice)
    issued = {
        key: _payer_invoice_issue(invoice, parts, at=at, on=on, actor=actor, for_history=for_history)
        for key, parts in covered.items()
        if parts[0].invoiced
    }
    if payers:
        third_party.tell_issued(case=fresh, invoice=invoice, payer_invoices=issued, actor=actor)
    return invoice


def _third_party_parts(case, draft) -> list[third_party.PayerPart]:
    """The payers' shares of the draft's lines, refused before anything is written when a payer cannot be
    invoiced (no SIREN) or when a repair bonus is deducted (QualiRépar excludes a repair paid by a warranty)."""
    parts = third_party.parts_for(case, draft.lines)
    if not parts:
        return parts
    if draft.bonus_amount:
        raise AtelierError(
            _(
                "Facture impossible : le bonus réparation ne s'applique pas à une réparation prise en charge par "
                "un tiers (garantie, assurance). Retirez le bonus du devis ou la répartition entre payeurs."
            )
        )
    for part in parts:
        if part.invoiced and not (part.buyer.get("siren") or "").strip():
            raise AtelierError(
                _(
                    "Facture impossible : le payeur « %(p)s » n'a pas de SIREN, sa facture (entre professionnels) "
                    "ne peut pas être émise. Renseignez son SIREN dans la fiche du payeur, puis émettez la facture."
                )
                % {"p": part.label}
            )
    return parts


def _payer_invoice_issue(
    invoice: Invoice, parts: list, *, at, on: datetime.date, actor, for_history: bool
) -> Invoice:
    """A third-party payer's B2B invoice for its shares of the dossier's lines: the same sequence, journal and
    Factur-X as every invoice (it is one); it names the customer's invoice it comes from."""
    case = invoice.case
    assert case is not None  # payers share a dossier's lines; an invoice of goods sold has none
    due_on = on + datetime.timedelta(days=int(LegalFigure.in_force(RuleKind.PAYMENT_TERM_DAYS, on)))
    mentions = _mentions(
        business=True,
        has_goods=any(p.is_goods for p in parts),
        has_services=any(not p.is_goods for p in parts),
        on=on,
        due_on=due_on,
    ) | _vat_regime(case.site)
    mentions["third_party"] = _(
        "Prise en charge du dossier %(case)s (appareil %(appliance)s), facture du client n° %(inv)s du %(d)s."
    ) % {
        "case": case.number,
        "appliance": case.appliance,
        "inv": invoice.number,
        "d": on.strftime("%d/%m/%Y"),
    }
    document = Invoice(
        site=invoice.site,
        case=case,
        kind=DocumentKind.FACTURE,
        number=_next_number(invoice.site, DocumentKind.FACTURE, at),
        issued_at=at,
        quote=invoice.quote,
        seller=invoice.seller,
        buyer=parts[0].buyer,
        is_business=True,
        total_ht=sum((p.ht for p in parts), ZERO),
        total_vat=sum((p.vat for p in parts), ZERO),
        total_ttc=sum((p.ttc for p in parts), ZERO),
        due_on=due_on,
        mentions=mentions,
        main_invoice=invoice,
        issued_by=actor,
    )
    document.save()
    for position, part in enumerate(parts, start=1):
        InvoiceLine(
            invoice=document,
            position=position,
            kind=part.kind,
            designation=part.designation,
            quantity=Decimal("1"),
            unit_price_ht=part.ht,
            vat_rate=part.vat_rate,
            total_ht=part.ht,
            vat=part.vat,
            is_goods=part.is_goods,
        ).save()
    _journal_document(document)
    if not for_history:
        schedule_original(document)
    return document


def deposit_invoice_issue(
    *, case: RepairCase, actor, amount: Decimal, methods: list[str], at, for_history: bool = False
) -> Invoice:
    """The facture d'acompte of a deposit just received (inside payment_take's transaction): numbered in the
    invoices' sequence, one line per VAT rate of the accepted quote (pro rata), journalled, already paid.
    `for_history` (a past deposit recorded by the demo or an import): original produced at its first download."""
    on = timezone.localdate(at)
    quote = selectors.accepted_quote(case)
    parts = deposits.deposit_parts(amount=amount, quote=quote, on=on)
    business = case.customer.kind == CustomerKind.PROFESSIONNEL
    designation = (
        _("Acompte sur le devis %(q)s – dossier %(n)s") % {"q": quote.number, "n": case.number}
        if quote is not None
        else _("Acompte – dossier %(n)s") % {"n": case.number}
    )
    mentions = {
        "deposit": _(
            "Acompte reçu le %(d)s (%(m)s) : facture acquittée. Il sera déduit de la facture définitive du "
            "dossier %(n)s."
        )
        % {
            "d": on.strftime("%d/%m/%Y"),
            "m": ", ".join(str(PaymentMethod(m).label).lower() for m in methods),
            "n": case.number,
        },
        "vat": _(
            "Acompte sur une prestation de services : TVA exigible à l'encaissement (art. 269-2-c du CGI)."
        ),
    }
    goods, services = selectors.quote_operations(quote)
    mentions["operations"] = _operations(goods=goods, services=services)
    if case.site.vat_on_debits:  # VAT then follows the invoicing, not the payment
        del mentions["vat"]
        mentions.update(_vat_regime(case.site))
    if business:
        terms = _mentions(business=True, has_goods=False, has_services=True, on=on, due_on=on)
        mentions["payment"] = terms["payment"]
    invoice = Invoice(
        site=case.site,
        case=case,
        kind=DocumentKind.ACOMPTE,
        number=_next_number(case.site, DocumentKind.ACOMPTE, at),
        issued_at=at,
        quote=quote,
        seller=_seller(case.site),
        buyer=_buyer(case.customer),
        is_business=business,
        total_ht=sum((p.ht for p in parts), ZERO),
        total_vat=sum((p.vat for p in parts), ZERO),
        total_ttc=amount,
        due_on=on,
        mentions=mentions,
        issued_by=actor,
    )
    invoice.save()
    _rate_lines(
        invoice,
        LineKind.ACOMPTE,
        parts,
        lambda part: designation if len(parts) == 1 else f"{designation} (TVA {_fr_rate(part.rate)} %)",
    )
    _journal_document(invoice)
    if not for_history:
        schedule_original(invoice)
    return invoice


def _rate_lines(document: Invoice, kind: str, parts, designation_of) -> None:
    """One line per VAT rate of an amount split by rate (deposit invoice, credit note): quantity 1."""
    for position, part in enumerate(parts, start=1):
        InvoiceLine(
            invoice=document,
            position=position,
            kind=kind,
            designation=designation_of(part),
            quantity=Decimal("1"),
            unit_price_ht=part.ht,
            vat_rate=part.rate,
            total_ht=part.ht,
            vat=part.vat,
        ).save()


def _fr_rate(rate: Decimal) -> str:
    return f"{rate.normalize():f}".replace(".", ",")


def _journal_document(invoice: Invoice) -> None:
    """Its journal entry, holding the document's whole content (lines included): written after the lines."""
    journal_append(
        site=invoice.site,
        kind=JournalKind.AVOIR if invoice.is_credit_note else JournalKind.FACTURE,
        reference=invoice.number,
        amount=invoice.total_ttc,
        at=invoice.issued_at,
        document=invoice,
    )


@transaction.atomic
def credit_note_issue(*, invoice: Invoice, actor, amount_ttc, reason: str, at=None) -> Invoice:
    """A credit note (avoir) on an invoice, never more than what remains of it; one line per VAT rate of the
    invoice, pro rata of what stands at each rate (deposit invoice: at its own rates). On an invoice that
    deducted a repair bonus, the part of the bonus the new price no longer supports is reversed (the note's
    `bonus_amount`, not refunded to the customer) and the bonus claim flagged for withdrawal."""
    require_step(actor, "billing.credit_note", site=invoice.site)
    require_site(actor, invoice.site)
    amount = parse_amount(amount_ttc, field="amount_ttc")
    if not reason.strip():
        raise AtelierError(_("Indiquez le motif de l'avoir."), field="reason")
    if invoice.is_credit_note:
        raise AtelierError(_("Un avoir se rattache à une facture, pas à un autre avoir."))
    lock(invoice.case or invoice)  # serialises credit notes of one dossier (or of a sale without one)
    remaining = selectors.invoice_remaining(invoice)
    if amount > remaining:
        raise AtelierError(
            _("L'avoir (%(a)s €) dépasse ce qui reste de la facture %(n)s (%(r)s €).")
            % {"a": fr_amount(amount), "n": invoice.number, "r": fr_amount(remaining)},
            field="amount_ttc",
        )
    if invoice.is_deposit:
        final = deposits.deducted_on(invoice)
        if final is not None:
            raise AtelierError(
                _(
                    "La facture d'acompte %(n)s est déjà déduite de la facture %(f)s : la correction se fait par "
                    "un avoir sur la facture %(f)s."
                )
                % {"n": invoice.number, "f": final.number}
            )
    parts = deposits.credit_parts(invoice, amount)  # per rate, pro rata of what stands, to the cent
    bonus = selectors.bonus_reversed_by(invoice, amount)
    at = at or timezone.now()
    issued_on = timezone.localdate(invoice.issued_at).strftime("%d/%m/%Y")
    mentions = {
        "credit": (
            _("Avoir sur la facture d'acompte n° %(n)s du %(d)s.")
            if invoice.is_deposit
            else _("Avoir sur la facture n° %(n)s du %(d)s.")
        )
        % {"n": invoice.number, "d": issued_on},
        # a credit note takes back operations of the nature of its invoice, under the same VAT regime
        **{k: invoice.mentions[k] for k in ("operations", "vat_regime") if k in invoice.mentions},
    }
    if bonus:
        mentions["bonus"] = _(
            "Le bonus réparation déduit sur la facture n° %(n)s est repris à hauteur de %(b)s € : cette part "
            "n'est pas remboursée au client, la demande auprès de l'éco-organisme est retirée d'autant."
        ) % {"n": invoice.number, "b": fr_amount(bonus)}
    note = Invoice(
        site=invoice.site,
        case=invoice.case,
        kind=DocumentKind.AVOIR,
        number=_next_number(invoice.site, DocumentKind.AVOIR, at),
        issued_at=at,
        credited=invoice,
        main_invoice=invoice.main_invoice,  # a payer's credit note stays the payer's, not the customer's
        reason=reason.strip(),
        seller=invoice.seller,
        buyer=invoice.buyer,
        is_business=invoice.is_business,
        total_ht=sum((p.ht for p in parts), ZERO),
        total_vat=sum((p.vat for p in parts), ZERO),
        total_ttc=amount,
        bonus_amount=bonus,
        bonus_label=(_("Bonus réparation repris (%(label)s)") % {"label": invoice.bonus_label})[:200]
        if bonus
        else "",
        due_on=timezone.localdate(at),
        mentions=mentions,
        issued_by=actor,
    )
    note.save()
    text = reason.strip()[:200]
    _rate_lines(
        note,
        LineKind.AVOIR,
        parts,
        lambda part: text if len(parts) == 1 else f"{text[:185]} (TVA {_fr_rate(part.rate)} %)",
    )
    services_bonus.bonus_claim_reverse(invoice=invoice, amount=bonus, actor=actor, at=at)
    _journal_document(note)
    schedule_original(note)
    return note
