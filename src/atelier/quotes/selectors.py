"""Reads of solutions, quotes and repair orders, scoped to the user's sites."""

from dataclasses import dataclass

from django.utils import timezone

from atelier.core.money import Totals
from atelier.core.scoping import visible_or_404
from atelier.quotes import pricing, rules
from atelier.quotes.models import Quote, RepairOrder, Solution
from atelier.stock.choices import Availability
from atelier.stock.models import Part
from atelier.stock.selectors import part_alternatives


def quote_get(*, user, pk: int) -> Quote:
    qs = Quote.objects.select_related(
        "case",
        "case__site",
        "case__customer",
        "case__appliance",
        "solution",
        "bonus_rate",
        "created_by",
        "used_part_exemption",
        "early_start_by",
    )
    return visible_or_404(qs, user, pk=pk)


def repair_order_get(*, user, pk: int) -> RepairOrder:
    qs = RepairOrder.objects.select_related(
        "quote", "case", "case__site", "case__customer", "case__appliance", "technician"
    )
    return visible_or_404(qs, user, pk=pk)


def quote_lines_with_breakdown(quote: Quote) -> tuple[list, Totals]:
    from atelier.core.money import LineAmounts, totals

    lines = list(quote.lines.select_related("part"))
    return lines, totals(LineAmounts(x.quantity, x.unit_price_ht, x.vat_rate) for x in lines)


@dataclass
class PartCheck:
    part: Part
    quantity: int
    status: str
    alternatives: list


@dataclass
class SolutionView:
    solution: Solution
    lines: list
    totals: Totals | None  # None when the solution cannot be priced (error says why)
    delay_days: int
    parts: list[PartCheck]
    has_circular: bool
    advice: rules.Advice | None
    error: str = ""


def case_solutions(case) -> list[SolutionView]:
    """Every solution of the dossier priced today, its parts' availability with alternatives, and the
    repairability advice: the side-by-side comparison."""
    today = timezone.localdate()
    views = []
    for solution in case.solutions.prefetch_related("parts__part"):
        checks = [
            PartCheck(
                sp.part,
                sp.quantity,
                sp.part.get_availability_display()
                + (
                    f" · {sp.part.lead_time_days} j"
                    if sp.part.availability == Availability.A_COMMANDER
                    else ""
                ),
                part_alternatives(sp.part),
            )
            for sp in solution.parts.all()
        ]
        circular = any(c.part.is_circular for c in checks)
        # a new part that has a used or refurbished alternative makes "réparer avec pièce d'occasion" possible
        circular_alternative = circular or any(a.is_circular for c in checks for a in c.alternatives)
        try:
            lines = pricing.solution_lines(solution, today)
        except Exception as exc:  # a missing tariff or VAT rate: shown on the card, not a 500
            from atelier.core.errors import AtelierError

            if not isinstance(exc, AtelierError):
                raise
            views.append(SolutionView(solution, [], None, 0, checks, circular, None, exc.message))
            continue
        t = pricing.lines_totals(lines)
        advice = rules.advise(
            case=case,
            repair_ttc=t.total_ttc,
            replacement_ttc=solution.replacement_price_ttc,
            has_circular=circular_alternative,
            on=today,
        )
        views.append(SolutionView(solution, lines, t, pricing.delay_days(lines), checks, circular, advice))
    return views
