"""Supplier returns (issue 18 point 3): a defective new part goes back to its supplier under the supplier's
warranty, with its serials and the credit expected; states à envoyer → envoyée → avoir reçu | refusée; from the
stock screens and the API; the storekeeper and the manager record them, another site sees nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from atelier.core.errors import AtelierError, PermissionRefused
from atelier.stock.models import SupplierReturn
from atelier.stock.services.returns import supplier_return_open, supplier_return_transition

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def returned(site, magasinier, supplier, pump):
    return supplier_return_open(
        actor=magasinier,
        site=site,
        supplier=supplier,
        part=pump,
        serials="PMP-2291-A",
        fault="Pompe bloquée à la mise en service.",
        expected_credit="48,90",
    )


def test_a_return_through_its_states_to_the_credit(returned, magasinier):
    assert (returned.state, returned.expected_credit, returned.quantity) == ("a_envoyer", D("48.90"), D("1"))
    sent = supplier_return_transition(
        returned=returned, actor=magasinier, action="send", reference="RMA-5521"
    )
    assert (sent.state, sent.supplier_reference) == ("envoyee", "RMA-5521") and sent.sent_at is not None
    with pytest.raises(AtelierError, match="Indiquez le n° de l'avoir du fournisseur."):
        supplier_return_transition(returned=sent, actor=magasinier, action="credit", amount="48,90")
    done = supplier_return_transition(
        returned=sent, actor=magasinier, action="credit", amount="45,00", reference="AV-PPD-889"
    )
    assert (done.state, done.credit_received, done.credit_reference, done.closed_by) == (
        "avoir_recu",
        D("45.00"),
        "AV-PPD-889",
        magasinier,
    )
    with pytest.raises(AtelierError, match="Le retour est « Avoir reçu » : « Refusée » n'est pas possible."):
        supplier_return_transition(returned=done, actor=magasinier, action="refuse", reason="x")


def test_a_refusal_needs_the_suppliers_reason(returned, magasinier):
    supplier_return_transition(returned=returned, actor=magasinier, action="send")
    with pytest.raises(AtelierError, match="Indiquez le motif du refus donné par le fournisseur."):
        supplier_return_transition(returned=returned, actor=magasinier, action="refuse")
    refused = supplier_return_transition(
        returned=returned, actor=magasinier, action="refuse", reason="Pièce montée hors notice."
    )
    assert (refused.state, refused.refusal_reason) == ("refusee", "Pièce montée hors notice.")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("serials", " ", "Indiquez le n° de série de la pièce défectueuse."),
        ("fault", "", "Décrivez le défaut constaté."),
        ("expected_credit", "-3", "Le montant ne peut pas être négatif."),
        ("quantity", "0", "La quantité doit être positive."),
    ],
)
def test_bad_input_is_refused_in_french(site, magasinier, supplier, pump, field, value, message):
    data = {"serials": "PMP-1", "fault": "HS", "expected_credit": "10", "quantity": "1", field: value}
    with pytest.raises(AtelierError) as refused:
        supplier_return_open(actor=magasinier, site=site, supplier=supplier, part=pump, **data)
    assert str(refused.value.message) == message
    assert not SupplierReturn.objects.exists()


def test_the_counter_may_not_record_a_return(site, accueil, supplier, pump):
    with pytest.raises(PermissionRefused):
        supplier_return_open(
            actor=accueil,
            site=site,
            supplier=supplier,
            part=pump,
            serials="X",
            fault="Y",
            expected_credit="1",
        )


def test_from_the_stock_screens(client, site, magasinier, supplier, pump, other_accueil):
    client.force_login(magasinier)
    page = client.get(reverse("stock:returns")).content.decode()
    assert "Renvoyer une pièce neuve défectueuse" in page
    bad = client.post(
        reverse("stock:returns"),
        {
            "site": site.pk,
            "supplier": supplier.pk,
            "part": pump.pk,
            "quantity": "1",
            "serials": "S1",
            "fault": "HS",
            "expected_credit": "abc",
        },
    )
    assert bad.status_code == 400 and "Montant illisible : abc" in bad.content.decode()
    created = client.post(
        reverse("stock:returns"),
        {
            "site": site.pk,
            "supplier": supplier.pk,
            "part": pump.pk,
            "quantity": "1",
            "serials": "PMP-2291-A",
            "fault": "Pompe bloquée",
            "expected_credit": "48,90",
        },
    )
    returned = SupplierReturn.objects.get()
    assert created.status_code == 302 and created["Location"] == reverse("stock:return", args=[returned.pk])
    assert (
        client.post(
            reverse("stock:return", args=[returned.pk]), {"action": "send", "reference": "RMA-1"}
        ).status_code
        == 302
    )
    returned.refresh_from_db()
    assert returned.state == "envoyee"
    client.force_login(other_accueil)
    assert client.get(reverse("stock:return", args=[returned.pk])).status_code == 404
    assert "PMP-2291-A" not in client.get(reverse("stock:returns")).content.decode()


def test_api(site, magasinier, supplier, pump, other_accueil):
    api = APIClient()
    api.force_authenticate(magasinier)
    response = api.post(
        "/api/stock/supplier-returns/",
        {
            "site": site.pk,
            "supplier": supplier.pk,
            "part": pump.pk,
            "serials": "PMP-2291-A",
            "fault": "HS",
            "expected_credit": "48,90",
        },
        format="json",
    )
    assert (response.status_code, response.data["state"], response.data["expected_credit"]) == (
        201,
        "a_envoyer",
        "48.90",
    )
    url = f"/api/stock/supplier-returns/{response.data['id']}/"
    sent = api.post(url + "transition/", {"action": "send", "reference": "RMA-9"}, format="json")
    assert (sent.status_code, sent.data["state"]) == (200, "envoyee")
    wrong = api.post(url + "transition/", {"action": "send"}, format="json")
    assert wrong.status_code == 409
    other = APIClient()
    other.force_authenticate(other_accueil)
    assert other.get(url).status_code == 404


def test_api_another_sites_return_answers_404_even_with_a_bad_body(returned, other_accueil):
    api = APIClient()
    api.force_authenticate(other_accueil)
    response = api.post(f"/api/stock/supplier-returns/{returned.pk}/transition/", {}, format="json")
    assert response.status_code in (403, 404)
