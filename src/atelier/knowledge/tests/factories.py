"""Factories for the knowledge base's own entries (the shipped base comes from the seed migrations)."""

import factory

from atelier.customers.choices import ProductFamily
from atelier.knowledge.choices import DocumentKind
from atelier.knowledge.models import TechnicalDocument


class TechnicalDocumentFactory(factory.django.DjangoModelFactory):
    """A link to a manufacturer's document (a document holds a file or a link, never both)."""

    class Meta:
        model = TechnicalDocument

    family = ProductFamily.LAVE_LINGE
    brand = "Bosch"
    title = factory.Sequence(lambda n: f"Schéma électrique {n}")
    kind = DocumentKind.values[0]
    url = factory.Sequence(lambda n: f"https://documentation.example/schema-{n}.pdf")
