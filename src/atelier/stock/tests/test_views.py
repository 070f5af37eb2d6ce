"""Stock screens: roles, other site → 404, bad input → French message and nothing written, the journeys."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from atelier.core.choices import Role
from atelier.core.tests.factories import UserFactory
from atelier.repairs.tests.pages import dossier_page
from atelier.stock import services
from atelier.stock.models import InventoryLine, Part, Reservation, StockMove, SupplierOrder


def _receive(actor, part, location, qty):
    services.move_record(actor=actor, part=part, location=location, kind="reception", quantity=qty, reason="")


@pytest.mark.parametrize(
    "name",
    ["stock:index", "stock:moves", "stock:parts", "stock:to_order", "stock:orders", "stock:inventories"],
)
def test_pages_open_for_the_stock_keeper(client, magasinier, shelf, pump, name):
    _receive(magasinier, pump, shelf, 2)
    client.force_login(magasinier)
    assert client.get(reverse(name)).status_code == 200


def test_roles(client, comptable, technicien, formateur, pump):
    client.force_login(formateur)
    assert client.get(reverse("stock:index")).status_code == 403
    client.force_login(comptable)
    assert client.get(reverse("stock:index")).status_code == 200
    assert client.get(reverse("stock:move_create")).status_code == 403
    assert client.get(reverse("stock:export", args=["stock", "csv"])).status_code == 200
    client.force_login(technicien)
    assert client.get(reverse("stock:part_create")).status_code == 403
    assert client.get(reverse("stock:move_create")).status_code == 200


def test_lists_show_only_the_users_sites(client, magasinier, pump, shelf, other_shelf, other_site):

    _receive(magasinier, pump, shelf, 2)
    chain = UserFactory(
        username="chef", roles=[Role.MAGASINIER], is_chain_manager=True
    )  # a role: the flag is none
    services.move_record(
        actor=chain, part=pump, location=other_shelf, kind="reception", quantity=7, reason=""
    )
    client.force_login(magasinier)
    html = client.get(reverse("stock:index")).content.decode()
    assert "<td>PAR1</td>" in html and "<td>LYO1</td>" not in html
    moves = client.get(reverse("stock:moves")).content.decode()
    assert "+2" in moves and "+7" not in moves


def test_move_form_refuses_bad_input_and_writes_nothing(client, magasinier, pump, shelf, van):
    client.force_login(magasinier)
    url = reverse("stock:move_create")
    response = client.post(
        url, {"kind": "reception", "part": "POMPE-123", "location": shelf.pk, "quantity": "-3"}
    )
    assert response.status_code == 400
    assert "La quantité doit être positive." in response.content.decode()
    response = client.post(url, {"kind": "reception", "part": "NOPE", "location": shelf.pk, "quantity": "1"})
    assert "Aucune pièce de référence « NOPE »." in response.content.decode()
    assert StockMove.objects.count() == 0
    response = client.post(
        url, {"kind": "reception", "part": "pompe-123", "location": shelf.pk, "quantity": "3"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("stock:transfer"),
        {"part": "POMPE-123", "source": shelf.pk, "destination": shelf.pk, "quantity": "1"},
    )
    assert response.status_code == 400
    assert "L&#x27;emplacement de départ et celui d&#x27;arrivée sont le même." in response.content.decode()
    assert StockMove.objects.count() == 1


def test_part_creation_and_second_person_validation(client, magasinier, magasinier2, site):
    client.force_login(magasinier)
    data = {
        "site": site.pk,
        "reference": "DC97-16350A",
        "designation": "Joint de hublot",
        "kind": "consommable",
        "family": "lave_linge",
        "condition": "neuf",
        "price_ht": "24.00",
        "vat_kind": "normal",
    }
    response = client.post(reverse("stock:part_create"), data)
    part = Part.objects.get(reference="DC97-16350A")
    assert response.url == reverse("stock:part", args=[part.pk])
    assert part.internal_code == "LL-CON-000001"
    again = client.post(reverse("stock:part_create"), data)
    assert again.status_code == 400
    assert "La référence DC97-16350A existe déjà." in again.content.decode()
    client.post(reverse("stock:part_validate", args=[part.pk]), {"decision": "accept"})
    part.refresh_from_db()
    assert part.status == "a_valider"
    client.force_login(magasinier2)
    client.post(reverse("stock:part_validate", args=[part.pk]), {"decision": "accept"})
    part.refresh_from_db()
    assert part.status == "validee"


def test_repair_order_page_reserve_consume_and_other_site_404(
    client, make_order, magasinier, technicien, other_accueil, pump, shelf
):
    _receive(magasinier, pump, shelf, 2)
    order = make_order([(pump, 1)])
    client.force_login(other_accueil)
    assert client.get(reverse("stock:repair_order", args=[order.pk])).status_code == 404
    client.force_login(magasinier)
    page = client.get(reverse("stock:repair_order", args=[order.pk])).content.decode()
    assert "1 × POMPE-123 manquante" in page
    client.post(reverse("stock:repair_order_action", args=[order.pk, "reserver"]))
    assert Reservation.objects.get().quantity == 1
    client.force_login(technicien)
    line = order.parts.get()
    response = client.post(
        reverse("stock:repair_order_action", args=[order.pk, "consommer"]),
        {"line": line.pk, "quantity": "2"},
        follow=True,
    )
    assert "Vous ne pouvez pas consommer plus que la quantité réservée (1)." in response.content.decode()
    client.post(
        reverse("stock:repair_order_action", args=[order.pk, "consommer"]), {"line": line.pk, "quantity": "1"}
    )
    assert StockMove.objects.get(kind="consommation").quantity == D(-1)
    dossier = dossier_page(client, order.case.pk)
    assert "pièces prêtes" in dossier and "1 × POMPE-123" in dossier
    pick = client.get(reverse("stock:pick_list", args=[order.pk])).content.decode()
    assert "Clé à pompe" in pick and "Fiche de préparation" in pick


def test_to_order_page_creates_the_supplier_order_and_reception(
    client, magasinier, pump, shelf, supplier, site
):
    from atelier.stock.models import ReorderPoint

    ReorderPoint.objects.create(part=pump, site=site, minimum=2, order_quantity=4)
    client.force_login(magasinier)
    page = client.get(reverse("stock:to_order")).content.decode()
    assert f'name="qty-{pump.pk}" value="4"' in page
    response = client.post(
        reverse("stock:to_order"), {"site": site.pk, "supplier": supplier.pk, f"qty-{pump.pk}": "4"}
    )
    order = SupplierOrder.objects.get()
    assert response.url == reverse("stock:order", args=[order.pk])
    line = order.lines.get()
    client.post(reverse("stock:order", args=[order.pk]), {"location": shelf.pk, f"recu-{line.pk}": "5"})
    assert StockMove.objects.count() == 0
    client.post(reverse("stock:order", args=[order.pk]), {"location": shelf.pk, f"recu-{line.pk}": "3"})
    order.refresh_from_db()
    assert (order.status, StockMove.objects.get().quantity) == ("partielle", D(3))


def test_inventory_screens(client, magasinier, pump, shelf, site):
    _receive(magasinier, pump, shelf, 4)
    client.force_login(magasinier)
    response = client.post(reverse("stock:inventories"), {"site": site.pk, "location": shelf.pk})
    count_url = response.url
    line = InventoryLine.objects.get()
    client.post(count_url, {"action": "validate", f"compte-{line.pk}": "6"})
    assert StockMove.objects.filter(kind="inventaire").get().quantity == D(2)


@pytest.mark.parametrize(
    ("name", "field"),
    [("stock:index", "q"), ("stock:moves", "part"), ("stock:moves", "q"), ("stock:parts", "q")],
)
def test_a_huge_search_term_is_refused_in_french_not_a_500(client, magasinier, pump, shelf, name, field):
    _receive(magasinier, pump, shelf, 2)
    client.force_login(magasinier)
    response = client.get(reverse(name), {field: "x" * 100_000})
    assert response.status_code == 200
    assert "au plus 100 caractères" in response.content.decode()


def test_a_huge_part_reference_on_a_transfer_gets_a_french_error(client, magasinier, pump, shelf, shelf2):
    client.force_login(magasinier)
    response = client.post(
        reverse("stock:transfer"),
        {"part": "%" * 100_000, "source": shelf.pk, "destination": shelf2.pk, "quantity": "1"},
    )
    assert response.status_code == 400 and "au plus 100 caractères" in response.content.decode()


def test_another_sites_objects_answer_404(client, magasinier, other_site, pump, other_shelf, supplier):
    from atelier.stock.models import PartAnomaly

    chain = UserFactory(username="chef-lyon", roles=[Role.MAGASINIER], is_chain_manager=True)
    order = services.supplier_order_create(actor=chain, site=other_site, supplier=supplier, lines=[(pump, 1)])
    count = services.inventory_open(actor=chain, site=other_site)
    anomaly = PartAnomaly.objects.create(
        part=pump, site=other_site, description="Prix faux", reported_by=chain
    )
    client.force_login(magasinier)
    assert client.get(reverse("stock:order", args=[order.pk])).status_code == 404
    assert (
        client.post(reverse("stock:order", args=[order.pk]), {"location": other_shelf.pk}).status_code == 404
    )
    assert client.get(reverse("stock:inventory", args=[count.pk])).status_code == 404
    assert (
        client.post(reverse("stock:anomaly_resolve", args=[anomaly.pk]), {"resolution": "x"}).status_code
        == 404
    )


def test_a_refused_action_shows_the_page_again_with_the_reason(client, make_order, magasinier, pump, shelf):
    order = make_order([(pump, 2)])
    client.force_login(magasinier)
    response = client.post(reverse("stock:repair_order_action", args=[order.pk, "reserver"]))
    assert response.status_code == 400
    assert "Plus assez de POMPE-123 disponible sur le site PAR1" in response.content.decode()
    assert not Reservation.objects.exists()
    assert client.post(reverse("stock:repair_order_action", args=[order.pk, "nope"])).status_code == 404


def test_reserving_one_line_or_the_whole_order_says_which(client, make_order, magasinier, pump, belt, shelf):
    _receive(magasinier, pump, shelf, 2)
    _receive(magasinier, belt, shelf, 2)
    order = make_order([(pump, 1), (belt, 1)])
    client.force_login(magasinier)
    url = reverse("stock:repair_order_action", args=[order.pk, "reserver"])
    page = client.post(url, {"line": order.parts.get(part=pump).pk}, follow=True).content.decode()
    assert "Pièce réservée." in page
    assert "Pièces réservées." in client.post(url, follow=True).content.decode()
    assert Reservation.objects.count() == 2


def test_screen_refusals_come_back_with_their_status_and_write_nothing(
    client, technicien, magasinier, pump, shelf, supplier, site
):
    from atelier.stock.models import ReorderPoint

    ReorderPoint.objects.create(part=pump, site=site, minimum=2, order_quantity=4)
    client.force_login(technicien)
    response = client.post(
        reverse("stock:to_order"), {"site": site.pk, "supplier": supplier.pk, f"qty-{pump.pk}": "4"}
    )
    assert (
        response.status_code == 403
        and "Votre rôle ne permet pas cette opération." in response.content.decode()
    )
    assert not SupplierOrder.objects.exists()
    _receive(magasinier, pump, shelf, 4)
    count = services.inventory_open(actor=magasinier, site=site, location=shelf)
    line = count.lines.get()
    client.force_login(magasinier)
    url = reverse("stock:inventory", args=[count.pk])
    response = client.post(url, {"action": "validate", f"compte-{line.pk}": "-1"})
    assert response.status_code == 400 and "La quantité doit être positive." in response.content.decode()
    line.refresh_from_db()
    count.refresh_from_db()
    assert (line.counted, count.status) == (None, "en_cours")
    response = client.post(url, {"action": "save", f"compte-{line.pk}": "3"}, follow=True)
    assert "Comptages enregistrés." in response.content.decode()
    line.refresh_from_db()
    assert line.counted == D(3) and not StockMove.objects.filter(kind="inventaire").exists()


def test_order_and_storekeeper_pages_tell_one_stock_state(
    client, make_order, magasinier, responsable, pump, shelf
):
    """Issue 15: the repair order said « Réservée en stock » (its intention at creation) while the storekeeper's
    page said « manquante »: both now read stock.selectors.order_part_states."""
    import re

    _receive(magasinier, pump, shelf, 2)
    order = make_order([(pump, 1)])
    order.parts.update(action="reservee")  # in stock when the order was made, but nothing held yet

    def shown():
        client.force_login(responsable)
        html = client.get(reverse("quotes:order", args=[order.pk])).content.decode()
        cell = re.search(r'id="order-parts">.*?<td>1</td><td>(.*?)</td>', html, re.S).group(1)
        client.force_login(magasinier)
        ready = client.get(reverse("stock:repair_order", args=[order.pk])).content.decode()
        return cell, re.search(r'<p id="ready"[^>]*>(.*?)</p>', ready).group(1)

    assert shown() == ("Manquante", "1 × POMPE-123 manquante")
    client.post(reverse("stock:repair_order_action", args=[order.pk, "reserver"]))
    assert shown() == ("Réservée en stock", "Toutes les pièces sont prêtes.")


def test_the_transfer_form_offers_only_the_users_sites_shelves_and_vans(
    client, responsable, pump, shelf, other_shelf, other_site
):
    """The Paris-only manager was offered Lyon's shelves and its technician's van (issue 15): no longer."""
    from atelier.stock.choices import LocationKind
    from atelier.stock.models import StockLocation

    lyon_tech = UserFactory(
        username="technicien.lyon", first_name="Mehdi", roles=[Role.TECHNICIEN], sites=[other_site]
    )
    StockLocation.objects.create(
        site=other_site,
        code="VAN-L",
        name="Camionnette de Mehdi",
        kind=LocationKind.VEHICULE,
        technician=lyon_tech,
    )
    client.force_login(responsable)
    html = client.get(reverse("stock:transfer")).content.decode()
    assert "Rayon A1 Lyon" not in html and "Mehdi" not in html and "LYO1" not in html
    assert "Rayon A1" in html
    response = client.post(
        reverse("stock:transfer"),
        {"part": "POMPE-123", "source": shelf.pk, "destination": other_shelf.pk, "quantity": "1"},
    )
    assert response.status_code == 400  # not a choice: nothing moved
    assert not StockMove.objects.filter(location=other_shelf).exists()
