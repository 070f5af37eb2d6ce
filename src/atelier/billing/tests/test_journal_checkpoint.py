"""The accountant's page checks the journal from a stored checkpoint (issue 16): what was written since is
re-checked on every load and a break there shows at once; what came before is the full check's job
(`atelier journal verify`, nightly), which resets the checkpoint; the checkpoint never moves past a break."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from atelier.billing.guards import rewrite_allowed
from atelier.billing.journal import journal_append
from atelier.billing.models import JournalCheckpoint, JournalEntry
from atelier.billing.verify import journal_verify, journal_verify_incremental

D = Decimal


def _append(site, first: int, last: int) -> None:
    for n in range(first, last + 1):
        journal_append(
            site=site,
            kind="parametre",
            reference=f"P{n}",
            amount=D(f"{n}.00"),
            at=timezone.now(),
            payload={"n": n},
        )


def _verdict_line(client) -> str:
    page = client.get(reverse("billing:accounting")).content.decode()
    start = page.index('id="journal-verdict">')
    return page[start + len('id="journal-verdict">') : page.index("</p>", start)]


def _checkpoint(site) -> tuple[int, bool | None]:
    checkpoint = JournalCheckpoint.objects.get(site=site)
    return checkpoint.seq, checkpoint.full_ok


@pytest.fixture
def as_comptable(client, comptable):
    client.force_login(comptable)
    return client


def test_the_page_checks_only_what_came_after_the_checkpoint_and_advances_it(site, as_comptable, comptable):
    _append(site, 1, 5)
    assert _verdict_line(as_comptable) == "Journal : intègre, 5 écritures chaînées."
    checkpoint = JournalCheckpoint.objects.get(site=site)
    assert (checkpoint.seq, checkpoint.hash, checkpoint.checked_by, checkpoint.full_ok) == (
        5,
        JournalEntry.objects.get(site=site, seq=5).hash,
        comptable,
        None,
    )
    _append(site, 6, 8)
    assert _verdict_line(as_comptable) == "Journal : intègre, 8 écritures chaînées."
    assert _checkpoint(site) == (8, None)


def test_tampering_after_the_checkpoint_shows_on_the_next_load_and_the_checkpoint_stays(site, as_comptable):
    _append(site, 1, 5)
    _verdict_line(as_comptable)  # checkpoint at 5
    _append(site, 6, 9)
    with rewrite_allowed():  # an attacker with the database owner's rights
        JournalEntry.objects.filter(site=site, seq=7).update(amount=D("70.00"))
    expected = "Journal : ANOMALIE — site PAR1, écriture n° 7 (P7) : contenu modifié"
    assert _verdict_line(as_comptable) == expected
    assert _checkpoint(site) == (5, None)  # never past the broken entry, nor to the intact n° 6
    assert _verdict_line(as_comptable) == expected  # and every load says it again


def test_the_checkpoints_own_entry_must_still_match(site, as_comptable):
    _append(site, 1, 5)
    _verdict_line(as_comptable)
    with rewrite_allowed():
        JournalEntry.objects.filter(site=site, seq=5).update(reference="P5bis")
    assert _verdict_line(as_comptable) == (
        "Journal : ANOMALIE — site PAR1 : écriture n° 5 modifiée ou supprimée depuis la dernière vérification"
    )


def test_tampering_before_the_checkpoint_is_the_full_checks_to_find_and_it_resets_the_checkpoint(
    site, as_comptable
):
    _append(site, 1, 5)
    _verdict_line(as_comptable)
    with rewrite_allowed():
        JournalEntry.objects.filter(site=site, seq=2).update(amount=D("20.00"))
    # the page re-checks nothing before n° 5: it cannot see it, and says when the full check last ran
    assert _verdict_line(as_comptable) == "Journal : intègre, 5 écritures chaînées."
    assert (
        "Site PAR1 : aucune vérification complète encore."
        in as_comptable.get(reverse("billing:accounting")).content.decode()
    )
    with pytest.raises(CommandError, match="site PAR1, écriture n° 2 \\(P2\\) : contenu modifié"):
        call_command("journal", "verify", stdout=StringIO(), stderr=StringIO())
    checkpoint = JournalCheckpoint.objects.get(site=site)
    assert (checkpoint.seq, checkpoint.full_ok, checkpoint.full_message) == (
        0,
        False,
        "site PAR1, écriture n° 2 (P2) : contenu modifié",
    )
    page = as_comptable.get(reverse("billing:accounting")).content.decode()
    assert "Journal : ANOMALIE — site PAR1, écriture n° 2 (P2) : contenu modifié" in page
    assert "dernière vérification complète le " in page and ": ANOMALIE — site PAR1, écriture n° 2" in page


def test_an_intact_full_check_sets_the_checkpoint_to_the_end(site, other_site):
    _append(site, 1, 4)
    _append(other_site, 1, 2)
    assert journal_verify(record=True).ok
    assert _checkpoint(site) == (4, True)
    assert _checkpoint(other_site) == (2, True)
    _append(site, 5, 6)
    verdict = journal_verify_incremental([site, other_site])
    assert (verdict.ok, verdict.count, verdict.message) == (True, 8, "journal ok: 8 entries")
    assert _checkpoint(site) == (6, True)


def test_a_truncated_tail_after_the_checkpoint_is_detected(site):
    _append(site, 1, 3)
    journal_verify_incremental([site])
    _append(site, 4, 6)
    with rewrite_allowed():
        JournalEntry.objects.filter(site=site, seq__gte=5).delete()
    verdict = journal_verify_incremental([site])
    assert (verdict.ok, verdict.message) == (
        False,
        "site PAR1 : fin du journal tronquée : 6 écritures attendues, 4 trouvées",
    )
    assert _checkpoint(site) == (3, None)


def test_a_document_changed_after_the_checkpoint_shows_and_before_it_is_the_full_checks(invoice, site):
    from atelier.billing.models import Invoice

    with rewrite_allowed():
        Invoice.objects.filter(pk=invoice.pk).update(total_ttc=D("1.00"))
    changed = f"facture {invoice.number} : montant modifié depuis son émission"
    verdict = journal_verify_incremental([site])  # no checkpoint yet: the invoice's entry is after it
    assert (verdict.ok, verdict.message) == (False, changed)
    assert not JournalCheckpoint.objects.filter(site=site).exists()
    with rewrite_allowed():
        Invoice.objects.filter(pk=invoice.pk).update(total_ttc=invoice.total_ttc)
    assert journal_verify_incremental([site]).ok  # checkpoint past the invoice
    with rewrite_allowed():
        Invoice.objects.filter(pk=invoice.pk).update(total_ttc=D("1.00"))
    assert journal_verify_incremental([site]).ok  # before the checkpoint: not re-read on page load
    verdict = journal_verify(sites=[site], record=True)
    assert (verdict.ok, verdict.message) == (False, changed)
    assert journal_verify_incremental([site]).message == changed  # the checkpoint reset: shown on the page
