import pytest
from django.urls import reverse

from atelier.core.tests.factories import UserFactory
from atelier.customers.models import Customer
from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def test_admin_lists_and_searches_customers_by_serial_number(admin_client, site):
    ApplianceFactory(customer=CustomerFactory(site=site, last_name="Dupont"), serial_number="FD9503-1")
    CustomerFactory(site=site, last_name="Morel")
    response = admin_client.get(reverse("admin:customers_customer_changelist"), {"q": "FD9503"})
    assert [c.last_name for c in response.context["cl"].result_list] == ["Dupont"]
    for name in (
        "admin:customers_appliance_changelist",
        "admin:customers_warrantyrule_changelist",
        "admin:customers_customer_add",
    ):
        assert admin_client.get(reverse(name)).status_code == 200


def test_admin_stores_phones_in_e164_like_the_screens(admin_client, site):
    response = admin_client.post(
        reverse("admin:customers_customer_add"),
        {
            "site": site.pk,
            "kind": "particulier",
            "last_name": "Dupont",
            "phone": "06 12 34 56 78",
            "email": "Marie@Example.fr",
            "preferred_contact": "telephone",
            "language": "français",
            "appliances-TOTAL_FORMS": "0",
            "appliances-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    customer = Customer.objects.get()
    assert (customer.phone, customer.email, customer.search_name) == (
        "+33612345678",
        "marie@example.fr",
        "dupont",
    )


def test_admin_writes_its_consent_changes_to_the_history(admin_client, site):
    customer = CustomerFactory(site=site, last_name="Dupont", phone="+33612345678", email="")
    form = {
        "site": site.pk,
        "kind": "particulier",
        "last_name": "Dupont",
        "phone": "06 12 34 56 78",
        "preferred_contact": "telephone",
        "language": "français",
        "consent_marketing": "on",
        "appliances-TOTAL_FORMS": "0",
        "appliances-INITIAL_FORMS": "0",
    }
    response = admin_client.post(reverse("admin:customers_customer_change", args=[customer.pk]), form)
    assert response.status_code == 302
    assert [(c.field, c.old, c.new, c.source) for c in customer.consent_changes.all()] == [
        ("consent_marketing", "False", "True", "admin")
    ]
