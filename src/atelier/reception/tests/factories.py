"""Factories for the reception desk: counters, queue tickets, complaints (rows as the services store them)."""

import datetime

import factory
from django.utils import timezone

from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.customers.tests.factories import CustomerFactory
from atelier.reception.choices import ComplaintCause, Reason
from atelier.reception.models import Complaint, Counter, Ticket


class CounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counter

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Guichet {n + 1}")


class TicketFactory(factory.django.DjangoModelFactory):
    """A waiting ticket of today (take one through the reception services to get the queue's rank rules)."""

    class Meta:
        model = Ticket

    site = factory.SubFactory(SiteFactory)
    day = factory.LazyFunction(timezone.localdate)
    number = factory.Sequence(lambda n: n + 1)
    reason = Reason.values[0]
    arrived_at = factory.LazyFunction(timezone.now)
    rank_at = factory.LazyAttribute(lambda o: o.arrived_at - datetime.timedelta(0))


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A complaint about a customer of the site (a complaint names a ticket, a customer or a dossier)."""

    class Meta:
        model = Complaint

    site = factory.SubFactory(SiteFactory)
    customer = factory.LazyAttribute(lambda o: CustomerFactory(site=o.site))
    said = "Trois semaines sans nouvelles de ma machine."
    cause = ComplaintCause.values[0]
    created_by = factory.SubFactory(UserFactory)
