"""Dossiers with their whole story written in one go (set-based: a handful of bulk inserts for any number), for
the demo's year of history, the tests' hand-built sets and the benchmark. Not a path for real work: real
dossiers move through repairs.services; here each row is what those services would have left behind (events,
quote, repair order, diagnosis), with the dates given."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from atelier.core.models import Site, User
from atelier.customers.models import Appliance
from atelier.repairs.choices import CaseStatus as S
from atelier.repairs.models import CaseEvent, RepairCase


@dataclass
class Story:
    """One dossier: where, whose, received when, and its steps [(state reached, when, note)] in order."""

    site: Site
    appliance: Appliance
    received_at: datetime.datetime
    steps: list[tuple[str, datetime.datetime, str]]
    actor: User
    technician: User | None = None
    location: str = "atelier"
    quote: str = ""  # "accepte" / "refuse" / "" (no quote)
    parts: list[tuple[object, str, int]] = field(default_factory=list)  # (stock.Part, condition, quantity)
    promised_on: datetime.date | None = (
        None  # a repair order with this promised date (needs an accepted quote)
    )
    unsolved: bool = False  # a diagnosis « panne non résolue »
    cause: object | None = None  # knowledge.Cause confirmed by the diagnosis
    words: str = "Ne fonctionne plus."


def build(stories: list[Story], *, number_prefix: str = "H") -> list[RepairCase]:
    """Write the dossiers and everything their stories imply; returns the dossiers (with pks)."""
    from atelier.diagnostics.models import Diagnosis
    from atelier.quotes.models import Quote, QuoteLine, RepairOrder

    if not stories:
        return []
    last = {}
    for site_id, number in RepairCase.objects.filter(number__contains=f"-{number_prefix}-").values_list(
        "site_id", "number"
    ):
        last[site_id] = max(last.get(site_id, 0), int(number.rsplit("-", 1)[1]))
    cases = []
    for story in stories:
        n = last.get(story.site.pk, 0) + 1
        last[story.site.pk] = n
        final = story.steps[-1] if story.steps else (S.RECU, story.received_at, "")
        closed = next((at for status, at, _n in story.steps if status == S.CLOTURE), None)
        cases.append(
            RepairCase(
                site=story.site,
                number=f"{story.site.code}-{number_prefix}-{n:06d}",
                customer_id=story.appliance.customer_id,
                appliance=story.appliance,
                status=final[0],
                location=story.location,
                customer_words=story.words,
                received_at=story.received_at,
                received_by=story.actor,
                technician=story.technician,
                status_changed_at=final[1],
                closed_at=closed,
            )
        )
    RepairCase.objects.bulk_create(cases, batch_size=1000)
    events, quotes = [], []
    for case, story in zip(cases, stories, strict=True):
        events.append(
            CaseEvent(
                case=case,
                at=story.received_at,
                actor=story.actor,
                kind="ouverture",
                to_status=S.RECU,
                label="Dossier ouvert",
            )
        )
        previous = S.RECU
        for status, at, note in story.steps:
            events.append(
                CaseEvent(
                    case=case,
                    at=at,
                    actor=story.technician or story.actor,
                    kind="transition",
                    from_status=previous,
                    to_status=status,
                    label=str(S(status).label),
                    note=note,
                )
            )
            previous = status
        if story.quote:
            decided = next(
                (at for status, at, _n in story.steps if status in (S.ACCEPTE, S.REFUSE)), story.received_at
            )
            quotes.append(
                Quote(
                    case=case,
                    version=1,
                    number=f"{case.number}-D1",
                    status=story.quote,
                    nature_of_work="Remplacement de la pièce défectueuse et essais.",
                    place_of_work="Atelier" if story.location == "atelier" else "Domicile du client",
                    issued_on=decided.date(),
                    valid_until=decided.date() + datetime.timedelta(days=30),
                    created_by=story.actor,
                    created_at=decided,
                    sent_at=decided,
                    decided_at=decided,
                    refusal_reason="Trop cher par rapport à un appareil neuf."
                    if story.quote == "refuse"
                    else "",
                )
            )
    CaseEvent.objects.bulk_create(events, batch_size=2000)
    Quote.objects.bulk_create(quotes, batch_size=1000)
    quote_of = {q.case_id: q for q in quotes}
    lines, orders, diagnoses = [], [], []
    for case, story in zip(cases, stories, strict=True):
        quote = quote_of.get(case.pk)
        if quote is not None and story.quote == "accepte":
            for position, (part, condition, quantity) in enumerate(story.parts, start=1):
                price = Decimal(str(part.price_ht))
                lines.append(
                    QuoteLine(
                        quote=quote,
                        position=position,
                        kind="piece",
                        part=part,
                        part_condition=condition,
                        designation=part.designation[:200],
                        quantity=Decimal(quantity),
                        unit_price_ht=price,
                        vat_kind="normal",
                        vat_rate=Decimal("20.00"),
                        total_ht=price * quantity,
                        vat=(price * quantity * Decimal("0.20")).quantize(Decimal("0.01")),
                    )
                )
            if story.promised_on is not None:
                orders.append(
                    RepairOrder(
                        quote=quote,
                        case=case,
                        number=f"{case.number}-OR",
                        work_to_do=quote.nature_of_work,
                        location=story.location,
                        promised_on=story.promised_on,
                        technician=story.technician,
                        created_by=story.actor,
                        created_at=quote.decided_at,
                    )
                )
        if story.unsolved or story.cause is not None:
            diagnoses.append(
                Diagnosis(
                    case=case,
                    technician=story.technician or story.actor,
                    unsolved=story.unsolved,
                    confirmed_cause=story.cause,
                    conclusion="Voir la cause.",
                )
            )
    QuoteLine.objects.bulk_create(lines, batch_size=2000)
    RepairOrder.objects.bulk_create(orders, batch_size=1000)
    Diagnosis.objects.bulk_create(diagnoses, batch_size=1000)
    return cases
