"""Claims: guided answers, covers frozen, « retour SAV », answers with their letter (PDF) and e-mail."""

import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from pypdf import PdfReader

from atelier.aftersales import services
from atelier.aftersales.choices import CaseCoverBasis, ClaimChannel, ClaimOutcome, ClaimState, CoverKind
from atelier.aftersales.models import AftersalesSettings, CaseCover, ClaimType, RefusalReason
from atelier.core.errors import AtelierError, PermissionRefused, TransitionRefused
from atelier.customers.tests.factories import ApplianceFactory
from atelier.messaging.choices import Purpose
from atelier.messaging.models import Message

from .conftest import noon

pytestmark = pytest.mark.django_db
D = datetime.date
RETURN_ANSWERS = {
    "meme_panne": "oui",
    "depuis": "2026-04-01",
    "constat": "Fuit encore",
    "usage": "domestique",
}


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def _open(accueil, appliance, *, code="retour_reparation", answers=RETURN_ANSWERS, **kwargs):
    return services.claim_open(
        actor=accueil,
        appliance=appliance,
        claim_type=ClaimType.objects.get(code=code),
        channel=ClaimChannel.GUICHET,
        description="La machine fuit de nouveau.",
        answers=answers,
        **kwargs,
    )


@time_machine.travel(noon(D(2026, 4, 10)), tick=False)
def test_same_fault_within_the_repair_guarantee_is_a_retour_sav(accueil, appliance, handed_back):
    """Same fault, handed back 01/03/2026, 90 days of repair guarantee: « retour SAV », earlier dossier linked."""
    case = handed_back(appliance, D(2026, 3, 1))
    claim = _open(accueil, appliance)
    assert (claim.number, claim.earlier_case, claim.repair_return, claim.state) == (
        "REC-PAR1-2026-00001",
        case,
        True,
        ClaimState.OUVERTE,
    )
    assert [(c["kind"], c["active"], c["case_id"]) for c in claim.covers] == [
        (CoverKind.GARANTIE_LEGALE, False, None),  # bought 29/02/2024: ended 28/02/2026
        (CoverKind.GARANTIE_REPARATION, True, case.pk),
    ]
    assert claim.answers[0] == {
        "code": "meme_panne",
        "question": "Est-ce la même panne que celle réparée ?",
        "answer": "oui",
    }


@time_machine.travel(noon(D(2026, 4, 10)), tick=False)
def test_another_fault_is_not_a_retour_sav(accueil, appliance, handed_back):
    handed_back(appliance, D(2026, 3, 1))
    claim = _open(accueil, appliance, answers={**RETURN_ANSWERS, "meme_panne": "non"})
    assert claim.repair_return is False


@time_machine.travel(noon(D(2026, 5, 31)), tick=False)
def test_repair_guarantee_ended_yesterday_is_no_retour_sav(accueil, appliance, handed_back):
    """Handed back 01/03/2026 + 90 days = 30/05/2026: on 31/05 the cover ended yesterday."""
    handed_back(appliance, D(2026, 3, 1))
    claim = _open(accueil, appliance, answers={**RETURN_ANSWERS, "depuis": "2026-05-30"})
    assert claim.repair_return is False
    assert [
        (c["kind"], c["end"], c["active"]) for c in claim.covers if c["kind"] == CoverKind.GARANTIE_REPARATION
    ] == [(CoverKind.GARANTIE_REPARATION, "2026-05-30", False)]


@time_machine.travel(noon(D(2026, 4, 10)), tick=False)
def test_L217_3_claim_without_purchase_date_says_so_in_french(accueil, customer):
    unknown = ApplianceFactory(customer=customer, purchase_date=None)
    claim = _open(
        accueil,
        unknown,
        code="panne_garantie",
        answers={
            "preuve_achat": "non",
            "depuis": "2026-04-01",
            "constat": "Ne chauffe plus",
            "usage": "domestique",
        },
    )
    assert claim.covers == []
    assert claim.cover_notes.startswith(
        "La date d'achat de l'appareil n'est pas connue : la garantie légale de conformité (art. L217-3)"
    )


def test_a_required_guided_question_left_empty_is_refused(accueil, appliance):
    with pytest.raises(
        AtelierError, match=re.escape("Répondez à la question « Depuis quand la panne est-elle revenue ? ».")
    ):
        _open(accueil, appliance, answers={**RETURN_ANSWERS, "depuis": ""})


def test_the_counter_may_not_refuse_only_the_manager(accueil, responsable, appliance):
    claim = _open(accueil, appliance)
    reason = RefusalReason.objects.get(code="panne_differente")
    with pytest.raises(PermissionRefused):
        services.claim_answer(
            claim=claim, actor=accueil, outcome=ClaimOutcome.REFUS, answer_text="Non.", refusal_reason=reason
        )
    with pytest.raises(AtelierError, match="Un refus indique son motif et son fondement : choisissez-le."):
        services.claim_answer(claim=claim, actor=responsable, outcome=ClaimOutcome.REFUS, answer_text="Non.")


@time_machine.travel(noon(D(2026, 4, 10)), tick=False)
def test_refusal_letter_names_reason_basis_and_mediator_and_goes_by_email(responsable, appliance, site):
    AftersalesSettings.objects.create(
        site=site, mediator_name="CM2C", mediator_website="https://www.cm2c.net"
    )
    claim = _open(responsable, appliance, answers={**RETURN_ANSWERS, "meme_panne": "non"})
    reason = RefusalReason.objects.get(code="choc_casse")
    claim = services.claim_answer(
        claim=claim,
        actor=responsable,
        outcome=ClaimOutcome.REFUS,
        answer_text="Le hublot est fêlé par un choc.",
        refusal_reason=reason,
    )
    assert (claim.state, claim.outcome, claim.refusal_reason) == (ClaimState.REPONSE_ENVOYEE, "refus", reason)
    text = _pdf_text(bytes(claim.letter))
    for expected in (
        "Réponse à votre réclamation n° REC-PAR1-2026-00001",
        "Notre réponse : Refus",
        "Le hublot est fêlé par un choc.",
        "Motif du refus : Casse, choc, oxydation ou intervention d'un tiers (C. consom. art. L217-8",
        "médiateur de la consommation dont nous relevons : CM2C, https://www.cm2c.net",
    ):
        assert expected in text
    message = Message.objects.get(pk=claim.message_id)
    assert (message.purpose, message.channel, message.recipient, message.subject) == (
        Purpose.CLAIM_REPLY,
        "email",
        "nadia@example.fr",
        "Votre réclamation REC-PAR1-2026-00001 : notre réponse",
    )
    (attachment,) = message.attachments.all()
    assert (attachment.filename, attachment.content_type, bytes(attachment.content)) == (
        "reponse-REC-PAR1-2026-00001.pdf",
        "application/pdf",
        bytes(claim.letter),
    )


@time_machine.travel(noon(D(2026, 4, 10)), tick=False)
def test_repair_answer_opens_a_new_dossier_under_the_repair_guarantee(accueil, appliance, handed_back):
    handed_back(appliance, D(2026, 3, 1))
    claim = _open(accueil, appliance)
    claim = services.claim_answer(
        claim=claim,
        actor=accueil,
        outcome=ClaimOutcome.REPARATION,
        answer_text="Nous reprenons la réparation.",
    )
    new_case = claim.new_case
    assert (new_case.number, new_case.appliance, new_case.customer_words) == (
        "PAR1-2026-000002",
        appliance,
        "Réclamation REC-PAR1-2026-00001 : La machine fuit de nouveau.",
    )
    assert CaseCover.objects.get(case=new_case).basis == CaseCoverBasis.GARANTIE_REPARATION
    assert "Nous prenons votre appareil en charge sous le dossier PAR1-2026-000002." in _pdf_text(
        bytes(claim.letter)
    )
    with pytest.raises(TransitionRefused):
        services.claim_answer(
            claim=claim, actor=accueil, outcome=ClaimOutcome.REPARATION, answer_text="Encore."
        )
    closed = services.claim_close(claim=claim, actor=accueil)
    assert closed.state == ClaimState.CLOSE


def test_a_gesture_needs_an_amount_and_the_manager(responsable, appliance):
    claim = _open(responsable, appliance)
    with pytest.raises(AtelierError, match="Indiquez le montant TTC remboursé ou accordé."):
        services.claim_answer(
            claim=claim, actor=responsable, outcome=ClaimOutcome.GESTE, answer_text="Geste."
        )
    claim = services.claim_answer(
        claim=claim,
        actor=responsable,
        outcome=ClaimOutcome.GESTE,
        answer_text="Geste.",
        amount=Decimal("30.00"),
    )
    assert "nous vous accordons 30,00 € TTC" in _pdf_text(bytes(claim.letter))


def test_another_sites_user_may_not_open_a_claim(other_accueil, appliance):
    with pytest.raises(PermissionRefused, match="Ce site ne fait pas partie des vôtres."):
        _open(other_accueil, appliance)
