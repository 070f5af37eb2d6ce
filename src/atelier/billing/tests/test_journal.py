"""The hash-chained journal (changed amount, deleted entry, truncated tail detected), the `journal verify`
command, closures with the perpetual grand total, and the invoice numbering race on PostgreSQL."""

import datetime
import hashlib
import json
import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from atelier.billing import closures, payments, services, signing
from atelier.billing.guards import rewrite_allowed
from atelier.billing.journal import entry_hash, journal_append
from atelier.billing.models import Closure, JournalEntry, JournalHead
from atelier.billing.verify import journal_verify
from atelier.core.errors import AtelierError

D = Decimal


@pytest.fixture
def chain(site):
    at = timezone.now()
    for n in range(1, 6):
        journal_append(
            site=site, kind="parametre", reference=f"P{n}", amount=D(f"{n}0.00"), at=at, payload={"n": n}
        )


def _verify(*args) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("journal", "verify", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return 1, "\n".join([str(exc), *err.getvalue().split("\n")]).strip()
    return 0, out.getvalue().strip()


def test_intact_chain_verifies(chain):
    assert _verify() == (0, "journal ok: 5 entries")
    entry = JournalEntry.objects.get(seq=3)
    assert (entry.prev_hash, entry.key_id) == (JournalEntry.objects.get(seq=2).hash, signing.current_key_id())
    assert entry.digest == hashlib.sha256(entry.payload.encode()).hexdigest()
    assert json.loads(entry.payload) == {"n": 3}


def test_changed_amount_is_detected(chain):
    with rewrite_allowed():  # an attacker with the database's owner rights
        JournalEntry.objects.filter(seq=3).update(amount=D("31.00"))
    assert _verify() == (1, "journal rompu : site PAR1, écriture n° 3 (P3) : contenu modifié")


def test_deleted_entry_is_detected(chain):
    with rewrite_allowed():
        JournalEntry.objects.filter(seq=2).delete()
    assert _verify() == (1, "journal rompu : site PAR1 : écriture n° 2 manquante (suivante trouvée : n° 3)")


def test_truncated_tail_is_detected(chain):
    with rewrite_allowed():
        JournalEntry.objects.filter(seq__gte=4).delete()
    assert _verify() == (
        1,
        "journal rompu : site PAR1 : fin du journal tronquée : 5 écritures attendues, 3 trouvées",
    )


def test_rewritten_entry_with_recomputed_hashes_but_no_key_is_detected(chain):
    """The attacker recomputes the digest and the link hash (no secret needed) but cannot sign."""
    entry = JournalEntry.objects.get(seq=5)
    entry.amount = D("0.01")
    entry.hash = entry_hash(entry)
    with rewrite_allowed():
        JournalEntry.objects.filter(pk=entry.pk).update(amount=entry.amount, hash=entry.hash)
        JournalHead.objects.filter(site=entry.site).update(last_hash=entry.hash)
    assert _verify() == (
        1,
        "journal rompu : site PAR1, écriture n° 5 (P5) : contenu modifié (signature invalide)",
    )


def test_a_key_change_keeps_old_entries_verifiable_and_an_unknown_key_is_named(chain, settings, site):
    old_public, old_id = signing.public_key_text(), signing.current_key_id()
    settings.ATELIER_JOURNAL_KEY = "a-new-journal-key-after-the-documented-procedure-0123456789"
    journal_append(
        site=site, kind="parametre", reference="P6", amount=D("60.00"), at=timezone.now(), payload={}
    )
    assert _verify() == (
        1,
        f"journal rompu : site PAR1, écriture n° 1 (P1) : signée avec une clé inconnue ({old_id}) : ajoutez sa "
        "clé publique à ATELIER_JOURNAL_OLD_PUBLIC_KEYS",
    )
    settings.ATELIER_JOURNAL_OLD_PUBLIC_KEYS = [old_public]
    assert _verify() == (0, "journal ok: 6 entries")
    assert list(dict.fromkeys(JournalEntry.objects.order_by("seq").values_list("key_id", flat=True))) == [
        old_id,
        signing.current_key_id(),
    ]


def test_each_site_has_its_own_chain_and_head(chain, site, other_site):
    at = timezone.now()
    for n in (1, 2):
        journal_append(
            site=other_site, kind="parametre", reference=f"L{n}", amount=D("1.00"), at=at, payload={}
        )
    assert list(JournalEntry.objects.filter(site=other_site).values_list("seq", "reference")) == [
        (1, "L1"),
        (2, "L2"),
    ]
    first = JournalEntry.objects.get(site=other_site, seq=1)
    assert first.prev_hash == "0" * 64
    assert list(JournalHead.objects.order_by("site__code").values_list("site__code", "last_seq")) == [
        ("LYO1", 2),
        ("PAR1", 5),
    ]
    assert _verify() == (0, "journal ok: 7 entries")
    assert _verify("--site", "LYO1") == (0, "journal ok: 2 entries")
    assert _verify("--site", "XXX") == (1, "Site inconnu : XXX.")


def test_the_public_key_is_printed_with_its_id(chain):
    out = StringIO()
    call_command("journal", "public-key", stdout=out)
    assert out.getvalue().strip() == f"{signing.current_key_id()} {signing.public_key_text()}"
    public = signing.parse_public_key(signing.public_key_text())
    entry = JournalEntry.objects.get(seq=1)
    assert signing.signature_valid(public, entry.hash.encode(), entry.signature) is True
    assert signing.signature_valid(public, b"other", entry.signature) is False


def test_entries_cannot_be_changed_or_deleted_through_the_model(chain):
    entry = JournalEntry.objects.get(seq=1)
    with pytest.raises(AtelierError, match="Le journal ne s'écrit qu'en ajout"):
        entry.save()
    with pytest.raises(AtelierError, match="Le journal ne s'écrit qu'en ajout"):
        entry.delete()


def test_daily_closure_totals_and_grand_total(invoice, ready_case, accueil, comptable, site):
    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "100")])
    services.credit_note_issue(invoice=invoice, actor=comptable, amount_ttc="7.68", reason="Remise")
    today = timezone.localdate()
    closure = closures.closure_run(site=site, actor=comptable, period="jour", start=today)
    assert (closure.invoices_ttc, closure.credit_notes_ttc, closure.payments, closure.grand_total) == (
        D("157.68"),
        D("7.68"),
        D("100.00"),
        D("150.00"),
    )
    assert JournalEntry.objects.filter(kind="cloture").count() == 1
    with pytest.raises(AtelierError, match="Cette période est déjà clôturée."):
        closures.closure_run(site=site, actor=comptable, period="jour", start=today)
    with pytest.raises(AtelierError, match="Cette période n'est pas terminée"):
        closures.closure_run(site=site, actor=comptable, period="annee", start=today)
    with pytest.raises(AtelierError, match="Votre rôle ne permet pas cette opération."):
        closures.closure_run(
            site=site, actor=accueil, period="jour", start=today - datetime.timedelta(days=1)
        )
    assert Closure.objects.count() == 1
    assert journal_verify().message == "journal ok: 4 entries"


def test_monthly_closure_of_last_month(site, comptable):
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    closure = closures.closure_run(site=site, actor=comptable, period="mois", start=last_month)
    assert (closure.start, closure.end) == (last_month.replace(day=1), last_month)
    assert closure.grand_total == D("0.00")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrency: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_sixteen_concurrent_issuers_make_1000_gapless_numbers(site):
    """16 threads × 62–63 invoice and deposit invoice numbers and journal entries each: one sequence, no gap,
    no duplicate, chain intact."""
    from django.db import connection as thread_connection
    from django.db import transaction

    from atelier.billing.services import _next_number

    total, workers = 1000, 16
    numbers: list[str] = []
    lock = threading.Lock()
    errors: list[Exception] = []

    def work(count):
        try:
            for n in range(count):
                with transaction.atomic():
                    at = timezone.now()
                    # invoices and deposit invoices draw from one sequence
                    number = _next_number(site, "acompte" if n % 2 else "facture", at)
                    journal_append(
                        site=site, kind="parametre", reference=number, amount=D("1.00"), at=at, payload={}
                    )
                with lock:
                    numbers.append(number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            thread_connection.close()  # each thread has its own connection: give it back

    counts = [total // workers + (1 if i < total % workers else 0) for i in range(workers)]
    threads = [threading.Thread(target=work, args=(c,)) for c in counts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    values = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert values == list(range(1, total + 1))
    assert journal_verify().message == f"journal ok: {total} entries"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrency: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_a_sites_writes_never_wait_on_another_sites_lock(site, other_site, monkeypatch):
    """Paris's chain held by a transaction that does not end: Lyon appends at once, Paris waits then is refused."""
    from django.db import connection as thread_connection
    from django.db import transaction

    from atelier.billing.journal import site_head
    from atelier.core.locking import LockBusy

    at = timezone.now()
    journal_append(site=site, kind="parametre", reference="P0", amount=D("0.00"), at=at, payload={})
    held, release = threading.Event(), threading.Event()

    def hold_paris():
        with transaction.atomic():
            site_head(site)  # Paris's head locked until released
            held.set()
            release.wait(timeout=30)
        thread_connection.close()

    holder = threading.Thread(target=hold_paris)
    holder.start()
    try:
        assert held.wait(timeout=10)
        entry = journal_append(site=other_site, kind="parametre", reference="L1", amount=D("0.00"), at=at)
        assert (entry.site_id, entry.seq) == (other_site.pk, 1)
        monkeypatch.setattr(
            "atelier.core.locking.LOCK_TIMEOUT_MS", 300
        )  # Paris waits (shortened), then refuses
        with pytest.raises(LockBusy, match="Quelqu.un d.autre modifie la même fiche"), transaction.atomic():
            journal_append(site=site, kind="parametre", reference="P1", amount=D("0.00"), at=at)
    finally:
        release.set()
        holder.join()
    assert list(JournalEntry.objects.order_by("site__code", "seq").values_list("reference", flat=True)) == [
        "L1",
        "P0",
    ]
