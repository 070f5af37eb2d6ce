"""Money and VAT: exact values, properties (hypothesis), VAT rates with dates of effect."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atelier.core.errors import AtelierError
from atelier.core.models import VatRate
from atelier.core.money import LineAmounts, round_cents, to_decimal, totals, vat_of

RATES = [Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1")]
quantities = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999"), places=2)
prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=2)
lines = st.lists(
    st.builds(LineAmounts, quantity=quantities, unit_price_ht=prices, vat_rate=st.sampled_from(RATES)),
    min_size=0,
    max_size=12,
)


def test_rounding_is_half_up_to_the_cent():
    assert round_cents(Decimal("0.005")) == Decimal("0.01")
    assert round_cents(Decimal("2.345")) == Decimal("2.35")
    assert vat_of(Decimal("12.34"), Decimal("5.5")) == Decimal("0.68")


def test_floats_are_refused():
    with pytest.raises(TypeError, match="Montant en virgule flottante refusé : 0.1"):
        to_decimal(0.1)
    with pytest.raises(TypeError, match="Montant en virgule flottante refusé : 1.5"):
        LineAmounts(1.5, Decimal("10"), Decimal("20")).total_ht  # noqa: B018


def test_totals_exact_values():
    t = totals(
        [
            LineAmounts(Decimal("1.5"), Decimal("55.00"), Decimal("20")),
            LineAmounts(Decimal("1"), Decimal("48.90"), Decimal("20")),
            LineAmounts(Decimal("3"), Decimal("3.33"), Decimal("5.5")),
        ]
    )
    assert (t.total_ht, t.total_vat, t.total_ttc) == (Decimal("141.39"), Decimal("26.83"), Decimal("168.22"))
    assert [(r.rate, r.base_ht, r.vat) for r in t.by_rate] == [
        (Decimal("5.5"), Decimal("9.99"), Decimal("0.55")),
        (Decimal("20"), Decimal("131.40"), Decimal("26.28")),
    ]


@given(lines)
def test_totals_equal_the_sum_of_lines(items):
    t = totals(items)
    assert t.total_ht == sum((x.total_ht for x in items), Decimal("0"))
    assert t.total_vat == sum((x.vat for x in items), Decimal("0"))
    assert t.total_ttc == t.total_ht + t.total_vat == sum((x.total_ttc for x in items), Decimal("0"))
    for value in (t.total_ht, t.total_vat, t.total_ttc):
        assert isinstance(value, Decimal) and value == value.quantize(Decimal("0.01"))


@given(lines)
def test_vat_per_rate_is_consistent_with_vat_per_line(items):
    t = totals(items)
    assert sum((r.base_ht for r in t.by_rate), Decimal("0")) == t.total_ht
    assert sum((r.vat for r in t.by_rate), Decimal("0")) == t.total_vat
    for row in t.by_rate:
        n = sum(1 for x in items if x.vat_rate == row.rate)
        # rounding each line moves the rate's VAT by at most half a cent per line from VAT on the base
        assert abs(row.vat - row.base_ht * row.rate / 100) <= Decimal("0.005") * n
        assert isinstance(row.vat, Decimal)


def test_vat_rates_in_force_by_date(db):
    assert VatRate.in_force("normal", datetime.date(2026, 11, 26)) == Decimal("20.00")
    assert VatRate.in_force("normal", datetime.date(2013, 6, 1)) == Decimal("19.60")
    assert VatRate.in_force("reduit", datetime.date(2026, 1, 1)) == Decimal("5.50")
    assert VatRate.in_force("particulier", datetime.date(2026, 1, 1)) == Decimal("2.10")


def test_vat_rate_not_in_force_is_a_french_refusal(db):
    with pytest.raises(AtelierError, match="Aucun taux de TVA « Taux intermédiaire »") as exc:
        VatRate.in_force("intermediaire", datetime.date(2010, 6, 1))
    assert exc.value.message == "Aucun taux de TVA « Taux intermédiaire » n'est en vigueur au 01/06/2010."
