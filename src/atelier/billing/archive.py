"""`atelier journal archive`: a signed zip of one period of a site's journal (issue 14, point 6).

What a period's archive holds. The journal is cut at daily closures, so that successive archives tile the chain
with neither gap nor overlap, whenever each one is made: an archive from day A to day B holds the entries that
follow the entry of the daily closure of the day before A (from n° 1 when there is none) up to and including the
entry of the daily closure of B. Every day from A to B must be closed (a day's closure is written once the day is
over, often the next morning: it is in the archive of its day). An entry written after the closure of B, even if
dated B (the original of a document produced late), belongs to the next archive; a monthly or yearly closure is
in the archive whose segment holds its entry (the month's one is made right after the closure of its last day).
So the first entry's `prev_hash` is the hash of the previous archive's last entry.

In the zip: `journal.json` (the entries, each with its payload, hashes, key id and signature), `clotures.json`
(the rows of the closures whose entries are archived), `originaux/<number>.pdf` (and `.xml` for a Factur-X
document) of every invoice, deposit invoice and credit note whose entry is archived, and `manifest.json` (site,
period, date, signing key, first and last entries, documents, and every file's size and SHA-256) signed by
`manifest.sig` (Ed25519, billing.signing). The zip is written to a hidden temporary file beside the target and
renamed at the end: a refused or failed archive leaves nothing. archive_check.py verifies it, offline.
"""

import contextlib
import datetime
import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.billing import integrity, signing
from atelier.billing.choices import JournalKind, PeriodKind
from atelier.billing.models import Closure, Invoice, JournalEntry
from atelier.billing.originals import original_store
from atelier.billing.verify import journal_verify
from atelier.core.errors import AtelierError

FORMAT = "atelier-archive-1"
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
ENTRIES, CLOSURES, ORIGINALS = "journal.json", "clotures.json", "originaux/"
DOCUMENT_ENTRY_KINDS = (JournalKind.FACTURE, JournalKind.AVOIR)


def parse_day(text: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except (TypeError, ValueError) as exc:
        raise AtelierError(
            _("Date invalide pour %(o)s : « %(t)s » (attendu AAAA-MM-JJ).") % {"o": option, "t": text}
        ) from exc


def french_day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def entry_row(entry: JournalEntry) -> dict:
    """An entry as journal.json keeps it: every field its hash and signature cover, in text."""
    return {
        "site_id": entry.site_id,
        "seq": entry.seq,
        "at": entry.at.astimezone(datetime.UTC).isoformat(),
        "kind": entry.kind,
        "reference": entry.reference,
        "document_id": entry.document_id,
        "amount": f"{entry.amount:.2f}",
        "payload": entry.payload,
        "digest": entry.digest,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
        "key_id": entry.key_id,
        "signature": entry.signature,
    }


def to_json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode()


def boundary(site, day: datetime.date) -> int:
    """The n° of the last entry of the archive that ends on `day`: its daily closure's (0 before any)."""
    days = Closure.objects.filter(site=site, period=PeriodKind.JOUR, start__lte=day).values("pk")
    found = JournalEntry.objects.filter(site=site, kind=JournalKind.CLOTURE, document_id__in=days)
    return found.aggregate(last=Max("seq"))["last"] or 0


def check_period(site, first: datetime.date, last: datetime.date) -> None:
    """Refuse a period that is reversed or holds a day without its daily closure (the first one named)."""
    if first > last:
        raise AtelierError(
            _("Période à l'envers : le %(f)s (--from) est après le %(t)s (--to).")
            % {"f": french_day(first), "t": french_day(last)}
        )
    closed = set(
        Closure.objects.filter(site=site, period=PeriodKind.JOUR, start__range=(first, last)).values_list(
            "start", flat=True
        )
    )
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    missing = [day for day in days if day not in closed]
    if missing:
        raise AtelierError(
            _(
                "Période non clôturée : le %(d)s n'a pas sa clôture journalière (%(n)s jour(s) sans clôture "
                "sur la période) ; clôturez avant d'archiver."
            )
            % {"d": french_day(missing[0]), "n": len(missing)}
        )


def check_key() -> None:
    if not settings.ATELIER_JOURNAL_KEY:
        raise AtelierError(
            _(
                "Clé de signature absente : définissez ATELIER_JOURNAL_KEY (la clé qui signe le journal) "
                "avant d'archiver."
            )
        )
    settings_keys()


def settings_keys() -> dict:
    """The keys the settings know (today's and the retired ones), a retired key that is not one named."""
    for text in settings.ATELIER_JOURNAL_OLD_PUBLIC_KEYS:
        try:
            signing.parse_public_key(text)
        except AtelierError as exc:
            raise AtelierError(
                _(
                    "Clé illisible dans ATELIER_JOURNAL_OLD_PUBLIC_KEYS : « %(k)s » n'est pas une clé publique "
                    "(32 octets en base64, celle qu'affichait « journal public-key »)."
                )
                % {"k": text}
            ) from exc
    return signing.known_public_keys()


def check_output(out: Path) -> None:
    if not out.parent.is_dir():
        raise AtelierError(_("Dossier de destination introuvable : %(d)s.") % {"d": out.parent})
    if out.exists():
        raise AtelierError(
            _("Le fichier %(f)s existe déjà : une archive ne s'écrase pas, choisissez un autre nom.")
            % {"f": out}
        )


def archive_write(*, site, first: datetime.date, last: datetime.date, out, now=None) -> dict:
    """Write the signed archive of `site` from `first` to `last` (both included) to `out`; return its manifest.

    Everything that can refuse is checked before anything is produced: the period, the key, the target, and
    the site's whole journal (a broken chain is not signed again into an archive)."""
    out = Path(out)
    check_period(site, first, last)
    check_key()
    check_output(out)
    verdict = journal_verify(sites=[site])
    if not verdict.ok:
        raise AtelierError(_("Archive refusée, journal rompu : %(m)s") % {"m": verdict.message})
    low = boundary(site, first - datetime.timedelta(days=1)) if first > datetime.date.min else 0
    high = boundary(site, last)
    entries = list(JournalEntry.objects.filter(site=site, seq__gt=low, seq__lte=high).order_by("seq"))
    if not entries:  # only if a day before the period was closed after it: days are closed in order
        raise AtelierError(_("Aucune écriture entre ces clôtures : rien à archiver."))
    writer = _Writer(out)
    try:
        manifest = _fill(writer, site, first, last, entries, now or timezone.now())
        writer.close(manifest)
    except BaseException:
        writer.abandon()
        raise
    return manifest


def _fill(writer, site, first, last, entries, now) -> dict:
    writer.add(ENTRIES, to_json([entry_row(e) for e in entries]))
    closure_ids = [e.document_id for e in entries if e.kind == JournalKind.CLOTURE]
    closures = Closure.objects.filter(site=site, pk__in=closure_ids).order_by("pk")
    writer.add(CLOSURES, to_json([integrity.row_content(c) for c in closures]))
    documents = []
    for entry, invoice in _invoices(site, entries):
        original = original_store(invoice)
        names = {"pdf": f"{ORIGINALS}{invoice.number}.pdf", "xml": ""}
        writer.add(names["pdf"], bytes(original.pdf))
        if original.xml is not None:
            names["xml"] = f"{ORIGINALS}{invoice.number}.xml"
            writer.add(names["xml"], bytes(original.xml))
        documents.append(
            {
                "number": invoice.number,
                "kind": invoice.kind,
                "seq": entry.seq,
                "pdf": names["pdf"],
                "pdf_sha256": original.pdf_sha256,
                "xml": names["xml"],
                "xml_sha256": original.xml_sha256,
            }
        )
    known = signing.known_public_keys()
    return {
        "format": FORMAT,
        "site": {
            "id": site.pk,
            "code": site.code,
            "name": site.name,
            "legal_name": site.legal_name,
            "siret": site.siret,
        },
        "period": {"from": first.isoformat(), "to": last.isoformat()},
        "created_at": now.astimezone(datetime.UTC).isoformat(),
        "key_id": signing.current_key_id(),
        "public_key": signing.public_key_text(),
        # the keys of the archived entries (a key change keeps old entries): vouched for by the manifest's
        # signature, so an auditor needs only today's public key
        "keys": {k: signing.public_key_text(known[k]) for k in sorted({e.key_id for e in entries})},
        "entries": {
            "count": len(entries),
            "first_seq": entries[0].seq,
            "first_prev_hash": entries[0].prev_hash,
            "last_seq": entries[-1].seq,
            "last_hash": entries[-1].hash,
        },
        "documents": documents,
        "closures": len(closure_ids),
        "files": writer.files,
    }


def _invoices(site, entries):
    """(entry, invoice) of every invoice, deposit invoice and credit note archived, in the journal's order."""
    wanted = {e.document_id: e for e in entries if e.kind in DOCUMENT_ENTRY_KINDS}
    invoices = Invoice.objects.filter(site=site, pk__in=list(wanted)).select_related("site", "case")
    by_pk = {invoice.pk: invoice for invoice in invoices.prefetch_related("lines")}
    return [(entry, by_pk[pk]) for pk, entry in sorted(wanted.items(), key=lambda kv: kv[1].seq)]


class _Writer:
    """The zip, written to a hidden temporary file beside `out`; renamed to `out` by close(), removed by
    abandon()."""

    def __init__(self, out: Path):
        self.out = out
        self.files: list[dict] = []
        try:
            handle, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        except OSError as exc:
            raise AtelierError(
                _("Écriture impossible dans %(d)s : %(e)s.") % {"d": out.parent, "e": exc.strerror}
            ) from exc
        self.temporary = Path(name)
        self.stream = os.fdopen(handle, "wb")
        self.zip = zipfile.ZipFile(self.stream, "w", compression=zipfile.ZIP_DEFLATED)

    def add(self, name: str, data: bytes) -> None:
        self.zip.writestr(name, data)
        self.files.append({"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})

    def close(self, manifest: dict) -> None:
        data = to_json(manifest)
        self.zip.writestr(MANIFEST, data)
        self.zip.writestr(SIGNATURE, signing.sign(data)[1] + "\n")
        self.zip.close()
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        try:
            os.replace(self.temporary, self.out)
        except OSError as exc:
            raise AtelierError(
                _("Écriture impossible de %(f)s : %(e)s.") % {"f": self.out, "e": exc.strerror}
            ) from exc

    def abandon(self) -> None:
        for closing in (self.zip.close, self.stream.close):
            # already closed, or the disk is what failed: the temporary file goes anyway
            with contextlib.suppress(Exception):
                closing()
        self.temporary.unlink(missing_ok=True)
