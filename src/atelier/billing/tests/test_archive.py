"""Signed archives (issue 14, points 6 and 9): `journal archive` writes a closed period's entries, originals and
closures with a signed manifest; `journal verify-archive` checks it offline (any altered, removed or added byte,
a wrong or unknown key); `journal verify --against` catches a database rewritten or cut by an insider holding the
key; bad input is refused in French and leaves nothing behind."""

import datetime
import hashlib
import json
import os
import struct
import subprocess
import sys
import zipfile
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.utils import timezone

from atelier.billing import archive, closures, integrity, payments, services, signing
from atelier.billing.guards import rewrite_allowed
from atelier.billing.journal import GENESIS, entry_hash, payload_digest
from atelier.billing.models import Closure, JournalEntry, JournalHead, Payment
from atelier.billing.originals import original_store
from atelier.billing.services import invoice_issue
from atelier.config import settings as config_settings
from atelier.customers.models import Customer

D = Decimal
SRC = Path(__file__).resolve().parents[3]


def _run(*args) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("journal", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return 1, "\n".join([str(exc), *filter(None, err.getvalue().split("\n"))])
    return 0, out.getvalue().strip()


def _fr(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def closed(ready_case, accueil, comptable, site, today):
    """A business invoice (so a Factur-X XML too), its original stored, paid by card, the day closed: entries
    n° 1 invoice, 2 original, 3 payment, 4 closure."""
    Customer.objects.filter(pk=ready_case.customer_id).update(
        kind="professionnel", company_name="Blanchisserie Martin", siren="552100554", address="3 rue Haute"
    )
    ready_case.refresh_from_db()
    invoice = invoice_issue(case=ready_case, actor=accueil)
    original_store(invoice)
    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "157.68")])
    closures.closure_run(site=site, actor=comptable, period="jour", start=today)
    return invoice


@pytest.fixture
def zipped(closed, tmp_path, today):
    out = tmp_path / "PAR1.zip"
    day = today.isoformat()
    assert _run("archive", "--site", "PAR1", "--from", day, "--to", day, "--out", str(out))[0] == 0
    return out


def _rewrite(src: Path, dst: Path, *, change: str | None = None, drop: str | None = None, edit=None) -> Path:
    """A copy of the zip with one member's middle byte flipped (or edited by `edit`), or one member left out."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == drop:
                continue
            if name == change:
                data = edit(data) if edit else _flip(data)
            zout.writestr(name, data)
    return dst


def _flip(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_archive_round_trip(zipped, closed, site, today, django_assert_num_queries):
    members = _members(zipped)
    pdf, xml = f"originaux/{closed.number}.pdf", f"originaux/{closed.number}.xml"
    assert list(members) == ["journal.json", "clotures.json", pdf, xml, "manifest.json", "manifest.sig"]
    manifest = json.loads(members["manifest.json"])
    entries = list(JournalEntry.objects.filter(site=site).order_by("seq"))
    closure = Closure.objects.get()
    assert {k: v for k, v in manifest.items() if k not in ("created_at", "files")} == {
        "format": "atelier-archive-1",
        "site": {
            "id": site.pk,
            "code": "PAR1",
            "name": "Paris Bastille",
            "legal_name": site.legal_name,
            "siret": site.siret,
        },
        "period": {"from": today.isoformat(), "to": today.isoformat()},
        "key_id": signing.current_key_id(),
        "public_key": signing.public_key_text(),
        "keys": {signing.current_key_id(): signing.public_key_text()},
        "entries": {
            "count": 4,
            "first_seq": 1,
            "first_prev_hash": GENESIS,
            "last_seq": 4,
            "last_hash": entries[3].hash,
        },
        "documents": [
            {
                "number": closed.number,
                "kind": "facture",
                "seq": 1,
                "pdf": pdf,
                "pdf_sha256": original_store(closed).pdf_sha256,
                "xml": xml,
                "xml_sha256": original_store(closed).xml_sha256,
            }
        ],
        "closures": 1,
    }
    assert [(f["name"], f["size"]) for f in manifest["files"]] == [
        (name, len(data)) for name, data in members.items() if not name.startswith("manifest")
    ]
    assert [e["kind"] for e in json.loads(members["journal.json"])] == [
        "facture",
        "original",
        "paiement",
        "cloture",
    ]
    assert json.loads(members["clotures.json"]) == [integrity.row_content(closure)]
    assert members[xml].startswith(b"<?xml") and members[pdf].startswith(b"%PDF")
    public = signing.parse_public_key(signing.public_key_text())
    assert signing.signature_valid(public, members["manifest.json"], members["manifest.sig"].decode().strip())
    with django_assert_num_queries(0):  # offline: not one database read
        assert _run("verify-archive", str(zipped)) == (0, "archive ok: 4 entries, 1 documents")
    assert _run("verify-archive", str(zipped), "--public-key", signing.public_key_text()) == (
        0,
        "archive ok: 4 entries, 1 documents",
    )


def test_archive_command_says_what_it_wrote(closed, tmp_path, today):
    out, day = tmp_path / "a.zip", today.isoformat()
    assert _run("archive", "--site", "PAR1", "--from", day, "--to", day, "--out", str(out)) == (
        0,
        f"archive écrite : {out} (écritures n° 1 à 4 : 4 ; documents : 1 ; clôtures : 1)",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zip"]  # the temporary file was renamed


def test_successive_archives_follow_one_another_without_gap_or_overlap(
    ready_case, accueil, site, comptable, tmp_path, today
):
    """Yesterday's archive ends with yesterday's closure; today's starts with the next entry and links to it by
    its prev_hash; an archive of both days holds exactly the two."""
    yesterday = today - datetime.timedelta(days=1)
    closures.closure_run(site=site, actor=comptable, period="jour", start=yesterday)
    invoice = invoice_issue(case=ready_case, actor=accueil)
    closures.closure_run(site=site, actor=comptable, period="jour", start=today)
    paths = {name: tmp_path / f"{name}.zip" for name in ("hier", "jour", "deux")}
    for name, first, last in (
        ("hier", yesterday, yesterday),
        ("jour", today, today),
        ("deux", yesterday, today),
    ):
        assert _archive(tmp_path, first, last, out=paths[name])[0] == 0
    first, second, both = (json.loads(_members(paths[n])["manifest.json"])["entries"] for n in paths)
    rows = {n: [r["seq"] for r in json.loads(_members(p)["journal.json"])] for n, p in paths.items()}
    yesterday_closure = JournalEntry.objects.get(reference=f"PAR1/jour/{yesterday.isoformat()}")
    assert (first["first_seq"], first["last_seq"], first["last_hash"]) == (
        1,
        yesterday_closure.seq,
        yesterday_closure.hash,
    )
    assert (second["first_seq"], second["first_prev_hash"]) == (first["last_seq"] + 1, first["last_hash"])
    assert rows["deux"] == rows["hier"] + rows["jour"] == list(range(1, second["last_seq"] + 1))
    assert (both["first_prev_hash"], both["last_hash"]) == (GENESIS, second["last_hash"])
    assert JournalEntry.objects.get(seq=second["last_seq"]).reference == f"PAR1/jour/{today.isoformat()}"
    assert [d["number"] for d in json.loads(_members(paths["jour"])["manifest.json"])["documents"]] == [
        invoice.number
    ]


def test_an_auditor_verifies_with_only_the_public_key_and_an_empty_database(zipped, tmp_path):
    """A separate process on a fresh, empty SQLite database (never migrated), the public key given."""
    empty = tmp_path / "auditeur.sqlite3"
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "ATELIER_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{empty}",
        "ATELIER_JOURNAL_KEY": "another-machine-with-another-key",
    }
    env.pop("PYTEST_VERSION", None)
    command = [sys.executable, "-m", "atelier", "journal", "verify-archive", str(zipped)]
    done = subprocess.run(
        [*command, "--public-key", signing.public_key_text()], env=env, capture_output=True, text=True
    )
    assert (done.returncode, done.stdout.strip()) == (0, "archive ok: 4 entries, 1 documents")
    assert not empty.exists() or empty.stat().st_size == 0


@pytest.mark.parametrize(
    ("member", "message"),
    [
        ("journal.json", "Fichier journal.json modifié : son empreinte diffère du manifeste."),
        ("clotures.json", "Fichier clotures.json modifié : son empreinte diffère du manifeste."),
        ("pdf", "Fichier originaux/{n}.pdf modifié : son empreinte diffère du manifeste."),
        ("xml", "Fichier originaux/{n}.xml modifié : son empreinte diffère du manifeste."),
        ("manifest.json", "manifest.json ou manifest.sig modifié : la signature du manifeste est invalide."),
        ("manifest.sig", "manifest.json ou manifest.sig modifié : la signature du manifeste est invalide."),
    ],
)
def test_one_flipped_byte_in_any_member_is_named(zipped, closed, tmp_path, member, message):
    name = f"originaux/{closed.number}.{member}" if member in ("pdf", "xml") else member
    altered = _rewrite(zipped, tmp_path / "altered.zip", change=name)
    assert _run("verify-archive", str(altered)) == (1, message.format(n=closed.number))


def test_a_removed_or_added_member_is_named(zipped, closed, tmp_path):
    pdf = f"originaux/{closed.number}.pdf"
    assert _run("verify-archive", str(_rewrite(zipped, tmp_path / "1.zip", drop=pdf))) == (
        1,
        f"Fichier {pdf} absent de l'archive.",
    )
    assert _run("verify-archive", str(_rewrite(zipped, tmp_path / "2.zip", drop="manifest.sig"))) == (
        1,
        "Archive incomplète : manifest.sig absent.",
    )
    added = _rewrite(zipped, tmp_path / "3.zip")
    with zipfile.ZipFile(added, "a") as zf:
        zf.writestr("originaux/F-faux.pdf", b"%PDF-1.7")
    assert _run("verify-archive", str(added)) == (
        1,
        "Fichier originaux/F-faux.pdf ajouté : absent du manifeste.",
    )


def test_a_member_added_twice_under_the_same_name_is_refused(zipped, tmp_path):
    doubled = _rewrite(zipped, tmp_path / "double.zip")
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(doubled, "a") as zf:
        zf.writestr("journal.json", b"[]")
    assert _run("verify-archive", str(doubled)) == (
        1,
        "Fichier journal.json en double dans l'archive : archive modifiée.",
    )


def test_credit_notes_are_archived_with_their_originals(invoice, site, comptable, tmp_path, today):
    note = services.credit_note_issue(invoice=invoice, actor=comptable, amount_ttc="7.68", reason="Remise")
    closures.closure_run(site=site, actor=comptable, period="jour", start=today)
    out = tmp_path / "avoir.zip"
    assert _archive(tmp_path, today, today, out=out) == (
        0,
        f"archive écrite : {out} (écritures n° 1 à 3 : 3 ; documents : 2 ; clôtures : 1)",
    )
    manifest = json.loads(_members(out)["manifest.json"])
    assert [(d["number"], d["kind"], d["seq"], d["xml"]) for d in manifest["documents"]] == [
        (invoice.number, "facture", 1, ""),
        (note.number, "avoir", 2, ""),
    ]
    assert _run("verify-archive", str(out)) == (0, "archive ok: 3 entries, 2 documents")
    # a household customer's documents have no XML; removing the credit note's PDF is named
    assert _run(
        "verify-archive", str(_rewrite(out, tmp_path / "x.zip", drop=f"originaux/{note.number}.pdf"))
    ) == (
        1,
        f"Fichier originaux/{note.number}.pdf absent de l'archive.",
    )


def test_a_corrupted_or_foreign_file_is_refused(zipped, closed, tmp_path):
    not_zip = tmp_path / "facture.zip"
    not_zip.write_bytes(b"%PDF-1.7 not a zip")
    expected = "{f} n'est pas une archive zip lisible (fichier corrompu ou tronqué)."
    assert _run("verify-archive", str(not_zip)) == (1, expected.format(f="facture.zip"))
    cut = tmp_path / "cut.zip"
    cut.write_bytes(zipped.read_bytes()[:-200])
    assert _run("verify-archive", str(cut)) == (1, expected.format(f="cut.zip"))
    # one raw byte flipped inside the PDF's compressed data: the zip's own check fails on reading it
    raw = bytearray(zipped.read_bytes())
    with zipfile.ZipFile(zipped) as zf:
        info = zf.getinfo(f"originaux/{closed.number}.pdf")
    name_length, extra_length = struct.unpack("<HH", raw[info.header_offset + 26 : info.header_offset + 30])
    raw[info.header_offset + 30 + name_length + extra_length + info.compress_size // 2] ^= 0x01
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    assert _run("verify-archive", str(damaged)) == (
        1,
        f"Fichier originaux/{closed.number}.pdf illisible : archive corrompue.",
    )
    assert _run("verify-archive", str(tmp_path / "absent.zip")) == (
        1,
        f"Archive introuvable : {tmp_path / 'absent.zip'}.",
    )


def test_a_wrong_unknown_or_malformed_public_key(zipped, settings):
    other = signing.public_key_text(Ed25519PrivateKey.generate().public_key())
    other_id = signing.key_id_of(signing.parse_public_key(other))
    assert _run("verify-archive", str(zipped), "--public-key", other) == (
        1,
        f"Archive signée avec la clé {signing.current_key_id()}, pas avec la clé publique donnée ({other_id}) : "
        "ce n'est pas la bonne clé publique.",
    )
    assert _run("verify-archive", str(zipped), "--public-key", "abc") == (
        1,
        "Clé publique illisible : attendu 32 octets en base64 (celle qu'affiche « journal public-key »).",
    )
    old_public, old_id = signing.public_key_text(), signing.current_key_id()
    settings.ATELIER_JOURNAL_KEY = "a-new-journal-key-after-the-documented-procedure-0123456789"
    assert _run("verify-archive", str(zipped)) == (
        1,
        f"Archive signée avec une clé inconnue (id {old_id}) : donnez sa clé publique avec --public-key.",
    )
    settings.ATELIER_JOURNAL_OLD_PUBLIC_KEYS = [old_public]
    assert _run("verify-archive", str(zipped)) == (0, "archive ok: 4 entries, 1 documents")


def test_a_key_holder_who_re_signs_the_manifest_is_still_caught_by_the_entries(zipped, closed, tmp_path):
    """The manifest re-signed after the edit: the entries' own hashes and the journalled original still tell."""

    def resign(members: dict[str, bytes]) -> Path:
        manifest = json.loads(members["manifest.json"])
        manifest["files"] = [
            {**f, "size": len(members[f["name"]]), "sha256": hashlib.sha256(members[f["name"]]).hexdigest()}
            for f in manifest["files"]
        ]
        data = archive.to_json(manifest)
        path = tmp_path / f"resigned-{len(list(tmp_path.iterdir()))}.zip"
        with zipfile.ZipFile(path, "w") as zf:
            for name, content in {**members, "manifest.json": data}.items():
                zf.writestr(name, signing.sign(data)[1] if name == "manifest.sig" else content)
        return path

    members = _members(zipped)
    rows = json.loads(members["journal.json"])
    rows[2]["amount"] = "57.68"
    assert _run("verify-archive", str(resign({**members, "journal.json": archive.to_json(rows)}))) == (
        1,
        f"écriture n° 3 ({closed.case.number}/P{Payment.objects.get().pk}) du site PAR1 : contenu modifié.",
    )
    pdf = f"originaux/{closed.number}.pdf"
    assert _run("verify-archive", str(resign({**members, pdf: members[pdf] + b"\n"}))) == (
        1,
        f"facture {closed.number} : original PDF différent de celui journalisé.",
    )


def test_after_a_key_change_the_archive_carries_the_old_key(
    ready_case, accueil, site, comptable, settings, tmp_path, today
):
    """Entries signed before and after a key change: the manifest vouches for the old key, so the auditor needs
    only today's public key."""
    invoice = invoice_issue(case=ready_case, actor=accueil)
    old_public, old_id = signing.public_key_text(), signing.current_key_id()
    settings.ATELIER_JOURNAL_KEY = "a-new-journal-key-after-the-documented-procedure-0123456789"
    settings.ATELIER_JOURNAL_OLD_PUBLIC_KEYS = [old_public]
    closures.closure_run(site=site, actor=comptable, period="jour", start=today)
    out = tmp_path / "cle.zip"
    assert _archive(tmp_path, today, today, out=out) == (
        0,
        f"archive écrite : {out} (écritures n° 1 à 2 : 2 ; documents : 1 ; clôtures : 1)",
    )
    # the original was produced by the archive itself, after the period's last entry: in the next archive
    assert list(JournalEntry.objects.order_by("seq").values_list("seq", "kind", "reference", "key_id")) == [
        (1, "facture", invoice.number, old_id),
        (2, "cloture", f"PAR1/jour/{today.isoformat()}", signing.current_key_id()),
        (3, "original", invoice.number, signing.current_key_id()),
    ]
    assert json.loads(_members(out)["manifest.json"])["keys"] == {
        old_id: old_public,
        signing.current_key_id(): signing.public_key_text(),
    }
    settings.ATELIER_JOURNAL_OLD_PUBLIC_KEYS = []
    assert _run("verify-archive", str(out), "--public-key", signing.public_key_text()) == (
        0,
        "archive ok: 2 entries, 1 documents",
    )


# --- verify --against: the database against an archive ---------------------------------------------------------


def _resign_chain_from(site, seq: int) -> None:
    """An insider with the database's owner rights and the signing key: digests, links, hashes and signatures
    of every entry from `seq` on recomputed, the head moved along — the chain is consistent again."""
    before = JournalEntry.objects.filter(site=site, seq=seq - 1).first()
    prev_hash = before.hash if before else GENESIS
    last = None
    for entry in JournalEntry.objects.filter(site=site, seq__gte=seq).order_by("seq"):
        entry.prev_hash, entry.digest = prev_hash, payload_digest(entry.payload)
        entry.hash = entry_hash(entry)
        entry.signature = signing.sign(entry.hash.encode())[1]
        JournalEntry.objects.filter(pk=entry.pk).update(
            prev_hash=entry.prev_hash, digest=entry.digest, hash=entry.hash, signature=entry.signature
        )
        prev_hash, last = entry.hash, entry
    JournalHead.objects.filter(site=site).update(last_seq=last.seq, last_hash=last.hash)


def test_verify_against_an_intact_archive(zipped):
    assert _run("verify", "--against", str(zipped)) == (
        0,
        f"archive {zipped} : écritures n° 1 à 4 du site PAR1 retrouvées inchangées\njournal ok: 4 entries",
    )


def test_verify_against_catches_a_rewritten_and_re_signed_database(zipped, site, today):
    payment = Payment.objects.get()
    with rewrite_allowed():  # the payment lowered, its entry rewritten to match, the chain re-signed
        Payment.objects.filter(pk=payment.pk).update(amount=D("57.68"))
        payment.refresh_from_db()
        JournalEntry.objects.filter(kind="paiement").update(
            amount=D("57.68"), payload=integrity.canonical(integrity.document_content(payment))
        )
        _resign_chain_from(site, 3)
    assert _run("verify") == (0, "journal ok: 4 entries")  # consistent with itself: the database cannot tell
    assert _run("verify", "--against", str(zipped)) == (
        1,
        f"journal rompu : écriture n° 3 du site PAR1 réécrite depuis l'archive du {_fr(today)}",
    )


def test_verify_against_catches_a_tail_and_head_cut_together(zipped, site):
    with rewrite_allowed():  # the closure and its entry deleted, the head moved back to n° 3
        JournalEntry.objects.filter(seq=4).delete()
        Closure.objects.all().delete()
        JournalHead.objects.filter(site=site).update(
            last_seq=3, last_hash=JournalEntry.objects.get(seq=3).hash
        )
    assert _run("verify") == (0, "journal ok: 3 entries")
    assert _run("verify", "--against", str(zipped)) == (
        1,
        "journal rompu : journal coupé : l'archive va jusqu'à l'écriture n° 4, la base s'arrête à n° 3",
    )


def test_verify_against_a_damaged_archive_says_so(zipped, tmp_path):
    altered = _rewrite(zipped, tmp_path / "altered.zip", change="journal.json")
    assert _run("verify", "--against", str(altered)) == (
        1,
        "Fichier journal.json modifié : son empreinte diffère du manifeste.",
    )


# --- bad input: refused in French, nothing written ---------------------------------------------------------------


def _archive(tmp_path, first, last, site="PAR1", out=None) -> tuple[int, str]:
    target = out or tmp_path / "out.zip"
    return _run("archive", "--site", site, "--from", str(first), "--to", str(last), "--out", str(target))


def test_a_period_not_closed_is_refused(invoice, site, comptable, tmp_path, today):
    yesterday = today - datetime.timedelta(days=1)
    assert _archive(tmp_path, today, today) == (
        1,
        f"Période non clôturée : le {_fr(today)} n'a pas sa clôture journalière (1 jour(s) sans clôture sur la "
        "période) ; clôturez avant d'archiver.",
    )
    closures.closure_run(site=site, actor=comptable, period="jour", start=today)
    assert _archive(tmp_path, yesterday, today) == (
        1,
        f"Période non clôturée : le {_fr(yesterday)} n'a pas sa clôture journalière (1 jour(s) sans clôture sur "
        "la période) ; clôturez avant d'archiver.",
    )
    assert list(tmp_path.iterdir()) == []


def test_bad_site_dates_and_output_are_refused(closed, tmp_path, today):
    tomorrow = today + datetime.timedelta(days=1)
    assert _archive(tmp_path, today, today, site="XXX") == (1, "Site inconnu : XXX.")
    assert _archive(tmp_path, tomorrow, today) == (
        1,
        f"Période à l'envers : le {_fr(tomorrow)} (--from) est après le {_fr(today)} (--to).",
    )
    assert _archive(tmp_path, "2026-13-01", today) == (
        1,
        "Date invalide pour --from : « 2026-13-01 » (attendu AAAA-MM-JJ).",
    )
    assert _archive(tmp_path, today, today, out=tmp_path / "absent" / "a.zip") == (
        1,
        f"Dossier de destination introuvable : {tmp_path / 'absent'}.",
    )
    existing = tmp_path / "deja.zip"
    existing.write_bytes(b"keep")
    assert _archive(tmp_path, today, today, out=existing) == (
        1,
        f"Le fichier {existing} existe déjà : une archive ne s'écrase pas, choisissez un autre nom.",
    )
    assert (sorted(p.name for p in tmp_path.iterdir()), existing.read_bytes()) == (["deja.zip"], b"keep")


def test_a_missing_key_is_refused_and_production_refuses_to_start_without_one(
    closed, settings, tmp_path, today, monkeypatch
):
    settings.ATELIER_JOURNAL_KEY = ""
    assert _archive(tmp_path, today, today) == (
        1,
        "Clé de signature absente : définissez ATELIER_JOURNAL_KEY (la clé qui signe le journal) avant d'archiver.",
    )
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(config_settings, "DEBUG", False)
    monkeypatch.setattr(config_settings, "TESTING", False)
    with pytest.raises(ImproperlyConfigured, match="ATELIER_JOURNAL_KEY doit être défini"):
        config_settings.production_key("ATELIER_JOURNAL_KEY", "", config_settings.DEVELOPMENT_JOURNAL_KEY)


def test_an_unreadable_retired_key_is_named(zipped, settings, tmp_path, today):
    settings.ATELIER_JOURNAL_OLD_PUBLIC_KEYS = ["pas-une-clé"]
    message = (
        "Clé illisible dans ATELIER_JOURNAL_OLD_PUBLIC_KEYS : « pas-une-clé » n'est pas une clé publique (32 octets "
        "en base64, celle qu'affichait « journal public-key »)."
    )
    assert _archive(tmp_path, today, today, out=tmp_path / "autre.zip") == (1, message)
    assert _run("verify-archive", str(zipped)) == (1, message)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["PAR1.zip"]


def test_a_broken_journal_is_not_archived(closed, tmp_path, today):
    with rewrite_allowed():
        JournalEntry.objects.filter(seq=3).update(amount=D("1.00"))
    payment = Payment.objects.get()
    assert _archive(tmp_path, today, today) == (
        1,
        f"Archive refusée, journal rompu : site PAR1, écriture n° 3 ({closed.case.number}/P{payment.pk}) : contenu "
        "modifié",
    )
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_writing_leaves_nothing(closed, tmp_path, today, monkeypatch):
    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive.os, "replace", full_disk)
    assert _archive(tmp_path, today, today) == (
        1,
        f"Écriture impossible de {tmp_path / 'out.zip'} : No space left on device.",
    )
    assert list(tmp_path.iterdir()) == []
