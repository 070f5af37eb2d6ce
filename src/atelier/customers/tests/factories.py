"""Factories for customers and appliances (tests, benchmarks). They write rows directly, as the services
would store them: phones in E.164, e-mail lower-case."""

import factory

from atelier.core.tests.factories import SiteFactory
from atelier.customers.choices import ProductFamily
from atelier.customers.models import Appliance, Customer


class CustomerFactory(factory.django.DjangoModelFactory):
    """CustomerFactory(site=site) — a particulier with a unique valid mobile number (+33 6 12 34 …)."""

    class Meta:
        model = Customer

    site = factory.SubFactory(SiteFactory)
    last_name = factory.Sequence(lambda n: f"Client{n}")
    first_name = "Camille"
    phone = factory.Sequence(lambda n: f"+3361234{n % 10000:04d}")
    email = factory.Sequence(lambda n: f"client{n}@example.fr")
    postcode = "75011"
    city = "Paris 11"


class ApplianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appliance

    customer = factory.SubFactory(CustomerFactory)
    family = ProductFamily.LAVE_LINGE
    brand = "Bosch"
    model_ref = "WAN28208FF"
    serial_number = factory.Sequence(lambda n: f"SN{n:06d}")
