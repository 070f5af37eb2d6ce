"""The parts catalogue: conditions, alternatives, prices never negative."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from atelier.stock.models import Part
from atelier.stock.selectors import part_alternatives


@pytest.fixture
def pump(db):
    return Part.objects.create(reference="P-1", designation="Pompe", price_ht=Decimal("48.90"))


def test_alternatives_are_the_same_base_reference_in_another_condition_unless_unavailable(pump):
    used = Part.objects.create(
        reference="P-1-OCC",
        designation="Pompe",
        condition="occasion",
        price_ht=Decimal("24"),
        equivalent_of=pump,
    )
    refurbished = Part.objects.create(
        reference="P-1-REC",
        designation="Pompe",
        condition="reconditionne",
        price_ht=Decimal("30"),
        equivalent_of=pump,
    )
    Part.objects.create(
        reference="P-1-X",
        designation="Pompe",
        price_ht=Decimal("40"),
        equivalent_of=pump,
        availability="indisponible",
    )
    assert sorted(p.reference for p in part_alternatives(pump)) == ["P-1-OCC", "P-1-REC"]
    assert sorted(p.reference for p in part_alternatives(used)) == ["P-1", "P-1-REC"]
    assert (pump.is_circular, used.is_circular, refurbished.is_circular) == (False, True, True)
    assert str(used) == "P-1-OCC – Pompe (d'occasion)"


def test_a_negative_price_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError, match="stock_part_price_not_negative|CHECK constraint"):
        Part.objects.create(reference="N-1", designation="X", price_ht=Decimal("-1"))
