"""Writes of after-sales: claims (open, analyse, answer with a letter and an e-mail, close), the cover under which
a dossier was taken, and the contracts attached to an appliance. One transaction each, checks before writing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.aftersales import documents
from atelier.aftersales.choices import (
    MANAGER_OUTCOMES,
    CaseCoverBasis,
    ClaimChannel,
    ClaimOutcome,
    ClaimState,
    CoverKind,
    QuestionKind,
)
from atelier.aftersales.coverage import HANDED_BACK, coverage_for
from atelier.aftersales.models import (
    ApplianceContract,
    CaseCover,
    Claim,
    ClaimType,
    MaintenanceContract,
    RefusalReason,
)
from atelier.core.access import require_step
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock_rows
from atelier.core.models import User
from atelier.core.services import sequence_next
from atelier.customers.models import Appliance
from atelier.repairs.choices import Channel
from atelier.repairs.models import RepairCase

NUMBER_KIND = "reclamation"
SAME_FAULT = "meme_panne"  # the guided question whose « oui » makes a return under the repair guarantee
YES, NO = "oui", "non"


def _number(site, year: int) -> str:
    return f"REC-{site.code}-{year}-{sequence_next(site=site, kind=NUMBER_KIND, year=year):05d}"


def _clean_answers(claim_type: ClaimType, answers: dict, today: datetime.date) -> list[dict]:
    """The guided answers in the questions' order, each checked against its kind; required ones present."""
    cleaned = []
    for question in claim_type.questions.all():
        value = str(answers.get(question.code) or "").strip()
        if not value:
            if question.required:
                raise AtelierError(
                    _("Répondez à la question « %(q)s ».") % {"q": question.text}, field=f"q_{question.code}"
                )
            continue
        if question.kind == QuestionKind.OUI_NON and value not in (YES, NO):
            raise AtelierError(
                _("Répondez par oui ou par non à « %(q)s ».") % {"q": question.text},
                field=f"q_{question.code}",
            )
        if question.kind == QuestionKind.DATE:
            try:
                day = datetime.date.fromisoformat(value)
            except ValueError:
                raise AtelierError(
                    _("« %(v)s » n'est pas une date (AAAA-MM-JJ) pour « %(q)s ».")
                    % {"v": value, "q": question.text},
                    field=f"q_{question.code}",
                ) from None
            if day > today:
                raise AtelierError(
                    _("La date donnée pour « %(q)s » est dans le futur.") % {"q": question.text},
                    field=f"q_{question.code}",
                )
        cleaned.append({"code": question.code, "question": question.text, "answer": value})
    return cleaned


def _latest_handed_back(appliance: Appliance) -> RepairCase | None:
    return (
        RepairCase.objects.filter(appliance=appliance, status__in=HANDED_BACK)
        .order_by("-closed_at", "-received_at", "-pk")
        .first()
    )


def _snapshot(claim: Claim, on: datetime.date) -> None:
    """The covers found on `on`, frozen on the claim, and the « retour SAV » flag."""
    report = coverage_for(claim.appliance, on)
    claim.covers = [{**c.as_api(), "case_id": c.case_id} for c in report.coverages]
    notes = list(report.notes)
    for cover in report.coverages:  # the earlier repair's guarantee is over: say so, with its last day
        if cover.kind == CoverKind.GARANTIE_REPARATION and not cover.active and cover.end < on:
            if cover.case_id == claim.earlier_case_id:
                notes.append(
                    _("%(label)s : terminée le %(end)s, ce retour n'est pas couvert par elle.")
                    % {"label": cover.label, "end": cover.end.strftime("%d/%m/%Y")}
                )
    claim.cover_notes = "\n".join(notes)
    same_fault = any(a["code"] == SAME_FAULT and a["answer"] == YES for a in claim.answers)
    claim.repair_return = bool(
        same_fault
        and claim.earlier_case_id
        and any(
            c.active and c.kind == CoverKind.GARANTIE_REPARATION and c.case_id == claim.earlier_case_id
            for c in report.coverages
        )
    )


@transaction.atomic
def claim_open(
    *,
    actor: User | None,
    appliance: Appliance,
    claim_type: ClaimType,
    channel: str,
    description: str,
    answers: dict | None = None,
    earlier_case: RepairCase | None = None,
    at: datetime.datetime | None = None,
) -> Claim:
    """Open a claim about an appliance: the guided answers are checked, the covers of the day are frozen on it,
    the earlier dossier is linked (the last one handed back when none is named) and a return within the
    repair guarantee for the same fault is flagged « retour SAV ». `actor` is None only from the tracking page."""
    customer = appliance.customer
    site = customer.site
    if actor is None:
        if channel != ClaimChannel.SUIVI:
            raise AtelierError(_("Une réclamation sans compte ne vient que de la page de suivi."))
    else:
        require_step(actor, "aftersales.claim", site=site)
    if channel not in ClaimChannel.values:
        raise AtelierError(_("Canal inconnu : « %(c)s ».") % {"c": channel}, field="channel")
    if not claim_type.is_active:
        raise AtelierError(_("Ce type de réclamation n'est plus proposé."), field="claim_type")
    if not (description or "").strip():
        raise AtelierError(_("Notez la réclamation avec les mots du client."), field="description")
    if earlier_case is not None and earlier_case.appliance_id != appliance.pk:
        raise AtelierError(_("Ce dossier ne concerne pas cet appareil."), field="earlier_case")
    at = at or timezone.now()
    today = timezone.localdate(at)
    claim = Claim(
        site=site,
        customer=customer,
        appliance=appliance,
        earlier_case=earlier_case or _latest_handed_back(appliance),
        claim_type=claim_type,
        channel=channel,
        description=description.strip(),
        answers=_clean_answers(claim_type, answers or {}, today),
        opened_at=at,
        opened_by=actor,
    )
    _snapshot(claim, today)
    claim.full_clean(exclude=["number"])
    claim.number = _number(site, timezone.localtime(at).year)
    claim.save()
    return claim


def _locked(claim: Claim) -> Claim:
    (fresh,) = lock_rows(Claim.objects.filter(pk=claim.pk))
    for name in ("state", "outcome", "answered_at", "closed_at"):
        setattr(claim, name, getattr(fresh, name))
    return claim


@transaction.atomic
def claim_analyse(*, claim: Claim, actor: User) -> Claim:
    """Take the claim in hand: the covers are checked again on today's date."""
    require_step(actor, "aftersales.claim", site=claim.site)
    _locked(claim)
    if claim.state != ClaimState.OUVERTE:
        raise TransitionRefused(_("Seule une réclamation ouverte passe en analyse."))
    _snapshot(claim, timezone.localdate())
    claim.state = ClaimState.EN_ANALYSE
    claim.save(update_fields=["state", "covers", "cover_notes", "repair_return"])
    return claim


def _basis_for(claim: Claim) -> str | None:
    """The cover a repair opened from the claim is taken under: the repair guarantee for a « retour SAV », else
    the first active cover in the order the law gives them (legal guarantee first)."""
    if claim.repair_return:
        return CaseCoverBasis.GARANTIE_REPARATION
    active = {c["kind"] for c in claim.covers if c["active"]}
    for kind, basis in (
        (CoverKind.GARANTIE_LEGALE, CaseCoverBasis.GARANTIE_LEGALE),
        (CoverKind.EXTENSION_L217_13, CaseCoverBasis.GARANTIE_LEGALE),
        (CoverKind.GARANTIE_FABRICANT, CaseCoverBasis.GARANTIE_FABRICANT),
        (CoverKind.EXTENSION_ASSURANCE, CaseCoverBasis.EXTENSION_ASSURANCE),
        (CoverKind.CONTRAT_ENTRETIEN, CaseCoverBasis.CONTRAT_ENTRETIEN),
    ):
        if kind in active:
            return basis
    return None


CLAIM_CHANNEL_TO_CASE = {
    ClaimChannel.GUICHET: Channel.COMPTOIR,
    ClaimChannel.TELEPHONE: Channel.TELEPHONE,
    ClaimChannel.SUIVI: Channel.WEB,
}


@transaction.atomic
def claim_answer(
    *,
    claim: Claim,
    actor: User,
    outcome: str,
    answer_text: str,
    refusal_reason: RefusalReason | None = None,
    amount: Decimal | None = None,
) -> Claim:
    """Answer the claim and send the answer in writing: a French PDF letter, e-mailed with the letter attached.

    A repair opens a new dossier linked to the claim (taken under the cover found); refusals and commercial
    gestures are the SAV manager's decision; a refusal names its reason and legal basis from the list."""
    if outcome not in ClaimOutcome.values:
        raise AtelierError(_("Choisissez une réponse."), field="outcome")
    require_step(
        actor, "aftersales.decide" if outcome in MANAGER_OUTCOMES else "aftersales.answer", site=claim.site
    )
    _locked(claim)
    if claim.state not in (ClaimState.OUVERTE, ClaimState.EN_ANALYSE):
        raise TransitionRefused(_("Cette réclamation a déjà reçu sa réponse."))
    if not (answer_text or "").strip():
        raise AtelierError(_("Écrivez la réponse adressée au client."), field="answer_text")
    if outcome == ClaimOutcome.REFUS and refusal_reason is None:
        raise AtelierError(
            _("Un refus indique son motif et son fondement : choisissez-le."), field="refusal_reason"
        )
    if outcome != ClaimOutcome.REFUS:
        refusal_reason = None
    if outcome in (ClaimOutcome.REMBOURSEMENT, ClaimOutcome.GESTE):
        if amount is None or amount <= 0:
            raise AtelierError(_("Indiquez le montant TTC remboursé ou accordé."), field="amount")
    else:
        amount = None
    now = timezone.now()
    if outcome == ClaimOutcome.REPARATION:
        from atelier.repairs.services import case_open

        case = case_open(
            actor=actor,
            customer=claim.customer,
            appliance=claim.appliance,
            customer_words=_("Réclamation %(n)s : %(words)s")
            % {"n": claim.number, "words": claim.description},
            channel=CLAIM_CHANNEL_TO_CASE[ClaimChannel(claim.channel)],
            at=now,
        )
        basis = _basis_for(claim)
        if basis:
            CaseCover.objects.create(case=case, basis=basis, recorded_by=actor, recorded_at=now)
        claim.new_case = case
    claim.outcome = outcome
    claim.answer_text = answer_text.strip()
    claim.refusal_reason = refusal_reason
    claim.amount = amount
    claim.answered_at = now
    claim.answered_by = actor
    claim.state = ClaimState.REPONSE_ENVOYEE
    claim.full_clean()
    claim.letter = documents.claim_letter_pdf(claim)
    claim.message = _send_letter(claim, actor)
    claim.save()
    return claim


def _send_letter(claim: Claim, actor: User):
    from atelier.messaging.choices import Channel as MessageChannel
    from atelier.messaging.choices import Purpose
    from atelier.messaging.services import message_enqueue

    return message_enqueue(
        site=claim.site,
        customer=claim.customer,
        channel=MessageChannel.EMAIL,
        purpose=Purpose.CLAIM_REPLY,
        subject=_("Votre réclamation %(n)s : notre réponse") % {"n": claim.number},
        body=documents.claim_email_body(claim),
        case=claim.new_case or claim.earlier_case,
        actor=actor,
        attachments=[(f"reponse-{claim.number}.pdf", bytes(claim.letter or b""), "application/pdf")],
    )


@transaction.atomic
def claim_close(*, claim: Claim, actor: User) -> Claim:
    """Close a claim once its answer was sent."""
    require_step(actor, "aftersales.claim", site=claim.site)
    _locked(claim)
    if claim.state != ClaimState.REPONSE_ENVOYEE:
        raise TransitionRefused(_("Une réclamation se clôt une fois sa réponse envoyée."))
    claim.state = ClaimState.CLOSE
    claim.closed_at = timezone.now()
    claim.save(update_fields=["state", "closed_at"])
    return claim


# ---------------------------------------------------------------- covers of dossiers and appliances


@transaction.atomic
def case_cover_record(*, actor: User, case: RepairCase, basis: str, replaced: bool = False) -> CaseCover:
    """Record under which cover a dossier was taken (a repair or replacement under the legal guarantee is what
    L217-13 extends or renews)."""
    require_step(actor, "aftersales.contracts", site=case.site)
    if basis not in CaseCoverBasis.values:
        raise AtelierError(_("Choisissez la garantie."), field="basis")
    if replaced and basis != CaseCoverBasis.GARANTIE_LEGALE:
        raise AtelierError(
            _("Seul un remplacement sous garantie légale renouvelle la garantie (art. L217-13)."),
            field="replaced",
        )
    cover, _created = CaseCover.objects.update_or_create(
        case=case,
        defaults={"basis": basis, "replaced": replaced, "recorded_by": actor, "recorded_at": timezone.now()},
    )
    return cover


@transaction.atomic
def appliance_contract_add(*, actor: User, appliance: Appliance, **fields) -> ApplianceContract:
    """Attach an extended warranty or an insurance contract to an appliance."""
    require_step(actor, "aftersales.contracts", site=appliance.customer.site)
    contract = ApplianceContract(appliance=appliance, created_by=actor, **fields)
    if contract.start and contract.end and contract.end < contract.start:
        raise AtelierError(_("La fin du contrat ne peut pas précéder son début."), field="end")
    contract.full_clean()
    contract.save()
    return contract


@transaction.atomic
def maintenance_contract_add(*, actor: User, appliance: Appliance, **fields) -> MaintenanceContract:
    """Record a maintenance contract sold for an appliance."""
    require_step(actor, "aftersales.contracts", site=appliance.customer.site)
    contract = MaintenanceContract(appliance=appliance, **fields)
    if contract.start and contract.end and contract.end < contract.start:
        raise AtelierError(_("La fin du contrat ne peut pas précéder son début."), field="end")
    contract.full_clean()
    contract.save()
    return contract
