import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atelier.customers.models import WarrantyRule
from atelier.customers.warranty import add_months, legal_warranty_end

D = datetime.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2023, 12, 15), 1, D(2024, 1, 15)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year: clamped to the 29th
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2023, 11, 30), 3, D(2024, 2, 29)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2023, 3, 31), 24, D(2025, 3, 31)),
        (D(2023, 8, 31), 1, D(2023, 9, 30)),
        (D(2023, 5, 10), 0, D(2023, 5, 10)),
    ],
)
def test_add_months_counts_calendar_months_and_clamps_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)), st.integers(min_value=0, max_value=120))
def test_add_months_lands_in_the_right_month_never_later_in_it(start, months):
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == start.day or (end.day < start.day and (end + datetime.timedelta(days=1)).day == 1)


def test_migration_seeds_the_legal_conformity_warranty_rules_L217_3_L217_7(db):
    """Since 2022-01-01 used goods have the same 2-year guarantee (L217-3); 12 months is their presumption
    (L217-7), corrected by customers 0006."""
    rows = list(
        WarrantyRule.objects.order_by("valid_from", "-bought_new").values_list(
            "valid_from", "bought_new", "months", "presumption_months"
        )
    )
    assert rows == [
        (D(2005, 2, 19), True, 24, 6),
        (D(2005, 2, 19), False, 24, 6),
        (D(2016, 3, 18), True, 24, 24),
        (D(2016, 3, 18), False, 24, 6),
        (D(2022, 1, 1), True, 24, 24),
        (D(2022, 1, 1), False, 24, 12),
    ]
    assert WarrantyRule.objects.get(valid_from=D(2022, 1, 1), bought_new=False).label == (
        "Ordonnance n° 2021-1247 du 29 septembre 2021 : garantie légale de conformité de 24 mois, présomption de "
        "12 mois (bien d'occasion, art. L217-3 et L217-7)"
    )


@pytest.mark.parametrize(
    ("purchase", "bought_new", "expected"),
    [
        (D(2005, 2, 18), True, None),  # before ordonnance 2005-136: no rule, nothing computed
        (D(2005, 2, 19), True, D(2007, 2, 19)),
        (D(2021, 12, 31), False, D(2023, 12, 31)),  # used, last day of the 2005 rule: 24 months
        (D(2022, 1, 1), False, D(2024, 1, 1)),  # used, first day of the 2022 rule: 24 months (L217-3)
        (D(2022, 1, 1), True, D(2024, 1, 1)),
        (D(2024, 1, 31), True, D(2026, 1, 31)),
        (D(2024, 2, 29), False, D(2026, 2, 28)),
        (D(2024, 2, 29), True, D(2026, 2, 28)),
    ],
)
def test_legal_warranty_end_follows_the_rule_on_the_purchase_date(db, purchase, bought_new, expected):
    assert legal_warranty_end(purchase_date=purchase, bought_new=bought_new) == expected
