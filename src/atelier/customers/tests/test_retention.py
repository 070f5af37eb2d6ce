"""The retention job: who is due (last contact + the site's years), who is never touched (open dossier, money owed,
loan out), dry run, idempotence, the invoice unchanged byte for byte, the command, the preview screen, the API."""

import datetime
import hashlib
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from atelier.billing import integrity, payments
from atelier.billing.models import Invoice, Original
from atelier.billing.tests import conftest as billing_fixtures
from atelier.billing.verify import journal_verify
from atelier.core.errors import PermissionRefused
from atelier.customers import retention
from atelier.customers.models import Customer, PrivacyAction
from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory
from atelier.loans.models import Loan
from atelier.loans.tests.factories import LoanApplianceFactory
from atelier.repairs.models import RepairCase
from atelier.repairs.services import case_add_note, case_open

pytestmark = pytest.mark.django_db

customer = billing_fixtures.customer
appliance = billing_fixtures.appliance
make_case = billing_fixtures.make_case
case = billing_fixtures.case
pump = billing_fixtures.pump
solution = billing_fixtures.solution
consumed = billing_fixtures.consumed
billing_on = billing_fixtures.billing_on
ready_case = billing_fixtures.ready_case

THEN = datetime.datetime(2022, 5, 10, 9, 0, tzinfo=datetime.UTC)  # the last contact of the old files
DUE = datetime.date(2025, 5, 10)  # three years later


@pytest.fixture
def old(site):
    """A file created on THEN and never seen since."""
    with time_machine.travel(THEN, tick=False):
        return CustomerFactory(site=site, last_name="Ancien", notes="Client fidèle")


@pytest.fixture
def recent(site):
    with time_machine.travel(THEN + datetime.timedelta(days=400), tick=False):
        return CustomerFactory(site=site, last_name="Récent")


def _names():
    return dict(Customer.objects.values_list("pk", "last_name"))


def test_a_file_is_due_three_years_after_its_last_contact(site, old, recent):
    assert retention.retention_due(site, today=DUE - datetime.timedelta(days=1)) == []
    due = retention.retention_due(site, today=DUE)
    assert [(d.customer, d.last_contact, d.due_on, d.blockers) for d in due] == [
        (old, datetime.date(2022, 5, 10), DUE, [])
    ]
    soon = retention.retention_due(site, today=DUE, horizon_days=30)
    assert [d.customer for d in soon] == [old]


def test_any_later_contact_postpones_the_file(site, old, accueil):
    with time_machine.travel(THEN + datetime.timedelta(days=10), tick=False):
        appliance = ApplianceFactory(customer=old)
        case = case_open(actor=accueil, customer=old, appliance=appliance, customer_words="Bruit")
    RepairCase.objects.filter(pk=case.pk).update(
        status="cloture", closed_at=THEN + datetime.timedelta(days=20)
    )
    with time_machine.travel(THEN + datetime.timedelta(days=30), tick=False):
        case_add_note(case=case, actor=accueil, note="Appel de la cliente")
    due = retention.retention_due(site, today=datetime.date(2026, 1, 1))
    assert [(d.last_contact, d.due_on) for d in due] == [
        (datetime.date(2022, 6, 9), datetime.date(2025, 6, 9))
    ]


def test_the_site_setting_changes_the_period(site, old):
    site.retention_years = 5
    site.save()
    assert retention.retention_due(site, today=datetime.date(2027, 5, 9)) == []
    assert [d.due_on for d in retention.retention_due(site, today=datetime.date(2027, 5, 10))] == [
        datetime.date(2027, 5, 10)
    ]


def test_run_anonymises_the_due_files_once_and_logs_the_count(site, other_site, old, recent, caplog):
    caplog.set_level("INFO", logger="atelier.customers.retention")
    assert retention.run_retention(today=DUE) == {site.pk: 1, other_site.pk: 0}
    assert _names() == {old.pk: f"Client anonymisé n° {old.pk}", recent.pk: "Récent"}
    old.refresh_from_db()
    assert (old.notes, old.phone, old.email, old.department) == ("", "", "", "75")
    action = PrivacyAction.objects.get()
    assert (
        action.kind,
        action.actor,
        action.customer,
        action.details["dernier_contact"],
        action.details["duree_ans"],
    ) == (
        "conservation",
        None,
        old,
        "2022-05-10",
        3,
    )
    assert f"retention {site.code}: 1 fiche(s) anonymisée(s) (conservation 3 ans)" in caplog.messages
    # idempotent: the next night finds nothing more to do and writes nothing
    anonymised_at = old.anonymised_at
    assert retention.run_retention(today=DUE + datetime.timedelta(days=1)) == {site.pk: 0, other_site.pk: 0}
    old.refresh_from_db()
    assert (old.anonymised_at, PrivacyAction.objects.count()) == (anonymised_at, 1)


def test_a_dry_run_counts_and_changes_nothing(site, other_site, old):
    before = list(Customer.objects.values())
    assert retention.run_retention(today=DUE, dry_run=True) == {site.pk: 1, other_site.pk: 0}
    assert list(Customer.objects.values()) == before
    assert PrivacyAction.objects.count() == 0


def test_an_open_dossier_or_a_loan_out_holds_the_file_back(site, old, accueil):
    with time_machine.travel(THEN, tick=False):
        appliance = ApplianceFactory(customer=old)
        case = case_open(actor=accueil, customer=old, appliance=appliance, customer_words="Bruit")
    due = retention.retention_due(site, today=DUE)
    assert [d.blockers for d in due] == [[f"le dossier {case.number} est en cours"]]
    assert retention.run_retention(today=DUE, site=site) == {site.pk: 0}
    RepairCase.objects.filter(pk=case.pk).update(status="cloture")
    with time_machine.travel(THEN, tick=False):
        Loan.objects.create(
            appliance=LoanApplianceFactory(site=site),
            case=case,
            due_on=datetime.date(2022, 6, 1),
            condition_out="bon",
            terms="Conditions",
            signer_name="Ancien",
            signature="data:image/png;base64,xx",
            lent_by=accueil,
        )
    assert [d.blockers for d in retention.retention_due(site, today=DUE)] == [
        [f"un appareil prêté (dossier {case.number}) n'est pas rendu"]
    ]
    assert retention.run_retention(today=DUE, site=site) == {site.pk: 0}
    Loan.objects.update(returned_at=THEN, condition_back="bon")
    assert retention.run_retention(today=DUE, site=site) == {site.pk: 1}
    loan = Loan.objects.get()
    assert (loan.signer_name, loan.signature, loan.terms) == ("[anonymisé]", "", "Conditions")


def test_a_kept_file_waits_until_the_day_after(site, old):
    Customer.objects.filter(pk=old.pk).update(kept_until=datetime.date(2025, 9, 1), kept_reason="Litige")
    assert retention.retention_due(site, today=datetime.date(2025, 9, 1)) == []
    assert [d.due_on for d in retention.retention_due(site, today=datetime.date(2025, 9, 2))] == [
        datetime.date(2025, 9, 2)
    ]


def test_the_invoice_and_its_original_stay_byte_for_byte(
    ready_case, accueil, django_capture_on_commit_callbacks
):
    from atelier.billing.services import invoice_issue

    with django_capture_on_commit_callbacks(execute=True):
        invoice = invoice_issue(case=ready_case, actor=accueil)
    customer = ready_case.customer
    original = Original.objects.get(invoice=invoice)
    before = (
        integrity.digest(integrity.document_content(invoice)),
        original.pdf_sha256,
        hashlib.sha256(bytes(original.pdf)).hexdigest(),
        invoice.buyer,
    )
    assert before[1] == before[2]
    # unpaid: never anonymised, even long after, even with the dossier closed
    RepairCase.objects.filter(pk=ready_case.pk).update(status="cloture")
    later = timezone.localdate() + datetime.timedelta(days=4 * 366)
    due = retention.retention_due(ready_case.site, today=later)
    assert [d.blockers for d in due] == [[f"la facture du dossier {ready_case.number} n'est pas réglée"]]
    RepairCase.objects.filter(pk=ready_case.pk).update(status="pret")
    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", str(invoice.net_to_pay))])
    RepairCase.objects.filter(pk=ready_case.pk).update(status="cloture")
    assert retention.run_retention(today=later, site=ready_case.site) == {ready_case.site.pk: 1}
    customer.refresh_from_db()
    assert customer.last_name == f"Client anonymisé n° {customer.pk}"
    invoice = Invoice.objects.get(pk=invoice.pk)
    original = Original.objects.get(invoice=invoice)
    after = (
        integrity.digest(integrity.document_content(invoice)),
        original.pdf_sha256,
        hashlib.sha256(bytes(original.pdf)).hexdigest(),
        invoice.buyer,
    )
    assert after == before
    assert journal_verify().ok


def test_the_command_runs_one_site_or_all_and_says_how_many(site, other_site, old):
    out = StringIO()
    call_command("retention", "--dry-run", "--today", DUE.isoformat(), stdout=out)
    counts = sorted([(site.code, 1), (other_site.code, 0)])  # one line per site, by code
    assert out.getvalue().splitlines() == [
        f"{code} : {n} fiche(s) à anonymiser (essai, rien n'est modifié)" for code, n in counts
    ]
    out = StringIO()
    call_command("retention", "--site", site.code, "--today", DUE.isoformat(), stdout=out)
    assert out.getvalue().splitlines() == [f"{site.code} : 1 fiche(s) anonymisée(s)"]
    assert Customer.objects.get(pk=old.pk).anonymised_at is not None


def test_the_preview_lists_due_and_soon_with_last_contact(client, responsable, site, old, recent):
    client.force_login(responsable)
    with time_machine.travel(datetime.datetime(2025, 5, 10, 12, 0, tzinfo=datetime.UTC), tick=False):
        page = client.get("/clients/conservation/")
    assert page.status_code == 200
    assert [d.customer for d in page.context["due_now"]] == [old]
    assert page.context["due_soon"] == []
    html = page.content.decode()
    assert "10/05/2022" in html and "Anonymiser maintenant" in html


def test_run_now_from_the_preview_needs_the_confirmation(client, responsable, site, old):
    client.force_login(responsable)
    with time_machine.travel(datetime.datetime(2025, 5, 10, 12, 0, tzinfo=datetime.UTC), tick=False):
        refused = client.post("/clients/conservation/lancer/", {"site": site.pk})
        assert refused.status_code == 400
        assert Customer.objects.get(pk=old.pk).anonymised_at is None
        done = client.post("/clients/conservation/lancer/", {"site": site.pk, "confirm": "on"})
    assert done.status_code == 302
    assert Customer.objects.get(pk=old.pk).anonymised_at is not None


def test_keep_from_the_preview(client, responsable, site, old):
    client.force_login(responsable)
    with time_machine.travel(datetime.datetime(2025, 5, 10, 12, 0, tzinfo=datetime.UTC), tick=False):
        response = client.post(
            f"/clients/{old.pk}/conserver/", {"until": "2025-12-31", "reason": "Litige en cours"}
        )
        assert response.status_code == 302
        assert client.get("/clients/conservation/").context["due_now"] == []
    old.refresh_from_db()
    assert (old.kept_until, old.kept_reason) == (datetime.date(2025, 12, 31), "Litige en cours")


def test_the_retention_period_is_set_on_the_screen(client, responsable, site):
    client.force_login(responsable)
    assert client.post("/clients/conservation/duree/", {"site": site.pk, "years": 11}).status_code == 400
    assert client.post("/clients/conservation/duree/", {"site": site.pk, "years": 5}).status_code == 302
    site.refresh_from_db()
    assert site.retention_years == 5


def test_the_counter_may_not_run_it(accueil, site):
    with pytest.raises(PermissionRefused):
        retention.retention_run(actor=accueil, site=site)


def test_api_preview(client, responsable, site, old, recent):
    client.force_login(responsable)
    with time_machine.travel(datetime.datetime(2025, 5, 1, 12, 0, tzinfo=datetime.UTC), tick=False):
        assert client.get("/api/retention/?jours=0").json() == []
        response = client.get(f"/api/retention/?site={site.pk}")
    assert response.status_code == 200
    assert response.json() == [
        {
            "customer": old.pk,
            "display_name": old.display_name,
            "last_contact": "2022-05-10",
            "due_on": "2025-05-10",
            "kept_until": None,
            "blockers": [],
        }
    ]


def test_the_preview_reads_in_a_fixed_number_of_queries(client, responsable, site):
    """One query per table of contact dates and per blocker, whatever the number of files due."""
    client.force_login(responsable)
    at = datetime.datetime(2025, 5, 10, 12, 0, tzinfo=datetime.UTC)
    counts = []
    for _ in range(2):
        with time_machine.travel(THEN, tick=False):
            for _ in range(3):
                ApplianceFactory(customer=CustomerFactory(site=site))
        with time_machine.travel(at, tick=False):
            client.get("/clients/conservation/")
            with CaptureQueriesContext(connection) as queries:
                page = client.get("/clients/conservation/")
        counts.append((len(page.context["due_now"]), len(queries)))
    assert [n for n, _ in counts] == [3, 6]
    assert (
        counts[1][1] == counts[0][1] <= 33
    )  # 31: the tables of contact dates and the blockers (open disputes too)
