"""Fixtures of improvement: dossiers walked to their end at given dates (repaired, unrepairable, quote refused),
claims that come back on them, and a manager and a technician of the site."""

import datetime
import zoneinfo

import pytest

from atelier.aftersales.models import Claim, ClaimType
from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory
from atelier.repairs import extensions
from atelier.repairs import services as cs
from atelier.repairs.tests.factories import RepairCaseFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

PATHS = {
    "repaired": [
        ("prediagnose", "Vidange bouchée."),
        ("send_quote", ""),
        ("accept_quote", ""),
        ("receive_in_workshop", ""),
        ("start_repair", ""),
        ("mark_repaired", "Pompe remplacée."),
        ("commission", "Essai de vidange conforme."),
        ("hand_back", ""),
        ("close", ""),
    ],
    "unrepairable": [
        ("prediagnose", "Fuite."),
        ("declare_unrepairable", "Pièce plus fabriquée ni disponible chez le constructeur."),
        ("hand_back", ""),
        ("close", ""),
    ],
    "refused": [
        ("prediagnose", "Carte HS."),
        ("send_quote", ""),
        ("refuse_quote", "Trop cher."),
        ("hand_back", ""),
        ("close", ""),
    ],
}


def at(day: str, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=PARIS)


def closed_case(
    site, actor, *, path="repaired", closed_on="2026-03-10", received_on=None, appliance=None, words=None
):
    """A dossier received a week before `closed_on` (10:00) and walked along `path`, its steps an hour apart,
    closed at 10:00 on `closed_on`."""
    closed = at(closed_on)
    received = at(received_on) if received_on else closed - datetime.timedelta(days=7)
    kwargs = {"site": site, "at": received}
    if appliance is not None:
        kwargs.update(customer=appliance.customer, appliance=appliance)
    if words:
        kwargs["customer_words"] = words
    case = RepairCaseFactory(**kwargs)
    steps = PATHS[path]
    with extensions.recording_history():
        for i, (name, note) in enumerate(steps):
            when = closed if name == "close" else received + datetime.timedelta(hours=i + 1)
            getattr(cs, f"case_{name}")(case=case, actor=actor, note=note, at=when)
    case.refresh_from_db()
    return case


def claim_on(case, *, opened_on="2026-03-20", repair_return=True, number=None):
    return Claim.objects.create(
        site=case.site,
        number=number or f"REC-{case.pk}-{opened_on}",
        customer=case.customer,
        appliance=case.appliance,
        earlier_case=case,
        claim_type=ClaimType.objects.order_by("pk").first(),
        channel="guichet",
        description="Même panne qu'avant.",
        repair_return=repair_return,
        opened_at=at(opened_on, 11),
    )


@pytest.fixture
def family_appliance(site):
    def make(family="lave_linge", brand="Bosch", **customer):
        return ApplianceFactory(customer=CustomerFactory(site=site, **customer), family=family, brand=brand)

    return make
