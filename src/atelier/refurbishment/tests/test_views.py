"""The screens of the second life: the stock table, intake, triage on the tablet, sale refused in French while
in triage, another site's appliance answers 404, the counter cannot take in."""

import pytest
from django.urls import reverse

from atelier.core.tests.factories import SiteFactory
from atelier.refurbishment.choices import ApplianceState
from atelier.refurbishment.models import StockAppliance

pytestmark = pytest.mark.django_db


def test_stock_page_counts_by_family_and_state(client, magasinier, take_in):
    take_in()
    take_in()
    take_in(family="froid", brand="Liebherr")
    client.force_login(magasinier)
    response = client.get(reverse("refurbishment:index"))
    assert response.status_code == 200
    rows = [(r["family"], r["cells"], r["total"]) for r in response.context["table"]["rows"]]
    assert sorted((str(f), c, t) for f, c, t in rows) == [
        ("Froid", [1, 0, 0], 1),
        ("Lave-linge", [2, 0, 0], 2),
    ]
    assert response.context["table"]["total"] == 3


def test_intake_form_for_a_donation(client, technicien, site, shelf):
    client.force_login(technicien)
    response = client.post(
        reverse("refurbishment:intake"),
        {
            "site": site.pk,
            "origin": "don",
            "family": "audio",
            "brand": "Sony",
            "origin_note": "M. Petit",
            "location": shelf.pk,
            "weight_kg": "4.5",
        },
    )
    appliance = StockAppliance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("refurbishment:appliance", args=[appliance.pk])
    assert (appliance.origin, appliance.state, appliance.origin_note) == ("don", "a_trier", "M. Petit")


def test_intake_form_refuses_a_collection_without_lot(client, technicien, site):
    client.force_login(technicien)
    response = client.post(
        reverse("refurbishment:intake"),
        {"site": site.pk, "origin": "collecte", "family": "audio", "brand": "Sony"},
    )
    assert response.status_code == 400
    assert "Un appareil de collecte entre dans un lot : choisissez-le." in response.content.decode()
    assert StockAppliance.objects.count() == 0


def test_counter_cannot_open_intake(client, accueil):
    client.force_login(accueil)
    assert client.get(reverse("refurbishment:intake")).status_code == 403


def test_triage_on_the_tablet(client, technicien, take_in):
    from atelier.refurbishment.selectors import checklist

    appliance = take_in()
    client.force_login(technicien)
    url = reverse("refurbishment:triage", args=[appliance.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Verrouillage de la porte" in page.content.decode()
    data = {f"check_{c.code}": "ok" for c in checklist("lave_linge")}
    data.update({"check_porte": "defaut", "note_porte": "Gâche cassée", "outcome": "a_reparer"})
    response = client.post(url, data)
    assert response.status_code == 302
    appliance.refresh_from_db()
    assert (appliance.state, appliance.triage_outcome) == (ApplianceState.A_RECONDITIONNER, "a_reparer")


def test_sale_of_an_appliance_in_triage_is_refused_in_french(client, accueil, take_in, customer):
    appliance = take_in()
    client.force_login(accueil)
    response = client.post(
        reverse("refurbishment:appliance", args=[appliance.pk]),
        {"action": "sell", "price": "80.00", "customer": customer.pk, "commercial_months": "0"},
    )
    assert response.status_code == 409
    assert (
        f"L&#x27;appareil {appliance.number} est encore à trier : un appareil ne se vend ni ne se réserve avant son "
        "tri (fonctionnement validé)." in response.content.decode()
    )
    appliance.refresh_from_db()
    assert appliance.state == ApplianceState.A_TRIER


def test_another_sites_appliance_answers_404(client, take_in, db):
    from atelier.core.choices import Role
    from atelier.core.tests.factories import UserFactory

    appliance = take_in()
    lyon = SiteFactory(code="LYO1", siret="73282932000082")
    stranger = UserFactory(username="mag-lyon", roles=[Role.MAGASINIER], sites=[lyon])
    client.force_login(stranger)
    assert client.get(reverse("refurbishment:appliance", args=[appliance.pk])).status_code == 404
    assert client.get(reverse("refurbishment:lot", args=[appliance.lot_id])).status_code == 404
    page = client.get(reverse("refurbishment:index"))
    assert list(page.context["appliances"]) == []


@pytest.mark.parametrize("name", ["index", "intake", "lots", "moves", "abandons", "counts", "checklists"])
def test_every_list_page_opens_for_the_manager(client, responsable, take_in, name):
    take_in()
    client.force_login(responsable)
    assert client.get(reverse(f"refurbishment:{name}")).status_code == 200


def test_letter_then_intake_refused_before_the_period(client, accueil, magasinier, waiting_case, site):
    """Loi du 31 décembre 1903, art. 1er: the appliance waits the site's period after the letter."""
    import datetime

    from django.utils import timezone

    client.force_login(accueil)
    sent = timezone.localdate()
    response = client.post(
        reverse("refurbishment:abandons"),
        {
            "action": "letter",
            "case": waiting_case.pk,
            "sent_on": sent.isoformat(),
            "method": "recommande",
            "reference": "1A 234",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("refurbishment:abandons")).content.decode()
    assert (sent + datetime.timedelta(days=365)).strftime("%d/%m/%Y") in page
    assert "pas encore" in page
    client.force_login(magasinier)
    refused = client.post(
        reverse("refurbishment:intake"), {"site": site.pk, "origin": "abandon", "case": waiting_case.pk}
    )
    assert refused.status_code == 409
    assert (
        f"Le délai d&#x27;abandon du dossier {waiting_case.number} n&#x27;est pas écoulé"
        in refused.content.decode()
    )
    assert StockAppliance.objects.count() == 0


def test_dossier_section_of_a_dossier_waiting_for_its_owner(client, accueil, waiting_case):
    client.force_login(accueil)
    url = reverse("repairs:section", args=[waiting_case.pk, "refurbishment"])
    fragment = client.get(url).content.decode()
    assert '<section class="card" id="seconde-vie">' in fragment
    assert f"{reverse('refurbishment:abandons')}?dossier={waiting_case.pk}" in fragment
    form = client.get(f"{reverse('refurbishment:abandons')}?dossier={waiting_case.pk}").context["letter_form"]
    assert form["case"].value() == str(waiting_case.pk)
