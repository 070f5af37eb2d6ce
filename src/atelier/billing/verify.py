"""`atelier journal verify`: every site's chain, every signature, and every document against its entry.

A chain is walked entry by entry (sequence, link to the previous entry, hash, signature, head). Then each
invoice, payment and closure is rebuilt field by field and compared with the content its entry recorded at issue:
a changed field, a deleted document and a document no entry knows (written behind Atelier's back) are each named
in French. All problems are listed, the first one is the verdict's message.
"""

import hmac
import json
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.billing import integrity, signing
from atelier.billing.choices import JournalKind
from atelier.billing.journal import DOCUMENT_KINDS, GENESIS, entry_hash, payload_digest
from atelier.billing.models import JournalCheckpoint, JournalEntry, JournalHead
from atelier.billing.originals import originals_verify
from atelier.core.models import Site

CHUNK = 2000
RELATED = {"Invoice": (), "Payment": ("case",), "Closure": ("site",)}  # what each document's name reads


@dataclass
class Verdict:
    ok: bool
    count: int
    message: str
    problems: list[str] = field(default_factory=list)


def journal_verify(*, sites=None, documents: bool = True, record: bool = False, by=None) -> Verdict:
    """Check the whole chains of the given sites (all by default) and, unless told not to, their documents.

    With `record` (`atelier journal verify`, the nightly job) the full check is recorded on each site's
    checkpoint: its date and verdict, shown on the accountant's page, and the checkpoint set to what it verified
    — back to 0 when it found a break, so the page's incremental check walks the whole chain again and shows
    the break."""
    chosen = Site.objects.order_by("code") if sites is None else sorted(sites, key=lambda s: s.code)
    keys = signing.known_public_keys()
    problems: list[str] = []
    count = 0
    for site in chosen:
        site_problems: list[str] = []
        checked = _verify_chain(site, keys, site_problems)
        count += checked.count
        if documents:
            _verify_documents(site, site_problems)
            site_problems += originals_verify(site=site)
            if record:
                _record_full_check(site, checked, site_problems, by=by)
        problems += site_problems
    if problems:
        return Verdict(False, count, problems[0], problems)
    return Verdict(True, count, f"journal ok: {count} entries")


def journal_verify_incremental(sites, *, by=None) -> Verdict:
    """What the accountant's page (and the nightly job, between full checks) runs: each site's chain and
    documents checked from its checkpoint only — the checkpoint's own entry must still match, then every
    entry and document written since — and the checkpoint advanced to the end when all is intact.

    Cost follows what was written since the last check, not the journal's size. What was written BEFORE the
    checkpoint is the full check's job (`atelier journal verify`, nightly): the page shows its date and verdict."""
    keys = signing.known_public_keys()
    problems: list[str] = []
    count = 0
    for site in sorted(sites, key=lambda s: s.code):
        checkpoint = JournalCheckpoint.objects.filter(site=site).first()
        start = (checkpoint.seq, checkpoint.hash) if checkpoint and checkpoint.seq else (0, GENESIS)
        known = checkpoint.documents if checkpoint and checkpoint.seq else {}
        site_problems: list[str] = []
        checked = _verify_chain(site, keys, site_problems, start=start)
        count += checked.count
        if not site_problems:
            _verify_documents(site, site_problems, after_seq=start[0], known=known)
            site_problems += originals_verify(
                site=site, after_seq=start[0], after_pk=known.get(ORIGINAL_KEY, 0)
            )
        if not site_problems and checked.count > start[0]:
            _advance(site, checked, by=by)
        problems += site_problems
    if problems:
        return Verdict(False, count, problems[0], problems)
    return Verdict(True, count, f"journal ok: {count} entries")


ORIGINAL_KEY = "billing.Original"


def _highest_documents(site) -> dict[str, int]:
    """The highest id of each kind of document of the site, what a checkpoint has seen: one query."""
    latest = {}
    for app_label, model_name in sorted({*DOCUMENT_KINDS.values(), ("billing", "Original")}):
        model = apps.get_model(app_label, model_name)
        rows = model.objects.filter(**{model.site_path: OuterRef("pk")}).order_by("-pk").values("pk")[:1]
        latest[f"{app_label}.{model_name}"] = Subquery(rows)
    aliases = {f"latest_{n}": expression for n, expression in enumerate(latest.values())}
    row = Site.objects.filter(pk=site.pk).values(**aliases).get()
    return {key: row[f"latest_{n}"] or 0 for n, key in enumerate(latest)}


def _advance(site, checked: "Checked", *, by) -> None:
    """Move the site's checkpoint forward to `checked` (never backward: a slower page load does not undo a
    faster one's progress)."""
    values = {
        "seq": checked.count,
        "hash": checked.last_hash,
        "documents": _highest_documents(site),
        "checked_at": timezone.now(),
        "checked_by": by,
    }
    checkpoint, created = JournalCheckpoint.objects.get_or_create(site=site, defaults=values)
    if not created:
        JournalCheckpoint.objects.filter(pk=checkpoint.pk, seq__lt=checked.count).update(**values)


def _record_full_check(site, checked: "Checked", problems: list[str], *, by) -> None:
    intact = not problems
    values = {
        "seq": checked.count if intact else 0,
        "hash": checked.last_hash if intact else "",
        "documents": _highest_documents(site) if intact else {},
        "checked_at": timezone.now(),
        "checked_by": by,
        "full_checked_at": timezone.now(),
        "full_ok": intact,
        "full_message": "" if intact else problems[0][:500],
    }
    JournalCheckpoint.objects.update_or_create(site=site, defaults=values)


def last_full_checks(sites) -> list[JournalCheckpoint]:
    """Each site's checkpoint (when its last full check ran and what it said), for the accountant's page."""
    return list(
        JournalCheckpoint.objects.filter(site__in=sites).select_related("site").order_by("site__code")
    )


@dataclass
class Checked:
    count: int  # entries found intact from the start of the chain: the last intact number
    last_hash: str


def _verify_chain(site, keys, problems: list[str], *, start: tuple[int, str] = (0, GENESIS)) -> Checked:
    """Walk the site's chain after entry n° start[0] (whose hash must still be start[1]), appending the first
    break to `problems`; returns how far it was found intact."""
    after_seq, prev_hash = start
    where = _("site %(s)s") % {"s": site.code}
    entries = JournalEntry.objects.filter(site=site).order_by("seq")
    if after_seq:
        anchor = entries.filter(seq=after_seq).first()
        if (
            anchor is None
            or anchor.hash != prev_hash
            or not hmac.compare_digest(entry_hash(anchor), prev_hash)
        ):
            problems.append(
                _("%(w)s : écriture n° %(n)s modifiée ou supprimée depuis la dernière vérification")
                % {"w": where, "n": after_seq}
            )
            return Checked(0, GENESIS)
        entries = entries.filter(seq__gt=after_seq)
    expected_seq, count = after_seq + 1, after_seq
    for entry in entries.iterator(chunk_size=CHUNK):
        name = _("%(w)s, écriture n° %(n)s (%(r)s)") % {"w": where, "n": entry.seq, "r": entry.reference}
        if entry.seq != expected_seq:
            problems.append(
                _("%(w)s : écriture n° %(e)s manquante (suivante trouvée : n° %(n)s)")
                % {"w": where, "e": expected_seq, "n": entry.seq}
            )
            return Checked(count, prev_hash)
        if entry.prev_hash != prev_hash:
            problems.append(_("%(e)s : chaînage rompu avec l'écriture précédente") % {"e": name})
            return Checked(count, prev_hash)
        if payload_digest(entry.payload) != entry.digest or not hmac.compare_digest(
            entry_hash(entry), entry.hash
        ):
            problems.append(_("%(e)s : contenu modifié") % {"e": name})
            return Checked(count, prev_hash)
        public = keys.get(entry.key_id)
        if public is None:
            problems.append(
                _(
                    "%(e)s : signée avec une clé inconnue (%(k)s) : ajoutez sa clé publique à "
                    "ATELIER_JOURNAL_OLD_PUBLIC_KEYS"
                )
                % {"e": name, "k": entry.key_id}
            )
            return Checked(count, prev_hash)
        if not signing.signature_valid(public, entry.hash.encode(), entry.signature):
            problems.append(_("%(e)s : contenu modifié (signature invalide)") % {"e": name})
            return Checked(count, prev_hash)
        expected_seq, prev_hash, count = entry.seq + 1, entry.hash, entry.seq
    head = JournalHead.objects.filter(site=site).first()
    last_seq, last_hash = (head.last_seq, head.last_hash) if head else (0, "")
    if last_seq != count or (count and last_hash != prev_hash):
        problems.append(
            _("%(w)s : fin du journal tronquée : %(e)s écritures attendues, %(n)s trouvées")
            % {"w": where, "e": last_seq, "n": count}
        )
    return Checked(count, prev_hash)


# What a changed field is called in a problem, with its agreement; other fields: « champ « … » modifié ».
CHANGED = {
    "montant": _("montant modifié"),
    "client": _("client modifié"),
    "vendeur": _("vendeur modifié"),
    "lignes": _("lignes modifiées"),
}


def _changed_phrase(name: str) -> str:
    return str(CHANGED.get(name) or _("champ « %(f)s » modifié") % {"f": name})


def _verify_documents(site, problems: list[str], *, after_seq: int = 0, known: dict | None = None) -> None:
    """Each document against its entry. Incrementally (after_seq, known): only the entries after n° after_seq
    and the documents written since the checkpoint saw the highest id of each kind (`known`)."""
    by_model: dict[str, dict[int, JournalEntry]] = {}
    entries = JournalEntry.objects.filter(site=site, kind__in=list(DOCUMENT_KINDS))
    if after_seq:
        entries = entries.filter(seq__gt=after_seq)
    for entry in entries.iterator(chunk_size=CHUNK):
        by_model.setdefault(".".join(DOCUMENT_KINDS[JournalKind(entry.kind)]), {})[entry.document_id] = entry
    for app_label, model_name in sorted(set(DOCUMENT_KINDS.values())):
        model = apps.get_model(app_label, model_name)
        recorded = by_model.get(f"{app_label}.{model_name}", {})
        rows = model.objects.filter(site=site).select_related(*RELATED[model_name]).order_by("pk")
        if after_seq:
            highest = (known or {}).get(f"{app_label}.{model_name}", 0)
            rows = rows.filter(Q(pk__gt=highest) | Q(pk__in=list(recorded)))
        if model_name == "Invoice":
            rows = rows.prefetch_related("lines")
        seen = set()
        for document in rows.iterator(chunk_size=CHUNK):
            seen.add(document.pk)
            entry = recorded.get(document.pk)
            described = _described(model_name, document)
            if entry is None:
                problems.append(
                    _("%(d)s : document absent du journal (écrit hors d'Atelier)") % {"d": described}
                )
                continue
            changed = integrity.changed_fields(
                model, json.loads(entry.payload), integrity.document_content(document)
            )
            since = _since(model_name)
            problems += [f"{described} : {_changed_phrase(name)} {since}" for name in changed]
        for document_id, entry in sorted(recorded.items(), key=lambda kv: kv[1].seq):
            if document_id not in seen:
                kind = json.loads(entry.payload).get("kind") if model_name == "Invoice" else entry.kind
                described = integrity.describe(kind, entry.reference)
                problems.append(
                    _("%(d)s : document supprimé %(s)s") % {"d": described, "s": _since(model_name)}
                )


def _described(model_name: str, document) -> str:
    if model_name == "Invoice":
        return integrity.describe(document.kind, document.number)
    if model_name == "Payment":
        return integrity.describe("paiement", integrity.payment_reference(document))
    return integrity.describe("cloture", integrity.closure_reference(document))


def _since(model_name: str) -> str:
    return _("depuis son émission") if model_name == "Invoice" else _("depuis son enregistrement")
