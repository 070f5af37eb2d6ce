"""Stored originals: produced once after the issue, their SHA-256 journalled, served byte for byte at every
download (produced at the first one when missing), never changed by a later payment, checked by
originals_verify."""

import hashlib
import json
import logging
import threading
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from facturx import get_facturx_xml_from_pdf

from atelier.billing import documents, handover, originals, payments, services
from atelier.billing.choices import JournalKind
from atelier.billing.guards import rewrite_allowed
from atelier.billing.journal import journal_append
from atelier.billing.models import Invoice, JournalEntry, Original
from atelier.billing.tests import deposit_helpers
from atelier.billing.tests.deposit_helpers import deposit
from atelier.billing.verify import journal_verify
from atelier.customers.models import Customer

pytestmark = pytest.mark.django_db
quote = deposit_helpers.quote
accepted = deposit_helpers.accepted
D = Decimal


def _hex(data) -> str:
    return hashlib.sha256(bytes(data)).hexdigest()


def _entries():
    return [
        (e.reference, e.amount, json.loads(e.payload))
        for e in JournalEntry.objects.filter(kind=JournalKind.ORIGINAL).order_by("pk")
    ]


def _business(case):
    Customer.objects.filter(pk=case.customer_id).update(
        kind="professionnel", company_name="Blanchisserie Martin", siren="552100554", address="3 rue Haute"
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def unstored(monkeypatch):
    """Issue as if the process died right after the commit: the scheduled original is never produced."""
    monkeypatch.setattr(services, "schedule_original", lambda invoice: None)


def test_the_original_is_stored_once_at_issue_and_its_hash_journalled(
    ready_case, accueil, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invoice = services.invoice_issue(case=ready_case, actor=accueil)
        assert Original.objects.count() == 0  # not inside the issuing transaction: after its commit
    assert len(callbacks) == 1
    original = Original.objects.get()
    assert (original.invoice, bytes(original.pdf)[:5], original.xml, original.xml_sha256) == (
        invoice,
        b"%PDF-",
        None,  # a household customer: the plain PDF, no Factur-X
        "",
    )
    assert original.pdf_sha256 == _hex(original.pdf)
    assert _entries() == [
        (
            invoice.number,
            D("0.00"),
            {"document": invoice.number, "pdf_sha256": _hex(original.pdf), "xml_sha256": ""},
        )
    ]
    assert originals.original_store(invoice).pk == original.pk  # again: the same row, nothing journalled
    assert (Original.objects.count(), len(_entries())) == (1, 1)
    assert journal_verify().ok


def test_a_business_original_is_the_facturx_pdf_with_its_xml(
    ready_case, accueil, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = services.invoice_issue(case=_business(ready_case), actor=accueil)
    original = Original.objects.get()
    assert bytes(original.xml) == documents.facturx_xml(invoice)
    filename, embedded = get_facturx_xml_from_pdf(bytes(original.pdf), check_xsd=True)
    assert (filename, embedded) == ("factur-x.xml", bytes(original.xml))
    assert _entries()[0][2] == {
        "document": invoice.number,
        "pdf_sha256": _hex(original.pdf),
        "xml_sha256": _hex(original.xml),
    }


def test_deposit_invoices_and_credit_notes_keep_theirs(
    accepted,
    accueil,
    comptable,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        deposit(accepted.case, accueil)
    down = Invoice.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        note = services.credit_note_issue(invoice=down, actor=comptable, amount_ttc="50", reason="Annulé")
    assert list(Original.objects.order_by("pk").values_list("invoice__number", flat=True)) == [
        down.number,
        note.number,
    ]
    assert [reference for reference, _amount, _payload in _entries()] == [down.number, note.number]


def test_downloads_return_the_same_bytes(client, ready_case, accueil, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = services.invoice_issue(case=_business(ready_case), actor=accueil)
    stored = bytes(Original.objects.get().pdf)
    client.force_login(accueil)
    first = client.get(f"/facturation/facture/{invoice.pk}/pdf/")
    second = client.get(f"/facturation/facture/{invoice.pk}/pdf/")
    facturx = client.get(f"/facturation/facture/{invoice.pk}/factur-x/")
    link = handover.tracking_link_create(case=ready_case)
    tracking = client.get(f"/suivi/{link.token}/facture/{invoice.pk}/")
    assert [r.status_code for r in (first, second, facturx, tracking)] == [200, 200, 200, 200]
    assert first.content == second.content == facturx.content == tracking.content == stored
    assert facturx["Content-Disposition"] == f'inline; filename="{invoice.number}-facturx.pdf"'


def test_a_missing_original_is_produced_once_at_the_first_download(client, unstored, ready_case, accueil):
    invoice = services.invoice_issue(case=ready_case, actor=accueil)
    assert Original.objects.count() == 0
    client.force_login(accueil)
    first = client.get(f"/facturation/facture/{invoice.pk}/pdf/")
    original = Original.objects.get()
    assert first.content == bytes(original.pdf)
    assert client.get(f"/facturation/facture/{invoice.pk}/pdf/").content == first.content
    assert (Original.objects.count(), [r for r, _a, _p in _entries()]) == (1, [invoice.number])


def test_a_failed_rendering_after_commit_is_logged_and_the_download_covers_it(
    client, monkeypatch, ready_case, accueil, caplog, django_capture_on_commit_callbacks
):
    def broken(invoice):
        raise OSError("disque plein")

    monkeypatch.setattr(originals, "original_render", broken)
    with caplog.at_level(logging.ERROR, logger="atelier.billing.originals"):
        with django_capture_on_commit_callbacks(execute=True):
            invoice = services.invoice_issue(case=ready_case, actor=accueil)
    assert Invoice.objects.get() == invoice and Original.objects.count() == 0  # issued all the same
    assert [r.getMessage() for r in caplog.records] == [
        f"Original of document #{invoice.pk} not stored after its issue: produced at its first download"
    ]
    monkeypatch.undo()
    client.force_login(accueil)
    assert client.get(f"/facturation/facture/{invoice.pk}/pdf/").content == bytes(Original.objects.get().pdf)


def test_the_xml_does_not_change_after_a_payment(ready_case, accueil, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = services.invoice_issue(case=_business(ready_case), actor=accueil)
    stored = bytes(Original.objects.get().xml)
    assert b"<ram:TotalPrepaidAmount>0.00</ram:TotalPrepaidAmount>" in stored
    assert b"<ram:DuePayableAmount>157.68</ram:DuePayableAmount>" in stored
    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "157,68")])
    assert documents.facturx_xml(invoice) == stored  # paid or not, the invoice says the same


def test_originals_verify_names_a_tampered_original(ready_case, accueil, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = services.invoice_issue(case=ready_case, actor=accueil)
    assert originals.originals_verify() == []
    with pytest.raises(DatabaseError, match="Document émis inaltérable"), transaction.atomic():
        Original.objects.filter(invoice=invoice).update(pdf=b"%PDF-1.7 total 1,00")  # refused by the database
    with rewrite_allowed():  # the database's owner lifts the guard: the journal still tells
        Original.objects.filter(invoice=invoice).update(pdf=b"%PDF-1.7 total 1,00")
    assert originals.originals_verify() == [
        f"facture {invoice.number} : original PDF modifié depuis son émission"
    ]
    assert originals.originals_verify(site=ready_case.site) == [
        f"facture {invoice.number} : original PDF modifié depuis son émission"
    ]


def test_originals_verify_names_an_original_without_entry_and_an_entry_without_original(
    unstored,
    accepted,
    accueil,
    site,
):
    deposit(accepted.case, accueil)
    down = Invoice.objects.get()
    Original(invoice=down, pdf=b"%PDF-", pdf_sha256=_hex(b"%PDF-"), created_at=down.issued_at).save()
    journal_append(
        site=site,
        kind=JournalKind.ORIGINAL,
        reference="F-PAR1-2026-999999",
        amount=D("0.00"),
        at=down.issued_at,
        payload={"document": "F-PAR1-2026-999999", "pdf_sha256": "0" * 64, "xml_sha256": ""},
    )
    assert originals.originals_verify() == [
        f"facture d'acompte {down.number} : original absent du journal",
        "document F-PAR1-2026-999999 : original journalisé mais absent de la base",
    ]


def test_an_original_is_never_changed_nor_deleted(ready_case, accueil, django_capture_on_commit_callbacks):
    from atelier.core.errors import AtelierError

    with django_capture_on_commit_callbacks(execute=True):
        services.invoice_issue(case=ready_case, actor=accueil)
    original = Original.objects.get()
    message = "L'original d'un document émis est conservé tel quel : il ne peut être ni modifié ni supprimé."
    with pytest.raises(AtelierError, match=message):
        original.save()
    with pytest.raises(AtelierError, match=message):
        original.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrency: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_first_downloads_at_once_store_one_original(unstored, ready_case, accueil):
    """Both find no original and render one; the invoice's lock makes the second wait, then return the first's."""
    from django.db import connection as thread_connection

    invoice = services.invoice_issue(case=ready_case, actor=accueil)
    barrier, stored = threading.Barrier(2), []

    def download():
        try:
            barrier.wait()
            stored.append(originals.original_store(Invoice.objects.get(pk=invoice.pk)).pk)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=download) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert stored == [Original.objects.get().pk] * 2
    assert [r for r, _a, _p in _entries()] == [invoice.number]
    assert journal_verify().ok
