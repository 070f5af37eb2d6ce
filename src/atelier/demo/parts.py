"""The demo's parts catalogue (stock.Part) and the QualiRépar label of the Paris site: created once, by reference.

Prices are plausible retail prices excl. tax for independent repairers (2025–2026); references are made up
(prefix = family) so nobody mistakes them for a manufacturer's. A used or refurbished part points to the new
one it replaces (`equivalent_of`), which is what lets a quote carry the used-part offer the law asks for.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from atelier.customers.choices import ProductFamily as F
from atelier.quotes.models import BonusLabel
from atelier.stock.choices import Availability as A
from atelier.stock.choices import PartCondition as C
from atelier.stock.choices import PartKind as K
from atelier.stock.models import Part

LABEL_NUMBER = "QR-2024-PAR-00417"  # made up
LABEL_FROM = datetime.date(2024, 1, 1)


@dataclass(frozen=True)
class PartSpec:
    reference: str
    designation: str
    kind: str
    price_ht: str
    availability: str
    lead_time_days: int
    keywords: tuple[str, ...]  # words of the technician's finding that point to this part
    used: tuple[str, str, str, int] | None = None  # (condition, price HT, availability, lead time)


CATALOGUE: dict[str, tuple[PartSpec, ...]] = {
    F.LAVE_LINGE: (
        PartSpec(
            "LL-PV-3010",
            "Pompe de vidange 30 W",
            K.MOTEUR,
            "39.90",
            A.EN_STOCK,
            0,
            ("vidange",),
            (C.OCCASION, "19.00", A.EN_STOCK, 0),
        ),
        PartSpec(
            "LL-RES-2000",
            "Résistance de chauffe 2000 W",
            K.CHAUFFAGE,
            "34.50",
            A.A_COMMANDER,
            4,
            ("résistance", "chauffe"),
        ),
        PartSpec(
            "LL-CHB-0520", "Jeu de charbons moteur", K.MOTEUR, "18.90", A.EN_STOCK, 0, ("charbon", "moteur")
        ),
        PartSpec("LL-CRR-1270", "Courroie 1270 J5", K.MECANIQUE, "14.90", A.EN_STOCK, 0, ("courroie",)),
        PartSpec(
            "LL-JHB-0180", "Joint de hublot", K.CONSOMMABLE, "42.00", A.A_COMMANDER, 5, ("joint", "fuite")
        ),
        PartSpec(
            "LL-RLT-6205",
            "Kit roulements et joint SPA",
            K.MECANIQUE,
            "49.00",
            A.A_COMMANDER,
            6,
            ("roulement",),
        ),
        PartSpec(
            "LL-CPU-0910",
            "Carte de puissance",
            K.ELECTRONIQUE,
            "159.00",
            A.A_COMMANDER,
            10,
            ("carte", "électronique"),
            (C.RECONDITIONNE, "95.00", A.A_COMMANDER, 4),
        ),
    ),
    F.LAVE_VAISSELLE: (
        PartSpec(
            "LV-PCY-0330",
            "Pompe de cyclage",
            K.MOTEUR,
            "89.00",
            A.A_COMMANDER,
            7,
            ("cyclage", "pompe"),
            (C.OCCASION, "45.00", A.EN_STOCK, 0),
        ),
        PartSpec(
            "LV-RES-2100",
            "Résistance tubulaire",
            K.CHAUFFAGE,
            "59.00",
            A.A_COMMANDER,
            5,
            ("résistance", "chauffe"),
        ),
        PartSpec("LV-CTN-0012", "Sonde CTN", K.CHAUFFAGE, "19.90", A.EN_STOCK, 0, ("sonde", "ctn")),
        PartSpec(
            "LV-EV-0200",
            "Électrovanne d'arrivée d'eau",
            K.AUTRE,
            "24.90",
            A.EN_STOCK,
            0,
            ("électrovanne", "arrivée"),
        ),
    ),
    F.SECHE_LINGE: (
        PartSpec("SL-CRR-1965", "Courroie de tambour", K.MECANIQUE, "19.90", A.EN_STOCK, 0, ("courroie",)),
        PartSpec(
            "SL-THS-0150", "Thermostat de sécurité", K.CHAUFFAGE, "16.50", A.EN_STOCK, 0, ("thermostat",)
        ),
        PartSpec("SL-CTN-0047", "Sonde CTN", K.CHAUFFAGE, "17.90", A.EN_STOCK, 0, ("sonde", "ctn")),
        PartSpec(
            "SL-CRT-0700",
            "Carte électronique de commande",
            K.ELECTRONIQUE,
            "139.00",
            A.A_COMMANDER,
            10,
            ("carte", "électronique"),
            (C.RECONDITIONNE, "85.00", A.A_COMMANDER, 3),
        ),
    ),
    F.FROID: (
        PartSpec(
            "FR-THS-0077", "Thermostat de réfrigérateur", K.CHAUFFAGE, "29.90", A.EN_STOCK, 0, ("thermostat",)
        ),
        PartSpec("FR-CTN-0025", "Sonde CTN", K.CHAUFFAGE, "15.90", A.EN_STOCK, 0, ("sonde", "ctn")),
        PartSpec(
            "FR-VTL-0410",
            "Ventilateur d'évaporateur",
            K.MOTEUR,
            "44.00",
            A.A_COMMANDER,
            6,
            ("ventilat",),
            (C.OCCASION, "22.00", A.EN_STOCK, 0),
        ),
        PartSpec("FR-JPT-0600", "Joint de porte", K.CONSOMMABLE, "49.00", A.A_COMMANDER, 8, ("joint",)),
    ),
    F.CUISSON: (
        PartSpec(
            "CU-RSV-2500",
            "Résistance de voûte de four",
            K.CHAUFFAGE,
            "36.00",
            A.EN_STOCK,
            0,
            ("résistance", "voûte"),
        ),
        PartSpec(
            "CU-THS-0320", "Thermostat de four", K.CHAUFFAGE, "32.00", A.A_COMMANDER, 5, ("thermostat",)
        ),
        PartSpec(
            "CU-IND-0180",
            "Inducteur 180 mm",
            K.ELECTRONIQUE,
            "89.00",
            A.A_COMMANDER,
            8,
            ("inducteur", "induction", "foyer"),
            (C.OCCASION, "45.00", A.EN_STOCK, 0),
        ),
    ),
    F.TELEVISEUR: (
        PartSpec(
            "TV-ALM-0455",
            "Carte d'alimentation",
            K.ELECTRONIQUE,
            "69.00",
            A.A_COMMANDER,
            7,
            ("alimentation",),
            (C.RECONDITIONNE, "39.00", A.EN_STOCK, 0),
        ),
        PartSpec(
            "TV-DAL-5500",
            "Dalle LCD 55 pouces",
            K.ECRAN,
            "389.00",
            A.A_COMMANDER,
            15,
            ("dalle", "écran"),
            (C.OCCASION, "190.00", A.A_COMMANDER, 5),
        ),
        PartSpec(
            "TV-LED-0550",
            "Kit barrettes LED de rétroéclairage",
            K.ECRAN,
            "49.00",
            A.A_COMMANDER,
            6,
            ("led", "rétroéclairage"),
        ),
    ),
    F.PETIT_ELECTROMENAGER: (
        PartSpec(
            "PE-JNT-0010", "Kit joints de percolateur", K.CONSOMMABLE, "12.90", A.EN_STOCK, 0, ("joint",)
        ),
        PartSpec("PE-PMP-0015", "Pompe vibrante 15 bars", K.MOTEUR, "24.90", A.EN_STOCK, 0, ("pompe",)),
    ),
    F.AUDIO: (
        PartSpec(
            "AV-CND-0100",
            "Kit condensateurs d'alimentation",
            K.ELECTRONIQUE,
            "9.90",
            A.EN_STOCK,
            0,
            ("condensateur", "alimentation"),
        ),
    ),
    F.VIDEO: (
        PartSpec(
            "AV-LSR-0310",
            "Bloc optique laser",
            K.ELECTRONIQUE,
            "29.90",
            A.A_COMMANDER,
            6,
            ("laser", "optique", "lecteur"),
        ),
    ),
}

USED_SUFFIX = {C.OCCASION: "OCC", C.RECONDITIONNE: "REC"}


def ensure_parts() -> int:
    """Create the catalogue's missing references (new part first, then its used equivalent); return how many."""
    created = 0
    for specs in CATALOGUE.values():
        for spec in specs:
            new, made = Part.objects.get_or_create(
                reference=spec.reference,
                defaults={
                    "designation": spec.designation,
                    "kind": spec.kind,
                    "condition": C.NEUF,
                    "supplier": "Grossiste pièces SAV (démo)",
                    "price_ht": Decimal(spec.price_ht),
                    "availability": spec.availability,
                    "lead_time_days": spec.lead_time_days,
                },
            )
            created += made
            if spec.used:
                condition, price, availability, days = spec.used
                _, made = Part.objects.get_or_create(
                    reference=f"{spec.reference}-{USED_SUFFIX[condition]}",
                    defaults={
                        "designation": spec.designation,
                        "kind": spec.kind,
                        "condition": condition,
                        "supplier": "Réseau pièces de réemploi (démo)",
                        "price_ht": Decimal(price),
                        "availability": availability,
                        "lead_time_days": days,
                        "equivalent_of": new,
                    },
                )
                created += made
    return created


def ensure_bonus_label(site) -> int:
    """The Paris site is QualiRépar-labelled, so eligible quotes show the repair bonus (Lyon is not)."""
    _, made = BonusLabel.objects.get_or_create(
        site=site, label_number=LABEL_NUMBER, defaults={"valid_from": LABEL_FROM}
    )
    return int(made)
