"""A hand-built set of dossiers on one site in March 2025, whose every indicator is worked out by hand in
test_definitions.py (the story of each dossier is written beside it)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory
from atelier.indicators.history import Story, build
from atelier.repairs.choices import CaseStatus as S
from atelier.stock.tests.factories import PartFactory


def at(month: int, day: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date(2025, month, day), datetime.time(hour))
    )


def make_world(code: str = "HB1"):
    site = SiteFactory(code=code)
    accueil = UserFactory(username=f"acc-{code}", roles=[Role.ACCUEIL], sites=[site])
    t1 = UserFactory(
        username=f"t1-{code}", first_name="Karim", last_name="Benali", roles=[Role.TECHNICIEN], sites=[site]
    )
    t2 = UserFactory(
        username=f"t2-{code}", first_name="Julien", last_name="Moreau", roles=[Role.TECHNICIEN], sites=[site]
    )
    manager = UserFactory(username=f"resp-{code}", roles=[Role.RESPONSABLE_SAV], sites=[site])
    customer = CustomerFactory(site=site)

    def appliance(family, brand, serial):
        return ApplianceFactory(customer=customer, family=family, brand=brand, serial_number=serial)

    a1 = appliance("lave_linge", "Bosch", f"{code}SN1")
    new_part = PartFactory(reference=f"{code}-P1", purchase_price_ht=Decimal("20.00"))
    used_part = PartFactory(
        reference=f"{code}-P2", purchase_price_ht=Decimal("10.00"), condition="reconditionne"
    )
    from atelier.knowledge.models import Cause

    cause, _created = Cause.objects.get_or_create(family="lave_linge", title="Pompe de vidange bloquée")
    stories = [
        # C1: workshop, T1, repaired after 48 h waiting for parts, ready on the promised day, back on 10/03 (7 days);
        # quote accepted with one new part (20 €) and two reconditioned ones (10 € each); comes back (C5)
        Story(
            site,
            a1,
            at(3, 3, 9),
            [
                (S.ACCEPTE, at(3, 4), ""),
                (S.EN_REPARATION, at(3, 5, 9), ""),
                (S.ATTENTE_PIECES, at(3, 5, 10), ""),
                (S.EN_REPARATION, at(3, 7, 10), ""),
                (S.REPARE, at(3, 7, 15), "Pompe changée"),
                (S.PRET, at(3, 8), "Essais"),
                (S.RENDU, at(3, 10), ""),
                (S.CLOTURE, at(3, 10, 11), ""),
            ],
            accueil,
            t1,
            "atelier",
            quote="accepte",
            parts=[(new_part, "neuf", 1), (used_part, "reconditionne", 2)],
            promised_on=datetime.date(2025, 3, 8),
            cause=cause,
        ),
        # C2: home, T2, repaired, ready on 06/03 when 05/03 was promised (late), back the same day (3 days)
        Story(
            site,
            appliance("froid", "Samsung", f"{code}SN2"),
            at(3, 3),
            [
                (S.ACCEPTE, at(3, 4), ""),
                (S.PLANIFIE, at(3, 4, 11), ""),
                (S.REPARE, at(3, 6), ""),
                (S.PRET, at(3, 6, 11), ""),
                (S.RENDU, at(3, 6, 12), ""),
            ],
            accueil,
            t2,
            "domicile",
            quote="accepte",
            promised_on=datetime.date(2025, 3, 5),
        ),
        # C3: workshop, T1, unrepairable (reason written on two lines), back on 07/03 (3 days)
        Story(
            site,
            appliance("lave_linge", "Bosch", f"{code}SN3"),
            at(3, 4),
            [
                (S.PREDIAGNOSTIQUE, at(3, 5), ""),
                (S.NON_REPARABLE, at(3, 6), "pièce introuvable.\nPlus fabriquée"),
                (S.RENDU, at(3, 7), ""),
            ],
            accueil,
            t1,
            "atelier",
        ),
        # C4: workshop, T2, quote refused, fault not found by the diagnosis, back on 07/03 (3 days)
        Story(
            site,
            appliance("lave_linge", "Whirlpool", f"{code}SN4"),
            at(3, 4),
            [
                (S.DEVIS_ENVOYE, at(3, 5), ""),
                (S.REFUSE, at(3, 6), ""),
                (S.RENDU, at(3, 7), ""),
            ],
            accueil,
            t2,
            "atelier",
            quote="refuse",
            unsolved=True,
        ),
        # C5: C1's appliance again on 20/03, 10 days after its return: a repeat; still in the workshop
        Story(site, a1, at(3, 20), [(S.EN_ATELIER, at(3, 21), "")], accueil, t1, "atelier"),
        # C6: received in February, repaired, back on 02/03 (10 days): finished in March, received before
        Story(
            site,
            appliance("lave_linge", "Bosch", f"{code}SN6"),
            at(2, 20),
            [
                (S.REPARE, at(2, 28), ""),
                (S.PRET, at(3, 1), ""),
                (S.RENDU, at(3, 2), ""),
            ],
            accueil,
            t1,
            "atelier",
        ),
    ]
    cases = build(stories)
    # a dispute on C2 (home, T2) opened on 12/03
    from atelier.disputes.models import Dispute

    Dispute.objects.create(
        site=site,
        number=f"{code}-L1",
        customer=customer,
        case=cases[1],
        source="courrier",
        channel="courrier",
        received_on=datetime.date(2025, 3, 12),
        summary="Retard de réparation.",
        reply_due=datetime.date(2025, 3, 27),
        opened_at=at(3, 12),
        opened_by=manager,
    )
    return {"site": site, "t1": t1, "t2": t2, "manager": manager, "accueil": accueil, "cases": cases}
