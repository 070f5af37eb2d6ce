"""Export of the catalogue and the stock, CSV (UTF-8 with BOM, « ; ») and Excel.

A text cell a spreadsheet would read as a formula (=, +, -, @, tab, carriage return first) is written with a
leading quote: `safe_cell` is the one place that decides it, for both formats. Numbers stay numbers.
"""

import csv
import io

from atelier.stock.importers import CATALOGUE_COLUMNS, STOCK_COLUMNS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as a spreadsheet should show it: a text starting like a formula gets a leading « ' »."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def catalogue_rows(parts) -> list[list]:
    rows = [CATALOGUE_COLUMNS]
    for p in parts.prefetch_related("suppliers__supplier", "references"):
        link = next(iter(p.suppliers.all()), None)
        rows.append(
            [
                p.reference,
                p.designation,
                p.kind,
                p.condition,
                p.grade,
                p.family,
                p.brand,
                "" if p.purchase_price_ht is None else p.purchase_price_ht,
                p.price_ht,
                p.vat_kind,
                link.supplier.name if link else "",
                link.supplier_ref if link else "",
                link.lead_time_days if link else "",
                ",".join(r.reference for r in p.references.all() if r.is_equivalent),
            ]
        )
    return rows


def stock_rows(balances) -> list[list]:
    rows = [STOCK_COLUMNS]
    for b in balances:
        rows.append(
            [
                b.location.site.code,
                b.location.code,
                b.part.reference,
                b.part.designation,
                b.on_hand,
                b.reserved,
                b.on_hand - b.reserved,
            ]
        )
    return rows


def to_csv(rows: list[list]) -> bytes:
    """UTF-8 with BOM and « ; »: what a French Excel opens without a question."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list], title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
