"""Documents bound to their journal entries (issue 14, points 1 and 2): the database refuses to change or delete an
issued document, its lines, a payment, a closure or an entry, whatever the path (model, bulk update, raw SQL);
and whoever lifts that guard (the database's owner) is still caught by `atelier journal verify`, which re-reads
every document and names what changed in French."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from atelier.billing import closures, payments
from atelier.billing.guards import guarded_tables, rewrite_allowed
from atelier.billing.models import Closure, Invoice, InvoiceLine, JournalEntry, Payment
from atelier.core.errors import AtelierError

D = Decimal


def _verify() -> tuple[int, list[str]]:
    out, err = StringIO(), StringIO()
    try:
        call_command("journal", "verify", stdout=out, stderr=err)
    except CommandError as exc:
        return 1, [str(exc), *filter(None, err.getvalue().split("\n"))]
    return 0, [out.getvalue().strip()]


@pytest.fixture
def paid(invoice, ready_case, accueil):
    """The invoice of 157,68 € paid by card: three entries (invoice, payment) and one line."""
    return payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "157.68")])[0]


def test_each_entry_holds_its_documents_whole_content(invoice, paid):
    entry = JournalEntry.objects.get(kind="facture")
    content = json.loads(entry.payload)
    assert (entry.document_id, entry.reference, entry.amount) == (invoice.pk, invoice.number, D("157.68"))
    assert (content["number"], content["total_ttc"], content["buyer"]["name"]) == (
        invoice.number,
        "157.68",
        invoice.buyer["name"],
    )
    assert [(x["designation"], x["unit_price_ht"], x["vat_rate"]) for x in content["lines"]] == [
        (x.designation, f"{x.unit_price_ht:.2f}", f"{x.vat_rate:.2f}") for x in invoice.lines.all()
    ]
    payment_entry = JournalEntry.objects.get(kind="paiement")
    assert json.loads(payment_entry.payload)["amount"] == "157.68"
    assert payment_entry.reference == f"{invoice.case.number}/P{paid.pk}"
    assert _verify() == (0, ["journal ok: 2 entries"])


@pytest.mark.parametrize(
    "tamper",
    [
        lambda: Invoice.objects.update(total_ttc=D("1.00")),
        lambda: InvoiceLine.objects.update(unit_price_ht=D("0.01")),
        lambda: InvoiceLine.objects.all().delete(),
        lambda: Payment.objects.update(amount=D("1.00")),
        lambda: JournalEntry.objects.update(amount=D("1.00")),
    ],
    ids=["invoice-total", "line-price", "line-delete", "payment-amount", "entry-amount"],
)
def test_the_database_refuses_bulk_changes_of_issued_documents(paid, tamper):
    with pytest.raises(DatabaseError, match="Document émis inaltérable"), transaction.atomic():
        tamper()
    assert (Invoice.objects.get().total_ttc, Payment.objects.get().amount) == (D("157.68"), D("157.68"))


def test_the_database_refuses_raw_sql_too(paid):
    for sql in (
        "UPDATE billing_invoice SET total_ttc = 1",
        "DELETE FROM billing_invoiceline",
        "UPDATE billing_payment SET amount = 1",
        "DELETE FROM billing_journalentry",
    ):
        with pytest.raises(DatabaseError, match="Document émis inaltérable"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
    assert _verify() == (0, ["journal ok: 2 entries"])


def test_the_model_refuses_too_with_a_french_message(invoice):
    with pytest.raises(AtelierError, match="Une facture émise ne peut être ni modifiée ni supprimée"):
        invoice.save()


def test_every_guarded_table_has_its_triggers(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT event_object_table, trigger_name FROM information_schema.triggers "
                "WHERE trigger_name LIKE 'atelier_%%'"
            )
        triggered = {table for table, name in cursor.fetchall() if name.startswith("atelier_")}
    assert triggered == set(guarded_tables())


def test_a_changed_amount_is_named(invoice, paid):
    with rewrite_allowed():  # the owner of the database lifts the guard
        Invoice.objects.filter(pk=invoice.pk).update(total_ttc=D("1.00"))
    assert _verify() == (
        1,
        [f"journal rompu : facture {invoice.number} : montant modifié depuis son émission"],
    )


def test_a_line_price_a_buyer_and_a_payment_changed_are_each_named(invoice, paid):
    with rewrite_allowed():
        InvoiceLine.objects.filter(invoice=invoice).update(unit_price_ht=D("0.01"))
        Invoice.objects.filter(pk=invoice.pk).update(buyer={"name": "Quelqu'un d'autre"})
        Payment.objects.filter(pk=paid.pk).update(amount=D("100.00"))
    assert _verify() == (
        1,
        [
            f"journal rompu : facture {invoice.number} : client modifié depuis son émission",
            f"facture {invoice.number} : lignes modifiées depuis son émission",
            f"paiement {invoice.case.number}/P{paid.pk} : montant modifié depuis son enregistrement",
        ],
    )


def test_a_deleted_invoice_and_an_added_one_are_named(invoice, paid):
    with rewrite_allowed():
        Payment.objects.all().delete()
        InvoiceLine.objects.all().delete()
        Invoice.objects.all().delete()
    assert _verify() == (
        1,
        [
            f"journal rompu : facture {invoice.number} : document supprimé depuis son émission",
            f"paiement {invoice.case.number}/P{paid.pk} : document supprimé depuis son enregistrement",
        ],
    )


def test_an_invoice_written_behind_the_journals_back_is_named(invoice):
    forged = Invoice.objects.get(pk=invoice.pk)
    forged.pk, forged.number = None, "F-PAR1-2026-999999"
    Invoice.objects.bulk_create([forged])  # bulk_create skips save(): no entry written
    assert _verify() == (
        1,
        ["journal rompu : facture F-PAR1-2026-999999 : document absent du journal (écrit hors d'Atelier)"],
    )


def test_a_changed_closure_is_named(paid, site, comptable):
    closure = closures.closure_run(site=site, actor=comptable, period="jour", start=timezone.localdate())
    with rewrite_allowed():
        Closure.objects.filter(pk=closure.pk).update(grand_total=D("1.00"))
    code, lines = _verify()
    assert (code, lines[0]) == (
        1,
        f"journal rompu : clôture PAR1/jour/{closure.start.isoformat()} : champ « grand total perpétuel TTC » "
        "modifié depuis son enregistrement",
    )


def test_the_api_gives_the_entries_and_the_verdict_to_the_accountant_only(
    client, paid, invoice, comptable, accueil, other_site
):
    from atelier.billing.journal import journal_append

    journal_append(site=other_site, kind="parametre", reference="LYON", amount=D("0.00"), at=timezone.now())
    client.force_login(comptable)
    rows = client.get("/api/journal/").json()["results"]
    assert [(r["site"], r["seq"], r["kind"], r["reference"]) for r in rows] == [
        ("PAR1", 1, "facture", invoice.number),
        ("PAR1", 2, "paiement", f"{invoice.case.number}/P{paid.pk}"),
    ]
    assert rows[0]["content"]["total_ttc"] == "157.68"
    assert client.get("/api/journal/verify/").json() == {
        "ok": True,
        "entries": 2,
        "message": "journal ok: 2 entries",
        "problems": [],
    }
    with rewrite_allowed():
        Invoice.objects.update(total_ttc=D("1.00"))
    assert client.get("/api/journal/verify/?site=PAR1").json()["problems"] == [
        f"facture {invoice.number} : montant modifié depuis son émission"
    ]
    assert client.get("/api/journal/verify/?site=LYO1").status_code == 404
    client.force_login(accueil)
    assert client.get("/api/journal/").status_code == 403


def test_raw_sql_on_a_credit_note_and_a_refund_is_named(invoice, ready_case, accueil, comptable):
    """Raw SQL by the database's owner, guard lifted: every kind of document is still compared."""
    from atelier.billing import refunds, services

    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "157.68")])
    note = services.credit_note_issue(invoice=invoice, actor=comptable, amount_ttc="57.68", reason="Geste")
    refund = refunds.refund_make(case=ready_case, actor=accueil, method="carte", amount="57.68")
    with rewrite_allowed(), connection.cursor() as cursor:
        cursor.execute("UPDATE billing_invoice SET reason = 'autre motif' WHERE id = %s", [note.pk])
        cursor.execute("UPDATE billing_payment SET amount = -1 WHERE id = %s", [refund.pk])
        cursor.execute("UPDATE billing_invoiceline SET vat_rate = 5.5 WHERE invoice_id = %s", [note.pk])
    assert _verify()[1] == [
        f"journal rompu : avoir {note.number} : lignes modifiées depuis son émission",
        f"avoir {note.number} : champ « motif de l'avoir » modifié depuis son émission",
        f"paiement {ready_case.number}/R{refund.pk} : montant modifié depuis son enregistrement",
    ]
