"""Payments: mixed, deposit, partial, change, cash limit (dated data), over-payment by card, anomalies,
unpaid balance; bad input answers in French and writes nothing."""

import datetime
import re
from decimal import Decimal

import pytest

from atelier.billing import payments, selectors, services
from atelier.billing.models import JournalEntry, LegalFigure, Payment, PaymentAnomaly, UnpaidBalance
from atelier.core.errors import AtelierError
from atelier.customers.models import Customer
from atelier.repairs.tests.pages import dossier_page

D = Decimal


def test_mixed_payment_card_and_cash_with_change(invoice, ready_case, accueil):
    taken = payments.payment_take(
        case=ready_case, actor=accueil, parts=[("carte", "100"), ("especes", "57,68")], cash_tendered="60"
    )
    assert [(p.method, p.amount, p.change_given) for p in taken] == [
        ("carte", D("100.00"), D("0.00")),
        ("especes", D("57.68"), D("2.32")),
    ]
    assert selectors.balance_due(ready_case) == D("0.00")
    assert JournalEntry.objects.filter(kind="paiement").count() == 2


def test_partial_payments_then_balance(invoice, ready_case, accueil):
    payments.payment_take(case=ready_case, actor=accueil, parts=[("cheque", "50")], reference="n° 1234567")
    assert selectors.balance_due(ready_case) == D("107.68")
    payments.payment_take(case=ready_case, actor=accueil, parts=[("virement", "107.68")])
    assert selectors.balance_due(ready_case) == D("0.00")


def test_deposit_at_intake_counts_against_the_invoice(ready_case, accueil):
    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "30")], deposit=True)
    services.invoice_issue(case=ready_case, actor=accueil)
    assert selectors.balance_due(ready_case) == D("127.68")


def test_paying_more_than_due_by_card_is_refused(invoice, ready_case, accueil):
    with pytest.raises(AtelierError, match="; un paiement par carte ne peut excéder la") as info:
        payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "157.69")])
    assert info.value.message == (
        "Le paiement (157,69 €) dépasse le reste dû (157,68 €) ; un paiement par carte ne peut excéder la "
        "somme due : rien n'a été encaissé."
    )
    assert not Payment.objects.exists() and not JournalEntry.objects.filter(kind="paiement").exists()


def test_cash_over_the_limit_is_refused_for_a_resident(invoice, ready_case, accueil):
    LegalFigure.objects.create(
        kind="plafond_especes_resident", value=D("100.00"), valid_from=datetime.date(2024, 1, 1)
    )
    with pytest.raises(
        AtelierError,
        match="Paiement en espèces refusé : 157,68 € dépasse le plafond légal de 100,00 € pour ce payeur",
    ) as info:
        payments.payment_take(case=ready_case, actor=accueil, parts=[("especes", "157.68")])
    assert info.value.message.startswith(
        "Paiement en espèces refusé : 157,68 € dépasse le plafond légal de 100,00 € pour ce payeur"
    )
    # the limit counts the cash already received for the same debt
    payments.payment_take(case=ready_case, actor=accueil, parts=[("especes", "80")])
    with pytest.raises(AtelierError, match="espèces déjà reçues comprises"):
        payments.payment_take(case=ready_case, actor=accueil, parts=[("especes", "21")])
    assert Payment.objects.count() == 1


def test_cash_limit_depends_on_tax_home_and_business(invoice, ready_case, accueil):
    on = datetime.date(2026, 6, 1)
    assert payments.cash_limit(payer_resident=True, for_business=False, on=on) == D("1000.00")
    assert payments.cash_limit(payer_resident=False, for_business=False, on=on) == D("15000.00")
    assert payments.cash_limit(payer_resident=False, for_business=True, on=on) == D("1000.00")
    with pytest.raises(AtelierError, match="n'est en vigueur au 31/08/2015"):
        payments.cash_limit(payer_resident=True, for_business=False, on=datetime.date(2015, 8, 31))


def test_business_payer_abroad_keeps_the_1000_limit(invoice, ready_case, accueil):
    Customer.objects.filter(pk=ready_case.customer_id).update(kind="professionnel", company_name="SARL Test")
    LegalFigure.objects.create(
        kind="plafond_especes_resident", value=D("100.00"), valid_from=datetime.date(2024, 1, 1)
    )
    with pytest.raises(AtelierError, match="plafond légal de 100,00 €"):
        payments.payment_take(
            case=ready_case, actor=accueil, parts=[("especes", "150")], payer_resident=False
        )


@pytest.mark.parametrize(
    ("parts", "tendered", "message"),
    [
        ([], None, "Indiquez au moins un montant."),
        ([("carte", "")], None, "Indiquez au moins un montant."),
        ([("carte", "douze")], None, "Montant illisible : douze"),
        ([("carte", "-3")], None, "Le montant doit être supérieur à zéro."),
        ([("bitcoin", "3")], None, "Moyen de paiement inconnu : bitcoin."),
        (
            [("especes", "50")],
            "20",
            "Les espèces remises (20,00 €) sont inférieures au montant en espèces (50,00 €).",
        ),
    ],
)
def test_payment_bad_input(invoice, ready_case, accueil, parts, tendered, message):
    with pytest.raises(AtelierError, match=re.escape(message)) as info:
        payments.payment_take(case=ready_case, actor=accueil, parts=parts, cash_tendered=tendered)
    assert info.value.message == message
    assert not Payment.objects.exists()


def test_payment_needs_the_invoice_unless_deposit(ready_case, accueil):
    with pytest.raises(AtelierError, match="n'est pas émise : émettez-la, ou enregistrez un acompte"):
        payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "10")])


def test_anomaly_recorded(ready_case, accueil):
    payments.anomaly_record(
        case=ready_case, actor=accueil, kind="carte_refusee", method="carte", amount="157,68"
    )
    anomaly = PaymentAnomaly.objects.get()
    assert (anomaly.kind, anomaly.amount) == ("carte_refusee", D("157.68"))
    with pytest.raises(AtelierError, match="Précisez l'anomalie."):
        payments.anomaly_record(case=ready_case, actor=accueil, kind="autre")


def test_unpaid_balance_needs_reason_and_someone(invoice, ready_case, responsable, accueil):
    with pytest.raises(AtelierError, match="Indiquez le motif du reste dû."):
        payments.unpaid_record(case=ready_case, actor=responsable, reason=" ", assigned_to=accueil)
    record = payments.unpaid_record(
        case=ready_case, actor=responsable, reason="Client en litige avec son assurance", assigned_to=accueil
    )
    assert (record.amount, record.assigned_to) == (D("157.68"), accueil)
    assert UnpaidBalance.objects.count() == 1


def test_deposit_at_intake_from_the_dossier_page(client, make_case, accueil):
    case = make_case()
    client.force_login(accueil)
    assert 'id="billing-pay"' in dossier_page(client, case.pk)
    response = client.post(
        f"/facturation/dossier/{case.pk}/action/deposit/", {"carte": "50,00", "payer_resident": "1"}
    )
    assert response.status_code == 302
    assert list(Payment.objects.values_list("kind", "method", "amount")) == [("acompte", "carte", D("50.00"))]
