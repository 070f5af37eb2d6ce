"""The loaded demo, part one: sites and logins, customers, dossiers and their timelines, the reception, a second
run and the printed report. The demo is loaded once for the package at a fixed instant (see conftest.py)."""

import datetime
import io
from decimal import Decimal

import phonenumbers
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import timezone
from stdnum.fr import siren, siret, tva

from atelier.core import geo
from atelier.core.models import NumberSequence, Site, SiteTariff, User, UserRole
from atelier.customers.models import Appliance, Customer
from atelier.demo import load_demo
from atelier.demo.clock import OPENING, is_working_day
from atelier.demo.tests.story import FAST_HASHER
from atelier.quotes.models import BonusLabel, Quote, QuoteLine, RepairOrder, Solution, SolutionPart
from atelier.reception.models import Counter, Ticket
from atelier.repairs.choices import CaseStatus, Channel, EventKind, WorkLocation
from atelier.repairs.models import CaseEvent, RepairCase
from atelier.repairs.workflow import TRANSITIONS
from atelier.stock.models import Part


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


def test_one_user_per_role_and_an_admin_account_with_the_demo_password(demo):
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
        "responsable": (["responsable_sav"], ["PAR1"], False, False),
        "magasinier": (["magasinier"], ["PAR1"], False, False),
        "comptable": (["comptable"], ["PAR1"], False, False),
        "formateur": (["formateur"], ["PAR1"], False, False),
        "accueil.lyon": (["accueil"], ["LYO1"], False, False),
        "technicien.lyon": (["technicien"], ["LYO1"], False, False),
        "reseau": (["responsable_sav"], ["LYO1", "PAR1"], False, True),
        "admin": ([], ["LYO1", "PAR1"], True, False),
    }
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        assert all(u.check_password("demo") and u.first_name and u.last_name for u in User.objects.all())
    # the Django admin is opened by its own account; the SAV manager works the dossiers without a superuser flag
    assert list(User.objects.filter(is_staff=True).values_list("username", flat=True)) == ["admin"]


def test_every_state_has_its_dossiers_in_both_sites(demo):
    # Paris: at least 5 per state (the full demo's quotas scaled to 40 customers), Lyon: at least 1.
    # + 1 « reçu » in Paris: the dossier a claim answered « réparation » opened (demo/aftersales.py)
    # « abandonné »: none here; a dossier ends so only when its appliance enters the shop's stock (second life)
    expected_paris = {status: 5 for status in CaseStatus.values} | {"cloture": 15, "recu": 6, "abandonne": 0}
    expected_lyon = {status: 1 for status in CaseStatus.values} | {"cloture": 6, "abandonne": 0}
    assert demo.cases_by_status == {"LYO1": expected_lyon, "PAR1": expected_paris}
    assert RepairCase.objects.filter(site__code="PAR1").count() == 86
    assert RepairCase.objects.count() == 106
    assert demo.cases_created == 105  # the dossiers of the demo's stories; the claim's is counted with claims


def test_every_timeline_is_consistent(demo):
    now = timezone.now()
    oldest = now - datetime.timedelta(days=90)
    steps = {(t.sources, t.target): t for t in TRANSITIONS}
    events_by_case: dict[int, list[CaseEvent]] = {}
    for event in CaseEvent.objects.select_related("actor").order_by("at", "pk"):
        events_by_case.setdefault(event.case_id, []).append(event)
    for case in RepairCase.objects.select_related("technician"):
        events = events_by_case[case.pk]
        # notes (a procedure followed, a non-conformity) sit between the state changes
        opening, transitions = events[0], [e for e in events[1:] if e.kind != EventKind.NOTE]
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
    assert ": 2 sites, 11 utilisateurs, 40 clients, " in report
    assert "  Clôturé                  15 / 6" in report


def test_the_command_prints_the_logins_every_time(demo):
    out = io.StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        call_command("demo", stdout=out)
    text = out.getvalue()
    assert "Les données de démonstration étaient déjà là" in text
    assert "Identifiant      Mot de passe  Rôle(s)                        Site(s)" in text
    assert "accueil          demo          Accueil                        PAR1" in text
    assert "responsable      demo          Responsable SAV                PAR1" in text
    assert "admin            demo          Administrateur (admin Django)  PAR1, LYO1" in text
    assert "reseau           demo          Responsable SAV                tous les sites (réseau)" in text
