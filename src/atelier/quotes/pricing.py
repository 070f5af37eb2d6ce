"""Pricing a solution from the catalogue and the site's tariffs in force on a date (lines, totals, delay)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from atelier.core.choices import TariffKind, VatKind
from atelier.core.errors import AtelierError
from atelier.core.models import VatRate
from atelier.core.money import LineAmounts, Totals, totals
from atelier.quotes.choices import LineKind
from atelier.repairs.choices import WorkLocation
from atelier.stock.models import Part

# Services (labour, travel, diagnosis) are sold at the normal rate; parts carry their own VAT kind.
SERVICE_VAT = VatKind.NORMAL


@dataclass(frozen=True)
class PricedLine:
    kind: str
    designation: str
    quantity: Decimal
    unit_price_ht: Decimal
    vat_kind: str
    vat_rate: Decimal
    part: Part | None = None
    lead_time_days: int = 0

    @property
    def amounts(self) -> LineAmounts:
        return LineAmounts(self.quantity, self.unit_price_ht, self.vat_rate)


def service_vat_rate(on: datetime.date) -> Decimal | None:
    """The rate of services (labour, travel, diagnosis, a charged quote: the normal rate) on that date."""
    try:
        return VatRate.in_force(SERVICE_VAT, on)
    except AtelierError:
        return None


def service_ttc(
    amount_ht: Decimal | None, on: datetime.date, *, rate: Decimal | None = None
) -> Decimal | None:
    """The price with VAT a consumer reads for a service, on that date (`rate` when the caller read it once);
    None when there is no amount or no rate in force then."""
    if amount_ht is None:
        return None
    rate = rate if rate is not None else service_vat_rate(on)
    if rate is None:
        return None
    return LineAmounts(Decimal("1"), amount_ht, rate).total_ttc


def tariff(site, kind: str, on: datetime.date) -> Decimal:
    amount = site.tariff(kind, on=on)
    if amount is None:
        raise AtelierError(
            _("Le site %(site)s n'a pas de « %(tariff)s » en vigueur au %(date)s.")
            % {"site": site.code, "tariff": TariffKind(kind).label, "date": on.strftime("%d/%m/%Y")}
        )
    return amount


def solution_lines(solution, on: datetime.date) -> list[PricedLine]:
    """The lines a quote built from this solution would carry, priced on that date."""
    case = solution.case
    site = case.site
    normal = VatRate.in_force(SERVICE_VAT, on)
    hourly_kind = (
        TariffKind.HOURLY_HOME if case.location == WorkLocation.DOMICILE else TariffKind.HOURLY_WORKSHOP
    )
    lines: list[PricedLine] = []
    if solution.labour_hours:
        lines.append(
            PricedLine(
                LineKind.MAIN_OEUVRE,
                _("Main-d'œuvre : %(work)s") % {"work": solution.title},
                solution.labour_hours,
                tariff(site, hourly_kind, on),
                SERVICE_VAT,
                normal,
            )
        )
    for sp in solution.parts.all():
        part = sp.part
        lines.append(
            PricedLine(
                LineKind.PIECE,
                f"{part.designation} – réf. {part.reference} ({part.get_condition_display().lower()})",
                Decimal(sp.quantity),
                part.price_ht,
                part.vat_kind,
                VatRate.in_force(part.vat_kind, on),
                part,
                part.lead_time_days,
            )
        )
    if solution.include_travel:
        lines.append(
            PricedLine(
                LineKind.DEPLACEMENT,
                _("Frais de déplacement"),
                Decimal(1),
                tariff(site, TariffKind.TRAVEL_FEE, on),
                SERVICE_VAT,
                normal,
            )
        )
    if solution.include_diagnosis:
        lines.append(
            PricedLine(
                LineKind.DIAGNOSTIC,
                _("Forfait diagnostic"),
                Decimal(1),
                tariff(site, TariffKind.DIAGNOSIS_FEE, on),
                SERVICE_VAT,
                normal,
            )
        )
    return lines


def lines_totals(lines: list[PricedLine]) -> Totals:
    return totals(line.amounts for line in lines)


def delay_days(lines: list[PricedLine]) -> int:
    return max((line.lead_time_days for line in lines), default=0)
