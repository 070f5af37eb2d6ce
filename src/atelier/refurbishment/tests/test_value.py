"""« Ce que la seconde vie rapporte » (issue 20 point 6): every figure on a hand-built set, the CSV rows exact,
the page and its export by role and site."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from atelier.refurbishment import services
from atelier.refurbishment.choices import Origin, TriageOutcome
from atelier.refurbishment.services import value
from atelier.refurbishment.services.dismantling import recovered_part_stock, weee_departure_record
from atelier.stock import services as stock
from atelier.stock.choices import MoveKind as PartMove

from .conftest import all_checks
from .test_dismantling import finish_list, recover_pump

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(take_in, technicien, magasinier, accueil, site, shelf, broken, new_pump, waiting_case):
    """Five appliances in today: A sold 150 €, B ready, C (broken) dismantled — its pump recovered, put in stock
    and fitted on a dossier, the remains handed over as WEEE —, D scrapped unsorted, E traded in for 20 € and
    sold 120 €."""
    a, b = take_in(brand="A"), take_in(brand="B")
    d = take_in(brand="D")
    e = services.appliance_intake(
        actor=magasinier,
        site=site,
        origin=Origin.REPRISE,
        family="froid",
        brand="E",
        origin_note="Ticket 2026-1187",
        trade_in_value="20.00",
        weight_kg=Decimal("30.0"),
        location=shelf,
    )
    for appliance in (a, b, e):
        services.appliance_triage(
            actor=technicien,
            appliance=appliance,
            results=all_checks(appliance.family),
            outcome=TriageOutcome.VALIDE,
        )
    services.appliance_sell(actor=accueil, appliance=a, price="150.00")
    services.appliance_sell(actor=accueil, appliance=e, price="120.00")
    services.appliance_scrap(actor=magasinier, appliance=d, reason="Carcasse rouillée")
    recovered = recover_pump(broken, technicien, new_pump)
    finish_list(broken, technicien)
    recovered_part_stock(actor=magasinier, recovered=recovered, location=shelf)
    stock.move_record(
        actor=technicien,
        part=recovered.part,
        location=shelf,
        kind=PartMove.CONSOMMATION,
        quantity=1,
        reason="Posée sur le dossier",
        case=waiting_case,
    )
    weee_departure_record(
        actor=technicien,
        appliance=broken,
        eco_organism="ecosystem",
        bordereau="BSD-2026-0042",
        handed_on=timezone.localdate(),
        weight_kg="55.5",
    )
    return site


EXPECTED = {
    "entres": 5,
    "tries": 4,
    "tries_valides": 3,
    "tries_a_reparer": 0,
    "tries_non_reparables": 1,
    "reconditionnes": 3,
    "vendus": 2,
    "ventes_ttc": Decimal("270.00"),
    "rebut": 1,
    "demontes": 1,
    "pieces_recuperees": 1,
    "pieces_recuperees_valeur": Decimal("19.00"),
    "pieces_reemployees": 1,
    "pieces_reemployees_valeur": Decimal("19.00"),
    "kg_detournes": Decimal("92.4"),  # A 62.0 + E 30.0 sold, the pump 0.40
    "kg_deee": Decimal("55.5"),
    "duree_moyenne": Decimal("0.0"),  # ready for sale at their triage « fonctionnement validé »
    "marge_moyenne": Decimal("125.00"),  # (150 − 0 + 120 − 20) / 2
}


def test_every_figure_on_a_hand_built_set(world):
    today = timezone.localdate()
    figures = value.site_value(site=world, start=today, end=today)
    assert {f.key: f.value for f in figures} == EXPECTED
    # the day before: nothing happened, nothing to average
    yesterday = today - datetime.timedelta(days=1)
    before = {f.key: f.value for f in value.site_value(site=world, start=yesterday, end=yesterday)}
    assert (before["entres"], before["kg_detournes"], before["duree_moyenne"], before["marge_moyenne"]) == (
        0,
        Decimal("0.0"),
        None,
        None,
    )


def test_costs_and_ready_moments_from_the_refurbishment_procedures_count(world, monkeypatch):
    """The hooks another module fills: a cost per appliance sold lowers the margin."""
    monkeypatch.setattr(value, "COST_SOURCES", [lambda ids: dict.fromkeys(ids, Decimal("10.00"))])
    today = timezone.localdate()
    figures = {f.key: f.value for f in value.site_value(site=world, start=today, end=today)}
    assert figures["marge_moyenne"] == Decimal("115.00")


def test_the_csv_rows_are_exact(world):
    today = timezone.localdate()
    rows = value.csv_rows(
        site=world, start=today, end=today, figures=value.site_value(site=world, start=today, end=today)
    )
    day = f"{today:%d/%m/%Y}"
    assert rows == [
        ["Indicateur", "Valeur", "Unité"],
        ["Site", "PAR1", ""],
        ["Du", day, ""],
        ["Au", day, ""],
        ["Appareils entrés en stock", 5, "appareils"],
        ["Appareils triés", 4, "appareils"],
        ["… dont fonctionnement validé", 3, "appareils"],
        ["… dont à réparer", 0, "appareils"],
        ["… dont non réparables", 1, "appareils"],
        ["Appareils reconditionnés (prêts à la vente)", 3, "appareils"],
        ["Appareils vendus", 2, "appareils"],
        ["Ventes d'appareils", "270,00", "€ TTC"],
        ["Appareils mis au rebut", 1, "appareils"],
        ["Appareils démontés (restes en DEEE)", 1, "appareils"],
        ["Pièces récupérées au démontage", 1, "pièces"],
        ["Valeur des pièces récupérées", "19,00", "€ HT"],
        ["Pièces récupérées posées en réparation", 1, "pièces"],
        ["Valeur des pièces posées en réparation", "19,00", "€ HT"],
        ["Poids détourné des déchets (réemploi)", "92,4", "kg"],
        ["Poids remis en DEEE (recyclage)", "55,5", "kg"],
        ["Durée moyenne de reconditionnement", "0,0", "jours"],
        ["Marge moyenne par appareil vendu", "125,00", "€ TTC"],
    ]


def test_the_page_and_its_export(world, client, responsable, comptable, technicien):
    today = f"{timezone.localdate():%Y-%m-%d}"
    query = {"site": world.pk, "start": today, "end": today}
    client.force_login(comptable)
    page = client.get(reverse("refurbishment:value"), query)
    assert page.status_code == 200
    assert [(f.key, f.value) for f in page.context["figures"]][:2] == [("entres", 5), ("tries", 4)]
    assert "Ce que la seconde vie rapporte" in page.content.decode()
    export = client.get(reverse("refurbishment:value_csv"), query)
    assert export.status_code == 200
    assert export["Content-Disposition"] == (
        f'attachment; filename="seconde-vie-PAR1-{today.replace("-", "")}-{today.replace("-", "")}.csv"'
    )
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Indicateur;Valeur;Unité"
    assert lines[-1] == "Marge moyenne par appareil vendu;125,00;€ TTC"
    bad = client.get(reverse("refurbishment:value"), {**query, "end": "2000-01-01"})
    assert bad.status_code == 400
    assert "La fin de la période précède son début." in bad.content.decode()
    client.force_login(technicien)
    assert client.get(reverse("refurbishment:value"), query).status_code == 403


def test_another_sites_figures_answer_404(client, responsable, other_site):
    client.force_login(responsable)
    assert client.get(reverse("refurbishment:value"), {"site": other_site.pk}).status_code == 404
    assert client.get(reverse("refurbishment:value_csv"), {"site": other_site.pk}).status_code == 404


def test_the_dismantling_page_names_the_dossier_its_part_was_fitted_on(
    world, client, technicien, broken, waiting_case
):
    client.force_login(technicien)
    html = client.get(reverse("refurbishment:dismantle", args=[broken.pk])).content.decode()
    assert (
        f'id="fitted-{waiting_case.pk}">Posée sur le dossier '
        f'<a href="/dossiers/{waiting_case.pk}/">{waiting_case.number}</a>' in html
    )


def test_a_refurbished_appliance_is_ready_when_its_refurbishment_ends_and_its_parts_lower_the_margin(
    take_in, magasinier, technicien, accueil, site, shelf, refurbish
):
    """Triaged « à réparer » at 09:00, refurbished with two parts bought 12,50 € HT each, finished « conforme »
    at 15:00 the next day, sold 150 €: ready in the period after 1.25 days; margin 150 − 2 × 12,50 × 1.2 = 120."""
    from atelier.stock import services as stock_services
    from atelier.stock.tests.factories import PartFactory

    part = PartFactory(reference="BSH-00144", status="validee", purchase_price_ht=Decimal("12.50"))
    stock_services.move_record(
        actor=magasinier, part=part, location=shelf, kind="reception", quantity=3, reason="stock initial"
    )
    tz = timezone.get_current_timezone()
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=tz), tick=False):
        appliance = take_in(brand="R")
        services.appliance_triage(
            actor=technicien,
            appliance=appliance,
            results=all_checks("lave_linge", failing=("mise_sous_tension",)),
            outcome=TriageOutcome.A_REPARER,
        )
    with time_machine.travel(datetime.datetime(2026, 12, 2, 15, 0, tzinfo=tz), tick=False):
        refurbishment = refurbish(appliance)
        services.refurbishment_part_use(
            actor=technicien, refurbishment=refurbishment, part=part, location=shelf, quantity=2
        )
        services.refurbishment_finish(
            actor=technicien, refurbishment=refurbishment, verdict="conforme", grade="B", price="150"
        )
        services.appliance_sell(actor=accueil, appliance=appliance, price="150.00")

    assert value.ready_moments(site) == {appliance.pk: datetime.datetime(2026, 12, 2, 15, 0, tzinfo=tz)}
    assert value.refurbishment_parts_cost([appliance.pk]) == {appliance.pk: Decimal("30.00")}
    figures = {
        f.key: f.value
        for f in value.site_value(site=site, start=datetime.date(2026, 12, 1), end=datetime.date(2026, 12, 2))
    }
    assert (figures["reconditionnes"], figures["duree_moyenne"], figures["marge_moyenne"]) == (
        1,
        Decimal("1.3"),
        Decimal("120.00"),
    )
