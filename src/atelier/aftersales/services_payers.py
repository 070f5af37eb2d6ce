"""Writes of third-party payers: a dossier's split between payers, the payer claims opened with their B2B
invoices, the claim file and the claim's states (each change journalled with who and when). One transaction
each, every check before the first write."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.aftersales.choices import ClaimFileItem, PayerClaimState, ShareMode
from atelier.aftersales.models import CaseCover
from atelier.aftersales.models_payers import (
    CaseSplit,
    Payer,
    PayerClaim,
    PayerClaimEvent,
    PayerDeadline,
    PayerShare,
)
from atelier.aftersales.payers import compute, line_ttc, parse_percent
from atelier.core.access import require_step
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock
from atelier.core.money import fr_amount, parse_amount
from atelier.core.params import as_id
from atelier.core.permissions import require_site
from atelier.repairs.models import RepairCase

ZERO = Decimal("0.00")
S = PayerClaimState


def _draft_lines(case: RepairCase) -> list:
    from atelier.billing.selectors import invoice_draft

    return invoice_draft(case, check_parts=False).lines


def _payer(value) -> Payer:
    payer: Payer | None
    if isinstance(value, Payer):
        payer = value
    else:
        payer_pk = as_id(value)
        payer = Payer.objects.filter(pk=payer_pk).first() if payer_pk is not None else None
    if payer is None or not payer.active:
        raise AtelierError(_("Choisissez un payeur actif."), field="payer")
    return payer


@transaction.atomic
def case_split_set(
    *, case: RepairCase, actor, shares: list[dict], excess="0", excess_payer=None
) -> CaseSplit:
    """Replace the dossier's split: `shares` = [{position, payer, mode, value}] (value: amount TTC or
    percentage); `excess`, the customer's excess TTC, taken off `excess_payer`'s shares. Validated in full
    (lines, payers, amounts, excess) before anything is written; refused once the dossier is invoiced."""
    from atelier.billing.selectors import current_invoice

    require_step(actor, "aftersales.payers", site=case.site)
    require_site(actor, case.site)
    fresh = lock(case, related=("site",))
    if not CaseCover.objects.filter(case=fresh).exists():
        raise AtelierError(
            _(
                "Notez d'abord sous quelle garantie le dossier est pris en charge (bloc « Garanties et "
                "réclamations ») : la répartition entre payeurs en dépend."
            )
        )
    if current_invoice(fresh) is not None:
        raise TransitionRefused(
            _("Le dossier %(n)s est déjà facturé : la répartition entre payeurs ne peut plus changer.")
            % {"n": fresh.number}
        )
    lines = _draft_lines(fresh)
    built: list[PayerShare] = []
    seen: set[tuple[int, int]] = set()
    for row in shares:
        try:
            position = int(str(row.get("position")))
        except (TypeError, ValueError):
            raise AtelierError(_("Choisissez la ligne de la facture."), field="position") from None
        if not 1 <= position <= len(lines):
            raise AtelierError(
                _("La ligne %(n)s n'existe pas dans la facture du dossier.") % {"n": position},
                field="position",
            )
        payer = _payer(row.get("payer"))
        mode = row.get("mode")
        if mode not in ShareMode.values:
            raise AtelierError(_("Choisissez un montant ou un pourcentage."), field="mode")
        value = (
            parse_percent(row.get("value"))
            if mode == ShareMode.POURCENTAGE
            else parse_amount(row.get("value"), field="value")
        )
        if (position, payer.pk) in seen:
            raise AtelierError(
                _("Le payeur « %(p)s » a déjà une part sur la ligne %(n)s.")
                % {"p": payer.name, "n": position},
                field="payer",
            )
        seen.add((position, payer.pk))
        line = lines[position - 1]
        built.append(
            PayerShare(
                position=position,
                designation=line.designation[:200],
                line_ttc=line_ttc(line),
                payer=payer,
                mode=mode,
                value=value,
            )
        )
    excess_amount = parse_amount(excess or "0", field="excess", zero_allowed=True)
    excess_by = _payer(excess_payer) if excess_amount else None
    if excess_by is not None and not any(s.payer_id == excess_by.pk for s in built):
        raise AtelierError(
            _("La franchise s'applique à un payeur qui prend une part du dossier : « %(p)s » n'en a aucune.")
            % {"p": excess_by.name},
            field="excess_payer",
        )
    compute(lines, built, excess=excess_amount, excess_payer_id=excess_by.pk if excess_by else None)
    split, _created = CaseSplit.objects.update_or_create(
        case=fresh,
        defaults={
            "excess": excess_amount,
            "excess_payer": excess_by,
            "updated_by": actor,
            "updated_at": timezone.now(),
        },
    )
    split.shares.all().delete()
    for share in built:
        share.split = split
        share.full_clean()
        share.save()
    return split


def split_rows(case: RepairCase) -> list[dict]:
    """The current split as service input (what the add/remove screens start from)."""
    split = CaseSplit.objects.filter(case=case).first()
    if split is None:
        return []
    return [
        {"position": s.position, "payer": s.payer_id, "mode": s.mode, "value": str(s.value)}
        for s in split.shares.order_by("position", "pk")
    ]


def share_add(*, case: RepairCase, actor, position, payer, mode, value) -> CaseSplit:
    """Add (or replace) one payer's share of one line, keeping the others and the excess."""
    split = CaseSplit.objects.filter(case=case).first()
    rows = [
        r
        for r in split_rows(case)
        if not (str(r["position"]) == str(position) and str(r["payer"]) == str(getattr(payer, "pk", payer)))
    ]
    rows.append({"position": position, "payer": payer, "mode": mode, "value": value})
    return case_split_set(
        case=case,
        actor=actor,
        shares=rows,
        excess=split.excess if split else "0",
        excess_payer=split.excess_payer_id if split else None,
    )


def share_remove(*, case: RepairCase, actor, share) -> CaseSplit:
    split = CaseSplit.objects.filter(case=case).first()
    rows = [
        {"position": s.position, "payer": s.payer_id, "mode": s.mode, "value": str(s.value)}
        for s in (
            split.shares.exclude(pk=getattr(share, "pk", share)).order_by("position", "pk") if split else []
        )
    ]
    excess_payer = split.excess_payer_id if split else None
    keep_excess = split is not None and any(r["payer"] == excess_payer for r in rows)
    return case_split_set(
        case=case,
        actor=actor,
        shares=rows,
        excess=split.excess if keep_excess and split else "0",
        excess_payer=excess_payer if keep_excess else None,
    )


def excess_set(*, case: RepairCase, actor, excess, excess_payer=None) -> CaseSplit:
    return case_split_set(
        case=case, actor=actor, shares=split_rows(case), excess=excess, excess_payer=excess_payer
    )


# ---------------------------------------------------------------- payer claims


def filing_deadline(payer: Payer, invoiced_on: datetime.date) -> datetime.date | None:
    """The day the claim must be filed by: the invoice date plus the payer's deadline in force that day."""
    rule = PayerDeadline.in_force(payer, invoiced_on)
    return invoiced_on + datetime.timedelta(days=rule.days) if rule else None


def _journal(claim: PayerClaim, *, actor, from_state: str, note: str = "", at=None) -> None:
    PayerClaimEvent.objects.create(
        claim=claim,
        actor=actor,
        from_state=from_state,
        to_state=claim.state,
        note=note,
        at=at or timezone.now(),
    )


def payer_claims_open(*, case: RepairCase, payer_invoices: dict, actor) -> list[PayerClaim]:
    """One claim per payer invoice just issued (inside invoice_issue's transaction), its file prefilled from
    the dossier (fault in the customer's words, proof of purchase when the date is known)."""
    appliance = case.appliance
    proof = (
        _("Achat du %(d)s") % {"d": appliance.purchase_date.strftime("%d/%m/%Y")}
        if appliance.purchase_date
        else ""
    )
    claims = []
    for payer_id, invoice in payer_invoices.items():
        payer = Payer.objects.get(pk=payer_id)
        claim = PayerClaim.objects.create(
            site=case.site,
            case=case,
            payer=payer,
            invoice=invoice,
            amount=invoice.total_ttc,
            deadline=filing_deadline(payer, timezone.localdate(invoice.issued_at)),
            purchase_proof=proof,
            fault=(case.customer_words or "")[:2000],
            created_at=invoice.issued_at,
        )
        _journal(claim, actor=actor, from_state="", at=invoice.issued_at)
        claims.append(claim)
    return claims


def missing_items(claim: PayerClaim) -> list[str]:
    """The items the payer requires that the claim file still lacks (French labels)."""
    present: dict[str, bool] = {
        ClaimFileItem.SERIE: bool(claim.case.appliance.serial_number),
        ClaimFileItem.PREUVE_ACHAT: bool(claim.purchase_proof.strip()),
        ClaimFileItem.PANNE: bool(claim.fault.strip()),
        ClaimFileItem.SERIE_DEFECTUEUSE: bool(claim.faulty_serials.strip()),
        ClaimFileItem.SERIE_NEUVE: bool(claim.replacement_serials.strip()),
        ClaimFileItem.PIECES: True,  # the payer invoice's lines
        ClaimFileItem.MAIN_OEUVRE: True,
        ClaimFileItem.PHOTOS: claim.photos_attached,
        ClaimFileItem.NUMERO_PAYEUR: bool(claim.payer_reference.strip()),
    }
    return [str(ClaimFileItem(code).label) for code in claim.payer.required_items() if not present[code]]


FILE_FIELDS = (
    "payer_reference",
    "purchase_proof",
    "fault",
    "faulty_serials",
    "replacement_serials",
    "photos_attached",
)


@transaction.atomic
def payer_claim_update(*, claim: PayerClaim, actor, **fields) -> PayerClaim:
    """Complete the claim file (while it is « à compléter » or « à corriger »)."""
    require_step(actor, "aftersales.payers", site=claim.site)
    require_site(actor, claim.site)
    fresh = lock(claim)
    if fresh.state not in (S.A_COMPLETER, S.A_CORRIGER):
        raise TransitionRefused(
            _("La demande est « %(s)s » : son dossier ne se modifie plus.") % {"s": fresh.get_state_display()}
        )
    for name in FILE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(fresh, name, bool(value) if name == "photos_attached" else str(value or "").strip())
    fresh.full_clean()
    fresh.save()
    return fresh


# action → (step, states it may leave, state it reaches)
TRANSITIONS = {
    "send": ("aftersales.payers", (S.A_COMPLETER, S.A_CORRIGER), S.ENVOYEE),
    "correct": ("aftersales.payer_decision", (S.ENVOYEE,), S.A_CORRIGER),
    "accept": ("aftersales.payer_decision", (S.ENVOYEE,), S.ACCEPTEE),
    "accept_part": ("aftersales.payer_decision", (S.ENVOYEE,), S.PARTIELLE),
    "refuse": ("aftersales.payer_decision", (S.ENVOYEE,), S.REFUSEE),
    "pay": ("aftersales.payer_paid", (S.ACCEPTEE, S.PARTIELLE), S.PAYEE),
}


@transaction.atomic
def payer_claim_transition(
    *, claim: PayerClaim, actor, action: str, note: str = "", amount=None, paid_on=None, at=None
) -> PayerClaim:
    """Move a payer claim: send its file, record the payer's answer (to correct, accepted, partly accepted with
    the amount, refused with its reason) or its payment. Journalled with who and when."""
    if action not in TRANSITIONS:
        raise AtelierError(_("Action inconnue."))
    step, sources, target = TRANSITIONS[action]
    require_step(actor, step, site=claim.site)
    require_site(actor, claim.site)
    fresh = lock(claim, related=("payer", "case__appliance"))
    if fresh.state not in sources:
        raise TransitionRefused(
            _("La demande est « %(s)s » : « %(t)s » n'est pas possible.")
            % {"s": fresh.get_state_display(), "t": S(target).label}
        )
    note = (note or "").strip()
    at = at or timezone.now()
    if action == "send":
        missing = missing_items(fresh)
        if missing:
            raise AtelierError(_("Le dossier de demande est incomplet : %(m)s.") % {"m": ", ".join(missing)})
        fresh.sent_at = at
    elif action in ("correct", "refuse") and not note:
        raise AtelierError(
            _("Indiquez ce que le payeur demande de corriger.")
            if action == "correct"
            else _("Indiquez le motif du refus donné par le payeur."),
            field="note",
        )
    elif action == "accept":
        fresh.accepted_amount = fresh.amount
    elif action == "accept_part":
        accepted = parse_amount(amount, field="amount")
        if accepted >= fresh.amount:
            raise AtelierError(
                _("Une acceptation partielle est inférieure au montant demandé (%(a)s €).")
                % {"a": fr_amount(fresh.amount)},
                field="amount",
            )
        fresh.accepted_amount = accepted
    elif action == "pay":
        paid = parse_amount(amount, field="amount") if amount not in (None, "") else fresh.accepted_amount
        if paid is None or paid > (fresh.accepted_amount or ZERO):
            raise AtelierError(
                _("Le paiement (%(p)s €) dépasse le montant accepté (%(a)s €).")
                % {"p": fr_amount(paid or ZERO), "a": fr_amount(fresh.accepted_amount or ZERO)},
                field="amount",
            )
        fresh.paid_amount = paid
        fresh.paid_on = paid_on or timezone.localdate(at)
    previous = fresh.state
    fresh.state = target
    fresh.full_clean()
    fresh.save()
    _journal(fresh, actor=actor, from_state=previous, note=note, at=at)
    return fresh
