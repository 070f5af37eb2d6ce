"""Factories for the parts catalogue and the stock (tests, benchmarks). Rows written directly, as the
services store them; stock levels move only through the stock services (a move is never hand-written)."""

from decimal import Decimal

import factory

from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.stock.choices import Availability, InventoryStatus, LocationKind, PartKind, SupplierOrderStatus
from atelier.stock.models import InventoryCount, Part, StockLocation, Supplier, SupplierOrder


class PartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Part
        django_get_or_create = ("reference",)

    reference = factory.Sequence(lambda n: f"BSH-{n:08d}")
    designation = "Pompe de vidange"
    kind = PartKind.MOTEUR
    price_ht = Decimal("48.90")
    availability = Availability.EN_STOCK
    lead_time_days = 5


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Fournisseur {n}")
    email = factory.Sequence(lambda n: f"commandes{n}@fournisseur.example")


class StockLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockLocation

    site = factory.SubFactory(SiteFactory)
    code = factory.Sequence(lambda n: f"MAG-{n}")
    name = "Magasin"
    kind = LocationKind.values[0]


class SupplierOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierOrder

    site = factory.SubFactory(SiteFactory)
    supplier = factory.SubFactory(SupplierFactory)
    number = factory.Sequence(lambda n: f"CF-{n:05d}")
    status = SupplierOrderStatus.values[0]
    created_by = factory.SubFactory(UserFactory)


class InventoryCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InventoryCount

    site = factory.SubFactory(SiteFactory)
    location = factory.LazyAttribute(lambda o: StockLocationFactory(site=o.site))
    status = InventoryStatus.values[0]
    created_by = factory.SubFactory(UserFactory)
