"""The evidence pack's sections (and the parts other apps add), and the consumer mediator printed on quotes,
invoices and the tracking page (C. consom. L612-1, L616-1) — nothing printed, no crash, when a site has none."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from atelier.billing.documents import invoice_html
from atelier.diagnostics.models import Diagnosis, Measurement, PreDiagnosis
from atelier.disputes import evidence, extensions, services
from atelier.disputes.tests.conftest import MEDIATOR, MEDIATOR_SITE, pdf_text
from atelier.quotes.documents import quote_html

pytestmark = pytest.mark.django_db

MEDIATOR_LINE = (
    "Médiation de la consommation : en cas de litige non résolu après réclamation écrite auprès de nos services, "
    "vous pouvez recourir gratuitement au médiateur de la consommation dont nous relevons : "
    f"{MEDIATOR} — {MEDIATOR_SITE} (art. L612-1 et L616-1 du Code de la consommation)."
)


def test_the_pack_holds_every_section_and_the_extension_parts(invoice, accueil, technicien, monkeypatch):
    case = invoice.case
    PreDiagnosis.objects.filter(case=case).delete()
    PreDiagnosis.objects.create(
        case=case, findings="Pompe bloquée par une pièce de monnaie.", recorded_by=accueil
    )
    diagnosis, _ = Diagnosis.objects.get_or_create(case=case, defaults={"technician": technicien})
    Measurement.objects.create(
        diagnosis=diagnosis,
        instrument="Multimètre",
        point="Bobine de la pompe",
        value=Decimal("170"),
        unit="ohm",
        expected_min=Decimal("150"),
        expected_max=Decimal("200"),
        conforming=True,
        measured_by=technicien,
    )
    monkeypatch.setattr(
        extensions,
        "evidence_parts",
        [lambda c: {"template": "disputes/pdf/_part_list.html", "title": "Photos", "items": ["2 photos"]}],
    )
    dispute = services.dispute_open(
        actor=accueil, source="facture", invoice=invoice, channel="courrier", summary="La pompe refuit."
    )
    text = pdf_text(evidence.pack_pdf(dispute=dispute))
    quote = case.quotes.get()
    for expected in (
        f"Dossier de preuves — litige {dispute.number} — dossier {case.number}",
        "Le litige",
        "La pompe refuit.",
        "Chronologie",
        "Litige ouvert (Facture contestée, courrier)",
        "Devis (toutes les versions)",
        f"Version 1 — {quote.number} — Accepté",
        "Signé par Nadia Lefèvre",
        "Pré-diagnostic",
        "Pompe bloquée par une pièce de monnaie.",
        "Mesures",
        "Bobine de la pompe",
        "Photos",
        "2 photos",
        "Factures et avoirs",
        f"Facture {invoice.number}",
        "157,68 €",
        "Paiements",
        "Messages",
    ):
        assert expected in text, expected


def test_the_mediator_is_printed_on_quotes_invoices_and_the_tracking_page_L616_1(client, invoice, mediator):
    from atelier.billing.models import TrackingLink

    quote = invoice.case.quotes.get()
    assert MEDIATOR_LINE in " ".join(quote_html(quote).split())
    assert MEDIATOR_LINE in " ".join(invoice_html(invoice).split())
    from atelier.billing.handover import tracking_link_create

    link = TrackingLink.objects.filter(case=invoice.case).first() or tracking_link_create(case=invoice.case)
    page = client.get(reverse("billing_public:tracking", args=[link.token])).content.decode()
    assert MEDIATOR_LINE in " ".join(page.split())


def test_no_mediator_prints_nothing_and_never_crashes(invoice):
    quote = invoice.case.quotes.get()
    assert "Médiation de la consommation" not in quote_html(quote)
    assert "Médiation de la consommation" not in invoice_html(invoice)


def test_letters_dates_are_french(invoice, accueil):
    dispute = services.dispute_open(
        actor=accueil,
        source="facture",
        invoice=invoice,
        channel="courrier",
        summary="x",
        received_on=datetime.date(2026, 1, 5),
    )
    assert dispute.reply_due == datetime.date(2026, 1, 20)
