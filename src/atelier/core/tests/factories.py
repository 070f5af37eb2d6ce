"""Factories for sites and users (tests and benchmarks)."""

import datetime
from decimal import Decimal

import factory

from atelier.core.choices import TariffKind
from atelier.core.models import Site, SiteTariff, User, UserRole

# Real-format identifiers whose checksums are valid (python-stdnum agrees).
VALID_SIRENS = ["732829320", "552100554", "443061841", "542065479", "404833048"]


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"S{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Atelier {o.code}")
    legal_name = "Réparations Dupont SARL"
    legal_form = "SARL"
    siren = "732829320"
    siret = "73282932000074"
    vat_number = "FR44732829320"
    address = "12 rue de la République"
    postcode = "75011"
    city = "Paris"

    @factory.post_generation
    def tariffs(self, create, extracted, **kwargs):
        if not create:
            return
        rates = (
            extracted
            if extracted is not None
            else {
                TariffKind.HOURLY_WORKSHOP: Decimal("55.00"),
                TariffKind.HOURLY_HOME: Decimal("65.00"),
                TariffKind.TRAVEL_FEE: Decimal("39.00"),
            }
        )
        for kind, amount in rates.items():
            SiteTariff.objects.get_or_create(
                site=self, kind=kind, valid_from=datetime.date(2024, 1, 1), defaults={"amount": amount}
            )


class UserFactory(factory.django.DjangoModelFactory):
    """UserFactory(roles=["accueil"], sites=[site]) — password is 'motdepasse-test'."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.fr")
    password = factory.PostGenerationMethodCall("set_password", "motdepasse-test")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            UserRole.objects.get_or_create(user=self, role=role)
        self.__dict__.pop("_role_cache", None)
        if create:
            self.save()

    @factory.post_generation
    def sites(self, create, extracted, **kwargs):
        if create and extracted:
            self.sites.add(*extracted)
            self.__dict__.pop("_site_ids_cache", None)
