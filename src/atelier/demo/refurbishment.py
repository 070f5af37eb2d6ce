"""Demo second life (Paris): a collection lot of twenty appliances from an eco-organism in every state (to sort,
validated, to repair, to dismantle, reserved, sold, scrapped), a donation and a trade-in, a letter to a
customer who did not collect their appliance, and an inventory count. Written through the product's services;
deterministic; idempotent (nothing when the lot is there)."""

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
    in_stock = StockAppliance.objects.filter(site=site, state__in=IN_STOCK_STATES)
    services.appliance_count_record(
        actor=manager, site=site, location=None, present=list(in_stock.values_list("pk", flat=True))
    )
    return {"appareils de seconde vie": len(LOT) + 2, "lettres de mise en demeure": letters}
