"""The screens: the improvement page, proposing from a recurring cause, deciding and measuring on the action's
page, the survey answers and their follow-up; refusals shown on the page with what was typed."""

import pytest
from django.test import Client

from atelier.improvement.models import ImprovementAction
from atelier.improvement.services import action_propose
from atelier.improvement.surveys import survey_answer
from atelier.improvement.tests.conftest import at, claim_on, closed_case

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_technician_proposes_from_a_recurring_cause(
    site, responsable, technicien, family_appliance, time_machine
):
    time_machine.move_to(at("2026-04-01"))
    cases = [
        closed_case(
            site, responsable, closed_on="2026-03-01", appliance=family_appliance("lave_linge", "Vedette")
        )
        for _ in range(3)
    ]
    for case in cases:
        claim_on(case, opened_on="2026-03-20")
    client = login(technicien)
    page = client.get("/amelioration/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Retours sur les appareils VEDETTE" not in text  # the title goes in the link, url-encoded
    assert "Même marque" in text and "VEDETTE" in text
    numbers = ",".join(c.number for c in cases)
    form = client.get(
        "/amelioration/actions/nouvelle/",
        {"site": site.pk, "titre": "Retours sur les appareils VEDETTE", "dossiers": numbers},
    )
    assert 'value="Retours sur les appareils VEDETTE"' in form.content.decode()
    refused = client.post(
        "/amelioration/actions/nouvelle/",
        {"site": site.pk, "title": "Retours VEDETTE", "cases": "PAR1-XXX", "cause": "Joint"},
    )
    assert refused.status_code == 400
    assert "Inconnu(s) sur le site Paris Bastille : PAR1-XXX" in refused.content.decode()
    assert ImprovementAction.objects.count() == 0
    done = client.post(
        "/amelioration/actions/nouvelle/",
        {"site": site.pk, "title": "Retours VEDETTE", "cases": numbers, "cause": "Joint"},
    )
    item = ImprovementAction.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/amelioration/actions/{item.pk}/"
    assert sorted(item.cases.values_list("number", flat=True)) == sorted(c.number for c in cases)
    detail = client.get(f"/amelioration/actions/{item.pk}/").content.decode()
    assert 'id="move-decide"' not in detail  # a technician does not decide


def test_the_manager_decides_on_the_page(site, responsable, technicien):
    item = action_propose(actor=technicien, site=site, title="Délais de pièces trop longs")
    client = login(responsable)
    missing = client.post(
        f"/amelioration/actions/{item.pk}/",
        {"action": "decide", "plan": "Deuxième fournisseur", "owner": technicien.pk},
    )
    assert missing.status_code == 400
    text = missing.content.decode()
    assert "Ce champ est obligatoire." in text and "Deuxième fournisseur</textarea>" in text
    done = client.post(
        f"/amelioration/actions/{item.pk}/",
        {"action": "decide", "plan": "Deuxième fournisseur", "owner": technicien.pk, "due_on": "2099-01-31"},
    )
    assert done.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.owner, str(item.due_on)) == ("decidee", technicien, "2099-01-31")


def test_the_manager_follows_up_a_low_score(site, responsable):
    case = closed_case(site, responsable, closed_on="2026-03-10")
    answer = survey_answer(
        case=case, recommendation=2, satisfaction=1, comment="Jamais rappelé.", at=at("2026-03-11")
    )
    client = login(responsable)
    page = client.get("/amelioration/enquete/", {"basses": "1"})
    assert "Jamais rappelé." in page.content.decode()
    refused = client.post(f"/amelioration/enquete/{answer.pk}/suivi/", {"status": "traite", "note": ""})
    assert refused.status_code == 400
    assert "Notez ce qui a été fait pour ce client avant de dire le suivi traité." in refused.content.decode()
    done = client.post(
        f"/amelioration/enquete/{answer.pk}/suivi/", {"status": "traite", "note": "Rappelé le 12/03."}
    )
    assert done.status_code == 302
    answer.refresh_from_db()
    assert (answer.follow_up, answer.follow_up_note) == ("traite", "Rappelé le 12/03.")


def test_another_sites_action_is_404(site, other_site, technicien, other_accueil):
    item = action_propose(actor=technicien, site=site, title="x")
    assert login(other_accueil).get(f"/amelioration/actions/{item.pk}/").status_code == 404
