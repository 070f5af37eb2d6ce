"""PDF documents (quote, repair order) rendered by WeasyPrint from HTML templates; French, A4."""

from atelier.core.pdf import render_document, render_pdf
from atelier.quotes.choices import LineKind, PartAction, QuoteStatus
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
        },
    )


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
