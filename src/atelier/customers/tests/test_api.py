import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from atelier.customers.models import Appliance, Customer
from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory

TOMORROW = timezone.localdate() + datetime.timedelta(days=3)


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return as_user


def test_list_is_scoped_to_the_users_sites_and_searchable(api, accueil, site, other_site):
    dupont = CustomerFactory(site=site, last_name="Dupont", phone="+33612345678")
    ApplianceFactory(customer=dupont)
    CustomerFactory(site=site, last_name="Lefèvre", phone="+33698765432")
    CustomerFactory(site=other_site, last_name="Dupont", phone="+33612345678")
    body = api(accueil).get("/api/customers/").json()
    assert body["count"] == 2
    rows = [(c["last_name"], c["appliance_count"]) for c in body["results"]]
    assert rows == [("Dupont", 1), ("Lefèvre", 0)]
    found = api(accueil).get("/api/customers/", {"q": "06 12 34 56 78"}).json()["results"]
    assert [(c["id"], c["phone"]) for c in found] == [(dupont.pk, "+33612345678")]


def test_another_sites_customer_and_appliance_answer_404(api, accueil, other_site):
    foreign = ApplianceFactory(customer=CustomerFactory(site=other_site, last_name="Morel"))
    client = api(accueil)
    assert client.get(f"/api/customers/{foreign.customer.pk}/").status_code == 404
    assert client.patch(f"/api/customers/{foreign.customer.pk}/", {"last_name": "X"}).status_code == 404
    assert client.get(f"/api/appliances/{foreign.pk}/").status_code == 404
    assert client.patch(f"/api/appliances/{foreign.pk}/", {"brand": "X"}, format="json").status_code == 404
    foreign.customer.refresh_from_db()
    assert foreign.customer.last_name == "Morel"


def test_create_customer_goes_through_the_service(api, accueil, site):
    response = api(accueil).post(
        "/api/customers/",
        {
            "last_name": "Dupont",
            "first_name": "Marie",
            "phone": "06 12 34 56 78",
            "email": "Marie@Example.fr",
            "postcode": "75011",
            "needs_low_vision": True,
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    customer = Customer.objects.get()
    assert (body["id"], body["site"], body["phone"], body["email"], body["city"]) == (
        customer.pk,
        site.pk,
        "+33612345678",
        "marie@example.fr",
        "Paris 11",
    )
    assert (body["display_name"], body["accessibility_needs"], body["appliance_count"]) == (
        "Marie DUPONT",
        ["Malvoyance"],
        0,
    )
    assert (body["latitude"], body["longitude"]) == ("48.85942", "2.37874")
    assert customer.created_by == accueil


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"phone": "12345"}, {"phone": ["« 12345 » n'est pas un numéro de téléphone valide."]}),
        ({"email": "marie@"}, {"email": ["Saisissez une adresse e-mail valide."]}),
        (
            {"kind": "professionnel", "company_name": "Dupont SARL", "siren": "732 829 321"},
            {"siren": ["« 732829321 » n'est pas un SIREN valide (9 chiffres, clé de contrôle)."]},
        ),
        ({"postcode": "99999"}, {"postcode": ["Le code postal « 99999 » n'existe pas."]}),
    ],
)
def test_create_customer_refuses_bad_input_with_400_in_french(api, accueil, payload, errors):
    response = api(accueil).post(
        "/api/customers/", {"last_name": "Dupont", "phone": "0612345678", **payload}, format="json"
    )
    assert (response.status_code, response.json()) == (400, errors)
    assert Customer.objects.count() == 0


def test_create_customer_in_a_site_not_ones_own_is_refused(api, accueil, other_site):
    response = api(accueil).post(
        "/api/customers/",
        {"site": other_site.pk, "last_name": "Dupont", "phone": "0612345678"},
        format="json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"site": [f"Clé primaire «\xa0{other_site.pk}\xa0» non valide - l'objet n'existe pas."]},
    )
    assert Customer.objects.count() == 0


def test_a_user_of_several_sites_must_name_the_site(api, accueil, other_site):
    accueil.sites.add(other_site)
    response = api(accueil).post(
        "/api/customers/", {"last_name": "Dupont", "phone": "0612345678"}, format="json"
    )
    assert (response.status_code, response.json()) == (400, {"site": ["Indiquez le site du client."]})


def test_roles_that_do_not_write_read_but_get_403_on_writes(api, formateur, site):
    customer = CustomerFactory(site=site)
    client = api(formateur)
    assert client.get(f"/api/customers/{customer.pk}/").status_code == 200
    response = client.post("/api/customers/", {"last_name": "Dupont", "phone": "0612345678"}, format="json")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Votre rôle ne permet pas cette opération."},
    )
    assert Customer.objects.count() == 1


def test_unauthenticated_requests_are_refused(db):
    assert APIClient().get("/api/customers/").status_code == 403


def test_update_customer_normalises_and_keeps_the_site(api, accueil, site, other_site):
    customer = CustomerFactory(site=site, last_name="Dupont")
    response = api(accueil).patch(
        f"/api/customers/{customer.pk}/",
        {"phone2": "01 43 55 66 77", "site": other_site.pk, "consent_contact": True},
        format="json",
    )
    assert response.status_code == 200
    customer.refresh_from_db()
    assert (customer.phone2, customer.site, customer.consent_contact) == ("+33143556677", site, True)
    assert response.json()["consent_at"] is not None


def test_create_appliance_computes_the_warranty(api, accueil, site):
    customer = CustomerFactory(site=site)
    response = api(accueil).post(
        "/api/appliances/",
        {
            "customer": customer.pk,
            "family": "lave_vaisselle",
            "brand": "Miele",
            "purchase_date": "2022-01-01",
            "bought_new": False,
            "purchase_price": "350.00",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["warranty_end"], body["family_display"], body["purchase_price"]) == (
        "2024-01-01",  # used goods: 2 years since 2022 (L217-3)
        "Lave-vaisselle",
        "350.00",
    )
    assert Appliance.objects.get().customer == customer


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"family": "frigo"}, {"family": ["« frigo » n'est pas une famille de produit connue."]}),
        (
            {"purchase_date": TOMORROW.isoformat()},
            {"purchase_date": ["La date d'achat ne peut pas être dans le futur."]},
        ),
        ({"purchase_price": "-1.00"}, {"purchase_price": ["Le prix d'achat ne peut pas être négatif."]}),
    ],
)
def test_create_appliance_refuses_bad_input_with_400_in_french(api, accueil, site, payload, errors):
    customer = CustomerFactory(site=site)
    response = api(accueil).post(
        "/api/appliances/",
        {"customer": customer.pk, "family": "froid", "brand": "Haier", **payload},
        format="json",
    )
    assert (response.status_code, response.json()) == (400, errors)
    assert Appliance.objects.count() == 0


def test_create_appliance_for_another_sites_customer_reads_as_unknown(api, accueil, other_site):
    foreign = CustomerFactory(site=other_site)
    response = api(accueil).post(
        "/api/appliances/", {"customer": foreign.pk, "family": "froid", "brand": "Haier"}, format="json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"customer": [f"Clé primaire «\xa0{foreign.pk}\xa0» non valide - l'objet n'existe pas."]},
    )


def test_appliances_list_filters_by_customer(api, accueil, site):
    first = ApplianceFactory(customer=CustomerFactory(site=site), serial_number="A1")
    ApplianceFactory(customer=CustomerFactory(site=site), serial_number="B2")
    body = api(accueil).get("/api/appliances/", {"client": first.customer.pk}).json()
    assert [a["serial_number"] for a in body["results"]] == ["A1"]


def test_the_openapi_schema_describes_both_resources(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert {"/api/appliances/", "/api/appliances/{id}/", "/api/customers/", "/api/customers/{id}/"} <= set(
        schema["paths"]
    )
