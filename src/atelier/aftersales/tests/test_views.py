"""After-sales screens: the claim journey at the counter, the covers on the dossier and customer pages, the claim
from the tracking page, another site's objects answer 404."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from atelier.aftersales.models import Claim
from atelier.repairs.tests.pages import dossier_page

from .conftest import noon

pytestmark = pytest.mark.django_db
D = datetime.date


@time_machine.travel(noon(D(2026, 4, 10)), tick=False)
def test_counter_opens_a_claim_from_the_dossier_and_the_manager_answers(
    client, accueil, responsable, appliance, handed_back
):
    case = handed_back(appliance, D(2026, 3, 1))
    client.force_login(accueil)
    page = client.get(reverse("aftersales:claim_create") + f"?dossier={case.pk}")
    assert page.status_code == 200
    assert "Panne après une réparation de l" in page.content.decode()
    form = client.get(reverse("aftersales:claim_create") + f"?dossier={case.pk}&type=retour_reparation")
    assert "Est-ce la même panne que celle réparée ?" in form.content.decode()
    missing = client.post(
        reverse("aftersales:claim_create"),
        {
            "dossier": case.pk,
            "type": "retour_reparation",
            "appliance": appliance.pk,
            "channel": "guichet",
            "description": "Fuit.",
        },
    )
    assert missing.status_code == 400
    response = client.post(
        reverse("aftersales:claim_create"),
        {
            "dossier": case.pk,
            "type": "retour_reparation",
            "appliance": appliance.pk,
            "earlier_case": case.pk,
            "channel": "guichet",
            "description": "Fuit encore.",
            "q_meme_panne": "oui",
            "q_depuis": "2026-04-05",
            "q_constat": "Flaque sous la porte",
            "q_usage": "domestique",
        },
    )
    claim = Claim.objects.get()
    assert (response.status_code, response["Location"]) == (302, reverse("aftersales:claim", args=[claim.pk]))
    assert (claim.repair_return, claim.earlier_case, claim.opened_by) == (True, case, accueil)
    detail = client.get(reverse("aftersales:claim", args=[claim.pk])).content.decode()
    assert "retour SAV" in detail and "Garantie de la réparation (dossier PAR1-2026-000001)" in detail
    assert "05/04/2026" in detail and "01/03/2026 → 30/05/2026" in detail  # dates of the answers and covers
    client.force_login(responsable)
    answered = client.post(
        reverse("aftersales:claim", args=[claim.pk]),
        {"action": "answer", "outcome": "geste", "answer_text": "Un geste.", "amount": "25.00"},
    )
    assert answered.status_code == 302
    claim.refresh_from_db()
    assert (claim.state, claim.outcome, str(claim.amount)) == ("reponse_envoyee", "geste", "25.00")
    letter = client.get(reverse("aftersales:claim_letter", args=[claim.pk]))
    assert (letter.status_code, letter["Content-Type"]) == (200, "application/pdf")
    listed = client.get(reverse("aftersales:claims") + "?etat=reponse_envoyee").content.decode()
    assert claim.number in listed
    assert claim.number not in client.get(reverse("aftersales:claims") + "?etat=close").content.decode()


@time_machine.travel(noon(D(2026, 4, 10)), tick=False)
def test_dossier_page_shows_the_covers_section(client, accueil, appliance, handed_back):
    case = handed_back(appliance, D(2026, 3, 1))
    client.force_login(accueil)
    page = client.get(reverse("repairs:detail", args=[case.pk])).content.decode()
    assert f'hx-get="{reverse("repairs:section", args=[case.pk, "aftersales"])}"' in page  # when in view
    assert "Garantie de la réparation (dossier PAR1-2026-000001)" in dossier_page(client, case.pk)
    fragment = client.get(reverse("aftersales:case", args=[case.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<section class="card" id="garanties">')
    assert "Garantie de la réparation (dossier PAR1-2026-000001)" in fragment
    assert "<!doctype html>" in client.get(reverse("aftersales:case", args=[case.pk])).content.decode()
    covers = client.get(reverse("aftersales:customer", args=[appliance.customer.pk]), HTTP_HX_REQUEST="true")
    assert "Garantie légale de conformité" in covers.content.decode()


def test_other_sites_objects_answer_404(client, other_accueil, appliance, handed_back):
    case = handed_back(appliance, D(2026, 3, 1))
    client.force_login(other_accueil)
    for url in (
        reverse("aftersales:appliance", args=[appliance.pk]),
        reverse("aftersales:case", args=[case.pk]),
        reverse("aftersales:customer", args=[appliance.customer.pk]),
        reverse("aftersales:claim_create") + f"?dossier={case.pk}",
    ):
        assert client.get(url).status_code == 404, url


@time_machine.travel(noon(D(2026, 4, 10)), tick=False)
def test_customer_claims_from_the_tracking_page(client, appliance, handed_back):
    from atelier.billing.handover import tracking_link_create

    case = handed_back(appliance, D(2026, 3, 1))
    link = tracking_link_create(case=case)
    url = reverse("aftersales_public:claim", args=[link.token])
    assert "Est-ce la même panne que celle réparée ?" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "description": "Elle fuit à nouveau.",
            "q_meme_panne": "oui",
            "q_depuis": "2026-04-08",
            "q_constat": "Fuite",
            "q_usage": "domestique",
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert (claim.channel, claim.opened_by, claim.earlier_case, claim.repair_return) == (
        "suivi",
        None,
        case,
        True,
    )
    assert client.get(reverse("aftersales_public:claim", args=["inconnu"])).status_code == 404


def test_contracts_are_attached_on_the_appliance_page_and_shown_as_covers(client, accueil, appliance):
    client.force_login(accueil)
    url = reverse("aftersales:appliance", args=[appliance.pk])
    contract = {
        "action": "contract",
        "kind": "extension",
        "insurer": "Garantie Plus",
        "contract_number": "GP-1",
        "cover": "pièces et main-d'œuvre",
        "excess": "0",
        "claim_procedure": "",
        "start": "2026-03-01",
        "end": "2026-02-01",
    }
    refused = client.post(url, contract)
    assert refused.status_code == 400
    assert "La fin du contrat ne peut pas précéder son début." in refused.content.decode()
    assert client.post(url, {**contract, "end": "2029-02-28"}).status_code == 302
    maintenance = {
        "action": "maintenance",
        "number": "CE-7",
        "visits_per_year": "2",
        "includes": "détartrage",
        "price_ttc": "89.00",
        "start": "2026-01-01",
        "end": "2026-12-31",
    }
    assert client.post(url, maintenance).status_code == 302
    page = client.get(url + "?on=2026-06-01").content.decode()
    assert "Extension de garantie Garantie Plus" in page and "Contrat d&#x27;entretien n° CE-7" in page
