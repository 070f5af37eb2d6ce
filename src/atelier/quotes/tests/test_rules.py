"""Repairability advice from RepairabilityRule (data): ratio to a new appliance, age, used-part option."""

import datetime
from decimal import Decimal

from atelier.customers.models import Appliance
from atelier.quotes.rules import advise
from atelier.quotes.selectors import case_solutions

TODAY = datetime.date(2026, 11, 26)


def _age(case, years):
    Appliance.objects.filter(pk=case.appliance_id).update(
        purchase_date=TODAY.replace(year=TODAY.year - years)
    )
    case.appliance.refresh_from_db()


def test_repair_when_cheap_and_young(case):
    _age(case, 3)
    advice = advise(
        case=case, repair_ttc=Decimal("157.68"), replacement_ttc=None, has_circular=False, on=TODAY
    )
    assert (advice.recommendation, advice.ratio_percent, advice.replacement_ttc) == (
        "reparer",
        35,
        Decimal("450.00"),
    )
    assert advice.reasons == [
        "la réparation coûte 35 % du prix d'un appareil neuf (seuil 50 %)",
        "l'appareil a 3 ans (seuil 10 ans)",
    ]


def test_too_dear_without_used_part_is_not_advised(case):
    _age(case, 3)
    advice = advise(case=case, repair_ttc=Decimal("300"), replacement_ttc=None, has_circular=False, on=TODAY)
    assert (advice.recommendation, advice.label) == ("deconseille", "Réparation déconseillée")


def test_old_appliance_with_a_used_part_option(case):
    _age(case, 12)
    advice = advise(
        case=case, repair_ttc=Decimal("150"), replacement_ttc=Decimal("400"), has_circular=True, on=TODAY
    )
    assert advice.recommendation == "reparer_occasion"
    assert advice.reasons[-1] == "une pièce d'occasion ou reconditionnée réduit le coût"


def test_solutions_side_by_side_with_availability_and_alternatives(case, solution, used_solution):
    _age(case, 7)
    views = case_solutions(case)
    assert [(v.solution.title, v.totals.total_ttc, v.delay_days) for v in views] == [
        ("Remplacement de la pompe de vidange", Decimal("157.68"), 5),
        ("Pompe d'occasion", Decimal("127.80"), 0),
    ]
    new, used = views
    assert new.parts[0].status == "À commander · 5 j"
    assert [a.reference for a in new.parts[0].alternatives] == ["BSH-00145212-OCC"]
    assert [a.reference for a in used.parts[0].alternatives] == ["BSH-00145212"]
    assert new.advice.recommendation == "reparer"
