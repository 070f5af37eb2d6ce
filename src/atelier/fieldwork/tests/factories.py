"""Factories for the tools and their kinds (rows as the fieldwork services store them)."""

import factory

from atelier.core.tests.factories import SiteFactory
from atelier.fieldwork.models import Tool, ToolKind


class ToolKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolKind
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"outil-{n}")
    name = factory.Sequence(lambda n: f"Outil {n}")
    check_interval_days = 365


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tool

    site = factory.SubFactory(SiteFactory)
    kind = factory.SubFactory(ToolKindFactory)
    serial = factory.Sequence(lambda n: f"MW-{n:05d}")
    label = "Fluke 1664 FC"
