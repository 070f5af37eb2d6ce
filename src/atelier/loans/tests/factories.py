"""Factories for the loan pool (a loan itself is signed through `loans.services`)."""

import factory

from atelier.core.tests.factories import SiteFactory
from atelier.customers.choices import ProductFamily
from atelier.loans.models import LoanAppliance


class LoanApplianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoanAppliance

    site = factory.SubFactory(SiteFactory)
    code = factory.Sequence(lambda n: f"PRET-{n:03d}")
    family = ProductFamily.LAVE_LINGE
    label = "Bosch Serie 4"
    location = "réserve, étagère B2"
