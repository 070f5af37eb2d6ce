"""Factories for dossiers (tests, benchmarks). A dossier is opened through `case_open`, as the counter does:
its number, first event and state come from the service, never written by hand."""

import factory

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory
from atelier.repairs.choices import EventKind, WorkLocation
from atelier.repairs.models import CaseEvent, RepairCase


class RepairCaseFactory(factory.django.DjangoModelFactory):
    """RepairCaseFactory(site=site) — a dossier opened at the counter by an accueil user of its site."""

    class Meta:
        model = RepairCase

    site = factory.SubFactory(SiteFactory)
    customer = factory.LazyAttribute(lambda o: CustomerFactory(site=o.site))
    appliance = factory.LazyAttribute(lambda o: ApplianceFactory(customer=o.customer))
    actor = factory.LazyAttribute(
        lambda o: UserFactory(username=f"accueil-{o.site.code.lower()}", roles=[Role.ACCUEIL], sites=[o.site])
    )
    customer_words = "Il ne vidange plus, l'eau reste au fond."
    location = WorkLocation.ATELIER

    @classmethod
    def _create(cls, model_class, *args, site=None, **kwargs):
        from atelier.repairs.services import case_open

        return case_open(**kwargs)


class CaseEventFactory(factory.django.DjangoModelFactory):
    """A note on a dossier's timeline."""

    class Meta:
        model = CaseEvent

    case = factory.SubFactory(RepairCaseFactory)
    actor = None
    kind = EventKind.NOTE
    label = "Note"
    note = "Client rappelé."
