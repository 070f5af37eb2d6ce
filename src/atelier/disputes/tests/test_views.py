"""Disputes' screens: open from a complaint, a claim, an invoice; the page's steps; the overdue flag; the
mediator proposed when due (L616-2) and the warning when the site has none; the dossier and customer sections;
another site's objects answer 404."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from atelier.billing.models import Invoice
from atelier.disputes import services
from atelier.disputes.models import Dispute, DisputeSettings
from atelier.disputes.tests.conftest import MEDIATOR, MEDIATOR_SITE
from atelier.reception.tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _open(invoice, actor, channel="courrier", received_on=None):
    return services.dispute_open(
        actor=actor,
        source="facture",
        invoice=invoice,
        channel=channel,
        summary="Trop cher.",
        received_on=received_on,
    )


def test_counter_opens_a_dispute_from_a_complaint(client, accueil, ready_case, site):
    complaint = ComplaintFactory(site=site, customer=ready_case.customer, case=ready_case)
    client.force_login(accueil)
    page = client.get(reverse("reception:complaint_detail", args=[complaint.pk])).content.decode()
    assert f'href="/litiges/nouveau/?mecontentement={complaint.pk}"' in page
    form = client.get(reverse("disputes:create") + f"?mecontentement={complaint.pk}")
    assert form.status_code == 200
    assert ready_case.number in form.content.decode()
    missing = client.post(reverse("disputes:create"), {"mecontentement": complaint.pk, "channel": "guichet"})
    assert missing.status_code == 400
    assert Dispute.objects.count() == 0
    response = client.post(
        reverse("disputes:create"),
        {"mecontentement": complaint.pk, "channel": "guichet", "summary": "Délai trop long."},
    )
    dispute = Dispute.objects.get()
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("disputes:detail", args=[dispute.pk]),
    )
    assert (dispute.source, dispute.complaint, dispute.case) == ("mecontentement", complaint, ready_case)


def test_claim_and_invoice_pages_offer_to_open_a_dispute(client, accueil, responsable, invoice):
    client.force_login(accueil)
    page = client.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    assert f'href="/litiges/nouveau/?facture={invoice.pk}"' in page
    client.force_login(responsable)
    page = client.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    assert "Ouvrir un litige" in page


def test_the_page_instructs_and_refuses_an_outcome_without_reason(client, accueil, responsable, invoice):
    dispute = _open(invoice, accueil)
    client.force_login(accueil)
    url = reverse("disputes:detail", args=[dispute.pk])
    done = client.post(url, {"action": "instruct", "cause": "prix", "assigned_to": responsable.pk})
    assert done.status_code == 302
    client.force_login(responsable)
    refused = client.post(url, {"action": "decide", "outcome": "accord", "reason": ""})
    assert refused.status_code == 400
    assert (
        "Indiquez le motif de cette issue : il figure dans la lettre au client." in refused.content.decode()
    )
    too_much = client.post(url, {"action": "decide", "outcome": "geste", "reason": "Geste", "amount": "500"})
    assert too_much.status_code == 400
    assert (
        f"Le geste commercial (500,00 €) dépasse ce qui reste de la facture {invoice.number} (157,68 €)."
        in too_much.content.decode()
    )
    assert Invoice.objects.filter(kind="avoir").count() == 0
    ok = client.post(url, {"action": "decide", "outcome": "geste", "reason": "Geste", "amount": "15,50"})
    assert ok.status_code == 302
    dispute.refresh_from_db()
    assert (dispute.state, dispute.credit_note.total_ttc) == ("clos", Decimal("15.50"))
    page = client.get(url).content.decode()
    assert dispute.credit_note.number in page and "Réponse" in page


def test_the_counter_cannot_decide_a_gesture(client, accueil, responsable, invoice):
    dispute = _open(invoice, accueil)
    services.dispute_instruct(dispute=dispute, actor=accueil, cause="prix", assigned_to=responsable)
    client.force_login(accueil)
    refused = client.post(
        reverse("disputes:detail", args=[dispute.pk]),
        {"action": "decide", "outcome": "geste", "reason": "Geste", "amount": "10"},
    )
    assert refused.status_code == 403
    assert Invoice.objects.filter(kind="avoir").count() == 0


def test_list_flags_overdue_and_filters(client, accueil, invoice):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC), tick=False):
        late = _open(invoice, accueil, received_on=D(2026, 2, 1))
        fresh = _open(invoice, accueil, received_on=D(2026, 2, 27))
        client.force_login(accueil)
        page = client.get(reverse("disputes:list")).content.decode()
        assert page.count('class="badge s-refuse overdue"') == 1
        overdue = client.get(reverse("disputes:list") + "?en_retard=1").content.decode()
        assert late.number in overdue and fresh.number not in overdue
        nul = client.get(
            reverse("disputes:list") + "?etat=%00"
        )  # refused before any view (NulInQueryMiddleware)
        assert (nul.status_code, nul.content.decode()) == (
            400,
            "Adresse refusée : elle contient un caractère nul.",
        )


def test_the_page_proposes_the_mediator_when_a_written_complaint_stays_unresolved_L616_2(
    client, accueil, responsable, invoice, mediator, site
):
    DisputeSettings.objects.create(site=site, reply_days=15, mediation_after_days=30)
    with time_machine.travel(datetime.datetime(2026, 4, 1, 10, tzinfo=datetime.UTC), tick=False):
        dispute = _open(invoice, accueil, received_on=D(2026, 3, 1))
        client.force_login(accueil)
        page = client.get(reverse("disputes:detail", args=[dispute.pk])).content.decode()
        assert 'id="mediation-due"' in page
        assert f"Médiateur du site : {MEDIATOR} — {MEDIATOR_SITE}." in page
        sent = client.post(reverse("disputes:detail", args=[dispute.pk]), {"action": "mediation", "text": ""})
        assert sent.status_code == 302
        page = client.get(reverse("disputes:detail", args=[dispute.pk])).content.decode()
        assert 'id="mediation-due"' not in page and "Saisine du médiateur" in page
        letter = dispute.letters.get()
        pdf = client.get(reverse("disputes:letter", args=[dispute.pk, letter.pk]))
        assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")


def test_a_site_without_mediator_warns_the_manager_and_refuses_the_referral(
    client, accueil, responsable, invoice
):
    dispute = _open(invoice, accueil)
    client.force_login(responsable)
    page = client.get(reverse("disputes:detail", args=[dispute.pk])).content.decode()
    assert 'id="no-mediator"' in page
    assert "n'est pas renseigné" in client.get(reverse("disputes:list")).content.decode()
    refused = client.post(reverse("disputes:detail", args=[dispute.pk]), {"action": "mediation", "text": ""})
    assert refused.status_code == 400
    assert dispute.letters.count() == 0


def test_dossier_and_customer_sections(client, accueil, invoice):
    dispute = _open(invoice, accueil)
    client.force_login(accueil)
    case = invoice.case
    section = client.get(reverse("repairs:section", args=[case.pk, "disputes"]), HTTP_HX_REQUEST="true")
    text = section.content.decode()
    assert section.status_code == 200 and dispute.number in text
    assert reverse("disputes:case_pack", args=[case.pk]) in text
    lazy = client.get(reverse("customers:detail", args=[case.customer.pk])).content.decode()
    assert reverse("disputes:customer", args=[case.customer.pk]) in lazy
    fragment = client.get(reverse("disputes:customer", args=[case.customer.pk]), HTTP_HX_REQUEST="true")
    assert dispute.number in fragment.content.decode()
    assert client.get(reverse("disputes:case", args=[case.pk])).status_code == 200


def test_evidence_packs_are_pdfs(client, accueil, invoice):
    dispute = _open(invoice, accueil)
    client.force_login(accueil)
    for url in (
        reverse("disputes:pack", args=[dispute.pk]),
        reverse("disputes:case_pack", args=[invoice.case.pk]),
    ):
        response = client.get(url)
        assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
        assert response.content.startswith(b"%PDF")


def test_other_sites_objects_answer_404(client, other_accueil, accueil, invoice, site):
    dispute = _open(invoice, accueil)
    complaint = ComplaintFactory(site=site)
    client.force_login(other_accueil)
    for url in (
        reverse("disputes:detail", args=[dispute.pk]),
        reverse("disputes:pack", args=[dispute.pk]),
        reverse("disputes:case", args=[invoice.case.pk]),
        reverse("disputes:case_pack", args=[invoice.case.pk]),
        reverse("disputes:customer", args=[invoice.case.customer.pk]),
        reverse("disputes:create") + f"?facture={invoice.pk}",
        reverse("disputes:create") + f"?mecontentement={complaint.pk}",
    ):
        assert client.get(url).status_code == 404, url
    refused = client.post(
        reverse("disputes:create"), {"facture": invoice.pk, "channel": "courrier", "summary": "x"}
    )
    assert refused.status_code == 404
    assert Dispute.objects.count() == 1
    assert dispute.number not in client.get(reverse("disputes:list")).content.decode()
