"""The API of the second life: intake, triage, sale refused in triage (409, French), stock summary, another
site's appliance 404, the counter refused intake (403)."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.customers.tests.factories import CustomerFactory
from atelier.refurbishment.models import StockAppliance

from .conftest import all_checks

pytestmark = pytest.mark.django_db
BASE = "/api/refurbishment"


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_intake_triage_and_sale_through_the_api(technicien, accueil, site, shelf, lot):
    tech = _client(technicien)
    created = tech.post(
        f"{BASE}/appliances/",
        {
            "site": site.pk,
            "origin": "collecte",
            "lot": lot.pk,
            "family": "froid",
            "brand": "Liebherr",
            "location": shelf.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["state"] == "a_trier"
    refused = _client(accueil).post(f"{BASE}/appliances/{pk}/sell/", {"price": "120.00"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        f"L'appareil {created.json()['number']} est encore à trier : un appareil ne se vend ni ne se réserve avant "
        "son tri (fonctionnement validé)."
    )
    checks = [
        {"code": code, "passed": passed, "note": note} for code, (passed, note) in all_checks("froid").items()
    ]
    triaged = tech.post(
        f"{BASE}/appliances/{pk}/triage/", {"checks": checks, "outcome": "valide"}, format="json"
    )
    assert triaged.status_code == 201, triaged.json()
    assert triaged.json()["outcome"] == "valide"
    nobody = _client(accueil).post(f"{BASE}/appliances/{pk}/sell/", {"price": "120.00"}, format="json")
    assert (nobody.status_code, nobody.json()["detail"]) == (
        400,
        "Choisissez le client : la facture est établie à son nom.",
    )
    buyer = CustomerFactory(site=site, last_name="Perrin")
    sold = _client(accueil).post(
        f"{BASE}/appliances/{pk}/sell/", {"price": "120.00", "customer": buyer.pk}, format="json"
    )
    assert sold.status_code == 201, sold.json()
    assert (sold.json()["price"], sold.json()["wording"], sold.json()["invoice_number"]) == (
        "120.00",
        "occasion",
        f"F-PAR1-{timezone.localdate().year}-000001",
    )
    moves = tech.get(f"{BASE}/moves/", {"appliance": pk}).json()["results"]
    assert [(m["kind"], m["quantity"]) for m in moves] == [("vente", -1), ("tri", 0), ("entree", 1)]
    stock = tech.get(f"{BASE}/stock/").json()
    assert stock == [
        {
            "site": "PAR1",
            "family": "froid",
            "family_label": "Froid",
            "state": "vendu",
            "state_label": "Vendu",
            "count": 1,
            "reserved": 0,
        }
    ]


def test_the_counter_may_not_take_in_and_bad_input_is_400(accueil, technicien, site):
    refused = _client(accueil).post(
        f"{BASE}/appliances/",
        {"site": site.pk, "origin": "don", "family": "audio", "brand": "Sony", "origin_note": "M. Petit"},
        format="json",
    )
    assert refused.status_code == 403
    bad = _client(technicien).post(
        f"{BASE}/appliances/",
        {"site": site.pk, "origin": "reprise", "family": "audio", "brand": "Sony", "origin_note": "Achat 44"},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["detail"] == "Indiquez la valeur de reprise (0 si aucune)."
    assert StockAppliance.objects.count() == 0


def test_another_sites_appliance_is_404(take_in):
    appliance = take_in()
    lyon = SiteFactory(code="LYO1", siret="73282932000082")
    stranger = _client(UserFactory(username="mag-lyon", roles=[Role.MAGASINIER], sites=[lyon]))
    assert stranger.get(f"{BASE}/appliances/{appliance.pk}/").status_code == 404
    assert (
        stranger.post(f"{BASE}/appliances/{appliance.pk}/scrap/", {"reason": "x"}, format="json").status_code
        == 404
    )
    assert stranger.get(f"{BASE}/appliances/").json()["results"] == []
    assert stranger.get(f"{BASE}/stock/").json() == []


def test_checklists_and_lots(magasinier, site):
    client = _client(magasinier)
    codes = [c["code"] for c in client.get(f"{BASE}/checklists/", {"family": "televiseur"}).json()["results"]]
    assert codes == ["aspect", "cordon", "mise_sous_tension", "image", "son", "entrees", "telecommande"]
    lot = client.post(
        f"{BASE}/lots/",
        {
            "site": site.pk,
            "kind": "partenaire",
            "partner": "Emmaüs Paris",
            "delivery_note": "BL 77",
            "received_on": "2026-01-05",
        },
        format="json",
    )
    assert lot.status_code == 201
    assert lot.json()["number"] == "LOT-PAR1-2026-0001"


def test_a_refurbishment_through_the_api(technicien, accueil, take_in, magasinier, customer, pat):
    from .conftest import GOOD_CLASS_I, sorted_valid

    appliance = sorted_valid(take_in, magasinier)
    tech = _client(technicien)
    started = tech.post(f"{BASE}/refurbishments/", {"appliance": appliance.pk}, format="json")
    assert started.status_code == 201, started.json()
    pk = started.json()["id"]
    for code in ("nettoyage", "essai_coton", "essai_rapide", "essai_essorage", "esthetique"):
        answer = tech.post(f"{BASE}/refurbishments/{pk}/step/", {"step": code, "passed": True}, format="json")
        assert answer.status_code == 200, answer.json()
    safety = tech.post(
        f"{BASE}/refurbishments/{pk}/step/",
        {"step": "securite", "appliance_class": "I", "measurements": GOOD_CLASS_I, "instrument": pat.pk},
        format="json",
    )
    assert safety.status_code == 200, safety.json()
    outside = tech.post(
        f"{BASE}/refurbishments/{pk}/finish/",
        {"verdict": "conforme", "grade": "Z", "price": "120"},
        format="json",
    )
    assert (outside.status_code, outside.json()["detail"]) == (
        400,
        "Le grade « Z » n'est pas dans l'échelle des grades esthétiques (A, B, C).",
    )
    done = tech.post(
        f"{BASE}/refurbishments/{pk}/finish/",
        {"verdict": "conforme", "grade": "B", "price": "120"},
        format="json",
    )
    assert (done.json()["status"], done.json()["grade"], done.json()["wording"]) == (
        "termine",
        "B",
        "reconditionne_france",
    )
    sold = _client(accueil).post(
        f"{BASE}/appliances/{appliance.pk}/sell/", {"price": "120.00", "customer": customer.pk}, format="json"
    )
    assert (sold.status_code, sold.json()["wording"], sold.json()["grade"]) == (
        201,
        "reconditionne_france",
        "B – Bon état",
    )
    sales = tech.get(f"{BASE}/sales/").json()["results"]
    assert [s["appliance_number"] for s in sales] == [appliance.number]
    steps = tech.get(f"{BASE}/procedures/", {"family": "audio"}).json()["results"]
    assert [s["code"] for s in steps] == [
        "nettoyage",
        "essai_sources",
        "securite",
        "effacement",
        "esthetique",
    ]
    assert [g["code"] for g in tech.get(f"{BASE}/grades/").json()["results"]] == ["A", "B", "C"]


def test_an_erasure_certificate_through_the_api(technicien, take_in, magasinier):
    from .conftest import sorted_valid

    appliance = sorted_valid(take_in, magasinier, family="televiseur", brand="LG")
    tech = _client(technicien)
    pk = tech.post(f"{BASE}/refurbishments/", {"appliance": appliance.pk}, format="json").json()["id"]
    answer = tech.post(
        f"{BASE}/refurbishments/{pk}/erasure/",
        {
            "medium": "eMMC 8 Go",
            "method": "overwrite",
            "tool": "Outil du fabricant",
            "passes_requested": 3,
            "passes_done": 3,
            "verified": True,
            "verification": "Lecture de contrôle",
            "errors": "",
            "warnings": "Batterie faible",
        },
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    erasure = answer.json()["erasures"][0]
    assert (erasure["succeeded"], erasure["passes_done"], erasure["warnings"]) == (True, 3, "Batterie faible")
    assert answer.json()["holds_data"] is True
    bad = tech.post(
        f"{BASE}/refurbishments/{pk}/erasure/",
        {
            "medium": "eMMC",
            "method": "overwrite",
            "tool": "x",
            "passes_requested": 2,
            "passes_done": 3,
            "verified": True,
            "verification": "y",
        },
        format="json",
    )
    assert (bad.status_code, bad.json()["detail"]) == (400, "Passes effectuées : de 0 au nombre demandé (2).")
