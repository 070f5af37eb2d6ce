"""`load_demo` and `atelier demo` on a real database: what they create, how consistent it is, and idempotence.

The demo is loaded once per module (a small one: 40 customers) inside a transaction rolled back at the end;
each test runs in its own savepoint through the `db` fixture, so tests stay independent and the module fast.

The demo's story is told backwards from "now", so the module runs at a fixed instant (a Thursday afternoon in
Paris; the clock keeps ticking from there): the same dossiers, appointments and plans whatever the hour CI
runs at. Just after midnight, for instance, the real "today" has no dossier yet.
"""

import datetime
import io
import zoneinfo
from decimal import Decimal

import phonenumbers
import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from stdnum.fr import siren, siret, tva

from atelier.core import geo
from atelier.core.models import NumberSequence, Site, SiteTariff, User, UserRole
from atelier.customers.models import Appliance, Customer
from atelier.demo import load_demo
from atelier.demo.clock import OPENING, is_working_day
from atelier.demo.parts import CATALOGUE, LABEL_NUMBER
from atelier.demo.quoting import NO_USED_PART
from atelier.quotes import rules
from atelier.quotes.choices import LineKind, QuoteStatus
from atelier.quotes.models import BonusLabel, Quote, QuoteLine, RepairOrder, Solution, SolutionPart
from atelier.reception.models import Counter, Ticket
from atelier.repairs.choices import CaseStatus, Channel, EventKind, WorkLocation
from atelier.repairs.models import CaseEvent, RepairCase
from atelier.repairs.workflow import TRANSITIONS
from atelier.stock.choices import Availability, PartCondition
from atelier.stock.models import Part

CUSTOMERS = 40  # 30 in Paris, 10 in Lyon
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORY_NOW = datetime.datetime(2026, 11, 26, 15, 20, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, with its printed report; rolled back afterwards."""
    out = io.StringIO()
    with (
        time_machine.travel(STORY_NOW),
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
    ):
        with transaction.atomic():
            summary = load_demo(stdout=out, customers=CUSTOMERS)
            yield summary, out.getvalue()
            transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    return loaded[0]


def test_two_sites_with_their_legal_identity_and_tariffs(demo):
    assert list(Site.objects.values_list("code", "name", "kind", "postcode")) == [
        ("LYO1", "Lyon Part-Dieu", "atelier", "69003"),
        ("PAR1", "Paris Bastille", "magasin_atelier", "75011"),
    ]
    for site in Site.objects.all():
        site.full_clean()
        assert siren.is_valid(site.siren) and siret.is_valid(site.siret) and site.siret.startswith(site.siren)
        assert tva.is_valid(site.vat_number)
        assert site.vat_number == f"FR{(12 + 3 * (int(site.siren) % 97)) % 97:02d}{site.siren}"
        assert site.legal_name and site.legal_form and site.address and site.phone and site.email
    paris = Site.objects.get(code="PAR1")
    on = datetime.date(2025, 1, 1)
    assert [
        paris.tariff(kind, on)
        for kind in ("taux_horaire_atelier", "taux_horaire_domicile", "frais_deplacement", "frais_diagnostic")
    ] == [Decimal("62.00"), Decimal("72.00"), Decimal("45.00"), Decimal("39.00")]
    assert SiteTariff.objects.count() == 8
    assert set(SiteTariff.objects.values_list("valid_from", flat=True)) == {on}


def test_one_user_per_role_with_the_demo_password(demo):
    users = {
        u.username: (
            sorted(u.roles.values_list("role", flat=True)),
            sorted(u.sites.values_list("code", flat=True)),
            u.is_superuser,
            u.is_chain_manager,
        )
        for u in User.objects.all()
    }
    assert users == {
        "accueil": (["accueil"], ["PAR1"], False, False),
        "technicien": (["technicien"], ["PAR1"], False, False),
        "technicien2": (["technicien"], ["PAR1"], False, False),
        "responsable": (["responsable_sav"], ["PAR1"], True, False),
        "magasinier": (["magasinier"], ["PAR1"], False, False),
        "comptable": (["comptable"], ["PAR1"], False, False),
        "formateur": (["formateur"], ["PAR1"], False, False),
        "accueil.lyon": (["accueil"], ["LYO1"], False, False),
        "technicien.lyon": (["technicien"], ["LYO1"], False, False),
        "reseau": (["responsable_sav"], ["LYO1", "PAR1"], False, True),
    }
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        assert all(u.check_password("demo") and u.first_name and u.last_name for u in User.objects.all())
    assert User.objects.get(username="responsable").is_staff


def test_every_state_has_its_dossiers_in_both_sites(demo):
    # Paris: at least 5 per state (the full demo's quotas scaled to 40 customers), Lyon: at least 1.
    expected_paris = {status: 5 for status in CaseStatus.values} | {"cloture": 15}
    expected_lyon = {status: 1 for status in CaseStatus.values} | {"cloture": 6}
    assert demo.cases_by_status == {"LYO1": expected_lyon, "PAR1": expected_paris}
    assert RepairCase.objects.filter(site__code="PAR1").count() == 85
    assert RepairCase.objects.count() == demo.cases_created == 105


def test_every_timeline_is_consistent(demo):
    now = timezone.now()
    oldest = now - datetime.timedelta(days=90)
    steps = {(t.sources, t.target): t for t in TRANSITIONS}
    events_by_case: dict[int, list[CaseEvent]] = {}
    for event in CaseEvent.objects.select_related("actor").order_by("at", "pk"):
        events_by_case.setdefault(event.case_id, []).append(event)
    for case in RepairCase.objects.select_related("technician"):
        events = events_by_case[case.pk]
        opening, transitions = events[0], events[1:]
        assert opening.kind == EventKind.OPENED and opening.to_status == CaseStatus.RECU
        assert opening.at == case.received_at and opening.actor_id == case.received_by_id
        previous = opening
        for event in transitions:
            assert event.kind == EventKind.TRANSITION
            assert event.from_status == previous.to_status
            assert oldest < previous.at < event.at <= now
            step = next(
                t
                for (sources, target), t in steps.items()
                if event.from_status in sources and target == event.to_status
            )
            assert step.allows_role(event.actor), (case.number, step.name, event.actor.username)
            if step.note_required:
                assert event.note
            local = timezone.localtime(event.at)
            assert is_working_day(local.date()), (case.number, local)
            assert any(start <= local.time() <= end for start, end in OPENING), (case.number, local)
            previous = event
        assert previous.to_status == case.status and case.status_changed_at == previous.at
        assert (case.closed_at is not None) == (case.status == CaseStatus.CLOTURE)


def test_dossiers_are_numbered_in_order_of_intake(demo):
    for code in ("PAR1", "LYO1"):
        numbers = list(
            RepairCase.objects.filter(site__code=code)
            .order_by("received_at")
            .values_list("number", flat=True)
        )
        assert numbers == sorted(numbers)
        assert NumberSequence.objects.get(site__code=code, kind="dossier").last_value == len(numbers)


def test_home_visits_and_workshop_repairs_have_a_technician(demo):
    for case in RepairCase.objects.filter(status__in=["planifie", "en_atelier", "en_reparation", "repare"]):
        assert case.technician.has_role("technicien")
        assert case.technician.sites.filter(pk=case.site_id).exists()
    planned = RepairCase.objects.filter(status=CaseStatus.PLANIFIE)
    assert set(planned.values_list("location", flat=True)) == {WorkLocation.DOMICILE}
    today = timezone.localdate()
    for case in planned:
        assert timezone.localtime(case.planned_for).date() >= today  # visits still to come (or today)
        assert case.planned_for > case.status_changed_at
    atelier = RepairCase.objects.filter(status=CaseStatus.EN_ATELIER)
    assert set(atelier.values_list("location", flat=True)) == {WorkLocation.ATELIER}


def test_some_dossiers_were_received_today(demo):
    today = [
        c
        for c in RepairCase.objects.filter(site__code="PAR1", status=CaseStatus.RECU)
        if timezone.localtime(c.received_at).date() == timezone.localdate()
    ]
    assert len(today) >= 2
    before_opening = [c for c in today if timezone.localtime(c.received_at).time() < OPENING[0][0]]
    assert all(c.channel == Channel.WEB for c in before_opening)


def test_customers_live_near_their_site_with_coordinates(demo):
    assert Customer.objects.filter(site__code="PAR1").count() == 30
    assert Customer.objects.filter(site__code="LYO1").count() == 10
    assert demo.customers_created == 40 and Appliance.objects.count() == demo.appliances_created
    prefixes = {"PAR1": ("75", "92", "93", "94"), "LYO1": ("69",)}
    for customer in Customer.objects.select_related("site"):
        assert geo.postcode_exists(customer.postcode)
        assert customer.postcode.startswith(prefixes[customer.site.code])
        assert customer.latitude is not None and customer.longitude is not None
        assert customer.city and customer.address
        assert customer.phone[:4] in ("+336", "+337")
        assert phonenumbers.is_valid_number(phonenumbers.parse(customer.phone))
        assert customer.email == "" or customer.email.endswith(("@example.fr", "@example.com"))
        if customer.kind == "professionnel":
            assert siren.is_valid(customer.siren) and customer.company_name
        assert (customer.consent_at is not None) == customer.consent_contact


def test_records_are_dated_before_their_dossiers(demo):
    today = timezone.localdate()
    for case in RepairCase.objects.select_related("customer", "appliance"):
        assert case.customer.created_at <= case.appliance.created_at <= case.received_at
        assert case.appliance.purchase_date < timezone.localtime(case.received_at).date()
    for appliance in Appliance.objects.all():
        assert appliance.purchase_date <= today and appliance.warranty_end is not None
        assert appliance.brand and appliance.model_ref and appliance.purchase_place


def test_a_second_run_creates_nothing_and_restores_the_logins(demo):
    models = (
        Site,
        SiteTariff,
        User,
        UserRole,
        Customer,
        Appliance,
        RepairCase,
        CaseEvent,
        NumberSequence,
        Counter,
        Ticket,
        Part,
        BonusLabel,
        Solution,
        SolutionPart,
        Quote,
        QuoteLine,
        RepairOrder,
    )
    before = {model.__name__: model.objects.count() for model in models}
    accueil = User.objects.get(username="accueil")
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        accueil.set_password("changé")
        accueil.save()
        again = load_demo()
        accueil.refresh_from_db()
        assert accueil.check_password("demo")
    assert {model.__name__: model.objects.count() for model in models} == before
    assert again.already_present
    assert (
        again.sites_created,
        again.users_created,
        again.customers_created,
        again.appliances_created,
        again.cases_created,
    ) == (0, 0, 0, 0, 0)
    assert again.cases_by_status == demo.cases_by_status


def test_two_counters_per_site_and_people_waiting_in_paris_today(demo):
    assert sorted(Counter.objects.values_list("site__code", "name")) == [
        ("LYO1", "Guichet 1"),
        ("LYO1", "Guichet 2"),
        ("PAR1", "Guichet 1"),
        ("PAR1", "Guichet 2"),
    ]
    waiting = Ticket.objects.filter(site__code="PAR1", day=timezone.localdate(), status="en_attente")
    assert sorted(waiting.values_list("reason", flat=True)) == ["depot", "depot", "reclamation", "retrait"]
    assert waiting.filter(priority__code="handicap").count() == 1
    assert demo.tickets_created == 4


def test_the_first_run_reports_what_it_created(loaded, db):
    report = loaded[1]
    assert report.startswith("Données de démonstration créées en ")
    assert ": 2 site(s), 10 utilisateur(s), 40 clients, " in report
    assert "  Clôturé                  15 / 6" in report


def test_the_command_prints_the_logins_every_time(demo):
    out = io.StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        call_command("demo", stdout=out)
    text = out.getvalue()
    assert "Les données de démonstration étaient déjà là" in text
    assert "Identifiant      Mot de passe  Rôle(s)                         Site(s)" in text
    assert "accueil          demo          Accueil                         PAR1" in text
    assert "responsable      demo          Responsable SAV + admin Django  PAR1" in text
    assert "reseau           demo          Responsable SAV                 tous les sites (réseau)" in text


# ---------------------------------------------------------------- parts catalogue, quotes and repair orders


def _events_by_case() -> dict[int, dict[str, CaseEvent]]:
    """Each dossier's transitions by the state they reached (each is reached at most once on a demo path
    up to the quote decision)."""
    found: dict[int, dict[str, CaseEvent]] = {}
    for event in CaseEvent.objects.filter(kind=EventKind.TRANSITION).order_by("at", "pk"):
        found.setdefault(event.case_id, {}).setdefault(event.to_status, event)
    return found


def test_the_parts_catalogue_has_new_parts_and_their_used_equivalents(demo):
    new_count = sum(len(specs) for specs in CATALOGUE.values())
    used_count = sum(1 for specs in CATALOGUE.values() for spec in specs if spec.used)
    assert Part.objects.count() == new_count + used_count == 37
    assert Part.objects.filter(condition=PartCondition.NEUF).count() == new_count == 29
    for part in Part.objects.select_related("equivalent_of"):
        part.full_clean()
        assert part.price_ht > 0 and part.is_active
        assert (part.lead_time_days == 0) == (part.availability == Availability.EN_STOCK)
        if part.is_circular:
            new = part.equivalent_of
            assert new is not None and not new.is_circular
            assert (part.kind, part.designation) == (new.kind, new.designation)
            assert part.price_ht < new.price_ht
            assert part.reference.startswith(new.reference + "-")
        else:
            assert part.equivalent_of is None
    assert list(BonusLabel.objects.values_list("site__code", "label_number")) == [("PAR1", LABEL_NUMBER)]


def test_every_dossier_past_the_quote_has_exactly_one_quote(demo):
    events = _events_by_case()
    today = timezone.localdate()
    quoted = [c for c in RepairCase.objects.all() if CaseStatus.DEVIS_ENVOYE in events.get(c.pk, {})]
    assert len(quoted) == Quote.objects.count() == Quote.objects.values("case").distinct().count()
    assert not Quote.objects.filter(status__in=[QuoteStatus.BROUILLON, QuoteStatus.REMPLACE]).exists()
    quotes = {q.case_id: q for q in Quote.objects.select_related("case__site", "case__customer")}
    numbers = set()
    for case in quoted:
        quote, reached = quotes[case.pk], events[case.pk]
        sent = reached[CaseStatus.DEVIS_ENVOYE]
        assert quote.version == 1 and quote.sent_at == sent.at and quote.sent_channel == "papier"
        assert quote.number.startswith(f"DEV-{case.site.code}-{timezone.localtime(sent.at).year}-")
        numbers.add(quote.number)
        assert quote.issued_on == timezone.localtime(sent.at).date()
        assert quote.solution.created_at == quote.created_at < quote.sent_at
        assert quote.lines.exists() and quote.total_ttc > 0
        assert sent.note.startswith(f"Devis {quote.number} (version 1) : ")
        if CaseStatus.ACCEPTE in reached:
            accepted = reached[CaseStatus.ACCEPTE]
            assert quote.status == QuoteStatus.ACCEPTE and quote.decided_at == accepted.at
            assert quote.signer_name == case.customer.display_name
            assert accepted.note == f"Devis {quote.number} signé par {quote.signer_name}."
            assert quote.valid_until >= timezone.localtime(accepted.at).date()
        elif CaseStatus.REFUSE in reached:
            refused = reached[CaseStatus.REFUSE]
            assert quote.status == QuoteStatus.REFUSE and quote.decided_at == refused.at
            assert quote.refusal_reason and refused.note == quote.refusal_reason
        else:
            assert quote.status == QuoteStatus.ENVOYE and quote.decided_at is None
            if case.status == CaseStatus.DEVIS_ENVOYE:  # awaiting the answer: it can still be accepted
                assert quote.valid_until >= today
            else:  # the dossier ended otherwise (cancelled, unrepairable): the quote simply expires
                assert case.status in (CaseStatus.ANNULE, CaseStatus.NON_REPARABLE)
                assert quote.valid_until == quote.issued_on + datetime.timedelta(days=30)
    assert len(numbers) == len(quoted)
    assert Solution.objects.exclude(case__in=quoted).count() == 0
    for status in (CaseStatus.ACCEPTE, CaseStatus.PLANIFIE, CaseStatus.REPARE, CaseStatus.CLOTURE):
        for case in RepairCase.objects.filter(status=status).exclude(pk__in=[c.pk for c in quoted]):
            raise AssertionError(f"{case.number} ({status}) n'a pas de devis")


def test_dossiers_in_each_quote_state_carry_the_matching_quote(demo):
    # 5 dossiers in Paris and 1 in Lyon in each of these states (see the quotas test above)
    for case_status, quote_status in (
        (CaseStatus.DEVIS_ENVOYE, QuoteStatus.ENVOYE),
        (CaseStatus.ACCEPTE, QuoteStatus.ACCEPTE),
        (CaseStatus.REFUSE, QuoteStatus.REFUSE),
    ):
        assert Quote.objects.filter(case__status=case_status, status=quote_status).count() == 6
        assert Quote.objects.filter(case__status=case_status).count() == 6
    later = [CaseStatus.PLANIFIE, CaseStatus.EN_ATELIER, CaseStatus.EN_REPARATION, CaseStatus.REPARE]
    for case in RepairCase.objects.filter(status__in=[*later, CaseStatus.PRET, CaseStatus.ATTENTE_PIECES]):
        assert case.quotes.get().status == QuoteStatus.ACCEPTE, case.number
    assert not Quote.objects.filter(case__status__in=[CaseStatus.RECU, CaseStatus.PREDIAGNOSTIQUE]).exists()


def test_quotes_with_parts_of_covered_families_carry_a_used_part_offer_or_note(demo):
    lines = QuoteLine.objects.filter(kind=LineKind.PIECE).select_related("part")
    kinds: dict[int, set[str]] = {}
    for line in lines:
        kinds.setdefault(line.quote_id, set()).add(line.part.kind)
    covered = 0
    for quote in Quote.objects.select_related("case__appliance").prefetch_related(
        "case__solutions__parts__part"
    ):
        circular = any(sp.part.is_circular for s in quote.case.solutions.all() for sp in s.parts.all())
        required = rules.used_part_required(
            family=quote.case.appliance.family, part_kinds=kinds.get(quote.pk, set()), on=quote.issued_on
        )
        if circular:
            assert quote.used_part_info.startswith("Option avec pièce(s) issue(s) de l'économie circulaire")
        elif required:
            assert quote.used_part_info == NO_USED_PART
        else:
            assert quote.used_part_info == ""
        covered += required
    assert covered > 0
    assert Quote.objects.filter(used_part_info__startswith="Option avec pièce").exists()
    assert Quote.objects.filter(used_part_info=NO_USED_PART).exists()


def test_paris_quotes_deduct_the_repair_bonus_when_eligible(demo):
    assert not Quote.objects.filter(case__site__code="LYO1", bonus_amount__gt=0).exists()
    with_bonus = Quote.objects.filter(case__site__code="PAR1", bonus_amount__gt=0).select_related(
        "bonus_rate"
    )
    assert with_bonus.exists()
    for quote in with_bonus:
        assert quote.bonus_amount == min(quote.bonus_rate.amount, quote.total_ttc)


def test_some_accepted_home_repairs_were_planned_through_a_repair_order(demo):
    orders = RepairOrder.objects.select_related("quote", "case", "technician")
    assert orders.exists()
    events = _events_by_case()
    for order in orders:
        case = order.case
        assert case.site.code == "PAR1" and case.location == WorkLocation.DOMICILE
        assert order.quote.status == QuoteStatus.ACCEPTE
        planned = events[case.pk][CaseStatus.PLANIFIE]
        assert planned.note == f"Ordre de réparation {order.number} établi."
        assert planned.actor.username == "responsable" and order.created_at == planned.at
        assert order.technician.has_role("technicien") and order.planned_for
        assert order.promised_on > timezone.localtime(order.planned_for).date()
        assert all(p.action == "reservee" for p in order.parts.all())


# ---------------------------------------------------------------- billing: deposits and the tracking link


def test_deposit_invoices_follow_the_dates_and_the_final_invoices_deduct_them(demo):
    from django.db.models import Sum

    from atelier.billing.journal import journal_verify
    from atelier.billing.models import Invoice

    for code in ("PAR1", "LYO1"):
        dates = list(
            Invoice.objects.filter(site__code=code, number__startswith="F-")
            .order_by("number")
            .values_list("issued_at", flat=True)
        )
        assert dates == sorted(dates)
    deposits = Invoice.objects.filter(kind="acompte")
    assert deposits.exists()
    for deposit in deposits:
        assert deposit.payments.aggregate(s=Sum("amount"))["s"] == deposit.total_ttc
    for final in Invoice.objects.filter(kind="facture", deposits_ttc__gt=0):
        taken = deposits.filter(case=final.case).aggregate(s=Sum("total_ttc"))["s"]
        assert final.deposits_ttc == taken
    assert journal_verify().ok


def test_the_repaired_dossiers_can_be_invoiced_at_the_counter(demo):
    """Their quoted parts were received, then consumed at the repair: the invoice's parts check passes."""
    from atelier.billing.selectors import accepted_quote, invoice_draft, quoted_parts
    from atelier.stock.selectors import consumed_on_case

    ready = [
        case
        for case in RepairCase.objects.filter(status__in=[CaseStatus.REPARE, CaseStatus.PRET])
        if accepted_quote(case) is not None
    ]
    assert ready
    for case in ready:
        assert consumed_on_case(case) == quoted_parts(accepted_quote(case)), case.number
        assert invoice_draft(case).refusals == [], case.number


def test_a_commercial_gesture_is_credited_and_refunded_to_the_card(demo):
    from atelier.billing.models import Invoice, Payment
    from atelier.billing.selectors import balance_due

    note = Invoice.objects.get(kind="avoir")
    refund = Payment.objects.get(kind="remboursement")
    assert (note.total_ttc, note.reason, note.case.status) == (
        Decimal("20.00"),
        "Geste commercial : délai de réparation dépassé",
        CaseStatus.CLOTURE,
    )
    assert (refund.case, refund.method, refund.amount, refund.invoice) == (
        note.case,
        "carte",
        Decimal("-20.00"),
        note,
    )
    assert balance_due(note.case) == Decimal("0.00")


def test_the_report_gives_the_customers_tracking_link_of_a_quote_to_accept(loaded, db):
    from atelier.billing.models import TrackingLink

    link = TrackingLink.objects.get()
    assert link.case.status == CaseStatus.DEVIS_ENVOYE and link.case.site.code == "PAR1"
    assert (
        f"Espace client (sans compte) : http://127.0.0.1:8000/suivi/{link.token}/ — dossier {link.case.number}, "
        "devis à accepter en ligne."
    ) in loaded[1]


def test_the_appointments_of_the_coming_days_are_in_validated_plans(demo):
    """Every home visit (from a repair order) the story planned for today or the coming days is in the
    validated plan of its day, on its technician."""
    from atelier.demo.clock import next_working_days
    from atelier.planning.models import PlanStop, TechnicianProfile, Visit

    today = timezone.localdate()
    days = {today, *next_working_days(today, 5)}
    profiled = set(TechnicianProfile.objects.values_list("user_id", flat=True))
    expected = {
        (visit.order.case_id, visit.order.case.technician_id)
        for visit in Visit.objects.filter(
            order__case__status=CaseStatus.PLANIFIE, order__case__technician_id__in=profiled
        ).select_related("order__case")
        if timezone.localdate(visit.order.case.planned_for) in days
    }
    validated = set(
        PlanStop.objects.filter(route__validated=True, route__plan__day__in=days).values_list(
            "visit__order__case_id", "route__technician_id"
        )
    )
    assert expected and validated == expected
