"""The hash-chained journal (changed amount, deleted entry, truncated tail detected), the `journal verify`
command, closures with the perpetual grand total, and the invoice numbering race on PostgreSQL."""

import datetime
import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from atelier.billing import closures, payments, services
from atelier.billing.journal import journal_append, journal_verify
from atelier.billing.models import Closure, JournalEntry, JournalHead
from atelier.core.errors import AtelierError

D = Decimal


@pytest.fixture
def chain(site):
    at = timezone.now()
    for n in range(1, 6):
        journal_append(
            site=site, kind="paiement", reference=f"P{n}", amount=D(f"{n}0.00"), at=at, payload={"n": n}
        )


def _verify() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("journal", "verify", stdout=out)
    except CommandError as exc:
        return 1, str(exc)
    return 0, out.getvalue().strip()


def test_intact_chain_verifies(chain):
    assert _verify() == (0, "journal ok: 5 entries")


def test_changed_amount_is_detected(chain):
    JournalEntry.objects.filter(seq=3).update(amount=D("31.00"))
    assert _verify() == (1, "journal rompu : écriture n° 3 (P3) : contenu modifié")


def test_deleted_entry_is_detected(chain):
    JournalEntry.objects.filter(seq=2).delete()
    assert _verify() == (1, "journal rompu : écriture n° 2 manquante (suivante trouvée : n° 3)")


def test_truncated_tail_is_detected(chain):
    JournalEntry.objects.filter(seq__gte=4).delete()
    assert _verify() == (1, "journal rompu : fin du journal tronquée : 5 écritures attendues, 3 trouvées")


def test_rewritten_entry_with_a_recomputed_plain_hash_is_detected(chain):
    import hashlib

    entry = JournalEntry.objects.get(seq=5)
    JournalEntry.objects.filter(seq=5).update(amount=D("0.01"), hash=hashlib.sha256(b"forged").hexdigest())
    JournalHead.objects.filter(pk=1).update(last_hash=hashlib.sha256(b"forged").hexdigest())
    assert not journal_verify().ok and entry.hash


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
                        site=site, kind="facture", reference=number, amount=D("1.00"), at=at, payload={}
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
