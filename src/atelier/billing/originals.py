"""The originals of issued documents (invoices, deposit invoices, credit notes): produced once, stored, their
SHA-256 journalled; every download serves those bytes.

Produced after the issuing transaction commits (`schedule_original`): rendering a PDF takes ~0.3 s, which must
not hold the site's journal lock nor slow the issue. If that fails (a crash after commit) or for a document
issued before originals were kept, the first download produces it through the same `original_store`, so a
document has one original whoever asks first. `originals_verify` re-hashes the stored bytes against the
journal (`atelier journal verify`).
"""

import hashlib
import json
import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.billing import documents
from atelier.billing.choices import JournalKind
from atelier.billing.journal import journal_append
from atelier.billing.models import Invoice, JournalEntry, Original
from atelier.core.locking import lock

logger = logging.getLogger(__name__)


def sha256(data: bytes | memoryview | None) -> str:
    """Hex SHA-256 of stored bytes; "" when there are none (no Factur-X XML for a household customer)."""
    return hashlib.sha256(bytes(data)).hexdigest() if data is not None else ""


def original_render(invoice: Invoice) -> tuple[bytes, bytes | None]:
    """(PDF, XML) as the download serves them: the Factur-X PDF/A-3 carrying its CII XML for a business
    customer, the plain PDF (no XML) for a household one."""
    if invoice.is_business:
        xml = documents.facturx_xml(invoice)
        return documents.facturx_pdf(invoice, xml=xml), xml
    return documents.invoice_pdf(invoice), None


def original_store(invoice: Invoice) -> Original:
    """The document's original, produced and journalled now if it is not stored yet (idempotent)."""
    existing = Original.objects.filter(invoice_id=invoice.pk).first()
    if existing is not None:
        return existing
    # rendered outside the transaction: neither SQLite's write lock nor the invoice's row lock is held meanwhile
    pdf, xml = original_render(invoice)
    return _keep(invoice, pdf, xml)


@transaction.atomic
def _keep(invoice: Invoice, pdf: bytes, xml: bytes | None) -> Original:
    fresh = lock(invoice, related=("site",))
    existing = Original.objects.filter(invoice=fresh).first()
    if existing is not None:  # stored by another request while this one rendered: that one is the original
        return existing
    original = Original(
        invoice=fresh,
        pdf=pdf,
        xml=xml,
        pdf_sha256=sha256(pdf),
        xml_sha256=sha256(xml),
        created_at=timezone.now(),
    )
    original.save()
    journal_append(
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
    return original


def original_pdf(invoice: Invoice) -> bytes:
    """The bytes every download of the document returns (produced at the first one if still missing)."""
    return bytes(original_store(invoice).pdf)


def schedule_original(invoice: Invoice) -> None:
    """Store the original once the issuing transaction has committed (called by the issuing services)."""
    pk = invoice.pk
    transaction.on_commit(lambda: _store_after_commit(pk))


def _store_after_commit(pk: int) -> None:
    try:
        original_store(Invoice.objects.select_related("site", "case", "credited").get(pk=pk))
    except Exception:  # the document is issued and journalled: its first download will produce the original
        logger.exception(
            "Original of document #%s not stored after its issue: produced at its first download", pk
        )


def _label(invoice: Invoice | None, number: str) -> str:
    if invoice is None:
        return _("document %(n)s") % {"n": number}
    return f"{str(invoice.get_kind_display()).lower()} {invoice.number}"


def journalled_entries(site, after_seq: int = 0):
    """The ORIGINAL journal entries (of a site, after n° after_seq), in chain order.

    In `(site, seq)` order, not by id (the same order: a site's chain is appended one entry at a time), so that
    the unique `(site, seq)` index serves both the range and the order: ordered by id, SQLite walked every entry
    of the site through the site index to read those after the checkpoint (issue 16, /facturation/)."""
    entries = JournalEntry.objects.filter(kind=JournalKind.ORIGINAL)
    if site is not None:
        entries = entries.of_site(site)
    if after_seq:
        entries = entries.filter(seq__gt=after_seq)
    return entries.order_by("site_id", "seq").only("site_id", "reference", "payload")


def _journalled(site, after_seq: int = 0) -> dict[tuple[int, str], dict]:
    """(site id, document number) → payload of its first ORIGINAL journal entry (after n° after_seq)."""
    found: dict[tuple[int, str], dict] = {}
    for entry in journalled_entries(site, after_seq):
        payload = entry.payload if isinstance(entry.payload, dict) else json.loads(entry.payload)
        found.setdefault((entry.site_id, entry.reference), payload)
    return found


def originals_verify(site=None, *, after_seq: int = 0, after_pk: int = 0) -> list[str]:
    """Each stored original re-hashed and compared with its journal entry; every difference named in French.

    Incrementally (the accountant's page, from a site's checkpoint): only the ORIGINAL entries after n°
    after_seq, and the originals stored since the checkpoint (id above after_pk) or named by those entries."""
    journalled = _journalled(site, after_seq)
    originals = Original.objects.select_related("invoice")
    if site is not None:
        originals = originals.of_site(site)
    if after_seq:
        numbers = [number for _site, number in journalled]
        originals = originals.filter(Q(pk__gt=after_pk) | Q(invoice__number__in=numbers))
    problems, seen = [], set()
    for original in originals.order_by("pk").iterator(chunk_size=100):
        invoice = original.invoice
        key = (invoice.site_id, invoice.number)
        seen.add(key)
        label = _label(invoice, invoice.number)
        recorded = journalled.get(key)
        if recorded is None:
            problems.append(_("%(doc)s : original absent du journal") % {"doc": label})
            continue
        for part, data, column in (
            ("PDF", original.pdf, original.pdf_sha256),
            ("XML", original.xml, original.xml_sha256),
        ):
            expected = recorded.get(f"{part.lower()}_sha256", "")
            if sha256(data) != expected or column != expected:
                problems.append(
                    _("%(doc)s : original %(part)s modifié depuis son émission")
                    % {"doc": label, "part": part}
                )
    for site_id, number in sorted(journalled.keys() - seen):
        invoice = Invoice.objects.filter(site_id=site_id, number=number).first()
        problems.append(
            _("%(doc)s : original journalisé mais absent de la base") % {"doc": _label(invoice, number)}
        )
    return problems
