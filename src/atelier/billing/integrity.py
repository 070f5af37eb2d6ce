"""The whole content of an issued document as the journal keeps it, and what changed since.

An invoice (with its lines), a payment or refund, and a closure are written into their journal entry field by
field, at issue. `atelier journal verify` re-reads each document, rebuilds the same content and compares: a
changed amount, buyer, date, line (changed, added or removed) or a deleted document is named in French. The
content is built from the model's own fields, so a field added later is covered without touching this module
(entries written before it simply do not carry it, and are not judged on it).
"""

import datetime
import hashlib
import json
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _

from atelier.billing.choices import DocumentKind, PaymentKind

LINES = "lines"


def _value(field: models.Field, value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        places = getattr(field, "decimal_places", None)
        return f"{value:.{places}f}" if places is not None else str(value)
    if isinstance(value, bytes | memoryview):
        return hashlib.sha256(bytes(value)).hexdigest()
    return value


def row_content(obj: models.Model, *, skip: tuple[str, ...] = ()) -> dict:
    """Every stored column of a row (foreign keys as ids), in JSON-safe form."""
    return {
        f.attname: _value(f, getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if f.attname not in skip
    }


def document_content(document: models.Model) -> dict:
    """The content the journal keeps for a document: its row, and for an invoice its lines in order."""
    content = row_content(document)
    lines = getattr(document, "lines", None)
    if lines is not None:  # an invoice: its lines in order (all(): a prefetch serves them)
        ordered = sorted(lines.all(), key=lambda line: line.position)
        content[LINES] = [row_content(line, skip=("id", "invoice_id")) for line in ordered]
    return content


def canonical(content: dict) -> str:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def digest(content: dict) -> str:
    return hashlib.sha256(canonical(content).encode()).hexdigest()


# How the verification names a field; other fields by their verbose name.
FIELD_NAMES = {
    "total_ttc": "montant",
    "amount": "montant",
    "buyer": "client",
    "seller": "vendeur",
    LINES: "lignes",
}


def changed_fields(model: type[models.Model], recorded: dict, current: dict) -> list[str]:
    """French names of the fields whose value differs; a field absent on either side was added or removed
    by a later migration and is not judged."""
    names = []
    for key in sorted(recorded.keys() & current.keys()):
        if recorded[key] != current[key]:
            names.append(FIELD_NAMES.get(key) or _field_label(model, key))
    return names


def _field_label(model: type[models.Model], attname: str) -> str:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return str(field.verbose_name).split(" (")[0]
    return attname


def payment_reference(payment) -> str:
    """« D-PAR1-2026-00012/P345 » for money taken, « …/R346 » for money given back (the journal's reference)."""
    prefix = "R" if payment.kind == PaymentKind.REMBOURSEMENT else "P"
    return f"{payment.case.number}/{prefix}{payment.pk}"


def closure_reference(closure) -> str:
    return f"{closure.site.code}/{closure.period}/{closure.start.isoformat()}"


def describe(document_kind: str, reference: str) -> str:
    """« facture F-PAR1-2026-000122 », « avoir AV-… », « paiement … », « clôture … »."""
    names = {
        DocumentKind.FACTURE: _("facture"),
        DocumentKind.ACOMPTE: _("facture d'acompte"),
        DocumentKind.AVOIR: _("avoir"),
        "paiement": _("paiement"),
        "cloture": _("clôture"),
    }
    return f"{names.get(document_kind, document_kind)} {reference}"
