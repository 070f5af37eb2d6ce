"""Demo customers and their appliances, drawn from a seeded random generator (no database access here).

Specs are plain dicts of model field names, handed as they are to the customers services, so the demo goes
through the same normalisation and checks as a customer typed in at the counter.
"""

import datetime
import math
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from atelier.core import geo
from atelier.customers.choices import Civility, ContactChannel, CustomerKind
from atelier.demo import names
from atelier.demo.catalogue import FAMILIES, NEW_PURCHASE_PLACES, SECOND_HAND_PLACES, price_of, serial_for
from atelier.demo.identifiers import random_mobile, random_siren, vat_from

# Where each site's customers live: Paris and its inner ring (petite couronne) for the Bastille shop,
# Lyon and the communes within 12 km for the Part-Dieu workshop; nearer communes weigh more.
CATCHMENT = {
    "PAR1": {"centre": "75011", "prefixes": ("75", "92", "93", "94"), "radius_km": 25.0, "scale_km": 3.5},
    "LYO1": {"centre": "69003", "prefixes": ("69",), "radius_km": 12.0, "scale_km": 3.0},
}


@dataclass
class ApplianceSpec:
    fields: dict
    home_share: float  # chance that a repair of it happens at the customer's home


@dataclass
class CustomerSpec:
    site_code: str
    fields: dict
    appliances: list[ApplianceSpec] = field(default_factory=list)


def _distance_km(a: geo.Commune, b: geo.Commune) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    cos = math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(lon1 - lon2)
    return 6371.0 * math.acos(max(-1.0, min(1.0, cos)))


def catchment(site_code: str) -> tuple[list[geo.Commune], list[float]]:
    """Communes (with coordinates) around a site and their weights, from the shipped postcode table."""
    area = CATCHMENT[site_code]
    centre = geo.locate(area["centre"])
    communes, weights = [], []
    for postcode in geo.all_postcodes():
        if not postcode.startswith(area["prefixes"]):
            continue
        for commune in geo.communes(postcode):
            if commune.latitude is None or commune.longitude is None:
                continue
            distance = _distance_km(centre, commune)
            if distance <= area["radius_km"]:
                communes.append(commune)
                weights.append(math.exp(-distance / area["scale_km"]))
    return communes, weights


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(c for c in plain if c.isalnum() or c in ".-")


def _email(rng, first: str, last: str) -> str:
    first, last = _ascii(first.replace(" ", "-")), _ascii(last.replace(" ", "").replace("'", ""))
    local = rng.choice(
        (f"{first}.{last}", f"{first[0]}{last}", f"{last}.{first}", f"{first}{last}{rng.randint(1, 99)}")
    )
    return f"{local}@{rng.choice(('example.fr', 'example.fr', 'example.com'))}"


def _person(rng) -> tuple[str, str, str]:
    female = rng.random() < 0.52
    first = rng.choice(names.FEMALE_FIRST_NAMES if female else names.MALE_FIRST_NAMES)
    civility = "" if rng.random() < 0.03 else (Civility.MADAME if female else Civility.MONSIEUR)
    return civility, first, rng.choice(names.LAST_NAMES)


def customer_spec(rng, site_code: str, communes, weights) -> CustomerSpec:
    """One customer file, with its accessibility needs and consent, and one to three appliances."""
    civility, first, last = _person(rng)
    professional = rng.random() < 0.10
    commune = rng.choices(communes, weights)[0]
    streets = names.STREETS_BY_POSTCODE.get(commune.postcode, names.COMMON_STREETS)
    number = rng.randint(1, 160)
    number_text = f"{number} bis" if rng.random() < 0.05 else str(number)
    data = {
        "kind": CustomerKind.PROFESSIONNEL if professional else CustomerKind.PARTICULIER,
        "civility": civility,
        "first_name": first,
        "last_name": last,
        "phone": random_mobile(rng),
        "address": f"{number_text} {rng.choice(streets)}",
        "postcode": commune.postcode,
        "city": commune.label,
    }
    if professional:
        company = rng.choice(names.BUSINESS_PATTERNS).format(first=first, last=last)
        siren = random_siren(rng)
        data.update(
            company_name=company,
            siren=siren,
            email=f"contact.{_ascii(company.replace(' ', '-').replace(chr(39), ''))}@example.fr",
        )
        if int(siren) % 2 == 0:  # half gave their VAT number (the others' invoices print none); no rng draw
            data["vat_number"] = vat_from(siren)
    elif rng.random() < 0.85:
        data["email"] = _email(rng, first, last)
    if rng.random() < 0.12:
        data["phone2"] = random_mobile(rng)
    if rng.random() < 0.15:
        data["address2"] = rng.choice(names.ADDRESS_COMPLEMENTS)
    _needs(rng, data)
    data["preferred_contact"] = _preferred_contact(rng, data)
    data["consent_contact"] = rng.random() < 0.60
    if rng.random() < 0.08:
        data["notes"] = rng.choice(names.CUSTOMER_REMARKS)
    spec = CustomerSpec(site_code, data)
    count = rng.choices((1, 2, 3), (55, 30, 15))[0] + (1 if professional else 0)
    families: set[str] = set()
    for _ in range(min(count, 3)):
        spec.appliances.append(appliance_spec(rng, avoid=families))
    return spec


def _needs(rng, data: dict) -> None:
    """About 8 % reduced mobility, a few deaf or low-vision customers, a few who speak another language."""
    shares = (("needs_reduced_mobility", 0.08), ("needs_hearing", 0.04), ("needs_low_vision", 0.03))
    for need, share in shares:
        if rng.random() < share:
            data[need] = True
            if rng.random() < 0.6 and not data.get("accessibility_notes"):
                data["accessibility_notes"] = rng.choice(names.ACCESSIBILITY_NOTES[need])
    if rng.random() < 0.04:
        data["language"] = rng.choice(names.OTHER_LANGUAGES)


def _preferred_contact(rng, data: dict) -> str:
    if data.get("needs_hearing"):
        return ContactChannel.SMS
    roll = rng.random()
    if data.get("email") and roll < 0.2:
        return ContactChannel.EMAIL
    if roll < 0.3:
        return ContactChannel.SMS
    if roll < 0.33:
        return ContactChannel.COURRIER
    return ContactChannel.TELEPHONE


def appliance_spec(rng, avoid: set[str]) -> ApplianceSpec:
    """An appliance of a family the customer does not own yet, bought one to ten years ago (mostly 2–4)."""
    families = [f for f in FAMILIES if f not in avoid] or list(FAMILIES)
    family = rng.choices(families, [FAMILIES[f].weight for f in families])[0]
    avoid.add(family)
    profile = FAMILIES[family]
    brand = rng.choice(sorted(profile.models))
    bought_new = rng.random() < 0.92
    age_days = int(rng.triangular(365, 3650, 1000))
    price = price_of(family, brand, rng)
    if not bought_new:
        price = (price * Decimal("0.45")).quantize(Decimal("1")) - Decimal("0.01")
    places = NEW_PURCHASE_PLACES if bought_new else [(p, 1) for p in SECOND_HAND_PLACES]
    data = {
        "family": family,
        "brand": brand,
        "model_ref": rng.choice(profile.models[brand]),
        "serial_number": serial_for(brand, rng),
        "purchase_age_days": age_days,  # turned into a date once the dossiers are dated (see loader)
        "purchase_place": rng.choices([p for p, _ in places], [w for _, w in places])[0],
        "purchase_price": price,
        "bought_new": bought_new,
    }
    if rng.random() < 0.2:
        data["serial_number"] = ""  # plate unreadable or appliance not seen yet: common at intake
    return ApplianceSpec(data, profile.home_share)


def purchase_date(age_days: int, today: datetime.date, before: datetime.date | None) -> datetime.date:
    """The purchase date, at least two weeks before the appliance's first dossier (if any)."""
    date = today - datetime.timedelta(days=age_days)
    if before is not None:
        date = min(date, before - datetime.timedelta(days=14))
    return date
