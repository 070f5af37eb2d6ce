"""Resale (issue 20, point 5): the invoice issued through billing (numbered, journalled) with the legal
guarantee of used goods (dated data), the shop's commercial guarantee, the wording the refurbishment allows,
the grade and the appliance's past; the ledger balances after the sale; bad input refused in French."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from atelier.billing.models import Invoice, JournalEntry
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.refurbishment import services
from atelier.refurbishment.models import ApplianceMove, ApplianceSale, UsedGoodsGuarantee
from atelier.refurbishment.tests.conftest import sorted_valid

pytestmark = pytest.mark.django_db

LEGAL = (
    "Garantie légale de conformité : 24 mois à compter de la délivrance de l'appareil ; pour un bien vendu "
    "d'occasion, le défaut qui apparaît dans les 12 mois est présumé exister à la délivrance. S'y ajoute la "
    "garantie des vices cachés (art. 1641 à 1649 du Code civil). Fondement : C. conso. art. L217-3 (garantie "
    "légale de conformité de deux ans) et L217-7 (défaut présumé exister à la délivrance pendant douze mois pour "
    "les biens vendus d'occasion), ordonnance n° 2021-1247 du 29 septembre 2021."
)


def test_a_refurbished_appliance_is_sold_with_its_invoice(
    take_in, magasinier, technicien, accueil, customer, refurbish, site
):
    appliance = sorted_valid(take_in, magasinier, serial_number="SN-778")
    refurbishment = refurbish(appliance, failing=("essai_essorage",))
    services.refurbishment_step_record(
        actor=technicien,
        refurbishment=refurbishment,
        step_code="essai_essorage",
        passed=True,
        repair="Amortisseurs remplacés",
    )
    services.refurbishment_finish(
        actor=technicien, refurbishment=refurbishment, verdict="conforme", grade="A", price="189.00"
    )
    sale = services.appliance_resell(
        actor=accueil, appliance=appliance, price="189.00", customer=customer, commercial_months=6
    )
    year = sale.sold_at.year
    invoice = sale.invoice
    assert (sale.wording, sale.grade, sale.price) == (
        "reconditionne_france",
        "A – Très bon état",
        Decimal("189.00"),
    )
    assert (invoice.number, invoice.case, invoice.total_ttc, invoice.total_ht, invoice.total_vat) == (
        f"F-PAR1-{year}-000001",
        None,
        Decimal("189.00"),
        Decimal("157.50"),
        Decimal("31.50"),
    )
    line = invoice.lines.get()
    assert line.designation == (
        f"Lave-linge Bosch WAN28208FF, n° de série SN-778 — reconditionné en France, grade A – Très bon état "
        f"(appareil {appliance.number})"
    )
    assert (line.kind, line.is_goods, line.vat_rate) == ("bien", True, Decimal("20.00"))
    assert invoice.mentions["guarantee"] == LEGAL
    assert invoice.mentions["commercial_guarantee"].startswith(
        "Garantie commerciale du vendeur : 6 mois à compter de la vente"
    )
    assert invoice.mentions["wording"] == "Reconditionné en France"
    assert sale.history[1:] == [
        "Tri du "
        + appliance.triages.get().done_at.astimezone().strftime("%d/%m/%Y")
        + " : Fonctionnement validé.",
        "Reconditionnement terminé le "
        + refurbishment.__class__.objects.get(pk=refurbishment.pk)
        .finished_at.astimezone()
        .strftime("%d/%m/%Y")
        + " : Fonctionnement conforme.",
        "Réparé (Essorage seul) : Amortisseurs remplacés.",
    ]
    assert JournalEntry.objects.filter(reference=invoice.number).count() == 1
    # the ledger balances: the sale is one exit, the site's stock sum equals the appliances in stock
    assert ApplianceMove.objects.filter(appliance__site=site).aggregate(s=Sum("quantity"))["s"] == 0
    assert sale.move.kind == "vente" and sale.move.quantity == -1


def test_an_appliance_only_triaged_is_sold_as_occasion(take_in, magasinier, accueil, customer):
    appliance = sorted_valid(take_in, magasinier)
    sale = services.appliance_resell(actor=accueil, appliance=appliance, price="99", customer=customer)
    assert (sale.wording, sale.grade, sale.commercial_guarantee) == ("occasion", "", "")
    assert "d'occasion" in sale.invoice.lines.get().designation
    assert "commercial_guarantee" not in sale.invoice.mentions


def test_the_legal_guarantee_is_the_one_in_force_on_the_day(take_in, magasinier, accueil, customer):
    UsedGoodsGuarantee.objects.create(
        valid_from=datetime.date(2000, 1, 1), months=12, presumption_months=6, legal_basis="ancien régime"
    )
    appliance = sorted_valid(take_in, magasinier)
    sale = services.appliance_resell(actor=accueil, appliance=appliance, price="99", customer=customer)
    assert sale.legal_guarantee == LEGAL


def test_sale_refusals_write_nothing(take_in, magasinier, technicien, accueil, customer, refurbish):
    in_triage = take_in()
    with pytest.raises(TransitionRefused) as exc:
        services.appliance_resell(actor=accueil, appliance=in_triage, price="99", customer=customer)
    assert exc.value.message == (
        f"L'appareil {in_triage.number} est encore à trier : un appareil ne se vend ni ne se réserve avant son tri "
        "(fonctionnement validé)."
    )
    appliance = sorted_valid(take_in, magasinier)
    with pytest.raises(AtelierError) as exc:
        services.appliance_resell(actor=accueil, appliance=appliance, price="99", customer=None)
    assert exc.value.message == "Choisissez le client : la facture est établie à son nom."
    with pytest.raises(AtelierError) as exc:
        services.appliance_resell(
            actor=accueil, appliance=appliance, price="99", customer=customer, commercial_months=99
        )
    assert exc.value.message == "Garantie commerciale : de 0 (aucune) à 60 mois."
    services.refurbishment_start(actor=technicien, appliance=appliance)
    with pytest.raises(TransitionRefused) as exc:
        services.appliance_resell(actor=accueil, appliance=appliance, price="99", customer=customer)
    assert exc.value.message == (
        f"L'appareil {appliance.number} est en cours de reconditionnement : terminez-le avant de le vendre ou de le "
        "réserver."
    )
    assert (ApplianceSale.objects.count(), Invoice.objects.count()) == (0, 0)


def test_an_appliance_to_repair_sells_once_refurbished(
    take_in, magasinier, technicien, accueil, customer, refurbish
):
    from atelier.refurbishment.tests.conftest import all_checks

    appliance = take_in()
    services.appliance_triage(
        actor=magasinier,
        appliance=appliance,
        results=all_checks("lave_linge", failing=("chauffage",)),
        outcome="a_reparer",
    )
    refurbishment = refurbish(appliance)
    services.refurbishment_finish(
        actor=technicien, refurbishment=refurbishment, verdict="conforme", grade="B", price="120"
    )
    sale = services.appliance_resell(actor=accueil, appliance=appliance, price="120", customer=customer)
    assert (sale.wording, sale.refurbishment_id) == ("reconditionne_france", refurbishment.pk)


def test_the_sale_invoice_page_and_document(client, take_in, magasinier, accueil, customer):
    from django.urls import reverse

    from atelier.billing.documents import invoice_html

    appliance = sorted_valid(take_in, magasinier, serial_number="SN-9")
    sale = services.appliance_resell(actor=accueil, appliance=appliance, price="99", customer=customer)
    client.force_login(accueil)
    page = client.get(reverse("billing:invoice", args=[sale.invoice.pk]))
    assert page.status_code == 200
    assert (
        f"Appareil {appliance.number} : Lave-linge Bosch WAN28208FF, n° de série SN-9."
        in page.content.decode()
    )
    html = invoice_html(sale.invoice)
    assert 'id="goods-history"' in html and "Historique de l'appareil" in html
    assert "pour un bien vendu d&#x27;occasion, le défaut qui apparaît dans les 12 mois" in html
    assert sale.move.reason == "vendu : d'occasion"


def test_a_dispute_opens_from_a_sale_invoice_with_its_buyer(client, take_in, magasinier, accueil, customer):
    """A sale invoice has no dossier: the dispute form names the buyer, not a 500."""
    from django.urls import reverse

    appliance = sorted_valid(take_in, magasinier)
    sale = services.appliance_resell(actor=accueil, appliance=appliance, price="99", customer=customer)
    client.force_login(accueil)
    page = client.get(reverse("disputes:create") + f"?facture={sale.invoice.pk}")
    assert page.status_code == 200
    assert (page.context["customer"], page.context["case"]) == (customer, None)
