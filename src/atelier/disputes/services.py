"""Writes of disputes: open (from a complaint, a claim, a contested invoice or a letter), instruct (cause, person in
charge), write to the customer (proposal, mediator referral), decide the outcome (a commercial gesture is a credit
note issued by billing's own service). One transaction each; every check before the first write."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import may, require_step
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock_rows
from atelier.core.models import User
from atelier.core.money import fr_amount, parse_amount
from atelier.core.services import sequence_next
from atelier.disputes import documents
from atelier.disputes.choices import (
    FINAL_OUTCOMES,
    MANAGER_OUTCOMES,
    MONEY_OUTCOMES,
    DisputeCause,
    DisputeChannel,
    DisputeOutcome,
    DisputeSource,
    DisputeState,
    EventKind,
    LetterKind,
)
from atelier.disputes.models import Dispute, DisputeEvent, DisputeLetter
from atelier.disputes.selectors import mediator_of, settings_of

NUMBER_KIND = "litige"

# where each outcome leaves the dispute
STATE_AFTER = {
    DisputeOutcome.MEDIATION: DisputeState.MEDIATION,
    DisputeOutcome.CONTENTIEUX: DisputeState.CONTENTIEUX,
    **dict.fromkeys(FINAL_OUTCOMES, DisputeState.CLOS),
}
# the outcomes each state may still take (a dispute in mediation or litigation ends with a settlement or a
# refusal; « clos » is the end)
OUTCOMES_FROM = {
    DisputeState.OUVERT: frozenset(DisputeOutcome.values),
    DisputeState.EN_INSTRUCTION: frozenset(DisputeOutcome.values),
    DisputeState.PROPOSITION: frozenset(DisputeOutcome.values),
    DisputeState.MEDIATION: FINAL_OUTCOMES | {DisputeOutcome.CONTENTIEUX},
    DisputeState.CONTENTIEUX: FINAL_OUTCOMES,
    DisputeState.CLOS: frozenset(),
}


def _number(site, year: int) -> str:
    return f"LIT-{site.code}-{year}-{sequence_next(site=site, kind=NUMBER_KIND, year=year):05d}"


def _event(dispute: Dispute, actor, kind: str, label: str, note: str = "", at=None) -> None:
    DisputeEvent.objects.create(
        dispute=dispute, actor=actor, kind=kind, label=label[:200], note=note, at=at or timezone.now()
    )


def _subject_of(*, customer, case, complaint, claim, invoice, source: str):
    """The customer and dossier a dispute is about, from its source; every object on one site."""
    if source == DisputeSource.MECONTENTEMENT:
        if complaint is None:
            raise AtelierError(_("Choisissez le mécontentement d'origine."), field="complaint")
        case = case or complaint.case
        customer = customer or complaint.customer or (complaint.case.customer if complaint.case else None)
        if customer is None:
            raise AtelierError(
                _(
                    "Ce mécontentement n'est rattaché à aucun client : notez d'abord le client (fiche client) "
                    "puis ouvrez le litige depuis sa fiche."
                )
            )
    elif source == DisputeSource.RECLAMATION:
        if claim is None:
            raise AtelierError(_("Choisissez la réclamation d'origine."), field="claim")
        customer = customer or claim.customer
        case = case or claim.new_case or claim.earlier_case
    elif source == DisputeSource.FACTURE:
        if invoice is None:
            raise AtelierError(_("Choisissez la facture contestée."), field="invoice")
        if invoice.is_credit_note:
            raise AtelierError(_("Un litige porte sur une facture, pas sur un avoir."), field="invoice")
        case = case or invoice.case
        if customer is None and invoice.case_id is not None:
            customer = invoice.case.customer
        elif customer is None:  # a second-life appliance sold outside any dossier: its buyer
            sale = getattr(invoice, "appliance_sale", None)
            customer = sale.customer if sale is not None else None
        if customer is None:
            raise AtelierError(_("Choisissez le client."), field="customer")
    elif source == DisputeSource.COURRIER:
        if customer is None and case is not None:
            customer = case.customer
        if customer is None:
            raise AtelierError(_("Choisissez le client qui a écrit."), field="customer")
    else:
        raise AtelierError(_("Origine inconnue : « %(s)s ».") % {"s": source}, field="source")
    return customer, case


def _same_site(customer, *objects) -> None:
    for obj, label in objects:
        if obj is not None and obj.site_id != customer.site_id:
            raise AtelierError(
                _("%(what)s est d'un autre site que le client : un litige reste sur le site du client.")
                % {"what": label}
            )


@transaction.atomic
def dispute_open(
    *,
    actor: User,
    source: str,
    channel: str,
    summary: str,
    received_on: datetime.date | None = None,
    customer=None,
    case=None,
    complaint=None,
    claim=None,
    invoice=None,
    at: datetime.datetime | None = None,
) -> Dispute:
    """Open a dispute on the customer's file. The reply deadline is the site's (`DisputeSettings.reply_days`)
    from the day the complaint was received; the dossier's last invoice is linked when none is named."""
    if channel not in DisputeChannel.values:
        raise AtelierError(_("Choisissez comment la réclamation est arrivée."), field="channel")
    customer, case = _subject_of(
        customer=customer, case=case, complaint=complaint, claim=claim, invoice=invoice, source=source
    )
    site = customer.site
    require_step(actor, "disputes.handle", site=site)
    _same_site(
        customer,
        (case, _("Le dossier")),
        (complaint, _("Le mécontentement")),
        (claim, _("La réclamation")),
        (invoice, _("La facture %(n)s") % {"n": invoice.number} if invoice else ""),
    )
    if case is not None and case.customer_id != customer.pk:
        raise AtelierError(_("Ce dossier n'est pas celui de ce client."), field="case")
    if not (summary or "").strip():
        raise AtelierError(_("Notez ce que conteste le client, avec ses mots."), field="summary")
    at = at or timezone.now()
    today = timezone.localdate(at)
    received_on = received_on or today
    if received_on > today:
        raise AtelierError(_("La date de réception est dans le futur."), field="received_on")
    if invoice is None and case is not None:
        from atelier.billing.selectors import current_invoice

        invoice = current_invoice(case)
    dispute = Dispute(
        site=site,
        customer=customer,
        case=case,
        source=source,
        complaint=complaint if source == DisputeSource.MECONTENTEMENT else None,
        claim=claim if source == DisputeSource.RECLAMATION else None,
        invoice=invoice,
        channel=channel,
        received_on=received_on,
        summary=summary.strip(),
        reply_due=received_on + datetime.timedelta(days=settings_of(site).reply_days),
        opened_at=at,
        opened_by=actor,
    )
    dispute.full_clean(exclude=["number"])
    dispute.number = _number(site, timezone.localtime(at).year)
    dispute.save()
    _event(
        dispute,
        actor,
        EventKind.OUVERTURE,
        _("Litige ouvert (%(source)s, %(channel)s)")
        % {"source": dispute.get_source_display(), "channel": dispute.get_channel_display().lower()},
        dispute.summary,
        at,
    )
    return dispute


def _locked(dispute: Dispute) -> Dispute:
    (fresh,) = lock_rows(Dispute.objects.filter(pk=dispute.pk))
    for name in ("state", "outcome", "mediation_proposed_at", "cause", "assigned_to_id"):
        setattr(dispute, name, getattr(fresh, name))
    return dispute


@transaction.atomic
def dispute_instruct(
    *, dispute: Dispute, actor: User, cause: str, assigned_to: User, cause_detail: str = ""
) -> Dispute:
    """Identify the cause and give the dispute to the person in charge (who may handle disputes on its site)."""
    require_step(actor, "disputes.handle", site=dispute.site)
    _locked(dispute)
    if dispute.state == DisputeState.CLOS:
        raise TransitionRefused(_("Ce litige est clos."))
    if cause not in DisputeCause.values:
        raise AtelierError(_("Choisissez la cause du litige."), field="cause")
    if assigned_to is None:
        raise AtelierError(_("Choisissez la personne qui suit le litige."), field="assigned_to")
    if not (
        may(assigned_to, "disputes.handle", dispute.site_id)
        or may(assigned_to, "disputes.decide", dispute.site_id)
    ):
        raise AtelierError(
            _("%(who)s ne peut pas suivre un litige sur ce site.") % {"who": assigned_to}, field="assigned_to"
        )
    dispute.cause = cause
    dispute.cause_detail = (cause_detail or "").strip()
    dispute.assigned_to = assigned_to
    if dispute.state == DisputeState.OUVERT:
        dispute.state = DisputeState.EN_INSTRUCTION
    dispute.save(update_fields=["cause", "cause_detail", "assigned_to", "state"])
    _event(
        dispute,
        actor,
        EventKind.INSTRUCTION,
        _("Cause : %(cause)s ; suivi par %(who)s")
        % {"cause": dispute.get_cause_display(), "who": assigned_to},
        dispute.cause_detail,
    )
    return dispute


def _send_letter(dispute: Dispute, actor: User, kind: str, text: str, at) -> DisputeLetter:
    """The letter as a PDF kept on the dispute, e-mailed with the PDF attached (messaging's outbox)."""
    from atelier.messaging.choices import Channel as MessageChannel
    from atelier.messaging.choices import Purpose
    from atelier.messaging.services import message_enqueue

    pdf = documents.letter_pdf(dispute, kind=kind, text=text, at=at)
    message = message_enqueue(
        site=dispute.site,
        customer=dispute.customer,
        channel=MessageChannel.EMAIL,
        purpose=Purpose.REPLY,
        subject=documents.subject(dispute, kind),
        body=documents.letter_email_body(dispute, kind=kind, text=text, at=at),
        case=dispute.case,
        actor=actor,
        attachments=[(f"{kind}-{dispute.number}.pdf", pdf, "application/pdf")],
    )
    letter = DisputeLetter.objects.create(
        dispute=dispute, kind=kind, text=text, pdf=pdf, sent_at=at, sent_by=actor, message=message
    )
    _event(
        dispute,
        actor,
        EventKind.LETTRE,
        _("Lettre envoyée : %(kind)s") % {"kind": letter.get_kind_display().lower()},
        text,
        at,
    )
    return letter


@transaction.atomic
def dispute_propose(*, dispute: Dispute, actor: User, text: str) -> DisputeLetter:
    """Write a proposal to the customer (a letter, e-mailed): the dispute waits for their answer."""
    require_step(actor, "disputes.handle", site=dispute.site)
    _locked(dispute)
    if dispute.state not in (DisputeState.EN_INSTRUCTION, DisputeState.PROPOSITION, DisputeState.MEDIATION):
        if dispute.state == DisputeState.OUVERT:
            raise TransitionRefused(_("Identifiez d'abord la cause du litige et la personne qui le suit."))
        raise TransitionRefused(_("Ce litige n'attend plus de proposition."))
    if not (text or "").strip():
        raise AtelierError(_("Écrivez la proposition faite au client."), field="text")
    at = timezone.now()
    if dispute.state != DisputeState.MEDIATION:
        dispute.state = DisputeState.PROPOSITION
        dispute.save(update_fields=["state"])
    return _send_letter(dispute, actor, LetterKind.PROPOSITION, text.strip(), at)


@transaction.atomic
def dispute_refer_mediation(*, dispute: Dispute, actor: User, text: str = "") -> DisputeLetter:
    """Propose the consumer mediator in writing (L616-2): a letter with his name and website. Refused while the
    site has no mediator set (the manager sets him in the administration, after-sales settings)."""
    require_step(actor, "disputes.handle", site=dispute.site)
    _locked(dispute)
    if dispute.state in (DisputeState.CLOS, DisputeState.CONTENTIEUX, DisputeState.MEDIATION):
        raise TransitionRefused(_("Le médiateur se propose pour un litige qui n'est pas encore réglé."))
    if mediator_of(dispute.site_id) is None:
        raise AtelierError(
            _(
                "Le médiateur de la consommation de ce site n'est pas renseigné (nom et site internet) : le "
                "responsable SAV le renseigne dans l'administration, « Réglages après-vente »."
            )
        )
    at = timezone.now()
    dispute.mediation_proposed_at = at
    dispute.save(update_fields=["mediation_proposed_at"])
    return _send_letter(dispute, actor, LetterKind.MEDIATION, (text or "").strip(), at)


@transaction.atomic
def dispute_decide(
    *,
    dispute: Dispute,
    actor: User,
    outcome: str,
    reason: str,
    amount: Decimal | str | None = None,
) -> Dispute:
    """Record the outcome with its reason. A commercial gesture issues a credit note on the dispute's invoice
    through billing's `credit_note_issue` (never above what remains of it); a settlement or a refusal is answered
    by a letter (a refusal names the mediator); mediation and litigation keep the dispute open in that state.
    Outcomes that cost money, a refusal and litigation are the SAV manager's (disputes.decide)."""
    if outcome not in DisputeOutcome.values:
        raise AtelierError(_("Choisissez l'issue du litige."), field="outcome")
    require_step(
        actor, "disputes.decide" if outcome in MANAGER_OUTCOMES else "disputes.handle", site=dispute.site
    )
    _locked(dispute)
    if outcome not in OUTCOMES_FROM[DisputeState(dispute.state)]:
        raise TransitionRefused(
            _("Un litige « %(state)s » ne peut pas prendre l'issue « %(outcome)s ».")
            % {"state": dispute.get_state_display(), "outcome": DisputeOutcome(outcome).label}
        )
    if not dispute.cause:
        raise AtelierError(_("Identifiez la cause du litige avant d'en décider l'issue."), field="outcome")
    if not (reason or "").strip():
        raise AtelierError(
            _("Indiquez le motif de cette issue : il figure dans la lettre au client."), field="reason"
        )
    invoice = None
    if outcome in MONEY_OUTCOMES:
        if amount is None or str(amount).strip() == "":
            raise AtelierError(_("Indiquez le montant TTC accordé ou remboursé."), field="amount")
        amount = parse_amount(amount, field="amount")  # « 15,50 » as typed; above zero, two decimals at most
    else:
        amount = None
    if outcome == DisputeOutcome.GESTE:
        from atelier.billing.selectors import invoice_remaining

        invoice = dispute.invoice
        if invoice is None:
            raise AtelierError(
                _("Un geste commercial se fait par un avoir sur une facture : ce litige n'a pas de facture."),
                field="outcome",
            )
        remaining = invoice_remaining(invoice)
        if amount is not None and amount > remaining:
            raise AtelierError(
                _("Le geste commercial (%(a)s €) dépasse ce qui reste de la facture %(n)s (%(r)s €).")
                % {"a": fr_amount(amount), "n": invoice.number, "r": fr_amount(remaining)},
                field="amount",
            )
    at = timezone.now()
    reason = reason.strip()
    if invoice is not None:
        from atelier.billing.services import credit_note_issue

        dispute.credit_note = credit_note_issue(
            invoice=invoice,
            actor=actor,
            amount_ttc=amount,
            reason=_("Geste commercial, litige %(n)s : %(r)s") % {"n": dispute.number, "r": reason},
            at=at,
        )
    dispute.outcome = outcome
    dispute.outcome_reason = reason
    dispute.amount = amount
    dispute.decided_at = at
    dispute.decided_by = actor
    dispute.state = STATE_AFTER[DisputeOutcome(outcome)]
    if dispute.state == DisputeState.CLOS:
        dispute.closed_at = at
    dispute.full_clean()
    dispute.save()
    label = _("Issue : %(o)s") % {"o": dispute.get_outcome_display()}
    if amount is not None:
        label += f" ({fr_amount(amount)} €)"
    if dispute.credit_note:
        label += " · " + _("avoir %(n)s") % {"n": dispute.credit_note.number}
    _event(dispute, actor, EventKind.DECISION, label, reason, at)
    if outcome in FINAL_OUTCOMES:
        _send_letter(dispute, actor, LetterKind.REPONSE, reason, at)
    return dispute
