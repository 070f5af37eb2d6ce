"""What the deposit tests share: the accepted pump quote (one VAT rate or two) and small readers."""

from decimal import Decimal

import pytest
from django.utils import timezone

from atelier.billing import payments
from atelier.billing.models import Invoice, JournalEntry, Payment
from atelier.billing.tests.conftest import NO_USED, accept_on_paper
from atelier.quotes import services as quote_services

D = Decimal


def year() -> int:
    return timezone.localtime(timezone.now()).year


def number(prefix: str, n: int) -> str:
    return f"{prefix}-PAR1-{year()}-{n:06d}"


@pytest.fixture
def quote(case, solution, accueil, pump, consumed, billing_on):
    """The pump quote (131,40 HT, 157,68 TTC at 20 %) accepted: the dossier is « accepté »."""
    quote = quote_services.quote_create(case=case, actor=accueil, solution=solution, used_part_info=NO_USED)
    consumed[pump.pk] = D("1")
    return quote


@pytest.fixture
def accepted(quote, accueil):
    return accept_on_paper(quote, accueil)


@pytest.fixture
def two_rates(quote, accueil):
    """The same quote plus a line at 5,5 % (20,00 HT, 1,10 VAT): 151,40 HT, 178,78 TTC."""
    quote_services.quote_add_line(
        quote=quote,
        actor=accueil,
        kind="autre",
        designation="Produit d'entretien",
        quantity="1",
        unit_price_ht="20.00",
        vat_kind="reduit",
    )
    return accept_on_paper(quote, accueil)


def deposit(case, accueil, amount="50", method="carte"):
    return payments.payment_take(case=case, actor=accueil, parts=[(method, amount)], deposit=True)


def lines(invoice):
    return list(
        invoice.lines.values_list(
            "kind", "designation", "quantity", "unit_price_ht", "vat_rate", "total_ht", "vat"
        )
    )


def nothing_written(invoices=0, payments=0, entries=0):
    assert Invoice.objects.count() == invoices
    assert Payment.objects.count() == payments
    assert JournalEntry.objects.count() == entries
