"""PDF documents (quote, repair order) rendered by WeasyPrint from HTML templates; French, A4."""

from atelier.core.errors import AtelierError
from atelier.core.pdf import render_document, render_pdf
from atelier.quotes import rules
from atelier.quotes.choices import AcceptanceContext, LineKind, PartAction, QuoteStatus
from atelier.quotes.guarantee import repair_guarantee_terms
from atelier.quotes.models import Quote, RepairOrder
from atelier.quotes.selectors import quote_lines_with_breakdown
from atelier.stock.selectors import order_part_states


def quote_html(quote: Quote) -> str:
    lines, breakdown = quote_lines_with_breakdown(quote)
    case = quote.case
    return render_document(
        "quotes/pdf/quote.html",
        {
            "quote": quote,
            "case": case,
            "site": case.site,
            "customer": case.customer,
            "appliance": case.appliance,
            "lines": lines,
            "breakdown": breakdown,
            "travel": [line for line in lines if line.kind == LineKind.DEPLACEMENT],
            "QuoteStatus": QuoteStatus,
            "LineKind": LineKind,
            "repair_guarantee": repair_guarantee_terms(case.site, quote.issued_on),
            "show_withdrawal": shows_withdrawal(quote),
            "withdrawal_days": quote.withdrawal_days or _withdrawal_days_or_none(quote),
        },
    )


def shows_withdrawal(quote: Quote) -> bool:
    """The withdrawal information and form go with every quote that may be accepted, or was accepted, at the
    customer's home or online (L221-5): all but one accepted at the counter. An urgent home repair gets the
    sentence saying why there is no withdrawal right (L221-28 8°)."""
    return quote.acceptance_context != AcceptanceContext.COMPTOIR


def _withdrawal_days_or_none(quote: Quote) -> int | None:
    try:
        return rules.withdrawal_days(quote.issued_on)
    except AtelierError:
        return None


def quote_pdf(quote: Quote) -> bytes:
    return render_pdf(quote_html(quote))


def repair_order_pdf(order: RepairOrder) -> bytes:
    case = order.case
    html = render_document(
        "quotes/pdf/repair_order.html",
        {
            "order": order,
            "quote": order.quote,
            "case": case,
            "site": case.site,
            "customer": case.customer,
            "appliance": case.appliance,
            "parts": order_part_states(order),
            "PartAction": PartAction,
        },
    )
    return render_pdf(html)
