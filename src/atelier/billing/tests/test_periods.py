"""Sealed periods and the carried grand total: totals carried from closure to closure, open days closed in
order, the month closed once its days are, nothing dated inside a closed day, `journal close-due`, the Z's PDF,
two accountants closing the same day on PostgreSQL."""

import datetime
import io
import json
import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from atelier.billing import closures, payments, refunds, services
from atelier.billing.models import Closure, Invoice, JournalEntry, Payment
from atelier.billing.verify import journal_verify
from atelier.core.errors import AtelierError

D = Decimal
ONE_DAY = datetime.timedelta(days=1)
SEALED = (
    "La journée du %s est clôturée : aucune facture, aucun paiement ni remboursement ne peut y être daté."
)


def _month():
    """Last month (finished): its first and last day."""
    last = timezone.localdate().replace(day=1) - ONE_DAY
    return last.replace(day=1), last


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def three_days(ready_case, accueil, comptable):
    """Last month: the 157,68 € invoice on the 10th, 100 € by card on the 11th, a 7,68 € credit note on the
    12th."""
    first, _last = _month()
    d1, d2, d3 = first + 9 * ONE_DAY, first + 10 * ONE_DAY, first + 11 * ONE_DAY
    invoice = services.invoice_issue(case=ready_case, actor=accueil, at=_at(d1))
    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "100")], at=_at(d2))
    services.credit_note_issue(
        invoice=invoice, actor=comptable, amount_ttc="7,68", reason="Remise", at=_at(d3)
    )
    return d1, d2, d3


def _row(c: Closure):
    return (
        c.period,
        c.start,
        c.invoices_ttc,
        c.credit_notes_ttc,
        c.payments,
        c.grand_total,
        c.perpetual_ht,
        c.perpetual_vat,
        c.previous.start if c.previous else None,
    )


def test_closing_a_day_closes_the_open_days_before_it_in_order_and_carries_the_grand_total(
    three_days, site, comptable
):
    d1, d2, d3 = three_days
    closure = closures.closure_run(site=site, actor=comptable, period="jour", start=d3)
    assert [_row(c) for c in closure.made] == [
        ("jour", d1, D("157.68"), D("0.00"), D("0.00"), D("157.68"), D("131.40"), D("26.28"), None),
        ("jour", d2, D("0.00"), D("0.00"), D("100.00"), D("157.68"), D("131.40"), D("26.28"), d1),
        ("jour", d3, D("0.00"), D("7.68"), D("0.00"), D("150.00"), D("125.00"), D("25.00"), d2),
    ]
    assert closure.made[-1] == closure
    references = list(JournalEntry.objects.filter(kind="cloture").values_list("reference", flat=True))
    assert references == [f"PAR1/jour/{d.isoformat()}" for d in (d1, d2, d3)]
    assert json.loads(JournalEntry.objects.last().payload)["previous_id"] == closure.made[1].pk


def test_the_month_is_the_sum_of_its_days_and_ends_on_the_last_days_grand_total(three_days, site, comptable):
    d1, _d2, d3 = three_days
    first, last = _month()
    closures.closure_run(site=site, actor=comptable, period="jour", start=d3)
    month = closures.closure_run(site=site, actor=comptable, period="mois", start=d1)
    # the rest of the month's days (zero each), then the month itself, in one go
    assert [(c.period, c.start) for c in month.made] == [
        *[("jour", d3 + n * ONE_DAY) for n in range(1, (last - d3).days + 1)],
        ("mois", first),
    ]
    assert _row(month) == (
        "mois",
        first,
        D("157.68"),
        D("7.68"),
        D("100.00"),
        D("150.00"),
        D("125.00"),
        D("25.00"),
        None,
    )
    days = list(month.parts())
    assert [c.start for c in days] == [d1 + n * ONE_DAY for n in range((last - d1).days + 1)]
    assert sum(c.invoices_ttc for c in days) == month.invoices_ttc == D("157.68")
    assert sum(c.credit_notes_ttc for c in days) == month.credit_notes_ttc == D("7.68")
    assert sum(c.payments for c in days) == month.payments == D("100.00")
    assert days[-1].grand_total == month.grand_total == D("150.00")
    assert journal_verify().ok


def test_the_next_month_carries_the_previous_months_grand_total(ready_case, accueil, comptable, site):
    """Two months: the second month's grand total is the first's plus its own net, not a recount."""
    first, _last = _month()
    before = (first - ONE_DAY).replace(day=1)
    invoice = services.invoice_issue(case=ready_case, actor=accueil, at=_at(before + 4 * ONE_DAY))
    services.credit_note_issue(
        invoice=invoice, actor=comptable, amount_ttc="57,68", reason="Geste", at=_at(first)
    )
    month = closures.closure_run(site=site, actor=comptable, period="mois", start=first)
    assert [
        (c.start, c.net_ttc, c.grand_total) for c in Closure.objects.filter(period="mois").order_by("start")
    ] == [
        (before, D("157.68"), D("157.68")),
        (first, D("-57.68"), D("100.00")),
    ]
    assert month.previous.start == before


def test_a_closed_day_refuses_invoices_deposits_payments_credit_notes_and_refunds(
    ready_case, accueil, comptable, site
):
    yesterday = timezone.localdate() - ONE_DAY
    closures.closure_run(site=site, actor=comptable, period="jour", start=yesterday)
    sealed = SEALED % yesterday.strftime("%d/%m/%Y")
    late = _at(yesterday, 18)
    with pytest.raises(AtelierError, match=sealed) as refused:
        payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "50")], deposit=True, at=late)
    assert refused.value.message == sealed
    with pytest.raises(AtelierError, match=sealed):
        services.invoice_issue(case=ready_case, actor=accueil, at=late)
    assert (Invoice.objects.count(), Payment.objects.count(), JournalEntry.objects.count()) == (0, 0, 1)
    invoice = services.invoice_issue(case=ready_case, actor=accueil)
    assert invoice.number.endswith("-000001")  # the refused numbers were rolled back with the rest
    with pytest.raises(AtelierError, match=sealed):
        payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "157,68")], at=late)
    assert Payment.objects.count() == 0
    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "157,68")])
    with pytest.raises(AtelierError, match=sealed):
        services.credit_note_issue(
            invoice=invoice, actor=comptable, amount_ttc="57,68", reason="Geste", at=late
        )
    assert Invoice.objects.count() == 1
    services.credit_note_issue(invoice=invoice, actor=comptable, amount_ttc="57,68", reason="Geste")
    with pytest.raises(AtelierError, match=sealed):
        refunds.refund_make(case=ready_case, actor=accueil, method="carte", amount="57,68", at=late)
    assert (Invoice.objects.count(), Payment.objects.count(), JournalEntry.objects.count()) == (2, 1, 4)
    assert journal_verify().message == "journal ok: 4 entries"


def test_a_day_inside_a_closed_month_is_sealed_and_cannot_be_closed_again(
    three_days, ready_case, site, comptable, accueil
):
    d1, _d2, _d3 = three_days
    closures.closure_run(site=site, actor=comptable, period="mois", start=d1)
    with pytest.raises(AtelierError, match="Cette période est déjà clôturée.") as refused:
        closures.closure_run(site=site, actor=comptable, period="jour", start=d1 - 5 * ONE_DAY)
    assert refused.value.status_code == 409
    first, _last = _month()
    with pytest.raises(AtelierError, match=SEALED % first.strftime("%d/%m/%Y")):
        payments.payment_take(case=ready_case, actor=accueil, parts=[("cheque", "10")], at=_at(first))
    assert Payment.objects.count() == 1


def test_a_period_not_over_cannot_be_closed(site, comptable):
    today = timezone.localdate()
    with pytest.raises(
        AtelierError, match="Cette période n'est pas terminée : elle ne peut pas être clôturée."
    ):
        closures.closure_run(site=site, actor=comptable, period="jour", start=today + ONE_DAY)
    with pytest.raises(AtelierError, match="Cette période n'est pas terminée"):
        closures.closure_run(site=site, actor=comptable, period="mois", start=today)
    assert Closure.objects.count() == 0


def _close_due(*args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("journal", "close-due", *args, stdout=out)
    except CommandError as exc:
        return 1, str(exc)
    return 0, out.getvalue()


def test_close_due_closes_everything_due_one_line_each(three_days, site, other_site):
    d1, d2, d3 = three_days
    first, last = _month()
    assert _close_due("--site", "PAR1", "--until", d2.isoformat()) == (
        0,
        f"PAR1 : clôture journalière {d1:%d/%m/%Y} · net 157,68 € · grand total perpétuel 157,68 €\n"
        f"PAR1 : clôture journalière {d2:%d/%m/%Y} · net 0,00 € · grand total perpétuel 157,68 €\n",
    )
    code, out = _close_due()
    lines = out.splitlines()
    yesterday = timezone.localdate() - ONE_DAY
    assert code == 0
    assert lines[0] == f"LYO1 : rien à clôturer jusqu'au {yesterday:%d/%m/%Y}"  # sites in order of their code
    assert (
        lines[1] == f"PAR1 : clôture journalière {d3:%d/%m/%Y} · net -7,68 € · grand total perpétuel 150,00 €"
    )
    assert lines[(last - d3).days + 2] == (
        f"PAR1 : clôture mensuelle {first:%d/%m/%Y} – {last:%d/%m/%Y} · net 150,00 € · grand total perpétuel 150,00 €"
    )
    assert len(lines) == 1 + ((yesterday - d3).days + 1) + 1  # the other site's line, the days, the month
    assert Closure.objects.filter(site=site, period="jour").count() == (yesterday - d1).days + 1
    assert Closure.objects.filter(closed_by__isnull=True).count() == Closure.objects.count()
    assert _close_due("--site", "PAR1") == (0, f"PAR1 : rien à clôturer jusqu'au {yesterday:%d/%m/%Y}\n")


def test_close_due_bad_input_is_a_french_error_and_nothing_written(three_days):
    tomorrow = timezone.localdate() + ONE_DAY
    assert _close_due("--site", "XXX9") == (1, "Site inconnu : XXX9.")
    assert _close_due("--until", "06/12/2026") == (
        1,
        "Date invalide pour --until : « 06/12/2026 » (attendu AAAA-MM-JJ).",
    )
    assert _close_due("--site", "PAR1", "--until", tomorrow.isoformat()) == (
        1,
        "PAR1 : Cette période n'est pas terminée : elle ne peut pas être clôturée.",
    )
    assert Closure.objects.count() == 0


def test_the_accounting_form_closes_the_open_days_and_the_finished_month(three_days, site, comptable, client):
    d1, _d2, _d3 = three_days
    first, last = _month()
    client.force_login(comptable)
    response = client.post(
        "/facturation/clotures/", {"period": "jour", "start": last.isoformat(), "site": site.pk}, follow=True
    )
    body = response.content.decode()
    n = (last - d1).days + 1
    assert (
        f"Avec elle, dans l&#x27;ordre : {n} autres clôtures (jours restés ouverts, mois terminés)." in body
    )
    assert Closure.objects.filter(period="mois").get().start == first
    assert f"{n} journées clôturées" in body


def test_the_printed_z_shows_period_and_perpetual_totals_and_the_days_covered(
    three_days, site, comptable, client
):
    from pypdf import PdfReader

    d1, d2, d3 = three_days
    month = closures.closure_run(site=site, actor=comptable, period="mois", start=d1)
    client.force_login(comptable)

    def text(closure):
        response = client.get(f"/facturation/clotures/{closure.pk}/pdf/")
        assert response.status_code == 200
        pages = PdfReader(io.BytesIO(response.content)).pages
        return "\n".join(p.extract_text() for p in pages).replace("\xa0", " ")  # euros: no-break space

    day = text(Closure.objects.get(period="jour", start=d3))
    assert (
        "Totaux de la période\n"
        "Factures et factures d'acompte TTC 0,00 €\n"
        "Avoirs TTC − 7,68 €\n"
        "Net de la période TTC -7,68 €\n"
        "Chiffre d'affaires HT -6,40 €\n"
        "TVA -1,28 €\n"
        "Encaissements nets 0,00 €\n"
        "Totaux perpétuels\n"
        "Grand total reporté de la clôture précédente\n"
        f"({d2:%d/%m/%Y})\n"
        "157,68 €\n"
        "+ net de la période -7,68 €\n"
        "Grand total perpétuel TTC 150,00 €\n"
        "Total perpétuel HT 125,00 €\n"
        "TVA perpétuelle 25,00 €\n"
    ) in day
    whole = text(month)
    first, last = _month()
    assert f"Journées couvertes ({(last - d1).days + 1})" in whole
    assert "Net de la période TTC 150,00" in whole and "Grand total perpétuel TTC 150,00" in whole
    assert "Première clôture mensuelle du site : cumul de tout ce qui a\nété émis jusqu'au " in whole
    assert (
        f"{d1:%d/%m/%Y} 157,68 € 0,00 € 157,68 € 0,00 € 157,68 €\n"
        f"{d2:%d/%m/%Y} 0,00 € 0,00 € 0,00 € 100,00 € 157,68 €\n"
        f"{d3:%d/%m/%Y} 0,00 € 7,68 € -7,68 € 0,00 € 150,00 €\n"
    ) in whole
    assert f"{last:%d/%m/%Y} 0,00 € 0,00 € 0,00 € 0,00 € 150,00 €" in whole


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrency: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_accountants_closing_the_same_day_make_one_closure(site, comptable):
    from django.db import connection as thread_connection

    yesterday = timezone.localdate() - ONE_DAY
    barrier = threading.Barrier(2)
    results: list = []

    def work():
        try:
            barrier.wait()
            results.append(closures.closure_run(site=site, actor=comptable, period="jour", start=yesterday))
        except AtelierError as exc:
            results.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    refused = [r for r in results if isinstance(r, AtelierError)]
    assert len(results) == 2 and len(refused) == 1
    assert (refused[0].message, refused[0].status_code) == ("Cette période est déjà clôturée.", 409)
    assert Closure.objects.count() == 1
    assert journal_verify().message == "journal ok: 1 entries"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrency: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_an_invoice_written_while_its_day_closes_waits_and_is_refused_never_lost(
    ready_case, accueil, comptable, site, monkeypatch
):
    """The closure has read its totals and holds the journal's head; the invoice written meanwhile waits for it,
    then finds its day sealed: it is refused and rolled back, never issued outside the day's Z."""
    import time

    from django.db import connection as thread_connection

    today = timezone.localdate()
    summed = threading.Event()
    real_totals = closures._period_totals

    def slow_totals(*args):
        totals = real_totals(*args)
        summed.set()
        time.sleep(1)  # the window in which an unlocked invoice would slip past the closure
        return totals

    monkeypatch.setattr(closures, "_period_totals", slow_totals)
    outcome: dict = {}

    def issue():
        try:
            summed.wait(5)
            outcome["invoice"] = services.invoice_issue(case=ready_case, actor=accueil)
        except AtelierError as exc:
            outcome["invoice"] = exc
        finally:
            thread_connection.close()

    def close():
        try:
            outcome["closure"] = closures.closure_run(site=site, actor=comptable, period="jour", start=today)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=close), threading.Thread(target=issue)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcome["invoice"].message == SEALED % today.strftime("%d/%m/%Y")
    closure = Closure.objects.get()
    assert (Invoice.objects.count(), closure.invoices_ttc, closure.grand_total) == (0, D("0.00"), D("0.00"))
    assert journal_verify().message == "journal ok: 1 entries"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrency: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_an_invoice_issued_while_its_day_closes_is_counted_or_refused_never_lost(
    ready_case, accueil, comptable, site
):
    """Whichever wins the journal's head: the invoice is in the day's closure, or it is refused as sealed."""
    from django.db import connection as thread_connection

    today = timezone.localdate()
    barrier = threading.Barrier(2)
    outcome: dict = {}

    def issue():
        try:
            barrier.wait()
            outcome["invoice"] = services.invoice_issue(case=ready_case, actor=accueil)
        except AtelierError as exc:
            outcome["invoice"] = exc
        finally:
            thread_connection.close()

    def close():
        try:
            barrier.wait()
            outcome["closure"] = closures.closure_run(site=site, actor=comptable, period="jour", start=today)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=issue), threading.Thread(target=close)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    closure = Closure.objects.get()
    if isinstance(outcome["invoice"], AtelierError):
        assert outcome["invoice"].message == SEALED % today.strftime("%d/%m/%Y")
        assert (Invoice.objects.count(), closure.invoices_ttc, closure.grand_total) == (
            0,
            D("0.00"),
            D("0.00"),
        )
    else:
        assert (Invoice.objects.count(), closure.invoices_ttc, closure.grand_total) == (
            1,
            D("157.68"),
            D("157.68"),
        )
    assert journal_verify().ok
