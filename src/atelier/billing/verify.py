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
from django.utils.translation import gettext as _

from atelier.billing import integrity, signing
from atelier.billing.choices import JournalKind
from atelier.billing.journal import DOCUMENT_KINDS, GENESIS, entry_hash, payload_digest
from atelier.billing.models import JournalEntry, JournalHead
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


def journal_verify(*, sites=None, documents: bool = True) -> Verdict:
    """Check the chains of the given sites (all by default) and, unless told not to, their documents."""
    chosen = Site.objects.order_by("code") if sites is None else sorted(sites, key=lambda s: s.code)
    keys = signing.known_public_keys()
    problems: list[str] = []
    count = 0
    for site in chosen:
        count += _verify_chain(site, keys, problems)
        if documents:
            _verify_documents(site, problems)
            problems += originals_verify(site=site)
    if problems:
        return Verdict(False, count, problems[0], problems)
    return Verdict(True, count, f"journal ok: {count} entries")


def _verify_chain(site, keys, problems: list[str]) -> int:
    expected_seq, prev_hash, count = 1, GENESIS, 0
    where = _("site %(s)s") % {"s": site.code}
    for entry in JournalEntry.objects.filter(site=site).order_by("seq").iterator(chunk_size=CHUNK):
        name = _("%(w)s, écriture n° %(n)s (%(r)s)") % {"w": where, "n": entry.seq, "r": entry.reference}
        if entry.seq != expected_seq:
            problems.append(
                _("%(w)s : écriture n° %(e)s manquante (suivante trouvée : n° %(n)s)")
                % {"w": where, "e": expected_seq, "n": entry.seq}
            )
            return count
        if entry.prev_hash != prev_hash:
            problems.append(_("%(e)s : chaînage rompu avec l'écriture précédente") % {"e": name})
            return count
        if payload_digest(entry.payload) != entry.digest or not hmac.compare_digest(
            entry_hash(entry), entry.hash
        ):
            problems.append(_("%(e)s : contenu modifié") % {"e": name})
            return count
        public = keys.get(entry.key_id)
        if public is None:
            problems.append(
                _(
                    "%(e)s : signée avec une clé inconnue (%(k)s) : ajoutez sa clé publique à "
                    "ATELIER_JOURNAL_OLD_PUBLIC_KEYS"
                )
                % {"e": name, "k": entry.key_id}
            )
            return count
        if not signing.signature_valid(public, entry.hash.encode(), entry.signature):
            problems.append(_("%(e)s : contenu modifié (signature invalide)") % {"e": name})
            return count
        expected_seq, prev_hash, count = entry.seq + 1, entry.hash, count + 1
    head = JournalHead.objects.filter(site=site).first()
    last_seq, last_hash = (head.last_seq, head.last_hash) if head else (0, "")
    if last_seq != count or (count and last_hash != prev_hash):
        problems.append(
            _("%(w)s : fin du journal tronquée : %(e)s écritures attendues, %(n)s trouvées")
            % {"w": where, "e": last_seq, "n": count}
        )
    return count


# What a changed field is called in a problem, with its agreement; other fields: « champ « … » modifié ».
CHANGED = {
    "montant": _("montant modifié"),
    "client": _("client modifié"),
    "vendeur": _("vendeur modifié"),
    "lignes": _("lignes modifiées"),
}


def _changed_phrase(name: str) -> str:
    return str(CHANGED.get(name) or _("champ « %(f)s » modifié") % {"f": name})


def _verify_documents(site, problems: list[str]) -> None:
    by_model: dict[str, dict[int, JournalEntry]] = {}
    for entry in JournalEntry.objects.filter(site=site, kind__in=list(DOCUMENT_KINDS)).iterator(
        chunk_size=CHUNK
    ):
        by_model.setdefault(".".join(DOCUMENT_KINDS[JournalKind(entry.kind)]), {})[entry.document_id] = entry
    for app_label, model_name in sorted(set(DOCUMENT_KINDS.values())):
        model = apps.get_model(app_label, model_name)
        recorded = by_model.get(f"{app_label}.{model_name}", {})
        rows = model.objects.filter(site=site).select_related(*RELATED[model_name]).order_by("pk")
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
