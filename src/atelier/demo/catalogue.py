"""Appliances of the demo: families weighted like a real repair shop's intake, brands sold in France, shops.

Model references follow each maker's naming habits (Bosch « WAN28208FF », Whirlpool « FFB 8458 WV F »…) so
a technician reading the demo is not jarred; they are plausible, not a catalogue of existing products.
"""

from dataclasses import dataclass
from decimal import Decimal

from atelier.customers.choices import ProductFamily as F


@dataclass(frozen=True)
class FamilyProfile:
    """How often a family comes in, where it is repaired, what it costs new, and who makes it."""

    weight: int  # share of the intake
    home_share: float  # share of its repairs done at the customer's home (built-in or too heavy to carry)
    price: tuple[int, int]  # price range new, in euros TTC
    models: dict[str, tuple[str, ...]]  # brand → model references


FAMILIES: dict[str, FamilyProfile] = {
    F.LAVE_LINGE: FamilyProfile(
        28,
        0.9,
        (299, 899),
        {
            "Bosch": ("WAN28208FF", "WGG04409FR", "WAJ24017FF"),
            "Siemens": ("WM14N208FF", "WM14T609FF"),
            "Whirlpool": ("FFB 8458 WV F", "FFD 9469 BV FR"),
            "Samsung": ("WW90T534DAW", "WW80TA046AE"),
            "LG": ("F94V32WHS", "F84V35WHS"),
            "Electrolux": ("EW6F1408WS", "EW7F3816DB"),
            "Beko": ("WTV8712XW", "WUE7512XWW"),
            "Candy": ("CS 1410TXME", "RO 1486DWMCE"),
            "Brandt": ("BT651MQ", "WTD6384SF"),
            "Miele": ("WCA 030 WCS", "WWD 320 WCS"),
            "Indesit": ("MTWE 71252 W FR", "BTW L60300 FR"),
            "Haier": ("HW80-B14939", "HW100-B14979"),
            "Hotpoint": ("NM11 946 WC A FR",),
        },
    ),
    F.LAVE_VAISSELLE: FamilyProfile(
        16,
        0.95,
        (299, 799),
        {
            "Bosch": ("SMS4HTI45E", "SMV2ITX18E"),
            "Siemens": ("SN23HI60AE", "SN61IX09TE"),
            "Whirlpool": ("WFC 3C26 P", "WIC 3C26 F"),
            "Beko": ("DFN05321W", "BDIN38440C"),
            "Electrolux": ("ESF5512LOX", "EEM48321L"),
            "De Dietrich": ("DVH1544J", "DCJ536DQX"),
            "Samsung": ("DW60M6050FS",),
            "Miele": ("G 5210 SC Active Plus",),
            "Candy": ("CDPN 2D360PW",),
        },
    ),
    F.FROID: FamilyProfile(
        14,
        1.0,
        (349, 1499),
        {
            "Samsung": ("RB38T602DSA", "RS68A8840S9"),
            "LG": ("GBB72PZEFN", "GSLV71PZTF"),
            "Liebherr": ("CNef 4815", "IRBd 5121"),
            "Bosch": ("KGN39VLEB", "KIR81AFE0"),
            "Beko": ("RCNA366I30XBN", "RDSA240K30WN"),
            "Haier": ("HTR5619ENMP", "HB18FGSAAA"),
            "Whirlpool": ("W7X 82I OX", "ART 66102"),
            "Hisense": ("RQ563N4SWI1",),
            "Sharp": ("SJ-BA05DTXLF",),
        },
    ),
    F.CUISSON: FamilyProfile(
        12,
        0.85,
        (199, 1299),
        {
            "Sauter": ("SFP9280X", "SPI4361B"),
            "De Dietrich": ("DOP7350X", "DPI7686XS"),
            "Brandt": ("BXP6532X", "BPI6413B"),
            "Bosch": ("HBA534BS0", "PUE611BB5E"),
            "Siemens": ("HB578A0S0", "EU631BEB5E"),
            "Electrolux": ("EOF5C50BX", "KOFGH40TX"),
            "Whirlpool": ("AKZ9 6230 IX", "MWP 338 SB"),
            "Samsung": ("NV7B4040VBK", "MS23K3515AS"),
            "Rosières": ("RFNAPOLITAN",),
        },
    ),
    F.SECHE_LINGE: FamilyProfile(
        10,
        0.9,
        (349, 899),
        {
            "Bosch": ("WTH85V09FF", "WQG24509FR"),
            "Siemens": ("WT45HV00FF",),
            "Whirlpool": ("FFT M11 8X3 FR", "ST U 92E EU"),
            "Electrolux": ("EW8H4825SB", "EW7H4811SC"),
            "Beko": ("DH8534GX0", "DS7333PA0"),
            "Candy": ("CSO4 H7A1DE-S",),
            "Miele": ("TWD 360 WP",),
            "Samsung": ("DV90T5240AW",),
        },
    ),
    F.TELEVISEUR: FamilyProfile(
        7,
        0.3,
        (249, 1499),
        {
            "Samsung": ("UE55CU7175U", "QE65Q80CAT"),
            "LG": ("OLED55C34LA", "43UR78006LK"),
            "Sony": ("KD-55X80L", "XR-65A80L"),
            "Philips": ("55PUS8108/12", "65OLED708/12"),
            "Panasonic": ("TX-50MX700E", "TX-55MZ1500E"),
            "TCL": ("55C645", "65P745"),
            "Hisense": ("55A6K",),
            "Sharp": ("50FN2EA",),
        },
    ),
    F.AUDIO: FamilyProfile(
        4,
        0.0,
        (99, 699),
        {
            "Sony": ("HT-S40R", "MHC-V13"),
            "Denon": ("PMA-600NE", "CEOL N10"),
            "Yamaha": ("R-N303D", "YAS-209"),
            "Marantz": ("PM6007",),
            "Bose": ("Smart Soundbar 600",),
            "Panasonic": ("SC-PMX94",),
        },
    ),
    F.VIDEO: FamilyProfile(
        3,
        0.0,
        (89, 499),
        {
            "Sony": ("UBP-X700", "BDP-S3700"),
            "Panasonic": ("DMR-BST760", "DP-UB820"),
            "Epson": ("EH-TW6250",),
            "BenQ": ("W1800",),
        },
    ),
    F.PETIT_ELECTROMENAGER: FamilyProfile(
        3,
        0.0,
        (39, 599),
        {
            "Moulinex": ("Companion XL HF80CB00", "Masterchef Gourmet QA6198"),
            "Seb": ("Cookeo CE851A00", "Actifry Genius XL"),
            "Rowenta": ("X-Force Flex 12.60", "Silence Steam Pro DG9226"),
            "Dyson": ("V11 Absolute", "V15 Detect"),
            "Philips": ("Airfryer XXL HD9650", "Senseo Original Plus"),
            "Krups": ("Evidence EA895E10", "Nespresso Inissia"),
            "Magimix": ("Cook Expert",),
            "De'Longhi": ("Magnifica S ECAM22.110.B",),
        },
    ),
}

# Where French households buy their appliances, roughly in order of market share.
NEW_PURCHASE_PLACES = (
    ("Darty", 22),
    ("Boulanger", 18),
    ("But", 9),
    ("Conforama", 8),
    ("E.Leclerc", 8),
    ("Amazon", 8),
    ("Carrefour", 5),
    ("Electro Dépôt", 5),
    ("Cdiscount", 4),
    ("Fnac", 3),
    ("Ubaldi", 2),
    ("Cuisiniste (Schmidt)", 3),
    ("Ixina", 2),
    ("Gitem", 2),
    ("Pulsat", 1),
)
SECOND_HAND_PLACES = ("Leboncoin", "Back Market (reconditionné)", "Ressourcerie du quartier", "Emmaüs")

# Accessories left at the counter with a workshop repair, by family.
ACCESSORIES = {
    F.TELEVISEUR: ("Télécommande, pied", "Télécommande, cordon secteur", "Pied et vis, sans télécommande"),
    F.AUDIO: ("Télécommande, antenne FM", "Cordon secteur", "Télécommande"),
    F.VIDEO: ("Télécommande, câble HDMI", "Télécommande", "Sacoche, cordon secteur"),
    F.PETIT_ELECTROMENAGER: (
        "Bol, couvercle et lame",
        "Bac à eau, sans capsules",
        "Deux batteries, chargeur",
        "Panier et cuve",
    ),
    F.CUISSON: ("Plateau tournant en verre", "Plateau tournant et grille"),
}
VISIBLE_CONDITIONS = (
    "Bon état général",
    "Rayures légères sur le dessus",
    "Coin de la façade enfoncé",
    "Traces de calcaire",
    "Joint de porte usé",
    "Écran sans rayure",
    "Poignée recollée",
    "Traces de choc à l'arrière",
)


def price_of(family: str, brand: str, rng) -> Decimal:
    """A price new, a little higher for the premium makers, rounded like a shelf label (…,99 €)."""
    low, high = FAMILIES[family].price
    if brand in {"Miele", "Liebherr", "Dyson", "Bose", "Marantz"}:
        low, high = int(high * 0.8), int(high * 1.6)
    return Decimal(rng.randrange(low // 10, high // 10 + 1) * 10 - 1) + Decimal("0.99")


def serial_for(brand: str, rng) -> str:
    """A serial number shaped like the maker's plates (BSH « FD » code, Samsung 15 characters…)."""
    digits = "0123456789"
    alnum = "ABCDEFGHJKLMNPRSTVWXYZ0123456789"

    def pick(chars: str, n: int) -> str:
        return "".join(rng.choice(chars) for _ in range(n))

    if brand in {"Bosch", "Siemens"}:
        return f"FD {rng.randint(9001, 9912)} {pick(digits, 6)}"
    if brand in {"Samsung", "LG"}:
        return pick(alnum, 15)
    if brand in {"Whirlpool", "Indesit", "Hotpoint"}:
        return pick(digits, 12)
    if brand == "Miele":
        return pick(digits, 8)
    return f"{pick(alnum, 4)}{pick(digits, 8)}"
