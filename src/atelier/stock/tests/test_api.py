"""Stock API: levels of one's sites, reservation with the French refusal as a 400."""

from rest_framework.test import APIClient

from atelier.stock import services


def test_balances_and_reservation(make_order, magasinier, formateur, pump, shelf, other_shelf):
    services.move_record(actor=magasinier, part=pump, location=shelf, kind="reception", quantity=1, reason="")
    order = make_order([(pump, 2)])
    api = APIClient()
    api.force_authenticate(formateur)
    assert api.get("/api/stock/balances/").status_code == 403
    api.force_authenticate(magasinier)
    rows = api.get("/api/stock/balances/").json()
    rows = rows.get("results", rows)
    assert [(r["reference"], r["location"], r["on_hand"], r["available"]) for r in rows] == [
        ("POMPE-123", "A1", "1.00", "1.00")
    ]
    line = order.parts.get()
    refused = api.post("/api/stock/reservations/", {"order_part": line.pk}, format="json")
    assert refused.status_code == 400
    assert "Plus assez de POMPE-123 disponible sur le site PAR1 : 1 disponible(s), 2 demandée(s)." in str(
        refused.json()
    )
    made = api.post("/api/stock/reservations/", {"order_part": line.pk, "quantity": "1"}, format="json")
    assert made.status_code == 201
    cancelled = api.post(f"/api/stock/reservations/{made.json()[0]['id']}/cancel/")
    assert cancelled.json()["status"] == "annulee"


def test_a_non_numeric_id_is_a_404_and_a_huge_search_no_500(magasinier):
    api = APIClient()
    api.force_authenticate(magasinier)
    assert api.post("/api/stock/reservations/abc/cancel/").status_code == 404
    assert api.get("/api/stock/parts/abc/").status_code == 404
    assert api.get("/api/stock/parts/", {"q": "%" * 100_000}).status_code == 200
    assert api.get("/api/stock/balances/", {"q": "x" * 100_000}).status_code == 200
