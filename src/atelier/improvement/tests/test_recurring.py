"""Recurring causes: three claims on the same brand, part, cause or technician make a candidate; two do not."""

import datetime

import pytest

from atelier.improvement.recurring import recurring_causes
from atelier.improvement.services import action_propose
from atelier.improvement.tests.conftest import claim_on, closed_case

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 4, 1)


def test_three_claims_sharing_a_brand_and_a_technician_are_candidates(
    site, responsable, technicien, family_appliance
):
    cases = [
        closed_case(
            site, responsable, closed_on="2026-03-01", appliance=family_appliance("lave_linge", brand)
        )
        for brand in ("Bosch", "bosch ", "BOSCH", "Miele", "Miele")
    ]
    for case in cases:
        case.technician = technicien
        case.save(update_fields=["technician"])
        claim_on(case, opened_on="2026-03-20")
    found = recurring_causes(site=site, today=TODAY)
    name = technicien.get_full_name()
    assert [(c.kind, c.value, c.count) for c in found] == [("technicien", name, 5), ("marque", "BOSCH", 3)]
    assert found[1].title == "Retours sur les appareils BOSCH"
    assert found[1].case_numbers == [c.number for c in cases[:3]]
    action = action_propose(actor=technicien, site=site, title="Retours sur les appareils BOSCH")
    again = recurring_causes(site=site, today=TODAY)
    assert again[1].existing_action_id == action.pk


def test_three_claims_after_the_same_error_code(site, responsable, family_appliance):
    from atelier.knowledge.models import ConfirmedCause

    for brand in ("Bosch", "Miele", "Samsung"):
        case = closed_case(
            site, responsable, closed_on="2026-03-01", appliance=family_appliance("lave_linge", brand)
        )
        ConfirmedCause.objects.create(
            family="lave_linge", error_code="e18", text="Vidange", cause_label="Pompe", source=case.number
        )
        claim_on(case, opened_on="2026-03-20")
    found = recurring_causes(site=site, today=TODAY)
    assert [(c.kind_label, c.value, c.count, c.title) for c in found] == [
        ("Même code erreur", "E18", 3, "Retours après le code erreur E18")
    ]


def test_claims_older_than_the_window_do_not_count(site, responsable, family_appliance):
    for _ in range(3):
        case = closed_case(
            site, responsable, closed_on="2025-06-01", appliance=family_appliance("froid", "Liebherr")
        )
        claim_on(case, opened_on="2025-09-01")
    assert recurring_causes(site=site, today=TODAY) == []
