"""Legal warranty end dates: calendar months added to the purchase date, per the WarrantyRule in force.

The one computation of the legal conformity guarantee: the appliance's stored « fin de garantie » and the
coverage engine (atelier.aftersales.coverage) both call `legal_terms`.
"""

import calendar
import datetime
from dataclasses import dataclass

from atelier.customers.models import WarrantyRule


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's end: 31/01/2024 + 1 → 29/02/2024.

    This is how a duration "en mois" is counted (de quantième à quantième), and no month has to be guessed.
    """
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return day.replace(year=year, month=month0 + 1, day=min(day.day, last_day))


@dataclass(frozen=True)
class LegalTerms:
    """The legal guarantee of one delivery: its end, the end of the presumption, the rule applied."""

    end: datetime.date
    presumption_end: datetime.date | None
    rule: WarrantyRule


def legal_terms(
    *, purchase_date: datetime.date, bought_new: bool, rules: list[WarrantyRule] | None = None
) -> LegalTerms | None:
    """The legal guarantee of a delivery on `purchase_date`, or None when no rule covers that date.

    `rules` (every WarrantyRule, any order) spares a query per appliance when many are computed at once."""
    if rules is None:
        rule = WarrantyRule.in_force(purchase_date=purchase_date, bought_new=bought_new)
    else:
        candidates = [r for r in rules if r.bought_new == bought_new and r.valid_from <= purchase_date]
        rule = max(candidates, key=lambda r: r.valid_from, default=None)
    if rule is None:
        return None
    presumption = rule.presumption_months
    return LegalTerms(
        end=add_months(purchase_date, rule.months),
        presumption_end=add_months(purchase_date, presumption) if presumption is not None else None,
        rule=rule,
    )


def legal_warranty_end(*, purchase_date: datetime.date, bought_new: bool) -> datetime.date | None:
    """End of the legal conformity warranty for a purchase, or None when no rule covers that date."""
    terms = legal_terms(purchase_date=purchase_date, bought_new=bought_new)
    return terms.end if terms else None
