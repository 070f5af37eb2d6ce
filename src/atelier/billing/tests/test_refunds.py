"""Refunds after a credit note: the way money came in, never more than owed, journalled, netted in paid totals,
receipts and closures; the dossier does not close while the customer waits for money; bad input changes
nothing."""

import io
import json
import re
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from atelier.billing import checks, closures, payments, refunds, selectors, services
from atelier.billing.models import JournalEntry, Payment
from atelier.billing.verify import journal_verify
from atelier.core.errors import AtelierError, PermissionRefused
from atelier.repairs.tests.pages import dossier_page

D = Decimal


@pytest.fixture
def credited(invoice, ready_case, accueil, comptable):
    """The 157,68 € invoice paid 100 € by card and 57,68 € by cheque, then 57,68 € given back by a credit
    note: the shop owes the customer 57,68 €."""
    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "100"), ("cheque", "57,68")])
    return services.credit_note_issue(
        invoice=invoice, actor=comptable, amount_ttc="57,68", reason="Pompe facturée deux fois"
    )


def test_a_card_refund_settles_the_credit_note_and_is_journalled(credited, ready_case, accueil):
    assert refunds.owed_to_customer(ready_case) == D("57.68")
    assert selectors.balance_due(ready_case) == D("-57.68")
    refund = refunds.refund_make(
        case=ready_case, actor=accueil, method="carte", amount="57,68", reference="ticket 0042"
    )
    assert (refund.kind, refund.method, refund.amount, refund.invoice, refund.reference) == (
        "remboursement",
        "carte",
        D("-57.68"),
        credited,
        "ticket 0042",
    )
    assert selectors.paid_total(ready_case) == D("100.00")
    assert selectors.balance_due(ready_case) == D("0.00")
    assert refunds.owed_to_customer(ready_case) == D("0.00")
    entry = JournalEntry.objects.filter(kind="paiement").latest("seq")
    assert (entry.reference, entry.amount) == (f"{ready_case.number}/R{refund.pk}", D("-57.68"))
    assert journal_verify().ok


def test_no_more_than_owed_and_nothing_when_nothing_is_owed(invoice, ready_case, accueil, comptable):
    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "157,68")])
    with pytest.raises(AtelierError, match="ne doit rien au client : un remboursement suit un avoir") as info:
        refunds.refund_make(case=ready_case, actor=accueil, method="carte", amount="10")
    assert info.value.message == (
        f"Le dossier {ready_case.number} ne doit rien au client : un remboursement suit un avoir."
    )
    services.credit_note_issue(invoice=invoice, actor=comptable, amount_ttc="20", reason="Geste commercial")
    with pytest.raises(AtelierError, match="dépasse ce qui est dû au client") as info:
        refunds.refund_make(case=ready_case, actor=accueil, method="carte", amount="20,01")
    assert info.value.message == (
        "Le remboursement (20,01 €) dépasse ce qui est dû au client (20,00 €) : rien n'a été enregistré."
    )
    assert info.value.field == "amount"
    assert Payment.objects.filter(kind="remboursement").count() == 0
    assert JournalEntry.objects.filter(kind="paiement").count() == 1


def test_card_and_cash_go_back_the_way_they_came(credited, ready_case, accueil):
    with pytest.raises(
        AtelierError,
        match="Espèces : le dossier n'a reçu que 0,00 € par ce moyen ; remboursez le reste par chèque ou par virement",
    ) as info:
        refunds.refund_make(case=ready_case, actor=accueil, method="especes", amount="5")
    assert info.value.message == (
        "Espèces : le dossier n'a reçu que 0,00 € par ce moyen ; remboursez le reste par chèque ou par virement."
    )
    refunds.refund_make(case=ready_case, actor=accueil, method="carte", amount="50")
    refunds.refund_make(case=ready_case, actor=accueil, method="virement", amount="7,68")
    assert list(
        Payment.objects.filter(kind="remboursement").order_by("pk").values_list("method", "amount")
    ) == [("carte", D("-50.00")), ("virement", D("-7.68"))]
    assert selectors.balance_due(ready_case) == D("0.00")


def test_the_card_refund_is_capped_by_what_the_card_paid(invoice, ready_case, accueil, comptable):
    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "20"), ("cheque", "137,68")])
    services.credit_note_issue(invoice=invoice, actor=comptable, amount_ttc="57,68", reason="Erreur")
    with pytest.raises(
        AtelierError, match="Carte bancaire : le dossier n'a reçu que 20,00 € par ce moyen"
    ) as info:
        refunds.refund_make(case=ready_case, actor=accueil, method="carte", amount="20,01")
    assert info.value.message.startswith("Carte bancaire : le dossier n'a reçu que 20,00 € par ce moyen")
    assert not Payment.objects.filter(kind="remboursement").exists()


@pytest.mark.parametrize(
    ("method", "amount", "message"),
    [
        ("bitcoin", "10", "Moyen de remboursement inconnu : bitcoin."),
        ("carte", "-5", "Le montant doit être supérieur à zéro."),
        ("carte", "abc", "Montant illisible : abc"),
        ("carte", "1,234", "Un montant s'écrit en euros et centimes (ex. 12,50)."),
    ],
)
def test_bad_input_is_refused_in_french(credited, ready_case, accueil, method, amount, message):
    with pytest.raises(AtelierError, match=re.escape(message)) as info:
        refunds.refund_make(case=ready_case, actor=accueil, method=method, amount=amount)
    assert info.value.message == message
    assert not Payment.objects.filter(kind="remboursement").exists()


def test_a_technician_cannot_refund(credited, ready_case, technicien):
    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas"):
        refunds.refund_make(case=ready_case, actor=technicien, method="carte", amount="10")


def test_the_dossier_does_not_close_while_the_customer_waits_for_money(credited, ready_case, accueil):
    reasons = checks.step_check(ready_case, "close")
    assert (
        "le client doit être remboursé de 57,68 € (avoir) : enregistrez le remboursement depuis la section "
        "« Facturation et remise »"
    ) in reasons
    refunds.refund_make(case=ready_case, actor=accueil, method="cheque", amount="57,68")
    assert not any("remboursé" in r for r in checks.step_check(ready_case, "close"))


def test_the_day_closure_counts_cash_in_net_of_refunds(credited, ready_case, accueil, comptable, site):
    refunds.refund_make(case=ready_case, actor=accueil, method="carte", amount="57,68")
    closure = closures.closure_run(site=site, actor=comptable, period="jour", start=timezone.localdate())
    assert (closure.invoices_ttc, closure.credit_notes_ttc, closure.payments) == (
        D("157.68"),
        D("57.68"),
        D("100.00"),
    )
    # what the card terminal and the cheque deposit must show: 100 − 57,68 refunded on the card, 57,68 by cheque
    assert closure.by_method == {"carte": "42.32", "cheque": "57.68"}
    assert closure.methods() == [("Carte bancaire", D("42.32")), ("Chèque", D("57.68"))]
    entry = JournalEntry.objects.filter(kind="cloture").get()
    assert json.loads(entry.payload)["by_method"] == {"carte": "42.32", "cheque": "57.68"}


def test_the_printed_closure_gives_the_totals_per_method(
    credited, ready_case, accueil, comptable, technicien, site, other_site, client
):
    from pypdf import PdfReader

    from atelier.core.tests.factories import UserFactory

    refunds.refund_make(case=ready_case, actor=accueil, method="carte", amount="57,68")
    closure = closures.closure_run(site=site, actor=comptable, period="jour", start=timezone.localdate())
    client.force_login(comptable)
    page = client.get("/facturation/").content.decode()
    assert f'href="/facturation/clotures/{closure.pk}/pdf/"' in page
    assert "Carte bancaire : 42,32\xa0€" in page
    response = client.get(f"/facturation/clotures/{closure.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        f"Clôture journalière · {timezone.localdate():%d/%m/%Y}",
        "Encaissements nets 100,00\xa0€",
        "dont carte bancaire 42,32\xa0€",
        "dont chèque 57,68\xa0€",
        "écrite au journal chaîné (écriture n°",
    ):
        assert expected in text, expected
    client.force_login(technicien)
    assert client.get(f"/facturation/clotures/{closure.pk}/pdf/").status_code == 403
    client.force_login(UserFactory(username="compta-lyon", roles=["comptable"], sites=[other_site]))
    assert client.get(f"/facturation/clotures/{closure.pk}/pdf/").status_code == 404


def test_the_refund_receipt_says_what_was_given_back(credited, ready_case, accueil, client):
    from pypdf import PdfReader

    refund = refunds.refund_make(case=ready_case, actor=accueil, method="carte", amount="57,68")
    client.force_login(accueil)
    response = client.get(f"/facturation/paiement/{refund.pk}/recu/")
    assert response.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Reçu de remboursement" in text and "Total remboursé au client 57,68\xa0€" in text
    assert "Remboursement au client Carte bancaire -57,68\xa0€" in text and "Remboursé par" in text


def test_refund_through_the_dossier_screen(client, credited, ready_case, accueil):
    client.force_login(accueil)
    page = dossier_page(client, ready_case.pk)
    assert 'id="billing-refund"' in page and "Rembourser le client (57,68" in page
    assert 'name="amount" value="57,68"' in page  # what is owed, written the French way
    bad = client.post(
        f"/facturation/dossier/{ready_case.pk}/action/refund/", {"method": "carte", "amount": "100"}
    )
    assert bad.status_code == 400
    assert "dépasse ce qui est dû au client (57,68 €)" in bad.content.decode()
    assert not Payment.objects.filter(kind="remboursement").exists()
    done = client.post(
        f"/facturation/dossier/{ready_case.pk}/action/refund/", {"method": "carte", "amount": "57,68"}
    )
    assert done.status_code == 302 and done.url == f"/dossiers/{ready_case.pk}/"
    assert Payment.objects.get(kind="remboursement").amount == D("-57.68")
    page = dossier_page(client, ready_case.pk)
    assert 'id="billing-refund"' not in page and "Remboursement au client" in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrency: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_counters_refunding_at_once_give_the_money_back_once(credited, ready_case, accueil, responsable):
    """Both read « 57,68 € owed » at the same moment: the dossier's lock makes the second wait, then see that
    nothing is owed any more. Without the lock both refunds would be written."""
    from django.db import connection as thread_connection

    barrier, outcomes = threading.Barrier(2), []

    def refund(user):
        try:
            barrier.wait()
            refunds.refund_make(case=ready_case, actor=user, method="cheque", amount="57,68")
            outcomes.append("remboursé")
        except AtelierError as exc:
            outcomes.append(exc.message)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=refund, args=(u,)) for u in (accueil, responsable)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [
        f"Le dossier {ready_case.number} ne doit rien au client : un remboursement suit un avoir.",
        "remboursé",
    ]
    assert list(Payment.objects.filter(kind="remboursement").values_list("amount", flat=True)) == [
        D("-57.68")
    ]
    assert journal_verify().ok
