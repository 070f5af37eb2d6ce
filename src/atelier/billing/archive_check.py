"""`atelier journal verify-archive` and `verify --against`: an archive checked offline, then against the database.

`archive_read` reads nothing but the zip and the settings, so an auditor runs it with a fresh, empty database and
only the public key: the manifest's signature (the key given, else the keys the settings know; the key ids of a
manifest and of a key are compared first, so a key nobody gave is named as such), each file's size and SHA-256,
the chain inside (sequence, links, digests, hashes, each entry's signature with its key), each document's
original against the manifest and its journalled hashes, each closure row against its entry. The first problem
is raised in French, naming the file or the entry.

`archive_against` then compares the database with an archive already checked: every archived entry must still be
there with the same hash, and the chain must reach the archive's last entry. This catches what the database alone
cannot: an insider holding the key who rewrote and re-signed the chain, or who cut its tail and its head
together.
"""

import datetime
import hashlib
import hmac
import json
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import SimpleNamespace

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.billing import integrity, signing
from atelier.billing.archive import CLOSURES, ENTRIES, MANIFEST, SIGNATURE, french_day, settings_keys
from atelier.billing.choices import JournalKind
from atelier.billing.journal import entry_hash, payload_digest
from atelier.billing.models import Closure, JournalEntry
from atelier.core.errors import AtelierError
from atelier.core.models import Site

CHUNK = 1 << 16


@dataclass
class Archive:
    manifest: dict
    entries: list[dict]

    @property
    def site_code(self) -> str:
        return self.manifest["site"]["code"]

    @property
    def made_on(self) -> str:
        at = datetime.datetime.fromisoformat(self.manifest["created_at"])
        return french_day(timezone.localdate(at))

    def summary(self) -> str:
        return f"archive ok: {len(self.entries)} entries, {len(self.manifest['documents'])} documents"


def archive_read(path, *, public_key: str | None = None) -> Archive:
    """Check an archive offline (no database read) and return its manifest and entries."""
    path = Path(path)
    if not path.is_file():
        raise AtelierError(_("Archive introuvable : %(f)s.") % {"f": path})
    try:
        with zipfile.ZipFile(path) as zf:
            return _read(zf, public_key)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise AtelierError(
            _("%(f)s n'est pas une archive zip lisible (fichier corrompu ou tronqué).") % {"f": path.name}
        ) from exc


def _read(zf: zipfile.ZipFile, public_key: str | None) -> Archive:
    listing = zf.namelist()
    names = set(listing)
    if len(names) != len(listing):  # a second member of the same name would shadow the first one
        twice = sorted(name for name in names if listing.count(name) > 1)[0]
        raise AtelierError(_("Fichier %(f)s en double dans l'archive : archive modifiée.") % {"f": twice})
    for name in (MANIFEST, SIGNATURE):
        if name not in names:
            raise AtelierError(_("Archive incomplète : %(f)s absent.") % {"f": name})
    data = zf.read(MANIFEST)
    manifest = _json(data, MANIFEST)
    _check_signature(manifest, data, zf.read(SIGNATURE), public_key)
    try:
        sizes = _check_files(zf, manifest, names)
        entries = _json(zf.read(ENTRIES), ENTRIES)
        _check_chain(manifest, entries, _entry_keys(manifest, public_key))
        _check_documents(manifest, entries, sizes)
        _check_closures(entries, _json(zf.read(CLOSURES), CLOSURES))
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:  # a signed file of the wrong shape
        raise AtelierError(_("Archive illisible : contenu inattendu (%(e)s).") % {"e": exc}) from exc
    return Archive(manifest, entries)


def _json(data: bytes, name: str):
    try:
        return json.loads(data)
    except (UnicodeDecodeError, ValueError) as exc:
        raise AtelierError(_("%(f)s illisible : contenu modifié (JSON invalide).") % {"f": name}) from exc


def _trusted_keys(public_key: str | None) -> dict:
    if public_key is not None:
        public = signing.parse_public_key(public_key)
        return {signing.key_id_of(public): public}
    return settings_keys()


def _check_signature(manifest, data: bytes, signature: bytes, public_key: str | None) -> None:
    key_id = str(manifest.get("key_id", "")) if isinstance(manifest, dict) else ""
    trusted = _trusted_keys(public_key)
    public = trusted.get(key_id)
    if public is None and public_key is not None:
        raise AtelierError(
            _(
                "Archive signée avec la clé %(a)s, pas avec la clé publique donnée (%(g)s) : ce n'est pas la "
                "bonne clé publique."
            )
            % {"a": key_id, "g": next(iter(trusted))}
        )
    if public is None:
        raise AtelierError(
            _("Archive signée avec une clé inconnue (id %(k)s) : donnez sa clé publique avec --public-key.")
            % {"k": key_id}
        )
    if not signing.signature_valid(public, data, signature.decode("ascii", "replace").strip()):
        raise AtelierError(
            _("%(m)s ou %(s)s modifié : la signature du manifeste est invalide.")
            % {"m": MANIFEST, "s": SIGNATURE}
        )


def _check_files(zf: zipfile.ZipFile, manifest: dict, names: set[str]) -> dict[str, str]:
    """Each listed file present with its size and SHA-256; nothing unlisted. Returns name → SHA-256."""
    listed = {f["name"]: f for f in manifest["files"]}
    added = sorted(names - listed.keys() - {MANIFEST, SIGNATURE})
    if added:
        raise AtelierError(_("Fichier %(f)s ajouté : absent du manifeste.") % {"f": added[0]})
    found = {}
    for name, expected in listed.items():
        if name not in names:
            raise AtelierError(_("Fichier %(f)s absent de l'archive.") % {"f": name})
        size, digest = 0, hashlib.sha256()
        try:
            with zf.open(name) as member:
                while (chunk := member.read(CHUNK)) and size <= expected["size"]:  # no more than announced
                    size += len(chunk)
                    digest.update(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise AtelierError(_("Fichier %(f)s illisible : archive corrompue.") % {"f": name}) from exc
        if size != expected["size"] or digest.hexdigest() != expected["sha256"]:
            raise AtelierError(_("Fichier %(f)s modifié : son empreinte diffère du manifeste.") % {"f": name})
        found[name] = digest.hexdigest()
    return found


def _entry_keys(manifest: dict, public_key: str | None) -> dict:
    # the manifest's signature vouches for the keys it lists (the archived entries' keys, old ones included)
    keys = {k: signing.parse_public_key(v) for k, v in manifest.get("keys", {}).items()}
    return {**keys, **_trusted_keys(public_key)}


def _entry(row: dict) -> SimpleNamespace:
    return SimpleNamespace(
        **{**row, "at": datetime.datetime.fromisoformat(row["at"]), "amount": Decimal(row["amount"])}
    )


def _check_chain(manifest: dict, rows: list[dict], keys: dict) -> None:
    info, code = manifest["entries"], manifest["site"]["code"]
    seq, prev_hash = info["first_seq"], info["first_prev_hash"]
    for row in rows:
        entry = _entry(row)
        name = _("écriture n° %(n)s (%(r)s) du site %(s)s") % {
            "n": entry.seq,
            "r": entry.reference,
            "s": code,
        }
        if entry.seq != seq:
            raise AtelierError(
                _("%(f)s : écriture n° %(e)s manquante (suivante trouvée : n° %(n)s).")
                % {"f": ENTRIES, "e": seq, "n": entry.seq}
            )
        if entry.prev_hash != prev_hash:
            raise AtelierError(_("%(e)s : chaînage rompu avec l'écriture précédente.") % {"e": name})
        if payload_digest(entry.payload) != entry.digest or not hmac.compare_digest(
            entry_hash(entry), entry.hash
        ):
            raise AtelierError(_("%(e)s : contenu modifié.") % {"e": name})
        public = keys.get(entry.key_id)
        if public is None:
            raise AtelierError(
                _(
                    "%(e)s : signée avec une clé inconnue (id %(k)s) : donnez sa clé publique avec --public-key."
                )
                % {"e": name, "k": entry.key_id}
            )
        if not signing.signature_valid(public, entry.hash.encode(), entry.signature):
            raise AtelierError(_("%(e)s : contenu modifié (signature invalide).") % {"e": name})
        seq, prev_hash = entry.seq + 1, entry.hash
    if (len(rows), rows[-1]["seq"] if rows else 0, prev_hash) != (
        info["count"],
        info["last_seq"],
        info["last_hash"],
    ):
        raise AtelierError(
            _("%(f)s : fin des écritures différente du manifeste (n° %(n)s attendu en dernier).")
            % {"f": ENTRIES, "n": info["last_seq"]}
        )


def _check_documents(manifest: dict, rows: list[dict], sizes: dict[str, str]) -> None:
    """Each original listed: its document's entry archived, its files as the manifest and the journal say."""
    by_seq = {row["seq"]: row for row in rows}
    journalled = {
        row["reference"]: json.loads(row["payload"]) for row in rows if row["kind"] == JournalKind.ORIGINAL
    }
    listed = set()
    for document in manifest["documents"]:
        number = document["number"]
        described = integrity.describe(document["kind"], number)
        entry = by_seq.get(document["seq"])
        if entry is None or entry["reference"] != number:
            raise AtelierError(_("%(d)s : son écriture n'est pas dans l'archive.") % {"d": described})
        listed.add(document["seq"])
        recorded = journalled.get(number, {})
        for part in ("pdf", "xml"):
            name, expected = document[part], document[f"{part}_sha256"]
            actual = sizes.get(name, "") if name else ""
            if actual != expected or recorded.get(f"{part}_sha256", expected) != expected:
                raise AtelierError(
                    _("%(d)s : original %(p)s différent de celui journalisé.")
                    % {"d": described, "p": part.upper()}
                )
    for row in rows:
        if row["kind"] in (JournalKind.FACTURE, JournalKind.AVOIR) and row["seq"] not in listed:
            kind = json.loads(row["payload"]).get("kind", row["kind"])
            raise AtelierError(
                _("%(d)s : original absent de l'archive.") % {"d": integrity.describe(kind, row["reference"])}
            )


def _check_closures(rows: list[dict], closures: list[dict]) -> None:
    recorded = {row["document_id"]: row for row in rows if row["kind"] == JournalKind.CLOTURE}
    if sorted(recorded) != sorted(c["id"] for c in closures):
        raise AtelierError(_("%(f)s : clôtures différentes des écritures archivées.") % {"f": CLOSURES})
    for closure in closures:
        entry = recorded[closure["id"]]
        if integrity.changed_fields(Closure, json.loads(entry["payload"]), closure):
            raise AtelierError(
                _("%(f)s : %(d)s différente de son écriture.")
                % {"f": CLOSURES, "d": integrity.describe("cloture", entry["reference"])}
            )


def archive_against(archive: Archive) -> list[str]:
    """What the database lost or changed since a (checked) archive: the first problem, or nothing."""
    code, info = archive.site_code, archive.manifest["entries"]
    site = Site.objects.filter(code=code).first()
    if site is None:
        return [_("site %(s)s de l'archive absent de la base") % {"s": code}]
    live = dict(
        JournalEntry.objects.filter(
            site=site, seq__gte=info["first_seq"], seq__lte=info["last_seq"]
        ).values_list("seq", "hash")
    )
    top = JournalEntry.objects.filter(site=site).aggregate(top=Max("seq"))["top"] or 0
    for row in archive.entries:
        found = live.get(row["seq"])
        if found is None and row["seq"] > top:
            return [
                _("journal coupé : l'archive va jusqu'à l'écriture n° %(x)s, la base s'arrête à n° %(y)s")
                % {"x": info["last_seq"], "y": top}
            ]
        if found != row["hash"]:
            verb = _("supprimée") if found is None else _("réécrite")
            return [
                _("écriture n° %(n)s du site %(s)s %(v)s depuis l'archive du %(d)s")
                % {"n": row["seq"], "s": code, "v": verb, "d": archive.made_on}
            ]
    return []
