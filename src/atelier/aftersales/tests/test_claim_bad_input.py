"""Issue 18 point 7, the claims' bad input as the counter sees it: an appliance without a purchase date and a
repair guarantee that ended yesterday give a clear French message on the claim page; the claim is kept."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from atelier.aftersales.models import Claim
from atelier.customers.tests.factories import ApplianceFactory

from .conftest import noon

pytestmark = pytest.mark.django_db
D = datetime.date


def _post_claim(client, appliance, case=None, **answers):
    data = {
        "type": "retour_reparation" if case else "panne_garantie",
        "appliance": appliance.pk,
        "channel": "guichet",
        "description": "Ne chauffe plus.",
        **{f"q_{k}": v for k, v in answers.items()},
    }
    data.update({"dossier": case.pk, "earlier_case": case.pk} if case else {"appareil": appliance.pk})
    return client.post(reverse("aftersales:claim_create"), data)


@time_machine.travel(noon(D(2026, 4, 10)), tick=False)
def test_L217_3_a_claim_for_an_appliance_without_purchase_date_says_what_to_ask(client, accueil, customer):
    unknown = ApplianceFactory(customer=customer, purchase_date=None)
    client.force_login(accueil)
    response = _post_claim(
        client,
        unknown,
        preuve_achat="non",
        depuis="2026-04-01",
        constat="Ne chauffe plus",
        usage="domestique",
    )
    claim = Claim.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("aftersales:claim", args=[claim.pk])).content.decode()
    assert "Aucune garantie ni aucun contrat trouvé." in page
    assert (
        "La date d&#x27;achat de l&#x27;appareil n&#x27;est pas connue : la garantie légale de conformité "
        "(art. L217-3) et la garantie du fabricant ne peuvent pas être calculées. Demandez la preuve d&#x27;achat "
        "(facture, ticket de caisse) et notez la date d&#x27;achat sur la fiche de l&#x27;appareil."
    ) in page


@time_machine.travel(noon(D(2026, 5, 31)), tick=False)
def test_a_repair_guarantee_that_ended_yesterday_is_said_and_no_retour_sav(
    client, accueil, appliance, handed_back
):
    """Handed back 01/03/2026 + 90 days (the site's repair guarantee) = 30/05/2026; the claim comes on 31/05."""
    case = handed_back(appliance, D(2026, 3, 1))
    client.force_login(accueil)
    response = _post_claim(
        client,
        appliance,
        case,
        meme_panne="oui",
        depuis="2026-05-30",
        constat="Fuit encore",
        usage="domestique",
    )
    claim = Claim.objects.get()
    assert (response.status_code, claim.repair_return) == (302, False)
    assert claim.cover_notes == (
        f"Garantie de la réparation (dossier {case.number}) : terminée le 30/05/2026, ce retour n'est pas couvert "
        "par elle."
    )
    page = client.get(reverse("aftersales:claim", args=[claim.pk])).content.decode()
    assert 'id="claim-return"' not in page
    assert (
        f"Garantie de la réparation (dossier {case.number}) : terminée le 30/05/2026, ce retour n&#x27;est pas "
        "couvert par elle."
    ) in page
