"""The dismantling page (tablet) and the API of dismantling and value: the whole path in the browser's forms,
refusals in French with nothing written, another site's appliance 404, roles 403."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from atelier.refurbishment.choices import ApplianceState
from atelier.refurbishment.dismantling import RecoveredPart, SubAssembly
from atelier.stock.choices import PartStatus
from atelier.stock.models import StockMove

pytestmark = pytest.mark.django_db
BASE = "/api/refurbishment"


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_dismantling_page_from_recovery_to_weee(client, broken, technicien, magasinier, new_pump, shelf):
    url = reverse("refurbishment:dismantle", args=[broken.pk])
    client.force_login(technicien)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('name="action" value="recover"') == 6
    assert "Alimentée en 230 V : tourne sans bruit, bobine 150 à 200 Ω" in html
    pump = SubAssembly.objects.get(family="lave_linge", code="pompe_vidange")
    form = {
        "action": "recover",
        "sub_assembly": pump.pk,
        "reusable": "1",
        "test_record": "Tourne, bobine 172 Ω.",
        "equivalent_of": new_pump.pk,
        "grade": "",
        "price_ht": "19.00",
        "weight_kg": "0.40",
    }
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert "Choisissez le grade de la pièce (A, B ou C)." in refused.content.decode()
    assert RecoveredPart.objects.count() == 0
    done = client.post(url, {**form, "grade": "A"}, follow=True)
    recovered = RecoveredPart.objects.get()
    assert (
        f"« Pompe de vidange » récupéré : pièce {recovered.part.internal_code} à valider par le magasin."
        in (done.content.decode())
    )
    # the stock keeper (another person) validates and enters it on a shelf
    client.force_login(magasinier)
    client.post(url, {"action": "stock", "recovered": recovered.pk, "location": shelf.pk})
    recovered.refresh_from_db()
    assert (recovered.part.status, recovered.stock_move.kind) == (PartStatus.VALIDEE, "demontage")
    # the remains: refused while the list is not done
    weee = {
        "action": "weee",
        "eco_organism": "ecosystem",
        "bordereau": "BSD-1",
        "handed_on": f"{timezone.localdate():%Y-%m-%d}",
        "weight_kg": "50",
    }
    early = client.post(url, weee)
    assert early.status_code == 409
    assert "Démontage inachevé : le sous-ensemble « Moteur de tambour »" in early.content.decode()
    for sub in SubAssembly.objects.filter(family="lave_linge").exclude(code="pompe_vidange"):
        client.post(url, {"action": "recover", "sub_assembly": sub.pk, "reusable": "0", "test_record": "HS"})
    assert client.post(url, weee).status_code == 302
    broken.refresh_from_db()
    assert broken.state == ApplianceState.DEMONTE
    shown = client.get(url).content.decode()
    assert 'id="weee-record"' in shown and "BSD-1" in shown


def test_the_counter_may_not_dismantle_and_another_site_is_404(
    client, broken, accueil, responsable, other_site
):
    url = reverse("refurbishment:dismantle", args=[broken.pk])
    client.force_login(accueil)
    assert client.get(url).status_code == 403
    from atelier.core.tests.factories import UserFactory

    lyon = UserFactory(username="resp-lyon", roles=["responsable_sav"], sites=[other_site])
    client.force_login(lyon)
    assert client.get(url).status_code == 404
    assert _api(lyon).get(f"{BASE}/dismantling/{broken.pk}/").status_code == 404


def test_recover_stock_and_weee_through_the_api(broken, technicien, magasinier, new_pump, shelf, comptable):
    tech = _api(technicien)
    refused = tech.post(
        f"{BASE}/dismantling/{broken.pk}/recover/",
        {"sub_assembly": "pompe_vidange", "reusable": True, "test_record": "OK", "price_ht": "19.00"},
        format="json",
    )
    assert (refused.status_code, refused.json()) == (
        400,
        {"detail": "Choisissez le grade de la pièce (A, B ou C)."},
    )
    made = tech.post(
        f"{BASE}/dismantling/{broken.pk}/recover/",
        {
            "sub_assembly": "pompe_vidange",
            "reusable": True,
            "test_record": "Tourne, bobine 172 Ω.",
            "equivalent_of": new_pump.pk,
            "grade": "B",
            "price_ht": "19.00",
            "weight_kg": "0.40",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["reference"], body["part_status"], body["grade"], body["in_stock"]) == (
        f"LL-PV-3010-{broken.number}",
        "a_valider",
        "B",
        False,
    )
    assert (
        _api(technicien)
        .post(f"{BASE}/recovered-parts/{body['id']}/stock/", {"location": shelf.pk})
        .status_code
        == 403
    )
    entered = _api(magasinier).post(f"{BASE}/recovered-parts/{body['id']}/stock/", {"location": shelf.pk})
    assert (entered.status_code, entered.json()["in_stock"]) == (200, True)
    assert StockMove.objects.get().quantity == Decimal("1.00")
    listed = tech.get(f"{BASE}/dismantling/{broken.pk}/").json()
    assert [r["sub_assembly_code"] for r in listed] == ["pompe_vidange"]
    early = tech.post(
        f"{BASE}/dismantling/{broken.pk}/weee/",
        {
            "eco_organism": "ecosystem",
            "bordereau": "B-1",
            "handed_on": f"{timezone.localdate():%Y-%m-%d}",
            "weight_kg": "50",
        },
        format="json",
    )
    assert early.status_code == 409
    subs = _api(comptable).get(f"{BASE}/sub-assemblies/", {"family": "audio"}).json()["results"]
    assert [s["code"] for s in subs] == ["alimentation", "haut_parleurs"]
    figures = _api(comptable).get(f"{BASE}/value/").json()
    assert {f["key"]: f["value"] for f in figures}["pieces_recuperees"] == 1
    assert _api(technicien).get(f"{BASE}/value/").status_code == 403
