"""An appliance sold twice at once, and sold while reserved by another counter: the row lock lets one through,
the other gets the French refusal; the ledger holds exactly one exit (ARCHITECTURE.md, habit 4)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from atelier.core.tests.races import race
from atelier.refurbishment import services
from atelier.refurbishment.choices import MoveKind, TriageOutcome
from atelier.refurbishment.models import ApplianceMove, StockAppliance

from .conftest import all_checks

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are a PostgreSQL matter; SQLite serialises writers with BEGIN IMMEDIATE",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def ready(take_in, technicien):
    appliance = take_in()
    services.appliance_triage(
        actor=technicien, appliance=appliance, results=all_checks("lave_linge"), outcome=TriageOutcome.VALIDE
    )
    return StockAppliance.objects.get(pk=appliance.pk)


def test_an_appliance_sold_twice_at_once(ready, accueil, responsable):
    done, refused = race(
        lambda: services.appliance_sell(actor=accueil, appliance=ready, price="150.00"),
        lambda: services.appliance_sell(actor=responsable, appliance=ready, price="140.00"),
    )
    assert len(done) == 1
    assert refused == [f"L'appareil {ready.number} est déjà vendu."]
    assert ApplianceMove.objects.filter(appliance=ready, kind=MoveKind.VENTE).count() == 1
    assert StockAppliance.objects.get(pk=ready.pk).state == "vendu"


def test_reserved_and_sold_at_once(ready, accueil, responsable, customer):
    until = timezone.localdate() + timedelta(days=3)
    done, refused = race(
        lambda: services.appliance_reserve(actor=accueil, appliance=ready, customer=customer, until=until),
        lambda: services.appliance_sell(actor=responsable, appliance=ready, price="150.00"),
    )
    assert len(done) == 1 and len(refused) == 1
    fresh = StockAppliance.objects.get(pk=ready.pk)
    if fresh.state == "vendu":  # the sale went first: the reservation finds it sold
        assert refused == [f"L'appareil {ready.number} est déjà vendu."]
        assert fresh.reserved_for is None
    else:  # the reservation went first: the anonymous sale is refused
        assert refused[0].startswith(f"L'appareil {ready.number} est réservé pour ")
        assert fresh.reserved_for == customer


def test_the_same_sub_assembly_recovered_twice_at_once(broken, technicien, magasinier, new_pump):
    """Two technicians record the drain pump at the same instant: one part, one « déjà traité »."""
    from atelier.refurbishment.dismantling import RecoveredPart, SubAssembly
    from atelier.refurbishment.services.dismantling import part_recover
    from atelier.stock.models import Part

    pump = SubAssembly.objects.get(family="lave_linge", code="pompe_vidange")

    def recover(actor, reference):
        return lambda: part_recover(
            actor=actor,
            appliance=StockAppliance.objects.get(pk=broken.pk),
            sub_assembly=pump,
            reusable=True,
            test_record="Tourne.",
            reference=reference,
            grade="B",
            price_ht="19.00",
            weight_kg="0.4",
        )

    done, refused = race(recover(technicien, "REF-A"), recover(magasinier, "REF-B"))
    assert (len(done), refused) == (
        1,
        [f"Le sous-ensemble « Pompe de vidange » de l'appareil {broken.number} est déjà traité."],
    )
    assert RecoveredPart.objects.count() == 1
    assert Part.objects.filter(condition="occasion").count() == 1


def test_an_appliance_sold_with_its_invoice_twice_at_once(ready, accueil, responsable, customer):
    """Two counters sell the same appliance with its invoice: one sale, one invoice, one « déjà vendu »."""
    from atelier.billing.models import Invoice
    from atelier.refurbishment.models import ApplianceSale

    done, refused = race(
        lambda: services.appliance_resell(actor=accueil, appliance=ready, price="150.00", customer=customer),
        lambda: services.appliance_resell(
            actor=responsable, appliance=ready, price="140.00", customer=customer
        ),
    )
    assert len(done) == 1
    assert refused == [f"L'appareil {ready.number} est déjà vendu."]
    assert ApplianceSale.objects.filter(appliance=ready).count() == 1
    assert Invoice.objects.filter(site=ready.site, case__isnull=True).count() == 1
    assert ApplianceMove.objects.filter(appliance=ready, kind=MoveKind.VENTE).count() == 1
