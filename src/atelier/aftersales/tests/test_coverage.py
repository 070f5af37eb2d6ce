"""The coverage engine, rule by rule, with the article each rule comes from; boundary days included."""

import datetime
from decimal import Decimal

import pytest

from atelier.aftersales.choices import CaseCoverBasis, ContractKind, CoverKind
from atelier.aftersales.coverage import coverage_for
from atelier.aftersales.models import (
    ApplianceContract,
    CaseCover,
    MaintenanceContract,
    ManufacturerWarranty,
    RepairGuaranteeTerm,
)
from atelier.customers.models import WarrantyRule
from atelier.customers.tests.factories import ApplianceFactory
from atelier.customers.warranty import add_months, legal_warranty_end

pytestmark = pytest.mark.django_db
D = datetime.date


def _kinds(report):
    return [(c.kind, c.start, c.end, c.presumption_end, c.active) for c in report.coverages]


def test_L217_3_and_L217_7_seed_gives_used_goods_two_years_and_twelve_months_of_presumption():
    rows = list(
        WarrantyRule.objects.order_by("valid_from", "-bought_new").values_list(
            "valid_from", "bought_new", "months", "presumption_months"
        )
    )
    assert rows == [
        (D(2005, 2, 19), True, 24, 6),
        (D(2005, 2, 19), False, 24, 6),
        (D(2016, 3, 18), True, 24, 24),
        (D(2016, 3, 18), False, 24, 6),
        (D(2022, 1, 1), True, 24, 24),
        (D(2022, 1, 1), False, 24, 12),
    ]


@pytest.mark.parametrize(
    ("on", "active"),
    [(D(2024, 2, 28), False), (D(2024, 2, 29), True), (D(2026, 2, 28), True), (D(2026, 3, 1), False)],
)
def test_L217_3_legal_guarantee_runs_two_years_from_delivery_leap_day_included(appliance, on, active):
    """Bought 29/02/2024 (leap day): the guarantee ends 28/02/2026 (add_months clamps), presumption the same."""
    report = coverage_for(appliance, on)
    assert _kinds(report) == [
        (CoverKind.GARANTIE_LEGALE, D(2024, 2, 29), D(2026, 2, 28), D(2026, 2, 28), active)
    ]
    legal = report.coverages[0]
    assert (legal.payer, legal.label) == ("Le vendeur (Darty)", "Garantie légale de conformité")
    assert legal.basis.startswith("C. consom. art. L217-3 (garantie) et L217-7 (présomption)")


def test_L217_7_used_goods_keep_two_years_of_guarantee_and_twelve_months_of_presumption(customer):
    used = ApplianceFactory(customer=customer, purchase_date=D(2023, 5, 10), bought_new=False)
    report = coverage_for(used, D(2024, 5, 11))
    assert _kinds(report) == [
        (CoverKind.GARANTIE_LEGALE, D(2023, 5, 10), D(2025, 5, 10), D(2024, 5, 10), True)
    ]
    assert legal_warranty_end(purchase_date=D(2023, 5, 10), bought_new=False) == D(2025, 5, 10)


def test_L217_7_before_2016_the_presumption_was_six_months_for_new_goods(customer):
    old = ApplianceFactory(customer=customer, purchase_date=D(2015, 6, 1), bought_new=True)
    assert _kinds(coverage_for(old, D(2015, 7, 1))) == [
        (CoverKind.GARANTIE_LEGALE, D(2015, 6, 1), D(2017, 6, 1), D(2015, 12, 1), True)
    ]


def test_L217_3_cover_ended_yesterday_is_listed_inactive(appliance):
    end = add_months(D(2024, 2, 29), 24)
    report = coverage_for(appliance, end + datetime.timedelta(days=1))
    assert [(c.kind, c.end, c.active) for c in report.coverages] == [
        (CoverKind.GARANTIE_LEGALE, D(2026, 2, 28), False)
    ]
    assert report.active == []


def test_L217_3_no_purchase_date_gives_a_clear_french_note(customer):
    unknown = ApplianceFactory(customer=customer, purchase_date=None)
    report = coverage_for(unknown, D(2026, 1, 1))
    assert report.coverages == []
    assert report.notes == [
        "La date d'achat de l'appareil n'est pas connue : la garantie légale de conformité (art. L217-3) et la "
        "garantie du fabricant ne peuvent pas être calculées. Demandez la preuve d'achat (facture, ticket de "
        "caisse) et notez la date d'achat sur la fiche de l'appareil."
    ]


def test_L217_13_repair_under_legal_guarantee_extends_it_by_six_months(appliance, handed_back, accueil):
    case = handed_back(appliance, D(2025, 6, 10))
    CaseCover.objects.create(case=case, basis=CaseCoverBasis.GARANTIE_LEGALE, recorded_by=accueil)
    report = coverage_for(appliance, D(2026, 8, 28))
    assert _kinds(report) == [
        (CoverKind.GARANTIE_LEGALE, D(2024, 2, 29), D(2026, 2, 28), D(2026, 2, 28), False),
        (CoverKind.GARANTIE_REPARATION, D(2025, 6, 10), D(2025, 9, 8), None, False),
        (CoverKind.EXTENSION_L217_13, D(2026, 3, 1), D(2026, 8, 28), None, True),
    ]
    assert coverage_for(appliance, D(2026, 8, 29)).active == []


def test_L217_13_replacement_under_legal_guarantee_starts_a_new_guarantee(appliance, handed_back, accueil):
    case = handed_back(appliance, D(2025, 1, 15))
    CaseCover.objects.create(
        case=case, basis=CaseCoverBasis.GARANTIE_LEGALE, replaced=True, recorded_by=accueil
    )
    legal = [
        c for c in coverage_for(appliance, D(2026, 6, 1)).coverages if c.kind == CoverKind.GARANTIE_LEGALE
    ]
    assert [(c.start, c.end, c.presumption_end, c.active) for c in legal] == [
        (D(2025, 1, 15), D(2027, 1, 15), D(2027, 1, 15), True)
    ]
    assert legal[0].basis.startswith("C. consom. art. L217-13 al. 2")


def test_L217_21_manufacturer_warranty_per_brand_and_family_family_rule_first(appliance):
    ManufacturerWarranty.objects.create(
        brand="BOSCH", months=24, valid_from=D(2020, 1, 1), label="Bosch 2 ans"
    )
    ManufacturerWarranty.objects.create(
        brand="bosch",
        family="lave_linge",
        months=60,
        covers="moteur",
        valid_from=D(2023, 1, 1),
        label="Moteur 5 ans",
    )
    fab = [
        c for c in coverage_for(appliance, D(2028, 1, 1)).coverages if c.kind == CoverKind.GARANTIE_FABRICANT
    ]
    assert [(c.label, c.start, c.end, c.payer, c.active) for c in fab] == [
        ("Garantie Bosch 60 mois (moteur)", D(2024, 2, 29), D(2029, 2, 28), "Bosch", True)
    ]


def test_extension_and_insurance_contract_with_its_excess(appliance, accueil):
    ApplianceContract.objects.create(
        appliance=appliance,
        kind=ContractKind.ASSURANCE,
        insurer="SPB",
        contract_number="A-778",
        cover="panne et casse",
        excess=Decimal("49.00"),
        claim_procedure="Déclaration en ligne sous 5 jours",
        start=D(2026, 2, 28),
        end=D(2029, 2, 27),
        created_by=accueil,
    )
    ins = [
        c
        for c in coverage_for(appliance, D(2026, 2, 27)).coverages
        if c.kind == CoverKind.EXTENSION_ASSURANCE
    ]
    assert [(c.label, c.payer, c.basis, c.active) for c in ins] == [
        (
            "Assurance SPB",
            "SPB",
            "Contrat n° A-778 : panne et casse ; franchise 49.00 € ; déclaration : Déclaration en ligne sous 5 jours",
            False,
        )
    ]


def test_repair_guarantee_follows_the_site_term_else_the_invoice_figure(appliance, handed_back, site):
    case = handed_back(appliance, D(2026, 3, 1))
    repair = [
        c
        for c in coverage_for(appliance, D(2026, 5, 30)).coverages
        if c.kind == CoverKind.GARANTIE_REPARATION
    ]
    assert [(c.start, c.end, c.payer, c.active, c.case_id) for c in repair] == [
        (D(2026, 3, 1), D(2026, 5, 30), "Paris Bastille", True, case.pk)  # 90 days (billing figure)
    ]
    RepairGuaranteeTerm.objects.create(site=site, valid_from=D(2026, 1, 1), days=180)
    repair = [
        c
        for c in coverage_for(appliance, D(2026, 5, 31)).coverages
        if c.kind == CoverKind.GARANTIE_REPARATION
    ]
    assert [(c.end, c.active) for c in repair] == [(D(2026, 8, 28), True)]


def test_maintenance_contract_with_its_renewal_date(appliance):
    MaintenanceContract.objects.create(
        appliance=appliance,
        number="CE-2026-001",
        visits_per_year=2,
        includes="détartrage, contrôle des joints",
        price_ttc=Decimal("89.00"),
        start=D(2026, 1, 1),
        end=D(2026, 12, 31),
        renews_automatically=True,
    )
    (contract,) = [
        c for c in coverage_for(appliance, D(2026, 12, 31)).coverages if c.kind == CoverKind.CONTRAT_ENTRETIEN
    ]
    assert (contract.label, contract.payer, contract.basis, contract.active) == (
        "Contrat d'entretien n° CE-2026-001",
        "Paris Bastille",
        "2 visite(s) par an : détartrage, contrôle des joints ; renouvellement le 31/12/2026 (reconduction tacite)",
        True,
    )
