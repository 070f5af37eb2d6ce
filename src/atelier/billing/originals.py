# STUB for h-archive: replaced by h-originals at merge
"""Stand-in for h-originals' `original_store` so the archive can be built and tested on this branch.

Same contract as the real module: `original_store(invoice)` returns the document's original (`pdf`, `xml`,
`pdf_sha256`, `xml_sha256`), producing it once and journalling its hashes (an ORIGINAL entry with the same payload
as the real one). The bytes are kept in memory only, keyed by that entry, for the life of the process.
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from atelier.billing import documents
from atelier.billing.choices import JournalKind
from atelier.billing.journal import journal_append
from atelier.billing.models import JournalEntry

_KEPT: dict[tuple[int, str], "Original"] = {}


@dataclass(frozen=True)
class Original:
    pdf: bytes
    xml: bytes | None
    pdf_sha256: str
    xml_sha256: str


def _sha256(data: bytes | None) -> str:
    return hashlib.sha256(data).hexdigest() if data is not None else ""


def _render(invoice) -> Original:
    pdf = documents.invoice_pdf(invoice)
    xml = documents.facturx_xml(invoice) if invoice.is_business else None
    return Original(pdf=pdf, xml=xml, pdf_sha256=_sha256(pdf), xml_sha256=_sha256(xml))


def original_store(invoice) -> Original:
    entry = JournalEntry.objects.filter(
        site_id=invoice.site_id, kind=JournalKind.ORIGINAL, reference=invoice.number
    ).first()
    if entry is not None:
        kept = _KEPT.get((entry.pk, entry.hash))
        if kept is not None and json.loads(entry.payload)["pdf_sha256"] == kept.pdf_sha256:
            return kept
        return _render(invoice)
    original = _render(invoice)
    entry = journal_append(
        site=invoice.site,
        kind=JournalKind.ORIGINAL,
        reference=invoice.number,
        amount=Decimal("0.00"),
        at=timezone.now(),
        payload={
            "document": invoice.number,
            "pdf_sha256": original.pdf_sha256,
            "xml_sha256": original.xml_sha256,
        },
    )
    _KEPT[(entry.pk, entry.hash)] = original
    return original
