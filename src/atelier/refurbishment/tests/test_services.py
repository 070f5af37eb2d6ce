"""Intake, ledger, reservation and sale of second-life appliances (C1.13: entries and exits recorded, stock up
to date), the notice period of abandoned dossiers (loi du 31 décembre 1903, art. 1er), triage (C1.14)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from atelier.core.errors import AtelierError, PermissionRefused
from atelier.refurbishment import selectors, services
from atelier.refurbishment.choices import ApplianceState, LetterMethod, MoveKind, Origin, TriageOutcome
from atelier.refurbishment.models import ApplianceMove, StockAppliance

from .conftest import all_checks

pytestmark = pytest.mark.django_db


def _validated(take_in, technicien, **kwargs):
    appliance = take_in(**kwargs)
    services.appliance_triage(
        actor=technicien,
        appliance=appliance,
        results=all_checks(appliance.family),
        outcome=TriageOutcome.VALIDE,
    )
    appliance.refresh_from_db()
    return appliance


def test_intake_numbers_the_appliance_and_writes_its_entry(take_in, site, lot, shelf, magasinier):
    appliance = take_in()
    year = timezone.localdate().year
    assert appliance.number == f"AP-PAR1-{year}-00001"
    assert appliance.state == ApplianceState.A_TRIER
    assert (appliance.origin, appliance.lot, appliance.location) == (Origin.COLLECTE, lot, shelf)
    assert lot.number == f"LOT-PAR1-{year}-0001"
    (move,) = ApplianceMove.objects.filter(appliance=appliance)
    assert (move.kind, move.quantity, move.state_after, move.to_location) == (
        MoveKind.ENTREE,
        1,
        "a_trier",
        shelf,
    )
    assert take_in().number == f"AP-PAR1-{year}-00002"


def test_collection_without_lot_and_donation_without_donor_are_refused(magasinier, site):
    with pytest.raises(AtelierError, match="Un appareil de collecte entre dans un lot : choisissez-le."):
        services.appliance_intake(
            actor=magasinier, site=site, origin=Origin.COLLECTE, family="froid", brand="LG"
        )
    with pytest.raises(AtelierError, match="Précisez le donateur."):
        services.appliance_intake(actor=magasinier, site=site, origin=Origin.DON, family="froid", brand="LG")
    with pytest.raises(AtelierError, match="Indiquez la valeur de reprise"):
        services.appliance_intake(
            actor=magasinier,
            site=site,
            origin=Origin.REPRISE,
            family="froid",
            brand="LG",
            origin_note="Achat F-12",
        )
    assert StockAppliance.objects.count() == 0


def test_trade_in_keeps_its_value(magasinier, site):
    appliance = services.appliance_intake(
        actor=magasinier,
        site=site,
        origin=Origin.REPRISE,
        family="televiseur",
        brand="Samsung",
        origin_note="Reprise contre l'achat d'un téléviseur (ticket 4411)",
        trade_in_value="30.00",
    )
    assert appliance.trade_in_value == Decimal("30.00")


def test_a_lot_needs_its_delivery_note(magasinier, site):
    with pytest.raises(AtelierError, match="Le n° du bon de livraison est obligatoire pour un lot."):
        services.lot_create(
            actor=magasinier,
            site=site,
            kind="partenaire",
            partner="Emmaüs",
            delivery_note=" ",
            received_on=timezone.localdate(),
        )


def test_the_counter_may_not_take_an_appliance_in(accueil, site):
    with pytest.raises(PermissionRefused):
        services.appliance_intake(
            actor=accueil, site=site, origin=Origin.DON, family="audio", brand="Sony", origin_note="M. Petit"
        )


# ---------------------------------------------------------------- abandoned dossiers


def test_abandoned_appliance_enters_only_after_the_letter_and_its_period(
    waiting_case, accueil, magasinier, site
):
    """Loi du 31 décembre 1903, art. 1er: the default period is one year, counted here from the letter."""
    with pytest.raises(AtelierError) as refused:
        services.appliance_intake(actor=magasinier, site=site, origin=Origin.ABANDON, case=waiting_case)
    assert refused.value.message == (
        f"Aucune lettre de mise en demeure n'est enregistrée pour le dossier {waiting_case.number} : envoyez-la "
        "d'abord, le délai d'abandon court à partir d'elle."
    )
    sent = timezone.localdate() - datetime.timedelta(days=100)
    letter = services.abandon_letter_record(
        actor=accueil,
        case=waiting_case,
        sent_on=sent,
        method=LetterMethod.RECOMMANDE,
        reference="1A 234 567 8901 2",
    )
    assert (letter.notice_days, letter.due_on) == (365, sent + datetime.timedelta(days=365))
    with pytest.raises(AtelierError) as refused:
        services.appliance_intake(actor=magasinier, site=site, origin=Origin.ABANDON, case=waiting_case)
    assert refused.value.message.startswith(
        f"Le délai d'abandon du dossier {waiting_case.number} n'est pas écoulé : lettre du {sent:%d/%m/%Y}, 365 jours "
    )
    assert refused.value.message.endswith(
        f"l'appareil pourra entrer en stock à partir du {letter.due_on:%d/%m/%Y}."
    )
    assert StockAppliance.objects.count() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=266)):
        appliance = services.appliance_intake(
            actor=magasinier, site=site, origin=Origin.ABANDON, case=waiting_case
        )
    assert (appliance.family, appliance.brand, appliance.model_ref) == ("lave_vaisselle", "Miele", "G 5210")
    assert appliance.case == waiting_case
    assert (
        waiting_case.events.filter(label="Appareil abandonné : entré dans le stock du magasin").count() == 1
    )
    waiting_case.refresh_from_db()
    assert waiting_case.status == "abandonne"


def test_the_site_period_applies_to_letters_sent_after_it(waiting_case, responsable, accueil, site):
    services.notice_rule_set(
        actor=responsable,
        site=site,
        days=90,
        valid_from=datetime.date(2026, 1, 1),
        legal_basis="Conditions générales de vente, art. 9",
    )
    letter = services.abandon_letter_record(
        actor=accueil, case=waiting_case, sent_on=timezone.localdate(), method=LetterMethod.EMAIL
    )
    assert (letter.notice_days, letter.legal_basis) == (90, "Conditions générales de vente, art. 9")


def test_a_letter_needs_a_dossier_waiting_for_its_owner(make_open_case, accueil):
    case = make_open_case()
    with pytest.raises(
        AtelierError, match="une lettre de mise en demeure ne concerne qu'un appareil qui attend"
    ):
        services.abandon_letter_record(
            actor=accueil, case=case, sent_on=timezone.localdate(), method=LetterMethod.LETTRE
        )


@pytest.fixture
def make_open_case(accueil, site):
    from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory
    from atelier.repairs.services import case_open

    def make():
        owner = CustomerFactory(site=site)
        return case_open(
            actor=accueil, customer=owner, appliance=ApplianceFactory(customer=owner), customer_words="Fuit."
        )

    return make


# ---------------------------------------------------------------- triage


@pytest.mark.parametrize(
    ("outcome", "failing", "state"),
    [
        (TriageOutcome.VALIDE, (), ApplianceState.A_RECONDITIONNER),
        (TriageOutcome.A_REPARER, ("vidange",), ApplianceState.A_RECONDITIONNER),
        (TriageOutcome.NON_REPARABLE, ("mise_sous_tension",), ApplianceState.A_DEMONTER),
    ],
)
def test_three_way_triage(take_in, technicien, outcome, failing, state):
    """C1.14: fonctionnement validé, à réparer, non réparable; non-repairable ones go to dismantling."""
    appliance = take_in()
    triage = services.appliance_triage(
        actor=technicien,
        appliance=appliance,
        results=all_checks("lave_linge", failing=failing),
        outcome=outcome,
    )
    appliance.refresh_from_db()
    assert (appliance.state, appliance.triage_outcome) == (state, outcome)
    assert triage.results.count() == 8  # 3 common checks + 5 of the lave-linge list
    assert list(triage.results.filter(passed=False).values_list("check_item__code", flat=True)) == list(
        failing
    )
    assert appliance.moves.filter(kind=MoveKind.TRI, quantity=0).count() == 1


def test_triage_refuses_a_validated_outcome_with_a_failed_check_and_a_missing_check(take_in, technicien):
    appliance = take_in()
    with pytest.raises(AtelierError) as refused:
        services.appliance_triage(
            actor=technicien,
            appliance=appliance,
            results=all_checks("lave_linge", failing=("porte",)),
            outcome=TriageOutcome.VALIDE,
        )
    assert refused.value.message == (
        "Fonctionnement validé impossible : le contrôle « Verrouillage de la porte » a échoué."
    )
    results = all_checks("lave_linge")
    del results["fuite"]
    with pytest.raises(AtelierError, match="Le contrôle « Étanchéité » n'est pas renseigné."):
        services.appliance_triage(actor=technicien, appliance=appliance, results=results, outcome="valide")
    appliance.refresh_from_db()
    assert appliance.state == ApplianceState.A_TRIER
    assert appliance.triages.count() == 0


# ---------------------------------------------------------------- reservation, sale, scrapping


def test_an_appliance_still_in_triage_is_not_sold(take_in, accueil):
    appliance = take_in()
    with pytest.raises(AtelierError) as refused:
        services.appliance_sell(actor=accueil, appliance=appliance, price="120.00")
    assert refused.value.message == (
        f"L'appareil {appliance.number} est encore à trier : un appareil ne se vend ni ne se réserve avant son tri "
        "(fonctionnement validé)."
    )
    appliance.refresh_from_db()
    assert appliance.state == ApplianceState.A_TRIER
    assert appliance.moves.count() == 1


def test_the_ledger_balances_after_a_sale_and_a_scrapping(take_in, technicien, accueil, magasinier, site):
    sold = _validated(take_in, technicien)
    scrapped = take_in(family="froid", brand="Liebherr")
    take_in(family="audio", brand="Sony")
    assert selectors.ledger_balance(site=site) == 3
    services.appliance_sell(actor=accueil, appliance=sold, price="149.00")
    services.appliance_scrap(actor=magasinier, appliance=scrapped, reason="Gaz R12 : filière DEEE")
    sold.refresh_from_db()
    assert (sold.state, sold.sale_price, sold.location) == (ApplianceState.VENDU, Decimal("149.00"), None)
    in_stock = StockAppliance.objects.filter(
        site=site, state__in=["a_trier", "a_reconditionner", "a_demonter"]
    )
    assert selectors.ledger_balance(site=site) == in_stock.count() == 1
    with pytest.raises(AtelierError, match=f"L'appareil {sold.number} est déjà vendu."):
        services.appliance_sell(actor=accueil, appliance=sold, price="149.00")


def test_a_reservation_keeps_the_appliance_for_its_customer(take_in, technicien, accueil, customer, site):
    from atelier.customers.tests.factories import CustomerFactory

    appliance = _validated(take_in, technicien)
    until = timezone.localdate() + datetime.timedelta(days=7)
    services.appliance_reserve(actor=accueil, appliance=appliance, customer=customer, until=until)
    with pytest.raises(AtelierError, match="est déjà réservé pour"):
        services.appliance_reserve(
            actor=accueil, appliance=appliance, customer=CustomerFactory(site=site), until=until
        )
    with pytest.raises(AtelierError, match="vendez-le à ce client ou annulez"):
        services.appliance_sell(actor=accueil, appliance=appliance, price="99.00")
    services.appliance_sell(actor=accueil, appliance=appliance, price="99.00", customer=customer)
    appliance.refresh_from_db()
    assert (appliance.state, appliance.sold_to, appliance.reserved_for) == (
        ApplianceState.VENDU,
        customer,
        None,
    )
    assert list(appliance.moves.order_by("pk").values_list("kind", "quantity")) == [
        ("entree", 1),
        ("tri", 0),
        ("reservation", 0),
        ("vente", -1),
    ]


def test_bad_prices_are_refused_in_french(take_in, technicien, accueil):
    appliance = _validated(take_in, technicien)
    for price in ("abc", "-5", "10.001", "0"):
        with pytest.raises(AtelierError, match="Prix de vente"):
            services.appliance_sell(actor=accueil, appliance=appliance, price=price)
    appliance.refresh_from_db()
    assert appliance.state == ApplianceState.A_RECONDITIONNER


def test_non_repairable_and_to_repair_are_not_sold(take_in, technicien, accueil):
    broken = take_in()
    services.appliance_triage(
        actor=technicien,
        appliance=broken,
        results=all_checks("lave_linge", failing=["porte"]),
        outcome=TriageOutcome.NON_REPARABLE,
    )
    with pytest.raises(AtelierError, match="est non réparable : il part au démontage, pas à la vente."):
        services.appliance_sell(actor=accueil, appliance=broken, price="50.00")
    to_repair = take_in()
    services.appliance_triage(
        actor=technicien,
        appliance=to_repair,
        results=all_checks("lave_linge", failing=["porte"]),
        outcome=TriageOutcome.A_REPARER,
    )
    with pytest.raises(
        AtelierError, match="est à réparer : il ne se vend qu'une fois son fonctionnement validé."
    ):
        services.appliance_sell(actor=accueil, appliance=to_repair, price="50.00")


def test_relocate_writes_from_and_to(take_in, magasinier, shelf, shelf2):
    appliance = take_in()
    services.appliance_relocate(actor=magasinier, appliance=appliance, location=shelf2)
    move = appliance.moves.get(kind=MoveKind.EMPLACEMENT)
    assert (move.from_location, move.to_location, move.quantity) == (shelf, shelf2, 0)
    with pytest.raises(AtelierError, match="L'appareil est déjà à cet emplacement."):
        services.appliance_relocate(actor=magasinier, appliance=appliance, location=shelf2)


# ---------------------------------------------------------------- counts


def test_a_count_marks_the_missing_and_brings_back_the_found(take_in, magasinier, site, shelf, shelf2):
    here, missing = take_in(), take_in()
    elsewhere = take_in(family="audio", brand="Sony")
    services.appliance_relocate(actor=magasinier, appliance=elsewhere, location=shelf2)
    count = services.appliance_count_record(
        actor=magasinier, site=site, location=shelf, present=[here.pk], extra_numbers=elsewhere.number.lower()
    )
    assert (count.expected, count.found, count.missing, count.extra) == (2, 1, 1, 1)
    missing.refresh_from_db()
    elsewhere.refresh_from_db()
    assert missing.state == ApplianceState.INTROUVABLE
    assert elsewhere.location == shelf
    assert selectors.ledger_balance(site=site) == 2
    # found again at the next count: back in stock in its former state
    services.appliance_count_record(
        actor=magasinier,
        site=site,
        location=shelf,
        present=[here.pk, elsewhere.pk],
        extra_numbers=missing.number,
    )
    missing.refresh_from_db()
    assert (missing.state, missing.location) == (ApplianceState.A_TRIER, shelf)
    assert selectors.ledger_balance(site=site) == 3


def test_a_count_refuses_an_unknown_number(take_in, magasinier, site):
    take_in()
    with pytest.raises(AtelierError, match="Numéro inconnu sur ce site : AP-XXX."):
        services.appliance_count_record(
            actor=magasinier, site=site, location=None, present=[], extra_numbers="AP-XXX"
        )
    assert StockAppliance.objects.get().state == ApplianceState.A_TRIER
