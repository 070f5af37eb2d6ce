"""The invoice of a good sold outside any dossier — a second-life appliance sold at the counter (refurbishment
app, issue 20 point 5): numbered in the site's one invoice sequence, journalled and archived like every other
invoice, the seller's and buyer's identity copied, the price TTC split into HT and VAT at the normal rate in
force, the legal mentions of a sale of goods plus the ones the caller gives (the legal guarantee of used goods,
the shop's commercial guarantee, the wording and grade of the appliance).

Billing does not know what an appliance is: the caller gives the lines' wording and checks its own step (a
counter sale is « refurbishment.sell »); this module checks the site and writes the document."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from atelier.billing.choices import DocumentKind, LineKind
from atelier.billing.models import Invoice, InvoiceLine
from atelier.billing.originals import schedule_original
from atelier.billing.services import (
    _buyer,
    _journal_document,
    _mentions,
    _next_number,
    _seller,
    _vat_regime,
)
from atelier.core.choices import VatKind
from atelier.core.money import CENT
from atelier.core.permissions import require_site
from atelier.customers.choices import CustomerKind


@dataclass(frozen=True)
class GoodsLine:
    designation: str
    price_ttc: Decimal


@transaction.atomic
def goods_invoice_issue(
    *,
    site,
    customer,
    lines: list[GoodsLine],
    extra_mentions: dict,
    actor,
    at: datetime.datetime | None = None,
) -> Invoice:
    """Issue the invoice of goods sold to a customer of the site (paid at the counter: due on issue)."""
    from atelier.core.models import VatRate

    require_site(actor, site)
    at = at or timezone.now()
    on = timezone.localdate(at)
    rate = VatRate.in_force(VatKind.NORMAL, on)
    rows = []
    for line in lines:
        ttc = Decimal(line.price_ttc)
        ht = (ttc * 100 / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
        rows.append((line.designation[:200], ht, ttc - ht))
    business = customer.kind == CustomerKind.PROFESSIONNEL
    invoice = Invoice(
        site=site,
        case=None,
        kind=DocumentKind.FACTURE,
        number=_next_number(site, DocumentKind.FACTURE, at),
        issued_at=at,
        seller=_seller(site),
        buyer=_buyer(customer),
        is_business=business,
        total_ht=sum((ht for _d, ht, _v in rows), Decimal("0.00")),
        total_vat=sum((vat for _d, _h, vat in rows), Decimal("0.00")),
        total_ttc=sum((ht + vat for _d, ht, vat in rows), Decimal("0.00")),
        due_on=on,
        mentions=_mentions(business=business, has_goods=True, has_services=False, on=on, due_on=on)
        | _vat_regime(site)
        | extra_mentions,
        issued_by=actor,
    )
    invoice.save()
    for position, (designation, ht, vat) in enumerate(rows, start=1):
        InvoiceLine(
            invoice=invoice,
            position=position,
            kind=LineKind.BIEN,
            designation=designation,
            quantity=Decimal("1"),
            unit_price_ht=ht,
            vat_rate=rate,
            total_ht=ht,
            vat=vat,
            is_goods=True,
        ).save()
    _journal_document(invoice)
    schedule_original(invoice)
    return invoice
