"""The plan reader that guards the big lists tells an index lookup from a full read, on both databases."""

import pytest

from atelier.core.plans import full_scans
from atelier.customers.models import Customer

pytestmark = pytest.mark.django_db


def test_a_lookup_by_primary_key_reads_no_table_whole():
    assert full_scans(Customer.objects.filter(pk=1), ["customers_customer"]) == []


def test_a_filter_on_a_column_without_index_reads_the_table_whole():
    assert full_scans(Customer.objects.filter(notes="x").order_by(), ["customers_customer"]) == [
        "customers_customer"
    ]
    # in name order: the whole name-order index is walked, a full read too (under a LIMIT it stops at the page)
    assert full_scans(Customer.objects.filter(notes="x"), ["customers_customer"]) == ["customers_customer"]
