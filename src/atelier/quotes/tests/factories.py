"""Factories for solutions and quotes, written through the quotes services (totals, lines, numbers and VAT
come from them). QuoteLine rows are the quote's own: read them from `quote.lines`."""

import factory

from atelier.core.choices import Role
from atelier.core.tests.factories import UserFactory
from atelier.quotes.models import Quote, Solution
from atelier.repairs.tests.factories import RepairCaseFactory


def quote_author(site):
    return UserFactory(
        username=f"responsable-{site.code.lower()}", roles=[Role.RESPONSABLE_SAV], sites=[site]
    )


class SolutionFactory(factory.django.DjangoModelFactory):
    """A repair proposal on a pre-diagnosed dossier: labour only unless `parts=[(part, qty)]` is given."""

    class Meta:
        model = Solution

    case = factory.SubFactory(RepairCaseFactory)
    actor = factory.LazyAttribute(lambda o: quote_author(o.case.site))
    title = "Remplacement de la pompe de vidange"
    work_description = "Dépose et remplacement de la pompe de vidange, essai de vidange."
    labour_hours = "1.5"
    parts = ()

    @classmethod
    def _create(cls, model_class, *args, case, actor, **kwargs):
        from atelier.quotes.services import solution_create
        from atelier.repairs.choices import CaseStatus
        from atelier.repairs.services import case_prediagnose

        if case.status == CaseStatus.RECU:
            case_prediagnose(case=case, actor=actor, note="Pompe de vidange bloquée.")
        return solution_create(case=case, actor=actor, **kwargs)


class QuoteFactory(factory.django.DjangoModelFactory):
    """A draft quote (with its lines) for a solution; send or decide it with the quotes services."""

    class Meta:
        model = Quote

    solution = factory.SubFactory(SolutionFactory)
    case = factory.LazyAttribute(lambda o: o.solution.case)
    actor = factory.LazyAttribute(lambda o: quote_author(o.case.site))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from atelier.quotes.services import quote_create

        return quote_create(**kwargs)
