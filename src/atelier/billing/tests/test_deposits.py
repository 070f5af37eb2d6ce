"""Deposit invoices (factures d'acompte) taken: issued with the deposit in one transaction, split at the
quote's VAT rates, immutable; bad input answers in French and writes nothing; the deposit through the screens.
(Their deduction by the final invoice, credit notes, numbering, closures and documents: test_deposit_deductions.)"""

import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from atelier.billing import payments, selectors, services
from atelier.billing.deposits import split_ttc
from atelier.billing.models import Invoice, InvoiceLine, JournalEntry
from atelier.billing.tests import deposit_helpers
from atelier.billing.tests.conftest import repair_in_workshop
from atelier.billing.tests.deposit_helpers import deposit as _deposit
from atelier.billing.tests.deposit_helpers import lines as _lines
from atelier.billing.tests.deposit_helpers import nothing_written as _nothing_written
from atelier.billing.tests.deposit_helpers import number as _number
from atelier.billing.verify import journal_verify
from atelier.core.errors import AtelierError
from atelier.core.models import NumberSequence

D = Decimal
# the accepted pump quote, with one VAT rate or two (shared by the two deposit files)
quote = deposit_helpers.quote
accepted = deposit_helpers.accepted
two_rates = deposit_helpers.two_rates


# ---------------------------------------------------------------- the deposit invoice


def test_deposit_of_50_at_20_percent_issues_its_invoice(accepted, accueil):
    case = accepted.case
    taken = _deposit(case, accueil)
    deposit = Invoice.objects.get()
    assert (deposit.kind, deposit.get_kind_display(), deposit.number) == (
        "acompte",
        "Facture d'acompte",
        _number("F", 1),
    )
    assert (deposit.total_ht, deposit.total_vat, deposit.total_ttc) == (D("41.67"), D("8.33"), D("50.00"))
    assert deposit.quote == accepted and deposit.case == case and deposit.due_on == timezone.localdate()
    assert _lines(deposit) == [
        (
            "acompte",
            f"Acompte sur le devis {accepted.number} – dossier {case.number}",
            D("1.00"),
            D("41.67"),
            D("20.00"),
            D("41.67"),
            D("8.33"),
        )
    ]
    assert [p.invoice for p in taken] == [deposit] and taken[0].kind == "acompte"
    assert deposit.mentions["deposit"] == (
        f"Acompte reçu le {timezone.localdate():%d/%m/%Y} (carte bancaire) : facture acquittée. Il sera déduit "
        f"de la facture définitive du dossier {case.number}."
    )
    assert "art. 269-2-c du CGI" in deposit.mentions["vat"]
    entries = list(JournalEntry.objects.values_list("kind", "reference", "amount"))
    assert entries == [
        ("facture", deposit.number, D("50.00")),
        ("paiement", f"{case.number}/P{taken[0].pk}", D("50.00")),
    ]
    assert json.loads(JournalEntry.objects.get(seq=1).payload)["kind"] == "acompte"
    assert json.loads(JournalEntry.objects.get(seq=2).payload)["invoice_id"] == deposit.pk
    # the deposit is invoiced and paid: nothing due, nothing negative
    assert (selectors.amount_owed(case), selectors.paid_total(case), selectors.balance_due(case)) == (
        D("50.00"),
        D("50.00"),
        D("0.00"),
    )
    assert selectors.current_invoice(case) is None  # the dossier's invoice is still to come
    assert journal_verify().message == "journal ok: 2 entries"


def test_mixed_deposit_is_one_invoice_for_both_payments(accepted, accueil):
    taken = payments.payment_take(
        case=accepted.case,
        actor=accueil,
        parts=[("carte", "30"), ("especes", "20")],
        cash_tendered="20",
        deposit=True,
    )
    deposit = Invoice.objects.get()
    assert deposit.total_ttc == D("50.00") and {p.invoice_id for p in taken} == {deposit.pk}
    assert "(carte bancaire, espèces)" in deposit.mentions["deposit"]


def test_two_rates_split_pro_rata_of_the_quote_ttc_and_add_up_exactly(two_rates, accueil):
    assert (two_rates.total_ht, two_rates.total_ttc) == (D("151.40"), D("178.78"))
    _deposit(two_rates.case, accueil)
    deposit = Invoice.objects.get()
    designation = f"Acompte sur le devis {two_rates.number} – dossier {two_rates.case.number}"
    # 50 × 21,10 / 178,78 = 5,901… → 5,90 at 5,5 %; 50 × 157,68 / 178,78 = 44,098… → 44,10 at 20 %
    assert _lines(deposit) == [
        ("acompte", f"{designation} (TVA 5,5 %)", D("1.00"), D("5.59"), D("5.50"), D("5.59"), D("0.31")),
        ("acompte", f"{designation} (TVA 20 %)", D("1.00"), D("36.75"), D("20.00"), D("36.75"), D("7.35")),
    ]
    assert (deposit.total_ht, deposit.total_vat, deposit.total_ttc) == (D("42.34"), D("7.66"), D("50.00"))
    assert deposit.total_ht + deposit.total_vat == D("50.00")


def test_without_an_accepted_quote_the_standard_rate_in_force_applies(make_case, accueil, billing_on):
    case = make_case()
    _deposit(case, accueil, amount="30")
    deposit = Invoice.objects.get()
    assert deposit.quote is None
    assert _lines(deposit) == [
        (
            "acompte",
            f"Acompte – dossier {case.number}",
            D("1.00"),
            D("25.00"),
            D("20.00"),
            D("25.00"),
            D("5.00"),
        )
    ]


rates = st.sampled_from([D("20.00"), D("10.00"), D("5.50"), D("2.10")])


@given(
    st.integers(min_value=1, max_value=10_000_000).map(lambda n: D(n) / 100),
    st.dictionaries(
        rates, st.integers(min_value=1, max_value=10_000_000).map(lambda n: D(n) / 100), min_size=1
    ),
)
def test_split_is_exact_never_negative_and_within_a_cent_of_pro_rata(amount, weights):
    parts = split_ttc(amount, weights)
    assert sum(p.ttc for p in parts) == amount
    total = sum(weights.values())
    for p in parts:
        assert p.ht >= 0 and p.vat >= 0 and p.ttc > 0
        assert abs(p.ttc - amount * weights[p.rate] / total) < D("0.01")


# ---------------------------------------------------------------- bad input writes nothing


def test_deposit_above_the_quote_net_to_pay_is_refused_in_french(accepted, accueil):
    with pytest.raises(AtelierError, match="dépasse ce qui reste à payer sur le devis") as info:
        _deposit(accepted.case, accueil, amount="157.69")
    assert info.value.message == (
        f"L'acompte (157,69 €) dépasse ce qui reste à payer sur le devis {accepted.number} (157,68 €) : rien n'a "
        "été encaissé."
    )
    _nothing_written()
    assert not NumberSequence.objects.filter(kind__in=["facture", "acompte", "avoir"]).exists()  # none used
    _deposit(accepted.case, accueil, amount="100")
    with pytest.raises(AtelierError, match="dépasse ce qui reste à payer sur le devis") as info:
        _deposit(accepted.case, accueil, amount="57.69")
    assert info.value.message == (
        f"L'acompte (57,69 €) dépasse ce qui reste à payer sur le devis {accepted.number} (57,68 €) : rien n'a "
        "été encaissé."
    )
    _nothing_written(invoices=1, payments=1, entries=2)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "Le montant doit être supérieur à zéro."),
        ("0", "Le montant doit être supérieur à zéro."),
        ("12,345", "Un montant s'écrit en euros et centimes (ex. 12,50)."),
        ("cinquante", "Montant illisible : cinquante"),
    ],
)
def test_bad_deposit_amount_is_refused_and_writes_nothing(accepted, accueil, amount, message):
    with pytest.raises(AtelierError, match=re.escape(message)) as info:
        _deposit(accepted.case, accueil, amount=amount)
    assert info.value.message == message
    _nothing_written()


def test_cash_deposit_over_the_limit_writes_no_invoice(accepted, accueil):
    from atelier.billing.models import LegalFigure

    LegalFigure.objects.filter(kind="plafond_especes_resident").update(value=D("40.00"))
    with pytest.raises(AtelierError, match="Paiement en espèces refusé : 50,00 € dépasse le plafond légal"):
        _deposit(accepted.case, accueil, method="especes")
    _nothing_written()


def test_no_deposit_once_the_dossier_is_invoiced(accepted, accueil, technicien):
    case = repair_in_workshop(accepted.case, technicien)
    invoice = services.invoice_issue(case=case, actor=accueil)
    with pytest.raises(AtelierError, match=": encaissez un règlement, pas un acompte") as info:
        _deposit(case, accueil, amount="10")
    assert info.value.message == (
        f"Le dossier {case.number} est déjà facturé ({invoice.number}) : encaissez un règlement, pas un acompte."
    )
    _nothing_written(invoices=1, payments=0, entries=1)


# ---------------------------------------------------------------- immutability


def test_deposit_invoice_cannot_be_updated_nor_deleted(accepted, accueil):
    _deposit(accepted.case, accueil)
    deposit = Invoice.objects.get()
    deposit.total_ttc = D("1.00")
    with pytest.raises(AtelierError, match="Une facture émise ne peut être ni modifiée ni supprimée"):
        deposit.save()
    with pytest.raises(AtelierError, match="Une facture émise ne peut être ni modifiée ni supprimée"):
        deposit.delete()
    line = deposit.lines.get()
    with pytest.raises(AtelierError, match="Une facture émise ne peut être ni modifiée ni supprimée"):
        line.save()
    with pytest.raises(AtelierError, match="Une facture émise ne peut être ni modifiée ni supprimée"):
        line.delete()
    fresh = Invoice.objects.get(pk=deposit.pk)
    assert fresh.total_ttc == D("50.00") and fresh.lines.count() == 1


# ---------------------------------------------------------------- screens


def test_deposit_form_names_the_deposit_invoice_and_offers_its_pdf(client, accepted, accueil):
    case = accepted.case
    client.force_login(accueil)
    response = client.post(
        f"/facturation/dossier/{case.pk}/action/deposit/",
        {"carte": "50,00", "payer_resident": "1"},
        follow=True,
    )
    deposit = Invoice.objects.get()
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Acompte de 50,00 € enregistré : facture d'acompte {deposit.number} émise." in body.replace(
        "&#x27;", "'"
    )
    assert f'href="/facturation/facture/{deposit.pk}/pdf/"' in body and 'id="deposit-invoice-pdf"' in body
    assert f"Facture d&#x27;acompte {deposit.number}" in body  # listed in the dossier's billing section
    assert client.get(f"/facturation/facture/{deposit.pk}/pdf/")["Content-Type"] == "application/pdf"
    listing = client.get("/facturation/").content.decode()
    assert f">{deposit.number}</a></td><td>Facture d&#x27;acompte</td>" in listing


def test_bad_deposit_through_the_screen_is_400_in_french_nothing_written(client, accepted, accueil):
    client.force_login(accueil)
    response = client.post(
        f"/facturation/dossier/{accepted.case.pk}/action/deposit/", {"carte": "200", "payer_resident": "1"}
    )
    assert response.status_code == 400
    assert "dépasse ce qui reste à payer sur le devis" in response.content.decode().replace("&#x27;", "'")
    _nothing_written()


def test_final_invoice_page_shows_the_deduction_block(client, accepted, accueil, technicien, comptable):
    _deposit(accepted.case, accueil)
    deposit = Invoice.objects.get()
    final = services.invoice_issue(case=repair_in_workshop(accepted.case, technicien), actor=accueil)
    client.force_login(comptable)
    body = client.get(f"/facturation/facture/{final.pk}/").content.decode().replace("\xa0", " ")
    assert 'id="invoice-deductions"' in body and f">{deposit.number}</a>" in body
    assert '<td id="invoice-ttc">157,68 €</td>' in body
    assert '<td id="invoice-net-ttc">107,68 €</td>' in body and '<td id="invoice-net">107,68 €</td>' in body
    assert "<td>TVA 20 % nette sur 89,73 €</td><td>17,95 €</td>" in body
    body = client.get(f"/facturation/facture/{deposit.pk}/").content.decode()
    assert 'id="deposit-deducted"' in body and 'id="credit-form"' not in body


def test_invoice_line_constraint_ties_deductions_to_a_deposit(accepted, accueil):
    from django.db import IntegrityError, transaction

    _deposit(accepted.case, accueil)
    deposit = Invoice.objects.get()
    with (
        pytest.raises(IntegrityError, match="billing_line_deduction_names_its_deposit"),
        transaction.atomic(),
    ):
        InvoiceLine.objects.bulk_create(
            [
                InvoiceLine(
                    invoice=deposit,
                    position=9,
                    kind="deduction",
                    designation="x",
                    quantity=D("-1"),
                    unit_price_ht=D("1"),
                    vat_rate=D("20"),
                    total_ht=D("-1"),
                    vat=D("-0.20"),
                )
            ]
        )
    assert deposit.lines.count() == 1
