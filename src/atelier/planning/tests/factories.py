"""Factories for planning: technicians' profiles (visits are planned through the quotes and planning services
from a repair order; build those with the services)."""

import factory

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.planning.models import TechnicianProfile


class TechnicianProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechnicianProfile

    site = factory.SubFactory(SiteFactory)
    user = factory.LazyAttribute(lambda o: UserFactory(roles=[Role.TECHNICIEN], sites=[o.site]))
    working_days = factory.LazyFunction(lambda: [0, 1, 2, 3, 4])
