"""The indicators page, its CSV export and its API: filters, French refusals (4xx), roles and sites."""

import pytest
from django.test import Client

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.indicators.tests.handbuilt import make_world

pytestmark = pytest.mark.django_db

MARCH = {"date_from": "2025-03-01", "date_to": "2025-03-31"}


@pytest.fixture
def world():
    w = make_world()
    w["other"] = make_world("HB2")["site"]
    client = Client()
    client.force_login(w["manager"])
    w["client"] = client
    return w


def test_page_shows_every_indicator_with_its_definition_and_the_previous_period(world):
    response = world["client"].get("/indicateurs/", MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "du 01/03/2025 au 31/03/2025, comparé au 29/01/2025 – 28/02/2025" in html
    assert 'id="ind-premier_coup"' in html and "66,7\u00a0%" in html
    assert "Part des dossiers réparés et rendus dans la période qui ne sont pas revenus" in html
    assert html.count('class="card ind-card"') == 15
    assert html.count('<svg class="ind-chart"') == 6  # 2 trends, family, technician, 2 Paretos
    assert "Karim Benali" in html and "Pièce introuvable" in html


def test_default_period_is_the_last_30_days(world):
    response = world["client"].get("/indicateurs/")
    assert response.status_code == 200
    assert "Aucun dossier rendu ni reçu dans cette période" in response.content.decode()


def test_reversed_and_empty_periods_are_refused_in_french(world):
    response = world["client"].get("/indicateurs/", {"date_from": "2025-03-31", "date_to": "2025-03-01"})
    assert response.status_code == 400
    assert "Période inversée : le 31/03/2025 est après le 01/03/2025" in response.content.decode()
    response = world["client"].get("/indicateurs/", {"date_from": "", "date_to": ""})
    assert response.status_code == 400
    assert "Période vide : indiquez la date de début et la date de fin." in response.content.decode()
    response = world["client"].get("/api/indicators/", {"date_from": "2025-03-31", "date_to": "2025-03-01"})
    assert response.status_code == 400
    assert "Période inversée" in response.json()["__all__"][0]


def test_a_site_the_user_cannot_see_is_refused_in_french(world):
    for url in ("/indicateurs/", "/indicateurs/reseau/", "/indicateurs/export.csv", "/api/indicators/"):
        response = world["client"].get(url, {**MARCH, "site": world["other"].pk})
        assert response.status_code == 403, url
        assert "Ce site ne fait pas partie des vôtres." in response.content.decode(), url


def test_other_roles_are_refused(world):
    client = Client()
    client.force_login(world["accueil"])
    assert client.get("/indicateurs/").status_code == 403
    assert client.get("/api/indicators/").status_code == 403


def test_csv_export_of_a_chart(world):
    response = world["client"].get("/indicateurs/export.csv", {**MARCH, "chart": "par_technician"})
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="indicateurs-par_technician-20250301-20250331.csv"'
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == [
        "Groupe;Rendus;Premier coup;Réparés",
        "Karim Benali;3;50,0\u00a0%;66,7\u00a0%",
        "Julien Moreau;2;100,0\u00a0%;100,0\u00a0%",
    ]
    assert world["client"].get("/indicateurs/export.csv", {**MARCH, "chart": "nope"}).status_code == 404


def test_api_returns_the_values_for_the_filters(world):
    response = world["client"].get(
        "/api/indicators/", {**MARCH, "technician": world["t1"].pk, "code": "premier_coup"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["site_ids"] == [world["site"].pk]
    assert body["previous_from"] == "2025-01-29"
    [ftf] = body["indicators"]
    assert (ftf["code"], ftf["value"], ftf["text"], ftf["previous_value"]) == (
        "premier_coup",
        50.0,
        "50,0\u00a0%",
        None,
    )
    response = world["client"].get("/api/indicators/", MARCH)
    values = {i["code"]: i["value"] for i in response.json()["indicators"]}
    assert values["delai"] == 3 and values["chiffre_affaires"] == "0.00" and values["retours"] == 20.0


def test_network_page_compares_the_sites(world):
    chain = UserFactory(username="chain", roles=[Role.RESPONSABLE_SAV], sites=[world["site"], world["other"]])
    client = Client()
    client.force_login(chain)
    response = client.get("/indicateurs/reseau/", MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chart-par_site"' in html and "HB1" in html and "HB2" in html


def test_menu_and_home_lead_the_manager_to_the_indicators(world):
    html = world["client"].get("/").content.decode()
    assert 'href="/indicateurs/"' in html
    assert "Indicateurs du SAV" in html  # no night stored yet: the link, no figure
    SiteFactory(code="ZZ9")
