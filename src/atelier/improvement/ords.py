"""Closed dossiers as Open Repair Data (ORDS v0.3): one row per repaired item, the columns, order and rules of
the Open Repair Alliance's table schema (data/ords_tableschema_202507.json, copied into the package with its
source and licence in data/README.md).

- `id` is the site's ORDS prefix and the dossier's key (atelierdupont-1234), `data_provider` the site's ORDS
  name: the export is refused until both are set (Site.ords_data_provider, Site.ords_id_prefix).
- `product_category` from our family by data/ords_family_categories.csv; large appliances, which ORDS has no
  category for, are « Large home electrical » with the French family in `partner_product_category`.
- `repair_status`: Fixed when the dossier went through « réparé », End of life when declared unrepairable,
  Repairable when the customer refused the quote (a repair was possible), else Unknown. Cancelled dossiers are
  not repair attempts and are left out.
- `repair_barrier_if_end_of_life` read from the unrepairable reason's words (BARRIER_WORDS), blank if none fits.
- `problem`: the customer's words and the diagnosis' conclusion, scrubbed of personal data (improvement.scrub).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from atelier.core.errors import AtelierError
from atelier.improvement.indicators import bounds
from atelier.improvement.scrub import scrub
from atelier.repairs.choices import CaseStatus, EventKind

DATA = Path(__file__).parent / "data"
SCHEMA_FILE = DATA / "ords_tableschema_202507.json"
COUNTRY = "FRA"  # ISO 3166-1 alpha-3: Atelier's sites are in France

FIXED, REPAIRABLE, END_OF_LIFE, UNKNOWN = "Fixed", "Repairable", "End of life", "Unknown"
# words of the unrepairable reason → ORDS barrier (first match wins; the schema's list, in its spelling)
BARRIER_WORDS: tuple[tuple[str, str], ...] = (
    (r"trop cher|co[uû]t|valeur de l'appareil|prix", "Spare parts too expensive"),
    (r"pi[eè]ce|carte|r[ée]f[ée]rence abandonn|introuvable|plus fabriqu", "Spare parts not available"),
    (r"ouvrir|indémontable|soud[ée]|coll[ée]", "No way to open product"),
    (r"sch[ée]ma|documentation|information", "Repair information not available"),
    (r"outil|[ée]quipement|banc", "Lack of equipment"),
    (r"us[ée]|usure|rouill|corrosion|v[ée]tust|fissur", "Too worn out"),
)

LICENCE_TEXT = """Open Repair Data — {provider}
Fichier : {name}
Période : du {start} au {end} ({rows} réparation(s))

Ces données suivent l'Open Repair Data Standard (ORDS) v0.3 de l'Open Repair Alliance
(https://openrepair.org/open-data/ ; schéma « Open Repair Data - Aggregate - 2025/07 »,
https://github.com/openrepair/data, auteurs Monique Szpak et Neil Mather).

Licence : Creative Commons Attribution - Partage dans les mêmes conditions 4.0 International (CC BY-SA 4.0)
https://creativecommons.org/licenses/by-sa/4.0/
Attribution : « {provider} », données de réparation publiées au format Open Repair Data Standard.

Aucune donnée personnelle : le texte des pannes est expurgé des noms, numéros de téléphone, adresses
et adresses e-mail ; les identifiants ne renvoient pas aux numéros de dossier.
"""


class OrdsRefused(AtelierError):
    pass


@cache
def schema() -> dict:
    """The table schema of the repair records (the first resource of the package)."""
    package = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return package["resources"][0]["schema"]


def columns() -> list[str]:
    return [f["name"] for f in schema()["fields"]]


@cache
def categories() -> dict[int, str]:
    with (DATA / "ords_product_categories_v0.3.csv").open(encoding="utf-8") as f:
        return {int(row["product_category_id"]): row["product_category"] for row in csv.DictReader(f)}


@cache
def family_categories() -> dict[str, int]:
    with (DATA / "ords_family_categories.csv").open(encoding="utf-8") as f:
        return {row["family"]: int(row["product_category_id"]) for row in csv.DictReader(f)}


def enum_of(name: str) -> list[str]:
    """The schema writes its enums as one string, « [Fixed, Repairable, End of life, Unknown] »."""
    field = next(f for f in schema()["fields"] if f["name"] == name)
    return [v.strip() for v in field["constraints"]["enum"].strip("[]").split(",")]


def check_site(site) -> None:
    if not site.ords_data_provider.strip() or not site.ords_id_prefix:
        raise OrdsRefused(
            _(
                "Export refusé : le site %(site)s n'a pas de nom de fournisseur ORDS ni de préfixe d'identifiant. "
                "Renseignez-les dans Amélioration › Données ouvertes (réglages du site)."
            )
            % {"site": site.name}
        )


def check_period(start: datetime.date, end: datetime.date) -> None:
    if start > end:
        raise OrdsRefused(
            _("La période est inversée : le %(a)s est après le %(b)s.")
            % {"a": start.strftime("%d/%m/%Y"), "b": end.strftime("%d/%m/%Y")}
        )


def repair_status(statuses: set[str]) -> str:
    if CaseStatus.REPARE in statuses:
        return FIXED
    if CaseStatus.NON_REPARABLE in statuses:
        return END_OF_LIFE
    if CaseStatus.REFUSE in statuses:
        return REPAIRABLE
    return UNKNOWN


def barrier(reason: str) -> str:
    for pattern, value in BARRIER_WORDS:
        if re.search(pattern, reason or "", re.IGNORECASE):
            return value
    return ""


def product_age(purchase: datetime.date | None, on: datetime.date) -> str:
    """Years from purchase to the repair, one decimal; blank when the purchase date is unknown."""
    if purchase is None or purchase > on:
        return ""
    years = Decimal((on - purchase).days) / Decimal("365.25")
    return str(years.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _cases(site, start, end):
    from atelier.repairs.models import CaseEvent, RepairCase

    low, high = bounds(start, end)
    return (
        RepairCase.objects.filter(
            site=site, status=CaseStatus.CLOTURE, closed_at__gte=low, closed_at__lt=high
        )
        .select_related("customer", "appliance", "technician", "diagnosis")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=CaseEvent.objects.filter(kind=EventKind.TRANSITION).order_by("at", "pk"),
                to_attr="transitions",
            )
        )
        .order_by("closed_at", "pk")
    )


def row_of(case, site) -> dict[str, str]:
    customer, appliance = case.customer, case.appliance
    statuses = {e.to_status for e in case.transitions}
    status = repair_status(statuses)
    reason = next((e.note for e in case.transitions if e.to_status == CaseStatus.NON_REPARABLE), "")
    diagnosis = getattr(case, "diagnosis", None)
    text = case.customer_words
    if diagnosis is not None and diagnosis.conclusion.strip():
        text = f"{text.rstrip('. ')}. {diagnosis.conclusion}"
    names = [customer.last_name, customer.first_name, customer.company_name]
    if case.technician is not None:
        names += [case.technician.first_name, case.technician.last_name]
    closed_on = timezone.localdate(case.closed_at)
    category_id = family_categories()[appliance.family]
    with translation.override("fr"):
        family_label = str(appliance.get_family_display())
    return {
        "id": f"{site.ords_id_prefix}-{case.pk}",
        "data_provider": site.ords_data_provider.strip(),
        "country": COUNTRY,
        "partner_product_category": family_label,
        "product_category": categories()[category_id],
        "product_category_id": str(category_id),
        "brand": appliance.brand.strip() or "Unknown",
        "year_of_manufacture": "",
        "product_age": product_age(appliance.purchase_date, timezone.localdate(case.received_at)),
        "repair_status": status,
        "repair_barrier_if_end_of_life": barrier(reason) if status == END_OF_LIFE else "",
        "group_identifier": site.name,
        "event_date": closed_on.isoformat(),
        "problem": scrub(text, names=names),
    }


def ords_rows(*, site, start: datetime.date, end: datetime.date) -> list[dict[str, str]]:
    """The rows of the site's dossiers closed in [start, end]; refused with a French message when the site has
    no ORDS name or prefix, when the period is reversed, or when no dossier was closed in it."""
    check_site(site)
    check_period(start, end)
    rows = [row_of(case, site) for case in _cases(site, start, end)]
    if not rows:
        raise OrdsRefused(
            _("Aucun dossier clôturé du %(a)s au %(b)s sur le site %(site)s : rien à exporter.")
            % {"a": start.strftime("%d/%m/%Y"), "b": end.strftime("%d/%m/%Y"), "site": site.name}
        )
    return rows


def to_csv(rows: list[dict[str, str]]) -> str:
    """CSV as the ORDS files are published: comma-separated, a header of the schema's columns in order, every
    field quoted when needed, UTF-8, Unix line ends."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns(), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def licence_text(*, site, start, end, name: str, rows: int) -> str:
    return LICENCE_TEXT.format(
        provider=site.ords_data_provider.strip(),
        name=name,
        start=start.strftime("%d/%m/%Y"),
        end=end.strftime("%d/%m/%Y"),
        rows=rows,
    )


@dataclass(frozen=True)
class OrdsExport:
    csv: str
    licence: str
    rows: int


def ords_export(*, site, start: datetime.date, end: datetime.date, name: str) -> OrdsExport:
    rows = ords_rows(site=site, start=start, end=end)
    text = to_csv(rows)
    if errors := schema_errors(text):  # never publish a file the schema refuses (a mapping left behind)
        raise OrdsRefused(
            _("Export interrompu, le fichier ne suit pas le schéma ORDS : %(e)s") % {"e": errors[0]}
        )
    return OrdsExport(
        csv=text,
        licence=licence_text(site=site, start=start, end=end, name=name, rows=len(rows)),
        rows=len(rows),
    )


def schema_errors(text: str) -> list[str]:
    """Every way a CSV breaks the table schema: header (columns and order), a value missing where the field has
    no missing value, its type (integer, number, date yyyy-mm-dd), pattern, enum, the unique primary key."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    errors = []
    if header != columns():
        errors.append(f"header {header} != {columns()}")
        return errors
    fields = schema()["fields"]
    seen: set[str] = set()
    for number, values in enumerate(reader, start=2):
        if len(values) != len(fields):
            errors.append(f"line {number}: {len(values)} values")
            continue
        for field, value in zip(fields, values, strict=True):
            where = f"line {number}, {field['name']}"
            if value in field.get("missingValues", []):
                continue
            if value == "":
                errors.append(f"{where}: missing")
                continue
            kind = field["type"]
            try:
                if kind == "integer":
                    int(value)
                elif kind == "number":
                    Decimal(value)
                    if not Decimal(value).is_finite():
                        raise ValueError(value)
                elif kind == "date":
                    datetime.date.fromisoformat(value)
                    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                        raise ValueError(value)
            except (ValueError, ArithmeticError):
                errors.append(f"{where}: not a {kind}: {value!r}")
            constraints = field.get("constraints", {})
            if "pattern" in constraints and not re.fullmatch(constraints["pattern"], value):
                errors.append(f"{where}: {value!r} does not match {constraints['pattern']}")
            if "enum" in constraints and value not in enum_of(field["name"]):
                errors.append(f"{where}: {value!r} not in {enum_of(field['name'])}")
        key = values[0]
        if key in seen:
            errors.append(f"line {number}: id {key} twice")
        seen.add(key)
    return errors
