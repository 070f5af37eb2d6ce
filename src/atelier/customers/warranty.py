"""Legal warranty end dates: calendar months added to the purchase date, per the WarrantyRule in force."""

import calendar
import datetime

from atelier.customers.models import WarrantyRule


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's end: 31/01/2024 + 1 → 29/02/2024.

    This is how a duration "en mois" is counted (de quantième à quantième), and no month has to be guessed.
    """
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return day.replace(year=year, month=month0 + 1, day=min(day.day, last_day))


def legal_warranty_end(*, purchase_date: datetime.date, bought_new: bool) -> datetime.date | None:
    """End of the legal conformity warranty for a purchase, or None when no rule covers that date."""
    rule = WarrantyRule.in_force(purchase_date=purchase_date, bought_new=bought_new)
    if rule is None:
        return None
    return add_months(purchase_date, rule.months)
