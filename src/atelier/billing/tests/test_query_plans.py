"""The invoice list of the accountant's page is read in the order of an index, per site, per type and across
sites, 50 rows at a time: never by sorting every invoice (issue 16). See core.plans."""

import datetime

import pytest

from atelier.billing import selectors
from atelier.core.plans import explain, full_scans
from atelier.core.tests.factories import UserFactory
from atelier.repairs.home import day_range

ORDER = ("-issued_at", "-pk")  # the list's default column (billing.views.accounting.INVOICE_COLUMNS)
SHOWN = 50


def _pages(qs, site):
    day = datetime.date(2026, 3, 1)
    return {
        "all": qs,
        "one site": qs.filter(site_id=site.pk),
        "one type": qs.filter(kind="avoir"),
        "site and type": qs.filter(site_id=site.pk, kind="facture"),
        "from a day": qs.filter(issued_at__gte=day_range(day)[0]),
    }


@pytest.mark.parametrize("who", ["comptable", "chain_manager"])
def test_the_invoice_list_reads_no_invoice_table_whole(invoice, comptable, site, who):
    user = comptable if who == "comptable" else UserFactory(username="reseau", is_chain_manager=True)
    for label, qs in _pages(selectors.invoices_for(user), site).items():
        page = qs.order_by(*ORDER)[:SHOWN]
        assert full_scans(page, ["billing_invoice"]) == [], f"{label}\n{explain(page)}"


@pytest.mark.parametrize("who", ["comptable", "chain_manager"])
def test_the_pages_other_lists_read_no_table_whole(invoice, comptable, who):
    """The latest closures and the bonus claims still open: as the page reads them (billing.views.accounting)."""
    from atelier.billing.models import Closure

    user = comptable if who == "comptable" else UserFactory(username="reseau", is_chain_manager=True)
    closures = Closure.objects.visible_to(user).select_related("site")[:30]
    assert full_scans(closures, ["billing_closure"]) == [], explain(closures)
    for claims in (selectors.bonus_claims_to_file(user)[:50], selectors.bonus_claims_to_withdraw(user)[:50]):
        assert full_scans(claims, ["billing_bonusclaim", "billing_invoice"]) == [], explain(claims)

