"""Money fixes (issue 14, point 7): a credit note takes VAT back per rate; crediting an invoice that carried a
repair bonus never refunds the customer more than they paid, the bonus is reversed and its claim flagged; a
site's billing start date is journalled and frozen by its first document; unpaid balances and signed
hand-backs are append-only."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import RequestFactory
from django.urls import reverse

from atelier.billing import documents, handover, payments, refunds, selectors, services
from atelier.billing.models import (
    BonusClaim,
    ClosingRulesStart,
    HandBack,
    Invoice,
    JournalEntry,
    Notification,
    Suggestion,
    UnpaidBalance,
)
from atelier.billing.services_bonus import bonus_claim_mark
from atelier.billing.services_rules import billing_start_set
from atelier.billing.tests import deposit_helpers
from atelier.billing.tests.conftest import NO_USED, SIGNATURE, repair_in_workshop, walk_to_ready
from atelier.billing.verify import journal_verify
from atelier.core.errors import AtelierError, PermissionRefused, TransitionRefused
from atelier.quotes import services as quote_services
from atelier.quotes.models import RepairBonusRate
from atelier.quotes.services import solution_create
from atelier.stock.choices import Availability, PartKind
from atelier.stock.models import Part

D = Decimal
quote = deposit_helpers.quote
deposit_two_rates = deposit_helpers.two_rates


# --- per-rate credit note --------------------------------------------------------------------------------


@pytest.fixture
def two_rates(ready_case, accueil):
    """The 157,68 € repair (20 %) plus a product at 5,5 % sold with it: 20,00 HT + 1,10 VAT."""
    product = Suggestion.objects.create(
        family=ready_case.appliance.family,
        kind="produit",
        designation="Lessive pour lavage à froid",
        why="Essai",
        unit_price_ht=D("20.00"),
        vat_kind="reduit",
    )
    handover.offer_record(case=ready_case, actor=accueil, suggestion=product, accepted=True)
    invoice = services.invoice_issue(case=ready_case, actor=accueil)
    assert [(r.rate, r.base_ht, r.vat) for r in documents.breakdown(invoice)] == [
        (D("5.50"), D("20.00"), D("1.10")),
        (D("20.00"), D("131.40"), D("26.28")),
    ]
    assert invoice.total_ttc == D("178.78")
    return invoice


def _lines(note):
    return list(note.lines.order_by("position").values_list("designation", "vat_rate", "total_ht", "vat"))


def test_a_full_credit_note_gives_back_each_rate_base_and_vat(two_rates, comptable):
    note = services.credit_note_issue(
        invoice=two_rates, actor=comptable, amount_ttc="178,78", reason="Annulée"
    )
    assert _lines(note) == [
        ("Annulée (TVA 5,5 %)", D("5.50"), D("20.00"), D("1.10")),
        ("Annulée (TVA 20 %)", D("20.00"), D("131.40"), D("26.28")),
    ]
    assert (note.total_ht, note.total_vat, note.total_ttc) == (D("151.40"), D("27.38"), D("178.78"))
    assert [(r.rate, r.base_ht, r.vat) for r in documents.breakdown(note)] == [
        (D("5.50"), D("20.00"), D("1.10")),
        (D("20.00"), D("131.40"), D("26.28")),
    ]
    html = documents.invoice_html(note)
    assert "TVA 5,50 % sur 20,00" in html and "TVA 20 % sur 131,40" in html
    assert selectors.invoice_remaining(two_rates) == D("0.00")
    assert journal_verify().ok


def test_a_partial_credit_note_splits_pro_rata_and_the_last_one_takes_what_stands(two_rates, comptable):
    first = services.credit_note_issue(invoice=two_rates, actor=comptable, amount_ttc="100", reason="Geste")
    # 100 × 21,10 / 178,78 = 11,802… and 100 × 157,68 / 178,78 = 88,197…: the cent left goes to 20 %
    assert _lines(first) == [
        ("Geste (TVA 5,5 %)", D("5.50"), D("11.18"), D("0.62")),
        ("Geste (TVA 20 %)", D("20.00"), D("73.50"), D("14.70")),
    ]
    assert first.total_ttc == D("100.00") and first.total_ht + first.total_vat == D("100.00")
    last = services.credit_note_issue(invoice=two_rates, actor=comptable, amount_ttc="78,78", reason="Solde")
    assert _lines(last) == [
        ("Solde (TVA 5,5 %)", D("5.50"), D("8.82"), D("0.48")),
        ("Solde (TVA 20 %)", D("20.00"), D("57.90"), D("11.58")),
    ]
    assert (last.total_ht, last.total_vat) == (D("66.72"), D("12.06"))


def test_a_credit_note_on_a_final_invoice_takes_its_rates_net_of_the_deposits(
    deposit_two_rates, accueil, technicien, comptable
):
    case = deposit_two_rates.case
    payments.payment_take(case=case, actor=accueil, parts=[("carte", "50")], deposit=True)
    final = services.invoice_issue(case=repair_in_workshop(case, technicien), actor=accueil)
    # the 50,00 € deposit went 5,90 at 5,5 % (5,59 + 0,31) and 44,10 at 20 % (36,75 + 7,35)
    assert [(r.rate, r.base_ht, r.vat) for r in documents.breakdown(final)] == [
        (D("5.50"), D("14.41"), D("0.79")),
        (D("20.00"), D("94.65"), D("18.93")),
    ]
    note = services.credit_note_issue(invoice=final, actor=comptable, amount_ttc="128,78", reason="Annulée")
    assert _lines(note) == [
        ("Annulée (TVA 5,5 %)", D("5.50"), D("14.41"), D("0.79")),
        ("Annulée (TVA 20 %)", D("20.00"), D("94.65"), D("18.93")),
    ]
    # the deposit paid stays owed (its invoice stands), the final invoice was not paid: nothing to give back
    assert (selectors.amount_owed(case), selectors.balance_due(case)) == (D("50.00"), D("0.00"))
    assert refunds.owed_to_customer(case) == D("0.00")


def test_a_single_rate_invoice_keeps_one_line(invoice, comptable):
    note = services.credit_note_issue(invoice=invoice, actor=comptable, amount_ttc="57,68", reason="Geste")
    assert _lines(note) == [("Geste", D("20.00"), D("48.07"), D("9.61"))]


# --- repair bonus ------------------------------------------------------------------------------------------


@pytest.fixture
def bonus_invoice(case, accueil, technicien, consumed, billing_on, labelled):
    """A 150,00 € repair (1 h of labour 55,00 HT + a 70,00 HT part, 20 %) with a 25,00 € bonus: the customer
    paid 125,00 € by card."""
    RepairBonusRate.objects.create(
        family=case.appliance.family,
        category="Lave-linge (essai)",
        amount=D("25.00"),
        valid_from=datetime.date(2025, 1, 1),
    )
    motor = Part.objects.create(
        reference="BSH-00145999",
        designation="Moteur",
        kind=PartKind.MOTEUR,
        price_ht=D("70.00"),
        availability=Availability.EN_STOCK,
    )
    solution = solution_create(
        case=case,
        actor=accueil,
        title="Remplacement du moteur",
        work_description="Dépose et remplacement du moteur.",
        labour_hours="1",
        parts=[(motor, 1)],
    )
    quote = quote_services.quote_create(case=case, actor=accueil, solution=solution, used_part_info=NO_USED)
    quote_services.quote_set_bonus(quote=quote, actor=accueil, apply=True)
    consumed[motor.pk] = D("1")
    walk_to_ready(case, quote, accueil, technicien)
    invoice = services.invoice_issue(case=case, actor=accueil)
    assert (invoice.total_ttc, invoice.bonus_amount, invoice.net_to_pay) == (
        D("150.00"),
        D("25.00"),
        D("125.00"),
    )
    payments.payment_take(case=case, actor=accueil, parts=[("carte", "125")])
    return invoice


def test_the_invoice_opens_its_bonus_claim(bonus_invoice):
    claim = BonusClaim.objects.get()
    assert (claim.invoice, claim.amount, claim.reversed_amount, claim.to_claim, claim.state) == (
        bonus_invoice,
        D("25.00"),
        D("0.00"),
        D("25.00"),
        "a_deposer",
    )
    assert claim.label == bonus_invoice.bonus_label and "QR-2024-0001" in claim.label
    assert claim.created_at == bonus_invoice.issued_at


def test_a_full_credit_refunds_what_was_paid_and_reverses_the_bonus(bonus_invoice, comptable):
    case = bonus_invoice.case
    note = services.credit_note_issue(
        invoice=bonus_invoice, actor=comptable, amount_ttc="150", reason="Annulée"
    )
    assert (note.total_ttc, note.bonus_amount, note.net_to_pay) == (D("150.00"), D("25.00"), D("125.00"))
    assert note.bonus_label.startswith("Bonus réparation repris (Bonus réparation QualiRépar")
    assert note.mentions["bonus"] == (
        f"Le bonus réparation déduit sur la facture n° {bonus_invoice.number} est repris à hauteur de 25,00 € : "
        "cette part n'est pas remboursée au client, la demande auprès de l'éco-organisme est retirée d'autant."
    )
    assert (selectors.amount_owed(case), selectors.balance_due(case)) == (D("0.00"), D("-125.00"))
    assert refunds.owed_to_customer(case) == D("125.00")
    claim = BonusClaim.objects.get()
    # never filed: nothing is left to claim, nothing to withdraw at the eco-organism
    assert (claim.reversed_amount, claim.to_claim, claim.state) == (D("25.00"), D("0.00"), "retiree")
    entry = JournalEntry.objects.filter(kind="avoir").get()
    assert json.loads(entry.payload)["bonus_amount"] == "25.00"
    assert "Rendu au client TTC" in documents.invoice_html(note)


def test_a_partial_credit_the_price_still_supports_reverses_nothing(bonus_invoice, comptable):
    case = bonus_invoice.case
    note = services.credit_note_issue(invoice=bonus_invoice, actor=comptable, amount_ttc="50", reason="Geste")
    assert (note.bonus_amount, note.net_to_pay, note.bonus_label) == (D("0.00"), D("50.00"), "")
    assert "bonus" not in note.mentions
    assert refunds.owed_to_customer(case) == D("50.00")
    assert BonusClaim.objects.get().state == "a_deposer"
    assert BonusClaim.objects.get().reversed_amount == D("0.00")


def test_a_credit_of_140_reverses_15_and_refunds_125(bonus_invoice, comptable):
    case = bonus_invoice.case
    note = services.credit_note_issue(
        invoice=bonus_invoice, actor=comptable, amount_ttc="140", reason="Geste"
    )
    assert (note.bonus_amount, note.net_to_pay) == (D("15.00"), D("125.00"))
    assert refunds.owed_to_customer(case) == D("125.00")
    claim = BonusClaim.objects.get()
    assert (claim.reversed_amount, claim.to_claim, claim.state) == (D("15.00"), D("10.00"), "a_deposer")
    # the last 10,00 €: all of it is bonus, the customer gets nothing more
    rest = services.credit_note_issue(invoice=bonus_invoice, actor=comptable, amount_ttc="10", reason="Solde")
    assert (rest.bonus_amount, rest.net_to_pay) == (D("10.00"), D("0.00"))
    assert refunds.owed_to_customer(case) == D("125.00")
    assert BonusClaim.objects.get().reversed_amount == D("25.00")


def test_successive_credit_notes_cumulate_the_reversal(bonus_invoice, comptable, accueil):
    case = bonus_invoice.case
    first = services.credit_note_issue(invoice=bonus_invoice, actor=comptable, amount_ttc="50", reason="Un")
    refunds.refund_make(case=case, actor=accueil, method="carte", amount="50")
    second = services.credit_note_issue(
        invoice=bonus_invoice, actor=comptable, amount_ttc="100", reason="Deux"
    )
    assert (first.bonus_amount, second.bonus_amount, second.net_to_pay) == (D("0.00"), D("25.00"), D("75.00"))
    assert refunds.owed_to_customer(case) == D("75.00")
    with pytest.raises(AtelierError, match="dépasse ce qui est dû au client"):
        refunds.refund_make(case=case, actor=accueil, method="carte", amount="75,01")
    refunds.refund_make(case=case, actor=accueil, method="carte", amount="75")
    assert (selectors.paid_total(case), selectors.balance_due(case)) == (D("0.00"), D("0.00"))


def test_a_filed_claim_is_flagged_for_withdrawal_then_withdrawn(bonus_invoice, comptable):
    claim = bonus_claim_mark(claim=BonusClaim.objects.get(), actor=comptable, state="deposee")
    assert claim.state == "deposee" and claim.filed_at is not None
    services.credit_note_issue(invoice=bonus_invoice, actor=comptable, amount_ttc="140", reason="Geste")
    claim.refresh_from_db()
    assert (claim.state, claim.reversed_amount, claim.to_claim) == ("a_retirer", D("15.00"), D("10.00"))
    assert claim.reversed_at is not None
    assert list(selectors.bonus_claims_to_withdraw(comptable)) == [claim]
    assert list(selectors.bonus_claims_to_file(comptable)) == []
    claim = bonus_claim_mark(claim=claim, actor=comptable, state="retiree")
    assert claim.state == "retiree" and claim.withdrawn_at is not None


def test_claim_steps_keep_their_order_and_roles(bonus_invoice, comptable, accueil):
    claim = BonusClaim.objects.get()
    with pytest.raises(TransitionRefused) as info:
        bonus_claim_mark(claim=claim, actor=comptable, state="payee")
    assert info.value.message == (
        f"La demande de bonus de la facture {bonus_invoice.number} est « À déposer » : elle ne peut pas passer "
        "à « Payée »."
    )
    with pytest.raises(AtelierError, match="Action inconnue sur la demande de bonus : annulee."):
        bonus_claim_mark(claim=claim, actor=comptable, state="annulee")
    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas"):
        bonus_claim_mark(claim=claim, actor=accueil, state="deposee")
    assert BonusClaim.objects.get().state == "a_deposer"


def test_the_accounting_page_lists_claims_and_marks_them(bonus_invoice, comptable, client):
    claim = BonusClaim.objects.get()
    client.force_login(comptable)
    page = client.get(reverse("billing:accounting"))
    assert page.status_code == 200
    assert f'id="claim-{claim.pk}-deposee"' in page.content.decode()
    answer = client.post(reverse("billing:bonus_claim_mark", args=[claim.pk, "deposee"]))
    assert answer.status_code == 302 and answer["Location"] == reverse("billing:accounting")
    assert BonusClaim.objects.get().state == "deposee"
    refused = client.post(reverse("billing:bonus_claim_mark", args=[claim.pk, "retiree"]), follow=False)
    assert refused.status_code == 409
    assert "ne peut pas passer à « Retirée »" in refused.content.decode()
    assert BonusClaim.objects.get().state == "deposee"


def test_the_api_reads_the_claims(bonus_invoice, comptable, client):
    client.force_login(comptable)
    body = client.get("/api/billing/bonus-claims/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [(r["invoice"], r["site"], r["amount"], r["to_claim"], r["state"]) for r in rows] == [
        (bonus_invoice.number, "PAR1", "25.00", "25.00", "a_deposer")
    ]


# --- billing start date ------------------------------------------------------------------------------------


def test_the_billing_start_is_journalled_before_any_document(site, responsable, billing_on):
    start = billing_start_set(site=site, since=datetime.date(2026, 3, 1), actor=responsable)
    assert (start.pk, start.since) == (billing_on.pk, datetime.date(2026, 3, 1))
    entry = JournalEntry.objects.get(kind="parametre")
    assert (entry.reference, entry.amount) == ("PAR1/debut-facturation", D("0.00"))
    assert json.loads(entry.payload) == {"depuis": "2026-03-01", "avant": "2020-01-01"}
    assert journal_verify().ok


def test_a_first_billing_start_says_there_was_none(site, comptable):
    billing_start_set(site=site, since=datetime.date(2026, 3, 1), actor=comptable)
    assert ClosingRulesStart.objects.get(site=site).since == datetime.date(2026, 3, 1)
    assert json.loads(JournalEntry.objects.get(kind="parametre").payload) == {
        "depuis": "2026-03-01",
        "avant": "",
    }


def test_the_billing_start_is_frozen_once_the_site_has_a_document(invoice, site, comptable):
    with pytest.raises(AtelierError) as info:
        billing_start_set(site=site, since=datetime.date(2026, 3, 1), actor=comptable)
    assert info.value.message == (
        "Le site PAR1 a déjà émis des factures dans Atelier : sa date de début de facturation ne peut plus "
        "être changée."
    )
    assert info.value.field == "since"
    assert ClosingRulesStart.objects.get(site=site).since == datetime.date(2020, 1, 1)
    assert not JournalEntry.objects.filter(kind="parametre").exists()


def test_only_managers_of_the_site_set_the_billing_start(site, other_site, accueil):
    from atelier.core.tests.factories import UserFactory

    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas"):
        billing_start_set(site=site, since=datetime.date(2026, 3, 1), actor=accueil)
    lyon = UserFactory(username="compta.lyon", roles=["comptable"], sites=[other_site])
    with pytest.raises(PermissionRefused, match="Ce site ne fait pas partie des vôtres."):
        billing_start_set(site=site, since=datetime.date(2026, 3, 1), actor=lyon)
    assert not ClosingRulesStart.objects.exists()


def test_the_accounting_form_sets_the_billing_start_and_the_admin_cannot(site, other_site, comptable, client):
    client.force_login(comptable)
    answer = client.post(reverse("billing:billing_start"), {"site": site.pk, "since": "2026-03-01"})
    assert answer.status_code == 302
    assert ClosingRulesStart.objects.get(site=site).since == datetime.date(2026, 3, 1)
    refused = client.post(reverse("billing:billing_start"), {"site": site.pk, "since": "pas une date"})
    assert refused.status_code == 400
    other = client.post(reverse("billing:billing_start"), {"site": other_site.pk, "since": "2026-04-01"})
    assert other.status_code == 400  # another site's id: not a choice of this accountant
    # nothing changed by the refusals, nothing written for the other site
    assert list(ClosingRulesStart.objects.values_list("site__code", "since")) == [
        ("PAR1", datetime.date(2026, 3, 1))
    ]
    model_admin = admin_site._registry[ClosingRulesStart]
    request = RequestFactory().get("/")
    request.user = comptable
    comptable.is_superuser = True
    assert not model_admin.has_change_permission(request, ClosingRulesStart.objects.get())
    assert not model_admin.has_add_permission(request)


# --- append-only unpaid balances and hand-backs ------------------------------------------------------------

UNPAID_MESSAGE = (
    "Un reste dû enregistré ne se modifie ni ne se supprime : enregistrez-en un nouveau sur le dossier."
)
HANDBACK_MESSAGE = (
    "La remise signée de l'appareil est définitive : elle ne peut être ni modifiée ni supprimée."
)


def test_an_unpaid_balance_recorded_again_is_a_new_row(invoice, ready_case, responsable, accueil):
    first = payments.unpaid_record(
        case=ready_case, actor=responsable, reason="Client en difficulté", assigned_to=accueil
    )
    payments.payment_take(case=ready_case, actor=accueil, parts=[("cheque", "57,68")])
    second = payments.unpaid_record(
        case=ready_case, actor=responsable, reason="Reste 100 €", assigned_to=responsable
    )
    assert [(u.amount, u.reason) for u in UnpaidBalance.objects.filter(case=ready_case)] == [
        (D("100.00"), "Reste 100 €"),
        (D("157.68"), "Client en difficulté"),
    ]
    assert (second.pk > first.pk) and UnpaidBalance.objects.filter(case=ready_case).first() == second
    first.amount = D("0.00")
    with pytest.raises(AtelierError, match=re.escape(UNPAID_MESSAGE)):
        first.save()
    with pytest.raises(AtelierError, match=re.escape(UNPAID_MESSAGE)):
        first.delete()
    assert UnpaidBalance.objects.get(pk=first.pk).amount == D("157.68")


def test_a_signed_hand_back_never_changes_and_the_advice_sending_is_a_notification(
    ready_case, accueil, deliver_queued
):
    record = handover.hand_back_record(
        case=ready_case, actor=accueil, signer_name="N. Lefèvre", signature=SIGNATURE
    )
    assert record.advice_emailed_at is None
    ready_case.customer.email = "nadia@example.fr"
    ready_case.customer.save()
    handover.advice_email(case=ready_case, actor=accueil)
    sent = Notification.objects.get(purpose="conseils")
    assert (sent.channel, sent.recipient, sent.by) == ("email", "nadia@example.fr", accueil)
    assert HandBack.objects.get().advice_emailed_at is None  # queued, not sent yet
    (message,) = deliver_queued()
    assert HandBack.objects.get().advice_emailed_at == message.sent_at
    record.signer_name = "Quelqu'un d'autre"
    with pytest.raises(AtelierError, match=re.escape(HANDBACK_MESSAGE)):
        record.save()
    with pytest.raises(AtelierError, match=re.escape(HANDBACK_MESSAGE)):
        record.delete()
    assert HandBack.objects.get().signer_name == "N. Lefèvre"
    assert Invoice.objects.count() == 0
