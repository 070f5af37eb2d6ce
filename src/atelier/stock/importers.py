"""Import of the catalogue and the stock, CSV (UTF-8 or Windows-1252, « ; » or « , ») and Excel.

An import is read in full first (`parse`): every row is checked and gets its French errors; nothing is written
until `apply` runs, inside one transaction, and only if there is no error or the user chose to skip bad rows.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from atelier.core.choices import VatKind
from atelier.core.errors import AtelierError
from atelier.core.params import as_id
from atelier.customers.choices import ProductFamily
from atelier.stock.choices import ImportKind, PartCondition, PartKind
from atelier.stock.models import Part, StockBalance, StockLocation, Supplier

CATALOGUE_COLUMNS = [
    "reference",
    "designation",
    "type",
    "etat",
    "grade",
    "famille",
    "marque",
    "prix_achat_ht",
    "prix_vente_ht",
    "tva",
    "fournisseur",
    "ref_fournisseur",
    "delai_jours",
    "references_equivalentes",
]
CATALOGUE_REQUIRED = ["reference", "designation", "prix_vente_ht"]
STOCK_COLUMNS = ["site", "emplacement", "reference", "designation", "en_stock", "reserve", "disponible"]
STOCK_REQUIRED = ["emplacement", "reference", "en_stock"]
MAX_ROWS = 20000
MAX_LEAD_DAYS = 3650  # a supplier's delay over ten years is a typing mistake (and overflowed the column)


@dataclass
class Row:
    number: int
    values: dict
    errors: list[str] = field(default_factory=list)


@dataclass
class Parsed:
    what: str
    rows: list[Row]

    @property
    def is_catalogue(self) -> bool:
        return self.what == ImportKind.CATALOGUE

    @property
    def bad(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def good(self) -> list[Row]:
        return [r for r in self.rows if not r.errors]


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AtelierError(_("Encodage du fichier non reconnu : enregistrez-le en UTF-8 ou en Windows-1252."))


def _norm(header) -> str:
    text = str(header or "").strip().lower()
    for a, b in (
        ("é", "e"),
        ("è", "e"),
        ("ê", "e"),
        ("à", "a"),
        ("ô", "o"),
        (" ", "_"),
        ("-", "_"),
        ("'", "_"),
    ):
        text = text.replace(a, b)
    return text


def read_table(name: str, data: bytes) -> list[list[str]]:
    """The cells of a CSV or .xlsx file as text, header row first."""
    if name.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception:  # noqa: BLE001 — any unreadable workbook gets the same French message
            raise AtelierError(_("Ce fichier Excel est illisible (format .xlsx attendu).")) from None
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    if not name.lower().endswith((".csv", ".txt")):
        raise AtelierError(_("Format non pris en charge : fichier .csv ou .xlsx attendu."))
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _header(table: list[list[str]], expected: list[str], required: list[str]) -> list[str]:
    if not table:
        raise AtelierError(_("Le fichier est vide."))
    header = [_norm(h) for h in table[0]]
    unknown = [h for h in header if h and h not in expected]
    missing = [c for c in required if c not in header]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("colonnes manquantes : %(c)s") % {"c": ", ".join(missing)})
        if unknown:
            parts.append(_("colonnes inconnues : %(c)s") % {"c": ", ".join(unknown)})
        raise AtelierError(
            _("Colonnes incorrectes (%(detail)s). Colonnes attendues : %(cols)s.")
            % {"detail": " ; ".join(parts), "cols": ", ".join(expected)}
        )
    return header


def _decimal(value: str, label: str, errors: list[str], *, required=False) -> Decimal | None:
    value = (value or "").strip().replace("\u00a0", "").replace(" ", "").replace("€", "").replace(",", ".")
    if not value:
        if required:
            errors.append(_("%(l)s manquant.") % {"l": label})
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        errors.append(_("%(l)s : « %(v)s » n'est pas un nombre.") % {"l": label, "v": value})
        return None
    if not number.is_finite() or number < 0:
        errors.append(_("%(l)s ne peut pas être négatif.") % {"l": label})
        return None
    return number


def _choice(value: str, choices, label: str, errors: list[str], default: str = "") -> str:
    value = (value or "").strip()
    if not value:
        return default
    for key, display in choices:
        if _norm(value) in (_norm(key), _norm(display)):
            return key
    errors.append(_("%(l)s inconnu : « %(v)s ».") % {"l": label, "v": value})
    return default


def parse(what: str, name: str, data: bytes, *, site) -> Parsed:
    table = read_table(name, data)
    if what == ImportKind.CATALOGUE:
        header = _header(table, CATALOGUE_COLUMNS, CATALOGUE_REQUIRED)
    else:
        header = _header(table, STOCK_COLUMNS, STOCK_REQUIRED)
    if len(table) - 1 > MAX_ROWS:
        raise AtelierError(_("Fichier trop long : %(n)s lignes au plus.") % {"n": MAX_ROWS})
    rows = []
    seen = set()
    for number, cells in enumerate(table[1:], start=2):
        if not any(str(c).strip() for c in cells):
            continue
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}
        row = Row(number=number, values=values)
        (_check_part if what == ImportKind.CATALOGUE else _check_stock)(row, site=site, seen=seen)
        rows.append(row)
    return Parsed(what=what, rows=rows)


def _check_part(row: Row, *, site, seen: set) -> None:
    v, errors = row.values, row.errors
    reference = v.get("reference", "").upper()
    v["reference"] = reference
    if not reference:
        errors.append(_("Référence manquante."))
    elif reference in seen:
        errors.append(_("La référence %(r)s est en double dans le fichier.") % {"r": reference})
    elif Part.objects.filter(reference__iexact=reference).exists():
        errors.append(_("La référence %(r)s existe déjà.") % {"r": reference})
    seen.add(reference)
    if not v.get("designation"):
        errors.append(_("Désignation manquante."))
    v["_price"] = _decimal(v.get("prix_vente_ht"), _("Prix de vente HT"), errors, required=True)
    v["_purchase"] = _decimal(v.get("prix_achat_ht"), _("Prix d'achat HT"), errors)
    v["_kind"] = _choice(v.get("type"), PartKind.choices, _("Type"), errors, PartKind.AUTRE)
    v["_condition"] = _choice(v.get("etat"), PartCondition.choices, _("État"), errors, PartCondition.NEUF)
    v["_family"] = _choice(v.get("famille"), ProductFamily.choices, _("Famille"), errors)
    v["_vat"] = _choice(v.get("tva"), VatKind.choices, _("TVA"), errors, VatKind.NORMAL)
    grade = v.get("grade", "").upper()
    if v["_condition"] == PartCondition.OCCASION and grade not in ("A", "B", "C"):
        errors.append(_("Grade A, B ou C attendu pour une pièce d'occasion."))
    v["_grade"] = grade if v["_condition"] == PartCondition.OCCASION else ""
    delay = v.get("delai_jours", "")
    if delay and (as_id(delay) is None or as_id(delay) > MAX_LEAD_DAYS):
        errors.append(_("Délai : nombre de jours attendu."))


def _check_stock(row: Row, *, site, seen: set) -> None:
    v, errors = row.values, row.errors
    if v.get("site") and v["site"].upper() != site.code:
        errors.append(_("Ligne d'un autre site (%(s)s).") % {"s": v["site"]})
    location = StockLocation.objects.filter(site=site, code__iexact=v.get("emplacement", "")).first()
    if location is None:
        errors.append(
            _("Emplacement inconnu sur %(s)s : « %(l)s ».") % {"s": site.code, "l": v.get("emplacement", "")}
        )
    part = Part.objects.filter(reference__iexact=v.get("reference", "")).first()
    if part is None:
        errors.append(_("Pièce inconnue : « %(r)s ».") % {"r": v.get("reference", "")})
    qty = _decimal(v.get("en_stock"), _("Quantité en stock"), errors, required=True)
    key = (v.get("emplacement", "").upper(), v.get("reference", "").upper())
    if key in seen:
        errors.append(_("Pièce et emplacement en double dans le fichier."))
    seen.add(key)
    if location and part and qty is not None:
        balance = StockBalance.objects.filter(part=part, location=location).first()
        if balance and qty < balance.reserved:
            errors.append(
                _("Quantité en stock %(q)s, mais %(r)s en réservation à cet emplacement.")
                % {"q": v["en_stock"], "r": f"{balance.reserved.normalize()}"}
            )
    v["_location"], v["_part"], v["_qty"] = location, part, qty


@transaction.atomic
def apply(parsed: Parsed, *, actor, site, skip_bad: bool) -> int:
    """Write the good rows; refused as a whole while there are bad rows the user did not choose to skip."""
    from atelier.stock import services

    if parsed.bad and not skip_bad:
        raise AtelierError(
            _(
                "%(n)s ligne(s) en erreur : rien n'est importé. Corrigez le fichier ou choisissez d'ignorer ces lignes."
            )
            % {"n": len(parsed.bad)}
        )
    done = 0
    if parsed.what == ImportKind.CATALOGUE:
        for row in parsed.good:
            v = row.values
            part = services.part_create(
                actor=actor,
                site=site,
                reference=v["reference"],
                designation=v["designation"],
                price_ht=v["_price"],
                purchase_price_ht=v["_purchase"],
                kind=v["_kind"],
                condition=v["_condition"],
                grade=v["_grade"],
                family=v["_family"],
                brand=v.get("marque", ""),
                vat_kind=v["_vat"],
                other_references=[
                    (r, "", True) for r in v.get("references_equivalentes", "").split(",") if r.strip()
                ],
            )
            if v.get("fournisseur"):
                supplier, _created = Supplier.objects.get_or_create(name=v["fournisseur"].strip())
                services.part_supplier_set(
                    part=part,
                    actor=actor,
                    supplier=supplier,
                    supplier_ref=v.get("ref_fournisseur", ""),
                    price_ht=v["_purchase"] or Decimal(0),
                    lead_time_days=int(v.get("delai_jours") or 0),
                )
            done += 1
    else:
        count = services.inventory_open(actor=actor, site=site, with_lines=False)
        for row in parsed.good:
            v = row.values
            services.inventory_count_line(
                actor=actor, count=count, part=v["_part"], location=v["_location"], counted=v["_qty"]
            )
            done += 1
        services.inventory_validate(actor=actor, count=count)
    return done
