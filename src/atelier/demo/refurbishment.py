"""Demo second life (Paris): a collection lot of twenty appliances from an eco-organism in every state (to sort,
validated, to repair, to dismantle, reserved, sold, scrapped), a donation and a trade-in, a letter to a
customer who did not collect their appliance, an inventory count, and the dismantling of a non-repairable washing
machine whose recovered drain pump is fitted on a customer's dossier (its remains handed over as WEEE).
Written through the product's services; deterministic; idempotent (nothing when the lot is there)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from atelier.customers.models import Customer
from atelier.refurbishment import selectors, services
from atelier.refurbishment.choices import IN_STOCK_STATES, LetterMethod, LotKind, Origin, TriageOutcome
from atelier.refurbishment.models import AbandonLetter, CollectionLot, StockAppliance
from atelier.refurbishment.services import WAITING_FOR_OWNER
from atelier.repairs.models import RepairCase
from atelier.stock.models import StockLocation

DELIVERY_NOTE = "BL-ECO-2026-0412"
# family, brand, model, weight, what happens: (outcome, failing check) or None (still to sort), then the sale
LOT = [
    ("lave_linge", "Bosch", "WAN28208FF", "70.0", (TriageOutcome.VALIDE, None), "vendu"),
    ("lave_linge", "Whirlpool", "FFB 8448", "68.0", (TriageOutcome.A_REPARER, "vidange"), None),
    ("lave_linge", "Samsung", "WW90T534", "72.0", (TriageOutcome.NON_REPARABLE, "mise_sous_tension"), None),
    ("lave_linge", "Beko", "WUE 7512", "63.0", None, None),
    ("lave_vaisselle", "Miele", "G 5210", "48.0", (TriageOutcome.VALIDE, None), "reserve"),
    ("lave_vaisselle", "Bosch", "SMS2HVI66E", "46.0", (TriageOutcome.A_REPARER, "chauffage"), None),
    ("lave_vaisselle", "Candy", "CDPN 1L390", "44.0", None, None),
    ("seche_linge", "Electrolux", "EW8H4802", "50.0", (TriageOutcome.VALIDE, None), None),
    ("seche_linge", "Indesit", "YT M11 82", "41.0", (TriageOutcome.NON_REPARABLE, "tambour"), "rebut"),
    ("froid", "Liebherr", "CNel 4813", "75.0", (TriageOutcome.VALIDE, None), "vendu"),
    ("froid", "Samsung", "RB34T600", "66.0", (TriageOutcome.A_REPARER, "joints"), None),
    ("froid", "Haier", "HB 20", "80.0", None, None),
    ("cuisson", "De Dietrich", "DOP 7350", "38.0", (TriageOutcome.VALIDE, None), None),
    ("cuisson", "Sauter", "SCI 1064", "12.0", (TriageOutcome.NON_REPARABLE, "foyers"), None),
    ("televiseur", "LG", "55UP7500", "14.5", (TriageOutcome.VALIDE, None), None),
    ("televiseur", "Philips", "50PUS8506", "13.0", (TriageOutcome.A_REPARER, "image"), None),
    ("televiseur", "Samsung", "UE43AU7105", "8.2", None, None),
    ("audio", "Sony", "MHC-V13", "6.0", (TriageOutcome.VALIDE, None), None),
    ("video", "Panasonic", "DMP-BDT180", "1.8", (TriageOutcome.NON_REPARABLE, "lecture"), None),
    ("petit_electromenager", "Moulinex", "Masterchef", "5.5", None, None),
]


def _results(family: str, failing: str | None) -> dict:
    return {
        c.code: (c.code != failing, "Défaut constaté au tri" if c.code == failing else "")
        for c in selectors.checklist(family)
    }


def load(*, sites, users, rng) -> dict[str, int]:
    site = sites["PAR1"]
    if CollectionLot.objects.filter(site=site, delivery_note=DELIVERY_NOTE).exists():
        return {}
    keeper, tech, desk, manager = (
        users["magasinier"],
        users["technicien"],
        users["accueil"],
        users["responsable"],
    )
    shelves = list(StockLocation.objects.filter(site=site, kind="etagere", is_active=True).order_by("code"))
    shelf = shelves[-1] if shelves else None
    today = timezone.localdate()
    lot = services.lot_create(
        actor=keeper,
        site=site,
        kind=LotKind.ECO_ORGANISME,
        partner="ecosystem (collecte en magasin)",
        delivery_note=DELIVERY_NOTE,
        received_on=today - datetime.timedelta(days=6),
        notes="Vingt appareils déposés par des particuliers, repris par l'éco-organisme.",
    )
    customers = list(Customer.objects.filter(site=site, anonymised_at__isnull=True).order_by("pk")[:2])
    for index, (family, brand, model, weight, triage, then) in enumerate(LOT):
        appliance = services.appliance_intake(
            actor=keeper,
            site=site,
            origin=Origin.COLLECTE,
            lot=lot,
            family=family,
            brand=brand,
            model_ref=model,
            serial_number=f"DEMO{index + 1:04d}",
            weight_kg=Decimal(weight),
            location=shelf,
        )
        if triage is None:
            continue
        outcome, failing = triage
        services.appliance_triage(
            actor=tech,
            appliance=appliance,
            results=_results(family, failing),
            outcome=outcome,
            notes="Tri à réception du lot.",
        )
        if then == "vendu":
            services.appliance_sell(actor=desk, appliance=appliance, price=Decimal("149.00") + index)
        elif then == "reserve" and customers:
            services.appliance_reserve(
                actor=desk,
                appliance=appliance,
                customer=customers[0],
                until=today + datetime.timedelta(days=5),
            )
        elif then == "rebut":
            services.appliance_scrap(actor=keeper, appliance=appliance, reason="Tambour fendu : filière DEEE")
    services.appliance_intake(
        actor=tech,
        site=site,
        origin=Origin.DON,
        family="petit_electromenager",
        brand="Seb",
        model_ref="Actifry",
        origin_note="Don de Mme Laurent",
        location=shelf,
    )
    services.appliance_intake(
        actor=keeper,
        site=site,
        origin=Origin.REPRISE,
        family="televiseur",
        brand="Sony",
        model_ref="KD-49XF",
        origin_note="Reprise contre l'achat d'un téléviseur neuf (ticket 2026-1187)",
        trade_in_value="20.00",
        location=shelf,
    )
    letters = 0
    case = (
        RepairCase.objects.filter(site=site, status__in=WAITING_FOR_OWNER, abandon_letter__isnull=True)
        .order_by("received_at")
        .first()
    )
    if case is not None and not AbandonLetter.objects.filter(case=case).exists():
        services.abandon_letter_record(
            actor=desk,
            case=case,
            sent_on=max(case.received_at.date(), today - datetime.timedelta(days=3)),
            method=LetterMethod.RECOMMANDE,
            reference="1A 123 456 7890 1",
        )
        letters = 1
    recovered = _dismantle_and_reuse(site=site, lot=lot, tech=tech, keeper=keeper, shelf=shelf)
    in_stock = StockAppliance.objects.filter(site=site, state__in=IN_STOCK_STATES)
    services.appliance_count_record(
        actor=manager, site=site, location=None, present=list(in_stock.values_list("pk", flat=True))
    )
    return {
        "appareils de seconde vie": len(LOT) + 2,
        "lettres de mise en demeure": letters,
        "pièces récupérées au démontage": recovered,
    }


# What the Samsung washing machine of the lot (non réparable) gives: its drain pump and its door lock pass their
# test and become used parts (the pump replaces the catalogue's LL-PV-3010); the rest fails and leaves with the
# remains as WEEE. The pump is then fitted on a customer's washing-machine dossier under repair.
RECOVERED = {
    "pompe_vidange": (
        "Alimentée en 230 V : tourne sans bruit, bobine 168 Ω.",
        "LL-PV-3010",
        "B",
        "19.00",
        "0.45",
    ),
    "verrou_porte": ("Verrouille sous tension, déverrouille après 90 s.", "DL-2019", "A", "12.00", "0.10"),
}


def _dismantle_and_reuse(*, site, lot, tech, keeper, shelf) -> int:
    from atelier.refurbishment.services import dismantling
    from atelier.repairs.choices import CaseStatus
    from atelier.stock import services as stock
    from atelier.stock.choices import MoveKind as PartMove
    from atelier.stock.models import Part

    appliance = lot.appliances.filter(brand="Samsung", family="lave_linge").first()
    if appliance is None or appliance.state != "a_demonter" or shelf is None:
        return 0
    count = 0
    for sub in dismantling.sub_assemblies(appliance.family):
        if sub.code not in RECOVERED:
            dismantling.part_recover(
                actor=tech,
                appliance=appliance,
                sub_assembly=sub,
                reusable=False,
                test_record="Essai raté : ne part pas au réemploi.",
            )
            continue
        record, reference, grade, price, weight = RECOVERED[sub.code]
        new = Part.objects.filter(reference=reference, condition="neuf").first()
        recovered = dismantling.part_recover(
            actor=tech,
            appliance=appliance,
            sub_assembly=sub,
            reusable=True,
            test_record=record,
            reference="" if new else reference,
            equivalent_of=new,
            grade=grade,
            price_ht=price,
            weight_kg=weight,
        )
        dismantling.recovered_part_stock(actor=keeper, recovered=recovered, location=shelf)
        count += 1
        if sub.code == "pompe_vidange":
            case = (
                RepairCase.objects.filter(
                    site=site,
                    appliance__family="lave_linge",
                    status__in=[CaseStatus.EN_REPARATION, CaseStatus.EN_ATELIER, CaseStatus.ATTENTE_PIECES],
                )
                .order_by("received_at")
                .first()
            )
            if case is not None:
                stock.move_record(
                    actor=tech,
                    part=recovered.part,
                    location=shelf,
                    kind=PartMove.CONSOMMATION,
                    quantity=1,
                    reason="Pompe d'occasion issue du démontage, posée à la place d'une neuve",
                    case=case,
                )
    dismantling.weee_departure_record(
        actor=keeper,
        appliance=appliance,
        eco_organism="ecosystem",
        bordereau="BSD-ECO-2026-0088",
        handed_on=timezone.localdate(),
        weight_kg="58.5",
    )
    return count
