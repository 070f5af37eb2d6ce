"""The append-only journal: one chain per site, each entry signed.

Each entry carries the digest of its payload (for a document, the document's whole content: see integrity.py),
the hash of its canonical text including the previous entry's hash, and the Ed25519 signature of that hash
(signing.py). Changing an amount breaks the entry's hash; deleting an entry breaks the sequence and the next
entry's link; cutting the tail leaves the site's head (last number and hash, a row of its own) pointing past the
end; recomputing the hashes needs the private key to sign them again. Each site's writers lock only that site's
head, so sites never wait on one another. verify.py walks the chains and re-reads every document.
"""

import datetime
import hashlib
import json
from decimal import Decimal

from django.db import transaction

from atelier.billing import integrity, signing
from atelier.billing.choices import JournalKind
from atelier.billing.models import JournalEntry, JournalHead
from atelier.billing.periods import MONEY_KINDS, assert_open
from atelier.core.locking import lock_rows

GENESIS = "0" * 64

# The kinds whose entry holds a document, and the document's model (app label, model name).
DOCUMENT_KINDS = {
    JournalKind.FACTURE: ("billing", "Invoice"),
    JournalKind.AVOIR: ("billing", "Invoice"),
    JournalKind.PAIEMENT: ("billing", "Payment"),
    JournalKind.CLOTURE: ("billing", "Closure"),
}


def canonical_text(
    *, site_id, seq, at, kind, reference, document_id, amount, digest, prev_hash, key_id
) -> bytes:
    return "|".join(
        [
            str(site_id),
            str(seq),
            at.astimezone(datetime.UTC).isoformat(),
            kind,
            reference,
            "" if document_id is None else str(document_id),
            f"{Decimal(amount):.2f}",
            digest,
            prev_hash,
            key_id,
        ]
    ).encode()


def entry_hash(entry) -> str:
    """The link hash of an entry (a JournalEntry or any object with the same attributes)."""
    text = canonical_text(
        site_id=entry.site_id,
        seq=entry.seq,
        at=entry.at,
        kind=entry.kind,
        reference=entry.reference,
        document_id=entry.document_id,
        amount=entry.amount,
        digest=entry.digest,
        prev_hash=entry.prev_hash,
        key_id=entry.key_id,
    )
    return hashlib.sha256(text).hexdigest()


def payload_digest(payload: str) -> str:
    return hashlib.sha256(payload.encode()).hexdigest()


def site_head(site) -> JournalHead:
    """The site's head, locked (created the first time the site writes): one statement on the usual path."""
    heads = lock_rows(JournalHead.objects.filter(site=site))
    if heads:
        return heads[0]
    JournalHead.objects.get_or_create(site=site)  # a second first writer meets the unique site and reads it
    return lock_rows(JournalHead.objects.filter(site=site))[0]


@transaction.atomic
def journal_append(
    *, site, kind: str, reference: str, amount: Decimal, at, payload: dict | None = None, document=None
) -> JournalEntry:
    """Append one entry to the site's chain, in the caller's transaction, under the lock of the site's head.

    With `document` (an invoice, payment or closure, already saved) the payload is the document's whole content,
    which the verification compares with the document as it is now."""
    head = site_head(site)
    if kind in MONEY_KINDS:  # read under the head's lock: a closure committed meanwhile is seen (periods.py)
        assert_open(site=site, at=at)
    content = integrity.document_content(document) if document is not None else (payload or {})
    text = integrity.canonical(content)
    entry = JournalEntry(
        seq=head.last_seq + 1,
        at=at,
        site=site,
        kind=kind,
        reference=reference,
        document_id=document.pk if document is not None else None,
        amount=amount,
        payload=text,
        digest=payload_digest(text),
        prev_hash=head.last_hash or GENESIS,
        key_id=signing.current_key_id(),
    )
    entry.hash = entry_hash(entry)
    entry.signature = signing.sign(entry.hash.encode())[1]
    entry.save()
    head.last_seq, head.last_hash = entry.seq, entry.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return entry


def payload_of(entry: JournalEntry) -> dict:
    return json.loads(entry.payload)
