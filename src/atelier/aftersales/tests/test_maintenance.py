"""The visits of maintenance contracts feed the planner (issue 18, point 1): which come due, and the home-visit
dossier opened for one of them, once."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from atelier.aftersales.maintenance import add_months, due_dates, maintenance_visit_open, visits_due
from atelier.aftersales.models import MaintenanceContract, MaintenanceVisit
from atelier.core.errors import AtelierError
from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory
from atelier.repairs.choices import WorkLocation

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = datetime.datetime(2026, 6, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def contract(appliance):
    return MaintenanceContract.objects.create(
        appliance=appliance,
        number="CE-2026-001",
        visits_per_year=2,
        includes="détartrage, contrôle des joints",
        price_ttc=Decimal("89.00"),
        start=D(2026, 1, 15),
        end=D(2027, 1, 14),
    )


def test_a_month_later_keeps_the_day_or_takes_the_months_last():
    assert [add_months(D(2026, 1, 31), n) for n in (1, 2, 13)] == [
        D(2026, 2, 28),
        D(2026, 3, 31),
        D(2027, 2, 28),
    ]


def test_two_visits_a_year_come_due_every_six_months_until_the_end(contract):
    assert due_dates(contract, D(2030, 1, 1)) == [D(2026, 1, 15), D(2026, 7, 15)]
    contract.renews_automatically = True
    assert due_dates(contract, D(2027, 8, 1)) == [
        D(2026, 1, 15),
        D(2026, 7, 15),
        D(2027, 1, 15),
        D(2027, 7, 15),
    ]
    contract.visits_per_year = 0
    assert due_dates(contract, D(2030, 1, 1)) == []


def test_the_list_shows_what_comes_due_within_30_days_and_what_is_late_up_to_90(accueil, contract, appliance):
    late = MaintenanceContract.objects.create(
        appliance=appliance,
        number="CE-2025-007",
        visits_per_year=1,
        includes="nettoyage",
        price_ttc=Decimal("49.00"),
        start=D(2025, 5, 1),
        end=D(2027, 4, 30),
    )
    with time_machine.travel(TODAY, tick=False):
        due = visits_due(accueil)
    # 15/07 is 25 days ahead; 01/05 is 50 days late; 15/01 is 156 days late, no longer offered
    assert [(v.contract.number, v.due_on, v.overdue) for v in due] == [
        (late.number, D(2026, 5, 1), True),
        (contract.number, D(2026, 7, 15), False),
    ]


def test_opening_the_visit_makes_a_home_dossier_once(accueil, contract):
    with time_machine.travel(TODAY, tick=False):
        case = maintenance_visit_open(actor=accueil, contract=contract, due_on=D(2026, 7, 15))
        assert [v.due_on for v in visits_due(accueil)] == []
        with pytest.raises(
            AtelierError, match=f"La visite d'entretien du 15/07/2026 a déjà son dossier : {case.number}."
        ):
            maintenance_visit_open(actor=accueil, contract=contract, due_on=D(2026, 7, 15))
    assert (case.location, case.customer_words) == (
        WorkLocation.DOMICILE,
        "Visite d'entretien du contrat CE-2026-001 (échéance du 15/07/2026). "
        "Le contrat comprend : détartrage, contrôle des joints",
    )
    assert MaintenanceVisit.objects.get().case == case


def test_a_date_that_is_not_one_of_the_contracts_is_refused_and_nothing_written(accueil, contract):
    with pytest.raises(
        AtelierError, match="Le contrat CE-2026-001 n'a pas de visite d'entretien à l'échéance du 16/07/2026."
    ):
        maintenance_visit_open(actor=accueil, contract=contract, due_on=D(2026, 7, 16))
    assert (MaintenanceVisit.objects.count(), contract.appliance.cases.count()) == (0, 0)


def test_the_page_opens_the_dossier_and_the_home_counts_what_is_due(client, accueil, contract):
    client.force_login(accueil)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("aftersales:maintenance")).content.decode()
        assert f'id="due-{contract.pk}-2026-07-15"' in page and "Ouvrir le dossier d'entretien" in page
        home = client.get(reverse("home")).content.decode()
        assert 'id="todo-maintenance_due"' in home
        response = client.post(
            reverse("aftersales:maintenance"), {"contract": contract.pk, "due_on": "2026-07-15"}
        )
        case = MaintenanceVisit.objects.get().case
        assert response.status_code == 302 and response["Location"] == reverse(
            "repairs:detail", args=[case.pk]
        )
        again = client.post(
            reverse("aftersales:maintenance"), {"contract": contract.pk, "due_on": "2026-07-15"}
        )
        assert again.status_code == 400
        assert "a déjà son dossier" in again.content.decode()
        unreadable = client.post(
            reverse("aftersales:maintenance"), {"contract": contract.pk, "due_on": "15/07"}
        )
        assert unreadable.status_code == 400
        assert "Saisissez une date valide." in unreadable.content.decode()
        assert MaintenanceVisit.objects.count() == 1


def test_another_sites_contract_is_not_found(client, other_accueil, contract):
    client.force_login(other_accueil)
    with time_machine.travel(TODAY, tick=False):
        assert (
            client.post(
                reverse("aftersales:maintenance"), {"contract": contract.pk, "due_on": "2026-07-15"}
            ).status_code
            == 404
        )
        assert client.get(reverse("maintenance-visit-list")).json() == []
    assert MaintenanceVisit.objects.count() == 0


def test_api_lists_and_opens(client, accueil, contract, site):
    other = ApplianceFactory(customer=CustomerFactory(site=site, anonymised_at=TODAY))
    MaintenanceContract.objects.create(
        appliance=other,
        number="CE-X",
        includes="—",
        price_ttc=Decimal("0"),
        start=D(2026, 7, 1),
        end=D(2027, 6, 30),
    )
    client.force_login(accueil)
    with time_machine.travel(TODAY, tick=False):
        listed = client.get(reverse("maintenance-visit-list")).json()
        assert listed == [
            {
                "contract": contract.pk,
                "contract_number": "CE-2026-001",
                "appliance": contract.appliance_id,
                "customer": contract.appliance.customer_id,
                "due_on": "2026-07-15",
                "overdue": False,
            }
        ]
        opened = client.post(
            reverse("maintenance-visit-list"),
            {"contract": contract.pk, "due_on": "2026-07-15"},
            content_type="application/json",
        )
        assert opened.status_code == 201
        assert opened.json() == {
            "case": MaintenanceVisit.objects.get().case_id,
            "number": MaintenanceVisit.objects.get().case.number,
        }
        refused = client.post(
            reverse("maintenance-visit-list"),
            {"contract": contract.pk, "due_on": "2026-07-15"},
            content_type="application/json",
        )
        assert refused.status_code == 400
