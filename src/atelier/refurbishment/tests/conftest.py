"""Fixtures of the second life: a shelf on Paris, a collection lot, an appliance taken in from it, and a
dossier whose appliance waits for its owner (status set straight: the dossier's workflow is the repairs app's)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory
from atelier.refurbishment import services
from atelier.refurbishment.choices import LotKind, Origin
from atelier.repairs.choices import CaseStatus
from atelier.repairs.services import case_open
from atelier.stock.models import StockLocation


@pytest.fixture
def shelf(site):
    return StockLocation.objects.create(site=site, code="SV-A", name="Seconde vie A")


@pytest.fixture
def shelf2(site):
    return StockLocation.objects.create(site=site, code="SV-B", name="Seconde vie B")


@pytest.fixture
def customer(site):
    return CustomerFactory(site=site, last_name="Moreau", first_name="Inès")


@pytest.fixture
def lot(magasinier, site):
    return services.lot_create(
        actor=magasinier,
        site=site,
        kind=LotKind.ECO_ORGANISME,
        partner="ecosystem",
        delivery_note="BL-2026-118",
        received_on=timezone.localdate(),
    )


@pytest.fixture
def take_in(magasinier, site, lot, shelf):
    """take_in(family="lave_linge", brand="Bosch") — an appliance of the lot, « à trier », on the shelf."""

    def make(family="lave_linge", brand="Bosch", **kwargs):
        return services.appliance_intake(
            actor=kwargs.pop("actor", magasinier),
            site=site,
            origin=Origin.COLLECTE,
            lot=lot,
            family=family,
            brand=brand,
            model_ref=kwargs.pop("model_ref", "WAN28208FF"),
            location=shelf,
            weight_kg=Decimal("62.0"),
            **kwargs,
        )

    return make


@pytest.fixture
def waiting_case(accueil, site):
    """A repaired dossier whose customer never came back."""
    owner = CustomerFactory(site=site, last_name="Garnier")
    appliance = ApplianceFactory(customer=owner, family="lave_vaisselle", brand="Miele", model_ref="G 5210")
    case = case_open(
        actor=accueil,
        customer=owner,
        appliance=appliance,
        customer_words="Ne lave plus.",
        at=timezone.now() - datetime.timedelta(days=500),
    )
    case.status = CaseStatus.REPARE
    case.save(update_fields=["status"])
    return case


def all_checks(family, *, failing=()):
    """The results of every check of a family's list: passed, except the codes in `failing`."""
    from atelier.refurbishment.selectors import checklist

    return {
        c.code: (c.code not in failing, "défaut constaté" if c.code in failing else "")
        for c in checklist(family)
    }


# The dossier fixtures of the repairs tests (a washing machine's dossier), for quotes offering recovered parts.
from atelier.repairs.tests import conftest as _repairs  # noqa: E402

appliance = _repairs.appliance
make_case = _repairs.make_case


@pytest.fixture
def new_pump(db):
    """The new drain pump of the catalogue that a recovered one replaces."""
    from atelier.stock.choices import Availability, PartKind
    from atelier.stock.models import Part

    return Part.objects.create(
        reference="LL-PV-3010",
        designation="Pompe de vidange 30 W",
        kind=PartKind.MOTEUR,
        family="lave_linge",
        price_ht=Decimal("39.90"),
        availability=Availability.A_COMMANDER,
        lead_time_days=4,
    )


@pytest.fixture
def broken(take_in, technicien):
    """A washing machine sorted « non réparable »: at dismantling."""
    from atelier.refurbishment.choices import TriageOutcome

    appliance = take_in(model_ref="WW90T534", brand="Samsung")
    services.appliance_triage(
        actor=technicien,
        appliance=appliance,
        results=all_checks("lave_linge", failing=("mise_sous_tension",)),
        outcome=TriageOutcome.NON_REPARABLE,
    )
    appliance.refresh_from_db()
    return appliance


@pytest.fixture
def pat(site):
    """A PAT tester of the site, in service and checked (the instrument of the EN 50678 tests)."""
    from atelier.fieldwork.models import ToolKind
    from atelier.fieldwork.tests.conftest import make_tool

    return make_tool(site, ToolKind.objects.get(code="testeur-pat"), "PAT-SV")


GOOD_CLASS_I = {
    "pe_resistance": "0,12 Ω",
    "insulation": "250 MΩ",
    "pe_current": "0,4 mA",
    "touch_current": "0,1 mA",
}


@pytest.fixture
def refurbish(technicien, pat):
    """refurbish(appliance, failing=(), skip=()) — every step of its family recorded (passed unless its code is
    in `failing`, the data erasure done when the appliance holds data); returns the refurbishment."""

    def run(appliance, *, failing=(), skip=(), holds_data=None, erased=True, country="FR"):
        refurbishment = services.refurbishment_start(
            actor=technicien, appliance=appliance, holds_data=holds_data
        )
        for step in services.procedures_of(appliance.family):
            if step.code in skip or step.kind == "effacement":
                continue
            if step.kind == "securite":
                services.refurbishment_step_record(
                    actor=technicien,
                    refurbishment=refurbishment,
                    step_code=step.code,
                    appliance_class="I",
                    measurements=GOOD_CLASS_I,
                    instrument=pat,
                    country=country,
                )
                continue
            ok = step.code not in failing
            services.refurbishment_step_record(
                actor=technicien,
                refurbishment=refurbishment,
                step_code=step.code,
                passed=ok,
                measured="" if ok else "défaut constaté",
                country=country,
            )
        if refurbishment.holds_data and erased:
            services.data_erasure_record(
                actor=technicien,
                refurbishment=refurbishment,
                medium="Mémoire interne 8 Go",
                method="reset",
                tool="Menu usine + vérification des comptes",
                passes_requested=1,
                passes_done=1,
                verified=True,
                verification="Assistant de première installation affiché, aucun compte ni réseau",
            )
        return refurbishment

    return run


def sorted_valid(take_in, magasinier, family="lave_linge", **kwargs):
    appliance = take_in(family=family, **kwargs)
    services.appliance_triage(
        actor=magasinier, appliance=appliance, results=all_checks(family), outcome="valide"
    )
    appliance.refresh_from_db()
    return appliance
