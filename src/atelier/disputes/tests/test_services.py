"""Disputes' services: opening from each source with the site's reply deadline, instruction, outcomes (a
commercial gesture is billing's credit note), letters, the mediator (C. consom. L612-1, L616-1, L616-2), refusals
in French with nothing written."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from atelier.billing.models import Invoice
from atelier.core.errors import AtelierError, PermissionRefused, TransitionRefused
from atelier.disputes import selectors, services
from atelier.disputes.choices import DisputeChannel, DisputeOutcome, DisputeSource, DisputeState, LetterKind
from atelier.disputes.models import Dispute, DisputeEvent, DisputeLetter, DisputeSettings
from atelier.disputes.tests.conftest import MEDIATOR, MEDIATOR_SITE, pdf_text
from atelier.messaging.models import Message
from atelier.reception.tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def contested(invoice, accueil):
    """A dispute about the dossier's invoice, received by letter on 02/03/2026."""
    with time_machine.travel(NOW, tick=False):
        return services.dispute_open(
            actor=accueil,
            source=DisputeSource.FACTURE,
            invoice=invoice,
            channel=DisputeChannel.COURRIER,
            summary="La main-d'œuvre facturée est trop élevée.",
        )


@pytest.fixture
def instructed(contested, accueil, responsable):
    return services.dispute_instruct(
        dispute=contested,
        actor=accueil,
        cause="prix",
        assigned_to=responsable,
        cause_detail="1,5 h contestée",
    )


def test_opening_from_an_invoice_takes_the_site_reply_deadline(invoice, accueil, site):
    DisputeSettings.objects.create(site=site, reply_days=10, mediation_after_days=45)
    with time_machine.travel(NOW, tick=False):
        dispute = services.dispute_open(
            actor=accueil,
            source=DisputeSource.FACTURE,
            invoice=invoice,
            channel=DisputeChannel.EMAIL,
            summary="  Facture trop chère.  ",
            received_on=D(2026, 2, 27),
        )
    assert dispute.number == "LIT-PAR1-2026-00001"
    assert (dispute.customer, dispute.case, dispute.invoice) == (invoice.case.customer, invoice.case, invoice)
    assert dispute.state == DisputeState.OUVERT
    assert dispute.summary == "Facture trop chère."
    assert dispute.reply_due == D(2026, 3, 9)  # 27/02 + 10 days
    assert dispute.is_written is True
    assert [e.label for e in dispute.events.all()] == ["Litige ouvert (Facture contestée, e-mail)"]


def test_a_site_without_settings_answers_within_15_days(contested):
    assert contested.received_on == D(2026, 3, 2)
    assert contested.reply_due == D(2026, 3, 17)


def test_overdue_the_day_after_the_deadline_until_the_first_answer(contested, accueil):
    assert contested.is_overdue(D(2026, 3, 17)) is False
    assert contested.is_overdue(D(2026, 3, 18)) is True
    assert list(selectors.dispute_list(user=accueil, overdue=True, today=D(2026, 3, 18))) == [contested]
    assert list(selectors.dispute_list(user=accueil, overdue=True, today=D(2026, 3, 17))) == []


def test_opening_from_a_complaint_takes_its_customer_and_dossier(ready_case, accueil, site):
    complaint = ComplaintFactory(site=site, customer=ready_case.customer, case=ready_case)
    dispute = services.dispute_open(
        actor=accueil,
        source=DisputeSource.MECONTENTEMENT,
        complaint=complaint,
        channel=DisputeChannel.GUICHET,
        summary="Le client conteste le délai.",
    )
    assert (dispute.complaint, dispute.customer, dispute.case) == (complaint, ready_case.customer, ready_case)
    assert dispute.is_written is False


def test_a_complaint_of_another_site_is_refused_nothing_written(customer, accueil, other_site):
    complaint = ComplaintFactory(site=other_site, customer=customer)
    with pytest.raises(AtelierError) as refused:
        services.dispute_open(
            actor=accueil,
            source=DisputeSource.MECONTENTEMENT,
            complaint=complaint,
            channel=DisputeChannel.GUICHET,
            summary="Délai.",
        )
    assert refused.value.message == (
        "Le mécontentement est d'un autre site que le client : un litige reste sur le site du client."
    )
    assert Dispute.objects.count() == 0


def test_opening_without_words_or_with_a_future_date_is_refused(invoice, accueil):
    with pytest.raises(AtelierError, match="Notez ce que conteste le client, avec ses mots."):
        services.dispute_open(
            actor=accueil, source=DisputeSource.FACTURE, invoice=invoice, channel="courrier", summary="  "
        )
    with pytest.raises(AtelierError, match="La date de réception est dans le futur."):
        services.dispute_open(
            actor=accueil,
            source=DisputeSource.FACTURE,
            invoice=invoice,
            channel="courrier",
            summary="Trop cher.",
            received_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert Dispute.objects.count() == 0


def test_instruction_identifies_the_cause_and_the_person_in_charge(instructed, responsable):
    assert instructed.state == DisputeState.EN_INSTRUCTION
    assert (instructed.cause, instructed.assigned_to) == ("prix", responsable)
    assert instructed.events.last().label == "Cause : Prix, devis ou facture contestés ; suivi par " + str(
        responsable
    )


def test_nobody_outside_the_site_is_put_in_charge(contested, accueil, other_accueil):
    with pytest.raises(AtelierError, match="ne peut pas suivre un litige sur ce site"):
        services.dispute_instruct(dispute=contested, actor=accueil, cause="prix", assigned_to=other_accueil)
    contested.refresh_from_db()
    assert (contested.state, contested.assigned_to) == (DisputeState.OUVERT, None)


def test_an_outcome_without_reason_is_refused_nothing_written(instructed, responsable):
    events = DisputeEvent.objects.count()
    with pytest.raises(AtelierError) as refused:
        services.dispute_decide(dispute=instructed, actor=responsable, outcome="accord", reason=" ")
    assert refused.value.message == "Indiquez le motif de cette issue : il figure dans la lettre au client."
    instructed.refresh_from_db()
    assert (instructed.state, instructed.outcome) == (DisputeState.EN_INSTRUCTION, "")
    assert DisputeEvent.objects.count() == events
    assert DisputeLetter.objects.count() == 0


def test_an_outcome_needs_the_cause_first(contested, responsable):
    with pytest.raises(AtelierError, match="Identifiez la cause du litige avant d'en décider l'issue."):
        services.dispute_decide(dispute=contested, actor=responsable, outcome="accord", reason="OK")


def test_a_gesture_above_what_remains_of_the_invoice_is_refused(instructed, responsable, invoice):
    with pytest.raises(AtelierError) as refused:
        services.dispute_decide(
            dispute=instructed, actor=responsable, outcome="geste", reason="Geste", amount=Decimal("200.00")
        )
    assert refused.value.message == (
        f"Le geste commercial (200,00 €) dépasse ce qui reste de la facture {invoice.number} (157,68 €)."
    )
    assert refused.value.field == "amount"
    assert Invoice.objects.filter(kind="avoir").count() == 0
    instructed.refresh_from_db()
    assert instructed.state == DisputeState.EN_INSTRUCTION


def test_money_outcomes_are_the_managers(instructed, accueil):
    with pytest.raises(PermissionRefused):
        services.dispute_decide(
            dispute=instructed, actor=accueil, outcome="geste", reason="Geste", amount=Decimal("30")
        )
    with pytest.raises(PermissionRefused):
        services.dispute_decide(
            dispute=instructed, actor=accueil, outcome="remboursement", reason="R", amount=Decimal("30")
        )
    assert Invoice.objects.filter(kind="avoir").count() == 0


def test_a_gesture_is_a_credit_note_of_billing_and_a_reply_letter(instructed, responsable, invoice):
    instructed.customer.email = "nadia@example.fr"
    instructed.customer.save(update_fields=["email"])
    dispute = services.dispute_decide(
        dispute=instructed,
        actor=responsable,
        outcome=DisputeOutcome.GESTE,
        reason="Nous reconnaissons un temps de main-d'œuvre élevé.",
        amount=Decimal("30.00"),
    )
    note = dispute.credit_note
    assert (note.kind, note.credited, note.total_ttc) == ("avoir", invoice, Decimal("30.00"))
    assert note.reason == (
        f"Geste commercial, litige {dispute.number} : Nous reconnaissons un temps de main-d'œuvre élevé."
    )
    assert (dispute.state, dispute.outcome, dispute.amount) == (DisputeState.CLOS, "geste", Decimal("30.00"))
    assert dispute.closed_at is not None
    (letter,) = dispute.letters.all()
    assert letter.kind == LetterKind.REPONSE
    text = pdf_text(bytes(letter.pdf))
    assert "Notre réponse : Geste commercial (avoir)" in text
    assert f"l'avoir n° {note.number}" in text.replace("\n", " ")
    message = letter.message
    assert (message.subject, message.recipient, message.purpose) == (
        f"Votre réclamation {dispute.number} : notre réponse",
        "nadia@example.fr",
        "reply",
    )
    assert message.attachments.get().filename == f"reponse-{dispute.number}.pdf"


def test_a_refund_letter_says_when(instructed, responsable):
    dispute = services.dispute_decide(
        dispute=instructed,
        actor=responsable,
        outcome="remboursement",
        reason="Erreur de facturation.",
        amount=Decimal("12.50"),
    )
    body = dispute.letters.get().message.body
    assert body == (
        "Bonjour Nadia LEFÈVRE,\n\n"
        f"Vous trouverez en pièce jointe notre courrier au sujet de votre réclamation n° {dispute.number}.\n\n"
        "Nous vous remboursons 12,50 € TTC par le moyen de paiement utilisé, au plus tard sous 14 jours.\n\n"
        "Paris Bastille"
    )
    assert dispute.credit_note is None


def test_a_refusal_names_the_mediator(instructed, responsable, mediator):
    dispute = services.dispute_decide(
        dispute=instructed, actor=responsable, outcome="refus", reason="Le temps facturé est le barème."
    )
    text = pdf_text(bytes(dispute.letters.get().pdf)).replace("\n", " ")
    assert f"{MEDIATOR}, {MEDIATOR_SITE}" in text
    assert "L616-2" in text


def test_mediation_and_litigation_keep_the_dispute_open(instructed, accueil, responsable):
    dispute = services.dispute_decide(
        dispute=instructed, actor=accueil, outcome="mediation", reason="Le client a saisi le médiateur."
    )
    assert (dispute.state, dispute.closed_at) == (DisputeState.MEDIATION, None)
    assert dispute.letters.count() == 0
    with pytest.raises(TransitionRefused):
        services.dispute_decide(dispute=dispute, actor=accueil, outcome="mediation", reason="Encore")
    dispute = services.dispute_decide(
        dispute=dispute, actor=responsable, outcome="contentieux", reason="Assignation reçue."
    )
    assert dispute.state == DisputeState.CONTENTIEUX
    dispute = services.dispute_decide(dispute=dispute, actor=accueil, outcome="accord", reason="Transaction.")
    assert dispute.state == DisputeState.CLOS
    with pytest.raises(TransitionRefused, match="« Clos » ne peut pas prendre l'issue « Accord amiable »"):
        services.dispute_decide(dispute=dispute, actor=accueil, outcome="accord", reason="Encore")


def test_a_proposal_is_a_letter_and_waits_for_the_customer(instructed, accueil):
    letter = services.dispute_propose(
        dispute=instructed, actor=accueil, text="Nous proposons 20 € de remise."
    )
    instructed.refresh_from_db()
    assert instructed.state == DisputeState.PROPOSITION
    assert instructed.is_overdue(D(2030, 1, 1)) is False  # answered: the reply deadline no longer runs
    assert "Nous proposons 20 € de remise." in pdf_text(bytes(letter.pdf))
    assert letter.message.subject == f"Votre réclamation {instructed.number} : notre proposition"


def test_a_proposal_before_instruction_is_refused(contested, accueil):
    with pytest.raises(TransitionRefused, match="Identifiez d'abord la cause du litige"):
        services.dispute_propose(dispute=contested, actor=accueil, text="20 €")
    assert DisputeLetter.objects.count() == 0


def test_the_mediator_is_due_after_the_site_delay_for_a_written_complaint_only_L616_2(contested, site):
    settings = DisputeSettings.objects.create(site=site, reply_days=15, mediation_after_days=60)
    assert contested.mediation_due_on(settings) == D(2026, 5, 1)
    assert contested.mediation_due(settings, D(2026, 4, 30)) is False
    assert contested.mediation_due(settings, D(2026, 5, 1)) is True
    contested.channel = DisputeChannel.TELEPHONE
    assert contested.mediation_due(settings, D(2026, 5, 1)) is False


def test_the_referral_without_a_mediator_is_refused_nothing_written(contested, accueil):
    with pytest.raises(AtelierError, match="Le médiateur de la consommation de ce site n'est pas renseigné"):
        services.dispute_refer_mediation(dispute=contested, actor=accueil)
    contested.refresh_from_db()
    assert contested.mediation_proposed_at is None
    assert Message.objects.count() == 0


def test_the_referral_letter_carries_the_mediator_and_L616_2(contested, accueil, mediator, site):
    letter = services.dispute_refer_mediation(dispute=contested, actor=accueil, text="")
    contested.refresh_from_db()
    assert contested.mediation_proposed_at == letter.sent_at
    assert contested.mediation_due(selectors.settings_of(site), D(2030, 1, 1)) is False
    text = pdf_text(bytes(letter.pdf)).replace("\n", " ")
    assert (
        "Votre réclamation écrite n'a pas pu être réglée avec nos services. Conformément aux articles L612-1 et "
        "L616-2 du Code de la consommation, vous pouvez recourir gratuitement au médiateur de la consommation "
        f"dont nous relevons : {MEDIATOR}, {MEDIATOR_SITE}."
    ) in text
    assert letter.message.subject == (
        f"Votre réclamation {contested.number} : recours au médiateur de la consommation"
    )
