"""The refurbishment screens: start, a step per card, the safety step with its measurements, the erasure
certificate, the end with a grade outside the scale refused in French, the sale with its invoice; another
site's appliance 404; the procedures page."""

import pytest
from django.urls import reverse

from atelier.refurbishment.models import Refurbishment
from atelier.refurbishment.tests.conftest import GOOD_CLASS_I, sorted_valid

pytestmark = pytest.mark.django_db


def test_the_tablet_journey_of_a_refurbishment(
    client, take_in, magasinier, technicien, accueil, customer, pat
):
    appliance = sorted_valid(take_in, magasinier)
    client.force_login(technicien)
    url = reverse("refurbishment:refurbish", args=[appliance.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Commencer le reconditionnement" in page.content.decode()
    assert client.post(url, {"action": "start"}).status_code == 302
    refurbishment = Refurbishment.objects.get(appliance=appliance)
    page = client.get(url).content.decode()
    assert 'id="step-essai_coton"' in page and "Programme : Coton 40 °C" in page
    for code in ("nettoyage", "essai_coton", "essai_rapide", "essai_essorage", "esthetique"):
        response = client.post(url, {"action": "step", "step": code, "result": "ok", "country": "FR"})
        assert response.status_code == 302, code
    refused = client.post(
        url,
        {
            "action": "step",
            "step": "securite",
            "appliance_class": "I",
            "instrument": pat.pk,
            "pe_resistance": "douze",
            "country": "FR",
        },
    )
    assert refused.status_code == 400
    assert "« douze » n&#x27;est pas une mesure lisible" in refused.content.decode()
    data = {
        "action": "step",
        "step": "securite",
        "appliance_class": "I",
        "instrument": pat.pk,
        "country": "FR",
    }
    assert client.post(url, data | GOOD_CLASS_I).status_code == 302
    outside = client.post(url, {"action": "finish", "verdict": "conforme", "grade": "Z", "price": "150"})
    assert outside.status_code == 400
    assert (
        "Le grade « Z » n&#x27;est pas dans l&#x27;échelle des grades esthétiques (A, B, C)."
        in outside.content.decode()
    )
    done = client.post(url, {"action": "finish", "verdict": "conforme", "grade": "A", "price": "150,00"})
    assert done.status_code == 302
    refurbishment.refresh_from_db()
    assert (refurbishment.status, refurbishment.wording, refurbishment.grade.code) == (
        "termine",
        "reconditionne_france",
        "A",
    )
    detail = client.get(
        reverse("refurbishment:refurbishment_detail", args=[refurbishment.pk])
    ).content.decode()
    assert "Reconditionné en France" in detail and "≤ 0,3 Ω" in detail
    client.force_login(accueil)
    sold = client.post(
        reverse("refurbishment:appliance", args=[appliance.pk]),
        {"action": "sell", "price": "150.00", "customer": customer.pk, "commercial_months": "0"},
        follow=True,
    )
    body = sold.content.decode()
    assert "facture F-PAR1-" in body and "Reconditionné en France" in body


def test_the_erasure_certificate_from_the_tablet(client, take_in, magasinier, technicien):
    appliance = sorted_valid(take_in, magasinier, family="televiseur", brand="LG")
    client.force_login(technicien)
    url = reverse("refurbishment:refurbish", args=[appliance.pk])
    client.post(url, {"action": "start", "holds_data": "on"})
    response = client.post(
        url,
        {
            "action": "erasure",
            "medium": "eMMC 8 Go",
            "method": "reset",
            "tool": "Menu usine",
            "passes_requested": "1",
            "passes_done": "1",
            "verified": "on",
            "verification": "Assistant de première installation affiché",
            "country": "FR",
        },
    )
    assert response.status_code == 302
    erasure = Refurbishment.objects.get(appliance=appliance).erasures.get()
    assert (erasure.succeeded, erasure.done_by) == (True, technicien)


def test_refurbishing_is_refused_to_the_counter_and_another_sites_appliance_is_404(
    client, take_in, magasinier, accueil, other_site
):
    from atelier.core.choices import Role
    from atelier.core.tests.factories import UserFactory

    appliance = sorted_valid(take_in, magasinier)
    client.force_login(accueil)
    url = reverse("refurbishment:refurbish", args=[appliance.pk])
    refused = client.post(url, {"action": "start"})
    assert refused.status_code == 403
    assert not Refurbishment.objects.exists()
    client.force_login(UserFactory(username="tech-lyon", roles=[Role.TECHNICIEN], sites=[other_site]))
    assert client.get(url).status_code == 404


def test_the_procedures_page_lists_steps_grades_and_the_guarantee(client, accueil):
    client.force_login(accueil)
    body = client.get(reverse("refurbishment:procedures")).content.decode()
    assert "Programme coton 40 °C" in body
    assert "A – Très bon état" in body
    assert "24 mois, défaut présumé exister à la délivrance pendant 12 mois" in body
