"""Payer claims (issue 18 point 3): opened with each payer's invoice, filing deadline from the payer's dated data
and the invoice date, the file the payer requires, the states (à compléter → envoyée → à corriger / acceptée /
partiellement acceptée / refusée → payée) journalled with who and when, the roles, the ageing list."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from atelier.aftersales.models_payers import PayerClaim, PayerDeadline
from atelier.aftersales.selectors_payers import payer_claims_ageing
from atelier.aftersales.services_payers import (
    case_split_set,
    filing_deadline,
    payer_claim_transition,
    payer_claim_update,
)
from atelier.aftersales.tests import payer_helpers
from atelier.billing import services
from atelier.billing.models import Invoice
from atelier.billing.tests import conftest as billing_fixtures
from atelier.billing.verify import journal_verify
from atelier.core.errors import AtelierError, PermissionRefused

pytestmark = pytest.mark.django_db
D = Decimal
for _name in (
    "customer",
    "appliance",
    "make_case",
    "case",
    "pump",
    "solution",
    "consumed",
    "billing_on",
    "ready_case",
):
    globals()[_name] = getattr(billing_fixtures, _name)
maker, insurer, covered = payer_helpers.maker, payer_helpers.insurer, payer_helpers.covered


@pytest.fixture
def claim(covered, accueil, maker):
    case_split_set(
        case=covered,
        actor=accueil,
        shares=[{"position": 1, "payer": maker.pk, "mode": "montant", "value": "60"}],
    )
    services.invoice_issue(case=covered, actor=accueil)
    return PayerClaim.objects.get()


def test_the_deadline_is_the_payers_data_in_force_on_the_invoice_date(maker):
    assert filing_deadline(maker, datetime.date(2026, 12, 6)) == datetime.date(2027, 1, 5)  # 30 days
    assert filing_deadline(maker, datetime.date(2030, 3, 1)) == datetime.date(
        2030, 4, 15
    )  # 45 days from 2030
    PayerDeadline.objects.filter(payer=maker).delete()
    assert filing_deadline(maker, datetime.date(2026, 12, 6)) is None


def test_sending_needs_the_file_the_payer_requires(claim, accueil):
    assert claim.fault == "Il ne vidange plus, l'eau reste au fond."  # the customer's words, prefilled
    with pytest.raises(AtelierError) as refused:
        payer_claim_transition(claim=claim, actor=accueil, action="send")
    assert str(refused.value.message) == (
        "Le dossier de demande est incomplet : N° de série des pièces défectueuses."
    )
    claim.refresh_from_db()
    assert (claim.state, claim.events.count()) == ("a_completer", 1)
    payer_claim_update(claim=claim, actor=accueil, faulty_serials="PMP-2291-A", payer_reference="BSH-77812")
    sent = payer_claim_transition(claim=claim, actor=accueil, action="send")
    assert sent.state == "envoyee" and sent.sent_at is not None


def test_every_state_through_to_paid_journalled(claim, accueil, responsable, comptable):
    payer_claim_update(claim=claim, actor=accueil, faulty_serials="PMP-2291-A")
    payer_claim_transition(claim=claim, actor=accueil, action="send")
    payer_claim_transition(
        claim=claim, actor=responsable, action="correct", note="Photo de la plaque manquante"
    )
    payer_claim_update(claim=claim, actor=accueil, photos_attached=True)
    payer_claim_transition(claim=claim, actor=accueil, action="send")
    payer_claim_transition(claim=claim, actor=responsable, action="accept_part", amount="50,00")
    paid = payer_claim_transition(
        claim=claim, actor=comptable, action="pay", amount="50,00", paid_on=datetime.date(2026, 12, 20)
    )
    assert (paid.state, paid.accepted_amount, paid.paid_amount, paid.paid_on) == (
        "payee",
        D("50.00"),
        D("50.00"),
        datetime.date(2026, 12, 20),
    )
    assert [(e.from_state, e.to_state, e.actor.username, e.note) for e in paid.events.all()] == [
        ("", "a_completer", "accueil", ""),
        ("a_completer", "envoyee", "accueil", ""),
        ("envoyee", "a_corriger", "responsable", "Photo de la plaque manquante"),
        ("a_corriger", "envoyee", "accueil", ""),
        ("envoyee", "partielle", "responsable", ""),
        ("partielle", "payee", "comptable", ""),
    ]


@pytest.mark.parametrize(
    ("action", "kwargs", "message"),
    [
        ("refuse", {}, "Indiquez le motif du refus donné par le payeur."),
        ("correct", {}, "Indiquez ce que le payeur demande de corriger."),
        (
            "accept_part",
            {"amount": "60,00"},
            "Une acceptation partielle est inférieure au montant demandé (60,00 €).",
        ),
        ("accept_part", {"amount": "abc"}, "Montant illisible : abc"),
    ],
)
def test_the_payers_answer_refused_in_french(claim, accueil, responsable, action, kwargs, message):
    payer_claim_update(claim=claim, actor=accueil, faulty_serials="PMP-2291-A")
    payer_claim_transition(claim=claim, actor=accueil, action="send")
    with pytest.raises(AtelierError) as refused:
        payer_claim_transition(claim=claim, actor=responsable, action=action, **kwargs)
    assert str(refused.value.message) == message
    claim.refresh_from_db()
    assert claim.state == "envoyee"


def test_no_payment_above_what_was_accepted_nor_from_the_wrong_state(claim, accueil, responsable, comptable):
    with pytest.raises(AtelierError, match="La demande est « À compléter » : « Payée » n'est pas possible."):
        payer_claim_transition(claim=claim, actor=comptable, action="pay")
    payer_claim_update(claim=claim, actor=accueil, faulty_serials="PMP-2291-A")
    payer_claim_transition(claim=claim, actor=accueil, action="send")
    payer_claim_transition(claim=claim, actor=responsable, action="accept")
    with pytest.raises(
        AtelierError, match=r"Le paiement \(60,01 €\) dépasse le montant accepté \(60,00 €\)."
    ):
        payer_claim_transition(claim=claim, actor=comptable, action="pay", amount="60,01")


def test_the_manager_decides_the_counter_may_not(claim, accueil, comptable):
    payer_claim_update(claim=claim, actor=accueil, faulty_serials="PMP-2291-A")
    payer_claim_transition(claim=claim, actor=accueil, action="send")
    for actor in (accueil, comptable):
        with pytest.raises(PermissionRefused):
            payer_claim_transition(claim=claim, actor=actor, action="accept")


def test_the_ageing_list_by_payer_days_since_sent_and_overdue(claim, accueil, other_accueil):
    today = timezone.localdate()
    (row,) = payer_claims_ageing(user=accueil, today=today)
    assert (row.claim, row.days_since_sent, row.overdue, row.days_left) == (claim, None, False, 30)
    (row,) = payer_claims_ageing(user=accueil, today=today + datetime.timedelta(days=31))
    assert (row.overdue, row.days_left) == (True, -1)  # not filed within the payer's 30 days
    payer_claim_update(claim=claim, actor=accueil, faulty_serials="PMP-2291-A")
    payer_claim_transition(claim=claim, actor=accueil, action="send")
    (row,) = payer_claims_ageing(user=accueil, today=today + datetime.timedelta(days=31))
    assert (row.days_since_sent, row.overdue) == (31, False)  # filed in time: no longer overdue
    assert payer_claims_ageing(user=other_accueil, today=today) == []  # another site sees nothing


def _second_ready_case(make_case, accueil, technicien, pump):
    from atelier.quotes import services as quote_services
    from atelier.quotes.services import solution_create
    from atelier.repairs.services import case_prediagnose

    other = make_case()
    case_prediagnose(case=other, actor=accueil, note="Pompe de vidange bloquée.")
    solution = solution_create(
        case=other,
        actor=accueil,
        title="Remplacement de la pompe de vidange",
        work_description="Dépose et remplacement.",
        labour_hours="1.5",
        parts=[(pump, 1)],
    )
    quote = quote_services.quote_create(
        case=other, actor=accueil, solution=solution, used_part_info=billing_fixtures.NO_USED
    )
    return billing_fixtures.walk_to_ready(other, quote, accueil, technicien)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrency: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_counters_invoicing_with_payers_at_once_number_without_gap(
    covered, accueil, responsable, technicien, make_case, pump, maker
):
    """Two dossiers of one site invoiced at the same moment, each with a manufacturer's invoice: the site's one
    sequence gives four numbers, 1 to 4, no gap, no duplicate; the journal chain stays whole."""
    from django.db import connection as thread_connection

    from atelier.aftersales.models import CaseCover

    second = _second_ready_case(make_case, accueil, technicien, pump)
    CaseCover.objects.create(case=second, basis="garantie_fabricant", recorded_by=accueil)
    for case in (covered, second):
        case_split_set(
            case=case,
            actor=accueil,
            shares=[{"position": 1, "payer": maker.pk, "mode": "montant", "value": "60"}],
        )
    barrier, failures = threading.Barrier(2), []

    def invoice(case, user):
        try:
            barrier.wait()
            services.invoice_issue(case=case, actor=user)
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            failures.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=invoice, args=a) for a in ((covered, accueil), (second, responsable))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    year = timezone.localdate().year
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [
        f"F-PAR1-{year}-{n:06d}" for n in (1, 2, 3, 4)
    ]
    assert PayerClaim.objects.count() == 2
    assert journal_verify().ok
