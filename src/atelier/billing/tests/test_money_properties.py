"""Property tests on billing money: amounts typed by people parse exactly, a credit note's HT + VAT is its TTC,
an invoice's lines, VAT breakdown and totals add up to the cent, a third decimal is refused."""

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from atelier.core.money import CENT, LineAmounts, totals
from atelier.core.money import parse_amount as money

cents = st.integers(min_value=1, max_value=99_999_999).map(lambda n: Decimal(n) / 100)
rates = st.sampled_from([Decimal("20.00"), Decimal("10.00"), Decimal("5.50"), Decimal("2.10")])
quantities = st.integers(min_value=1, max_value=50_000).map(lambda n: Decimal(n) / 100)


@given(cents)
def test_french_and_dotted_amounts_parse_to_the_same_cents(amount):
    assert money(f"{amount:.2f}") == money(f"{amount:.2f}".replace(".", ",")) == amount.quantize(CENT)


@given(cents, rates)
def test_credit_note_split_adds_up(ttc, rate):
    ht = (ttc * 100 / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    vat = ttc - ht
    assert ht + vat == ttc and vat >= 0 and abs(vat - (ht * rate / 100)) <= Decimal("0.01") * (1 + rate / 100)


@given(st.lists(st.tuples(quantities, cents, rates), min_size=1, max_size=12))
def test_invoice_totals_add_up_to_the_cent(rows):
    lines = [LineAmounts(q, p, r) for q, p, r in rows]
    t = totals(lines)
    assert t.total_ht == sum(x.total_ht for x in lines)
    assert t.total_vat == sum(x.vat for x in lines) == sum(r.vat for r in t.by_rate)
    assert t.total_ttc == t.total_ht + t.total_vat
    assert all(x.total_ht == x.total_ht.quantize(CENT) for x in lines)


@given(cents, st.integers(min_value=1, max_value=9))
def test_a_third_decimal_is_refused_never_rounded(amount, digit):
    import pytest

    from atelier.core.errors import AtelierError

    with pytest.raises(AtelierError, match="euros et centimes"):
        money(f"{amount:.2f}{digit}")
