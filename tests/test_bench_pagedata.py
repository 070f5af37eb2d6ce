"""The page benchmark's data generator (bench/pagedata.py) at a tiny size: exactly what it says it makes, copies
included, with every customer's name words (SQLite's name search) and every journal chain still valid."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import pagedata  # noqa: E402

pytestmark = pytest.mark.django_db

TEMPLATE = {
    "Customer": 100,
    "NameWord": 217,
    "Appliance": 100,
    "RepairCase": 200,
    "CaseEvent": 800,
    "Solution": 120,
    "Quote": 120,
    "QuoteLine": 240,
    "RepairOrder": 80,
    "Visit": 20,
    "StockMove": 126,
    "Invoice": 63,
    "InvoiceLine": 126,
    "Payment": 63,
}
# one full copy of the template and a copy of its first 50 dossiers
GROWN = {
    "Customer": 225,
    "NameWord": 488,
    "Appliance": 225,
    "RepairCase": 450,
    "CaseEvent": 1800,
    "Solution": 270,
    "Quote": 270,
    "QuoteLine": 540,
    "RepairOrder": 180,
    "Visit": 45,
    "StockMove": 286,
    "Invoice": 143,
    "InvoiceLine": 286,
    "Payment": 143,
}


def test_template_then_copies_make_exactly_what_is_announced_with_a_valid_journal():
    from atelier.billing.models import JournalEntry
    from atelier.billing.verify import journal_verify
    from atelier.customers.cleaning import name_words
    from atelier.customers.models import Appliance, Customer, NameWord
    from atelier.repairs.choices import OPEN_STATUSES
    from atelier.repairs.models import RepairCase

    sites = pagedata.bench_sites(2)
    tpl = pagedata.build_template(dossiers=200, sites=sites, weights=[3, 1])
    assert pagedata.generated_counts(tpl) == TEMPLATE
    open_cases = RepairCase.objects.filter(status__in=OPEN_STATUSES).count()
    assert open_cases == 6  # the last 3 % walk the states (but clôturé and annulé)
    assert RepairCase.objects.filter(site=sites[0]).count() == 150

    assert pagedata.grow(tpl, dossiers=450) == 2
    generated = list(
        Customer.objects.filter(pk__gte=tpl.first["customers_customer"]).values_list("pk", flat=True)
    )
    assert pagedata.generated_counts(tpl) == GROWN
    assert RepairCase.objects.filter(status__in=OPEN_STATUSES).count() == open_cases  # copies are closed
    assert RepairCase.objects.values("site", "number").distinct().count() == 450
    assert Customer.objects.values("phone").distinct().count() == 225
    assert Appliance.objects.values("serial_number").distinct().count() == 225
    # every customer, copies included, has the words of its names as Customer.save() would have written them
    words = {}
    for customer_id, word in NameWord.objects.values_list("customer_id", "word"):
        words.setdefault(customer_id, set()).add(word)
    assert {c.pk: set(name_words(c.search_name)) for c in Customer.objects.filter(pk__in=generated)} == {
        pk: words.get(pk) for pk in generated
    }
    assert Customer.objects.filter(pk__in=generated, search_name="").count() == 0
    assert JournalEntry.objects.count() == 143 + 143
    verdict = journal_verify()
    assert (verdict.ok, verdict.count, verdict.problems) == (True, 286, [])
