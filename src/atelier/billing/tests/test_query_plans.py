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


def test_the_originals_written_since_the_checkpoint_are_read_through_the_chain_s_own_index(site):
    """The accountant's page reads the ORIGINAL entries after its checkpoint. Ordered by id, SQLite walked every
    entry of the site through the site index (73–84 ms at 124,000 entries, growing with the journal, issue 16);
    in chain order the unique (site, seq) index serves the range and the order."""
    from django.db import connection
    from django.utils import timezone

    from atelier.billing.choices import JournalKind
    from atelier.billing.journal import journal_append
    from atelier.billing.originals import journalled_entries

    for n in range(1, 7):
        kind = JournalKind.ORIGINAL if n % 2 == 0 else JournalKind.PARAMETRE
        journal_append(
            site=site, kind=kind, reference=f"F-{n}", amount=0, at=timezone.now(), payload={"n": n}
        )
    since = journalled_entries(site, after_seq=2)
    assert [(e.seq, e.reference) for e in since] == [(4, "F-4"), (6, "F-6")]
    assert [e.reference for e in journalled_entries(site)] == ["F-2", "F-4", "F-6"]
    assert full_scans(since, ["billing_journalentry"]) == [], explain(since)
    if connection.vendor == "sqlite":
        assert "(site_id=? AND seq>?)" in explain(since), explain(since)
