"""The append-only journal: each entry's HMAC-SHA256 covers its content and the previous entry's hash.

Changing an amount breaks that entry's hash; deleting an entry breaks the sequence and the next entry's link;
cutting the tail leaves the journal's head (last number and hash, kept in its own row) pointing past the end.
The key comes from the environment (settings.ATELIER_JOURNAL_KEY), so rewriting the chain needs the key.
"""

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from atelier.billing.models import JournalEntry, JournalHead
from atelier.billing.periods import MONEY_KINDS, assert_open
from atelier.core.locking import lock_many

GENESIS = "0" * 64


def _canonical(*, seq, at, site_id, kind, reference, amount, payload, prev_hash) -> bytes:
    return "|".join(
        [
            str(seq),
            at.astimezone(datetime.UTC).isoformat(),
            str(site_id),
            kind,
            reference,
            f"{Decimal(amount):.2f}",
            payload,
            prev_hash,
        ]
    ).encode()


def _sign(message: bytes) -> str:
    return hmac.new(settings.ATELIER_JOURNAL_KEY.encode(), message, hashlib.sha256).hexdigest()


@transaction.atomic
def journal_append(*, site, kind: str, reference: str, amount: Decimal, at, payload: dict) -> JournalEntry:
    """Append one entry, in the caller's transaction, under the lock of the journal's head."""
    JournalHead.objects.get_or_create(pk=1)
    head = lock_many(JournalHead, [1])[0]  # the chain's end: one writer at a time
    if kind in MONEY_KINDS:  # read under the head's lock: a closure committed meanwhile is seen (periods.py)
        assert_open(site=site, at=at)
    seq = head.last_seq + 1
    prev_hash = head.last_hash or GENESIS
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    entry = JournalEntry(
        seq=seq,
        at=at,
        site=site,
        kind=kind,
        reference=reference,
        amount=amount,
        payload=text,
        prev_hash=prev_hash,
    )
    entry.hash = _sign(
        _canonical(
            seq=seq,
            at=at,
            site_id=site.pk,
            kind=kind,
            reference=reference,
            amount=amount,
            payload=text,
            prev_hash=prev_hash,
        )
    )
    entry.save()
    head.last_seq, head.last_hash = seq, entry.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return entry


@dataclass
class Verdict:
    ok: bool
    count: int
    message: str


def journal_verify() -> Verdict:
    """Walk the whole chain; the first broken entry is named in French."""
    expected_seq, prev_hash, count = 1, GENESIS, 0
    for entry in JournalEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return Verdict(
                False, count, f"écriture n° {expected_seq} manquante (suivante trouvée : n° {entry.seq})"
            )
        if entry.prev_hash != prev_hash:
            return Verdict(
                False, count, f"écriture n° {entry.seq} : chaînage rompu avec l'écriture précédente"
            )
        message = _canonical(
            seq=entry.seq,
            at=entry.at,
            site_id=entry.site_id,
            kind=entry.kind,
            reference=entry.reference,
            amount=entry.amount,
            payload=entry.payload,
            prev_hash=entry.prev_hash,
        )
        if not hmac.compare_digest(_sign(message), entry.hash):
            return Verdict(False, count, f"écriture n° {entry.seq} ({entry.reference}) : contenu modifié")
        expected_seq, prev_hash, count = entry.seq + 1, entry.hash, count + 1
    head = JournalHead.objects.filter(pk=1).first()
    last_seq, last_hash = (head.last_seq, head.last_hash) if head else (0, "")
    if last_seq != count or (count and last_hash != prev_hash):
        return Verdict(
            False, count, f"fin du journal tronquée : {last_seq} écritures attendues, {count} trouvées"
        )
    return Verdict(True, count, f"journal ok: {count} entries")
