"""The quote steps of a demo dossier, taken through the quotes services as at the counter.

Instead of moving the dossier with case_send_quote / case_accept_quote / case_refuse_quote, the demo does
what the staff does: one solution priced from the catalogue (plus a used-part solution when the new part has
a used or refurbished equivalent), a quote built from the chosen one, sent on paper (no e-mail, so no PDF is
rendered while loading), then signed or refused; the quote services move the dossier themselves, at the
backdated times of the replay. Some accepted home repairs in Paris get their repair order from the manager.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from atelier.demo.parts import CATALOGUE
from atelier.quotes import rules
from atelier.quotes.choices import LineKind, SendChannel
from atelier.quotes.decisions import quote_accept, quote_refuse
from atelier.quotes.models import Quote, RepairOrder, Solution
from atelier.quotes.orders import repair_order_create
from atelier.quotes.services import DEFAULT_VALIDITY_DAYS, quote_create, quote_send, solution_create
from atelier.repairs.choices import WorkLocation
from atelier.repairs.models import CaseEvent, RepairCase
from atelier.stock.choices import Availability
from atelier.stock.models import Part

NO_USED_PART = (
    "Aucune pièce d'occasion ou reconditionnée n'est disponible pour cette référence chez nos fournisseurs "
    "dans un délai compatible avec la réparation."
)
USED_CHOICE_SHARE = 0.3  # customers who take the used-part solution when one is offered
ORDER_SHARE = 0.6  # accepted home repairs (Paris, parts in stock) planned through a repair order


@dataclass
class QuoteStory:
    """What a dossier's quote steps left behind, for the steps after them."""

    quote: Quote
    solutions: list[Solution]


def _parts_for(family: str, finding: str, waits_for_parts: bool, rng) -> list[Part]:
    """0 to 2 new parts of the family's catalogue, those the finding names first; ordered ones when the
    dossier will wait for a part."""
    specs = CATALOGUE.get(family, ())
    if not specs:
        return []
    words = finding.lower()
    named = [s for s in specs if any(k in words for k in s.keywords)]
    pool = named or list(specs)
    if waits_for_parts:
        pool = [s for s in pool if s.availability != Availability.EN_STOCK] or pool
    count = rng.choices((0, 1, 2), (10, 75, 15))[0]
    chosen = [rng.choice(pool)] if count else []
    if count == 2:
        others = [s for s in specs if s not in chosen]
        chosen.append(rng.choice(others)) if others else None
    parts = {p.reference: p for p in Part.objects.filter(reference__in=[s.reference for s in chosen])}
    return [parts[s.reference] for s in chosen]


def _hours(rng) -> str:
    return str(rng.choice((0.5, 0.75, 1, 1, 1.25, 1.5, 2, 2.5)))


def send(case: RepairCase, step, users: dict, finding: str, later: list[str], rng) -> QuoteStory:
    """Solutions, quote and sending (the dossier goes to « devis envoyé ») at the planned time of the step."""
    actor = users[step.actor]
    at = step.at
    on = timezone.localtime(at).date()
    family = case.appliance.family
    parts = _parts_for(family, finding, "wait_for_parts" in later, rng)
    home = case.location == WorkLocation.DOMICILE
    title = f"Remplacement : {', '.join(p.designation.lower() for p in parts)}" if parts else "Réparation"
    solution = solution_create(
        case=case,
        actor=actor,
        title=title[:120],
        work_description=f"{finding} {'Pièce(s) remplacée(s), ' if parts else ''}essais et contrôle de sécurité.",
        labour_hours=_hours(rng),
        parts=[(p, 1) for p in parts],
        include_travel=home,
    )
    solutions, chosen = [solution], solution
    used = {p.pk: p.alternatives.filter(is_active=True).exclude(condition="neuf").first() for p in parts}
    if any(used.values()):
        swapped = [used[p.pk] or p for p in parts]
        circular = solution_create(
            case=case,
            actor=actor,
            title="Même réparation avec pièce(s) d'occasion ou reconditionnée(s)",
            work_description=solution.work_description,
            labour_hours=solution.labour_hours,
            parts=[(p, 1) for p in swapped if p.availability != Availability.INDISPONIBLE],
            include_travel=home,
        )
        solutions.append(circular)
        if rng.random() < USED_CHOICE_SHARE:
            chosen = circular
    note, exemption = "", None
    kinds = {p.kind for p in parts}
    if not any(used.values()) and rules.used_part_required(family=family, part_kinds=kinds, on=on):
        # the lawful reason is chosen, never typed (R224-32); a date before the exemptions' rows: the old note
        exemption = rules.exemption_choices(on).filter(code="indisponible").first()
        note = "" if exemption is not None else NO_USED_PART
    today = timezone.localdate()
    # quote_send refuses a quote whose validity is over *today*: the demo issues it valid until today at
    # least, and set_dates() puts back the usual 30 days once the customer has answered (demo data only).
    quote = quote_create(
        case=case,
        actor=actor,
        solution=chosen,
        valid_until=max(on + datetime.timedelta(days=DEFAULT_VALIDITY_DAYS), today),
        used_part_info=note,
        used_part_exemption=exemption,
        on=on,
    )
    quote = quote_send(quote=quote, actor=actor, channel=SendChannel.PAPIER, at=at)
    return QuoteStory(quote, solutions)


def accept(story: QuoteStory, step, users: dict, customer) -> None:
    story.quote = quote_accept(
        quote=story.quote, actor=users[step.actor], signer_name=customer.display_name, at=step.at
    )


def refuse(story: QuoteStory, step, users: dict, customer) -> None:
    story.quote = quote_refuse(
        quote=story.quote,
        actor=users[step.actor],
        reason=step.note,
        signer_name=customer.display_name,
        at=step.at,
    )


def set_dates(story: QuoteStory, written: datetime.datetime, *, awaiting: bool = False) -> None:
    """The services date solutions and quotes "now": set them back to when they were written, and the
    validity back to 30 days from the quote's date (demo data only). A quote still awaiting the answer stays
    valid until today at least, so it can be accepted on screen; one left unanswered on a dossier that ended
    otherwise (cancelled, unrepairable) simply expires."""
    quote = story.quote
    Solution.objects.filter(pk__in=[s.pk for s in story.solutions]).update(created_at=written)
    usual = quote.issued_on + datetime.timedelta(days=DEFAULT_VALIDITY_DAYS)
    if quote.decided_at is not None:
        usual = max(usual, timezone.localtime(quote.decided_at).date())
    elif awaiting:
        usual = max(usual, timezone.localdate())
    Quote.objects.filter(pk=quote.pk).update(created_at=written, valid_until=usual)


def orders_visit(story: QuoteStory | None, case: RepairCase, step, rng) -> bool:
    """Whether the home visit right after the acceptance is planned through a repair order: Paris (the
    manager writes it), parts in stock (parts to order would put the dossier « en attente de pièces »)."""
    if story is None or case.site.code != "PAR1" or story.quote.decided_at is None:
        return False
    lines = story.quote.lines.filter(kind=LineKind.PIECE, part__isnull=False).select_related("part")
    if any(line.part.availability != Availability.EN_STOCK for line in lines):
        return False
    return rng.random() < ORDER_SHARE


def order_visit(story: QuoteStory, case: RepairCase, step, users: dict, manager: str) -> RepairCase:
    """The repair order of the accepted quote plans the visit (case_plan_visit inside the service).

    repair_order_create takes no date and refuses a promise in the past: it is given today, then the order,
    the plan_visit event and the dossier's status date are set back to the planned time (demo data only).
    """
    order = repair_order_create(
        quote=story.quote,
        actor=users[manager],
        promised_on=timezone.localdate(),
        skills=["hab:elec"],
        technician=users[step.technician],
        planned_for=step.planned_for,
    )
    promised = timezone.localtime(step.planned_for).date() + datetime.timedelta(days=2)
    RepairOrder.objects.filter(pk=order.pk).update(created_at=step.at, promised_on=promised)
    event = CaseEvent.objects.filter(case=case).latest("pk")
    CaseEvent.objects.filter(pk=event.pk).update(at=step.at)
    RepairCase.objects.filter(pk=case.pk).update(status_changed_at=step.at)
    fresh = RepairCase.objects.get(pk=case.pk)
    fresh.site = case.site
    return fresh
