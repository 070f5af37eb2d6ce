"""The coverage engine: for an appliance on a given day, every cover that applies, who pays and why.

All figures are data with dates of effect (customers.WarrantyRule, ManufacturerWarranty, RepairGuaranteeTerm,
billing's LegalFigure); the dossiers of Atelier say what happened (CaseCover: repaired or replaced under the
legal guarantee; the hand-back date starts the repair guarantee). Durations in months count from date to date
(customers.warranty.add_months); a cover runs from `start` to `end`, both days included.

- garantie_legale (C. consom. L217-3, L217-7): from the delivery (the purchase date recorded), or from the
  hand-back of a replacement under that guarantee (L217-13, renewed guarantee);
- extension_l217_13: six more months for each repair under the legal guarantee (L217-13);
- garantie_fabricant: the brand's commercial warranty for that family (L217-21/22);
- extension_assurance: extended warranties and insurance contracts attached to the appliance;
- garantie_reparation: the shop's guarantee on each repair it handed back (parts and labour, same fault);
- contrat_entretien: maintenance contracts sold by the shop.

`appliance_coverages` computes many appliances in a fixed number of queries (a customer page, a list).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.aftersales.choices import CaseCoverBasis, CoverKind
from atelier.aftersales.models import (
    ApplianceContract,
    MaintenanceContract,
    ManufacturerWarranty,
    RepairGuaranteeTerm,
)
from atelier.customers.models import Appliance, WarrantyRule
from atelier.customers.warranty import add_months, legal_terms
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

# a dossier whose appliance went back to the customer: its repair guarantee runs from the hand-back
HANDED_BACK = (CaseStatus.RENDU, CaseStatus.CLOTURE)
EXTENSION_MONTHS = 6  # L217-13, al. 1


@dataclass(frozen=True)
class Coverage:
    kind: str
    label: str
    start: datetime.date
    end: datetime.date
    presumption_end: datetime.date | None
    payer: str
    basis: str
    active: bool
    case_id: int | None = None  # the dossier a repair guarantee comes from (not in the API)

    def as_api(self) -> dict:
        data = asdict(self)
        data.pop("case_id")
        for key in ("start", "end", "presumption_end"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @property
    def kind_label(self) -> str:
        return CoverKind(self.kind).label


@dataclass
class CoverageReport:
    """The covers of one appliance on one day, and what kept the engine from computing one (French notes)."""

    on: datetime.date
    coverages: list[Coverage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def active(self) -> list[Coverage]:
        return [c for c in self.coverages if c.active]

    def as_api(self) -> dict:
        return {"on": self.on.isoformat(), "coverages": [c.as_api() for c in self.coverages]}


@dataclass
class _Data:
    """Everything the engine reads, loaded once for a set of appliances."""

    rules: list[WarrantyRule]
    manufacturer: list[ManufacturerWarranty]
    contracts: dict[int, list[ApplianceContract]]
    maintenance: dict[int, list[MaintenanceContract]]
    cases: dict[int, list[RepairCase]]
    terms: dict[int, list[RepairGuaranteeTerm]]
    invoice_days: list[tuple[datetime.date, int]]


def _load(appliances: list[Appliance]) -> _Data:
    from atelier.billing.choices import RuleKind
    from atelier.billing.models import LegalFigure

    ids = [a.pk for a in appliances]
    site_ids = {a.customer.site_id for a in appliances}
    contracts, maintenance, cases, terms = (
        defaultdict(list),
        defaultdict(list),
        defaultdict(list),
        defaultdict(list),
    )
    for contract in ApplianceContract.objects.filter(appliance_id__in=ids):
        contracts[contract.appliance_id].append(contract)
    for contract in MaintenanceContract.objects.filter(appliance_id__in=ids):
        maintenance[contract.appliance_id].append(contract)
    handed = (
        RepairCase.objects.filter(appliance_id__in=ids, status__in=HANDED_BACK)
        .select_related("cover", "site")
        .annotate(handed_at=Max("events__at", filter=Q(events__to_status=CaseStatus.RENDU)))
        .order_by("received_at", "pk")
    )
    for case in handed:
        cases[case.appliance_id].append(case)
    for term in RepairGuaranteeTerm.objects.filter(site_id__in=site_ids):
        terms[term.site_id].append(term)
    return _Data(
        rules=list(WarrantyRule.objects.all()),
        manufacturer=list(ManufacturerWarranty.objects.all()),
        contracts=contracts,
        maintenance=maintenance,
        cases=cases,
        terms=terms,
        invoice_days=[
            (valid_from, int(value))
            for valid_from, value in LegalFigure.objects.filter(
                kind=RuleKind.REPAIR_WARRANTY_DAYS
            ).values_list("valid_from", "value")
        ],
    )


def handed_back_on(case: RepairCase) -> datetime.date:
    """The day the appliance went back to the customer: the « rendu » step, else the closing."""
    at = getattr(case, "handed_at", None) or case.closed_at or case.status_changed_at
    return timezone.localdate(at)


def _cover(kind, label, start, end, on, *, payer, basis, presumption_end=None, case_id=None) -> Coverage:
    return Coverage(
        kind=kind,
        label=label,
        start=start,
        end=end,
        presumption_end=presumption_end,
        payer=payer,
        basis=basis,
        active=start <= on <= end,
        case_id=case_id,
    )


def _seller(appliance: Appliance) -> str:
    if appliance.purchase_place:
        return _("Le vendeur (%(place)s)") % {"place": appliance.purchase_place}
    return _("Le vendeur")


def _legal(appliance: Appliance, cases: list[RepairCase], data: _Data, report: CoverageReport) -> None:
    """The legal guarantee (L217-3, L217-7), renewed by a replacement and extended by repairs (L217-13)."""
    on = report.on
    legal_cases = [
        c for c in cases if getattr(c, "cover", None) and c.cover.basis == CaseCoverBasis.GARANTIE_LEGALE
    ]
    replacements = [c for c in legal_cases if c.cover.replaced]
    if replacements:
        last = replacements[-1]
        start, bought_new = handed_back_on(last), True  # the replacement is a new good
        label = _("Garantie légale de conformité renouvelée (remplacement, dossier %(n)s)") % {
            "n": last.number
        }
        basis = _(
            "C. consom. art. L217-13 al. 2 : remplacement sous garantie légale, nouvelle garantie de 2 ans"
        )
    elif appliance.purchase_date:
        start, bought_new = appliance.purchase_date, appliance.bought_new
        label = _("Garantie légale de conformité")
        basis = None
    else:
        report.notes.append(
            _(
                "La date d'achat de l'appareil n'est pas connue : la garantie légale de conformité (art. L217-3) "
                "et la garantie du fabricant ne peuvent pas être calculées. Demandez la preuve d'achat (facture, "
                "ticket de caisse) et notez la date d'achat sur la fiche de l'appareil."
            )
        )
        return
    terms = legal_terms(purchase_date=start, bought_new=bought_new, rules=data.rules)
    if terms is None:
        report.notes.append(
            _("Aucune règle de garantie légale n'est en vigueur pour une délivrance le %(d)s.")
            % {"d": start.strftime("%d/%m/%Y")}
        )
        return
    if basis is None:
        basis = _("C. consom. art. L217-3 (garantie) et L217-7 (présomption) — %(rule)s") % {
            "rule": terms.rule.label
        }
    payer = _seller(appliance)
    report.coverages.append(
        _cover(
            CoverKind.GARANTIE_LEGALE,
            label,
            start,
            terms.end,
            on,
            payer=payer,
            basis=basis,
            presumption_end=terms.presumption_end,
        )
    )
    end = terms.end
    for case in legal_cases:
        handed = handed_back_on(case)
        if case.cover.replaced or handed < start or handed > end:
            continue  # before the guarantee in force, or after it ended: nothing to extend
        new_end = add_months(end, EXTENSION_MONTHS)
        report.coverages.append(
            _cover(
                CoverKind.EXTENSION_L217_13,
                _("Extension de 6 mois après réparation sous garantie légale (dossier %(n)s)")
                % {"n": case.number},
                end + datetime.timedelta(days=1),
                new_end,
                on,
                payer=payer,
                basis=_("C. consom. art. L217-13 al. 1 : réparation sous garantie légale rendue le %(d)s")
                % {"d": handed.strftime("%d/%m/%Y")},
                case_id=case.pk,
            )
        )
        end = new_end


def _manufacturer(appliance: Appliance, data: _Data, report: CoverageReport) -> None:
    purchase = appliance.purchase_date
    if not purchase:
        return
    brand = appliance.brand.strip().casefold()
    matching = [
        w
        for w in data.manufacturer
        if w.brand.strip().casefold() == brand
        and w.family in ("", appliance.family)
        and w.valid_from <= purchase
        and (w.valid_until is None or purchase <= w.valid_until)
    ]
    if not matching:
        return
    # the family's own warranty before the brand-wide one, then the newest
    rule = max(matching, key=lambda w: (w.family != "", w.valid_from))
    report.coverages.append(
        _cover(
            CoverKind.GARANTIE_FABRICANT,
            _("Garantie %(brand)s %(months)s mois (%(covers)s)")
            % {"brand": appliance.brand, "months": rule.months, "covers": rule.covers},
            purchase,
            add_months(purchase, rule.months),
            report.on,
            payer=appliance.brand,
            basis=_("Garantie commerciale du fabricant (art. L217-21 et L217-22) — %(label)s")
            % {"label": rule.label},
        )
    )


def _contracts(appliance: Appliance, data: _Data, report: CoverageReport) -> None:
    for contract in data.contracts.get(appliance.pk, []):
        report.coverages.append(
            _cover(
                CoverKind.EXTENSION_ASSURANCE,
                _("%(kind)s %(insurer)s")
                % {"kind": contract.get_kind_display(), "insurer": contract.insurer},
                contract.start,
                contract.end,
                report.on,
                payer=contract.insurer,
                basis=_("Contrat n° %(n)s : %(cover)s ; franchise %(excess)s € ; déclaration : %(procedure)s")
                % {
                    "n": contract.contract_number,
                    "cover": contract.cover,
                    "excess": contract.excess,
                    "procedure": contract.claim_procedure or "—",
                },
            )
        )
    for contract in data.maintenance.get(appliance.pk, []):
        renewal = _("reconduction tacite") if contract.renews_automatically else _("sans reconduction tacite")
        report.coverages.append(
            _cover(
                CoverKind.CONTRAT_ENTRETIEN,
                _("Contrat d'entretien n° %(n)s") % {"n": contract.number},
                contract.start,
                contract.end,
                report.on,
                payer=appliance.customer.site.name,
                basis=_("%(visits)s visite(s) par an : %(includes)s ; renouvellement le %(d)s (%(renewal)s)")
                % {
                    "visits": contract.visits_per_year,
                    "includes": contract.includes,
                    "d": contract.end.strftime("%d/%m/%Y"),
                    "renewal": renewal,
                },
            )
        )


def _repair_days(case: RepairCase, handed: datetime.date, data: _Data) -> tuple[int, str] | None:
    terms = [t for t in data.terms.get(case.site_id, []) if t.valid_from <= handed]
    if terms:
        term = max(terms, key=lambda t: t.valid_from)
        return term.days, term.covers
    figures = [(d, v) for d, v in data.invoice_days if d <= handed]
    if figures:
        return max(figures)[1], _("pièces et main-d'œuvre")
    return None


def _repairs(cases: list[RepairCase], data: _Data, report: CoverageReport) -> None:
    for case in cases:
        handed = handed_back_on(case)
        found = _repair_days(case, handed, data)
        if found is None:
            report.notes.append(
                _("Aucune durée de garantie de réparation n'est en vigueur au %(d)s (dossier %(n)s).")
                % {"d": handed.strftime("%d/%m/%Y"), "n": case.number}
            )
            continue
        days, covers = found
        report.coverages.append(
            _cover(
                CoverKind.GARANTIE_REPARATION,
                _("Garantie de la réparation (dossier %(n)s)") % {"n": case.number},
                handed,
                handed + datetime.timedelta(days=days),
                report.on,
                payer=case.site.name,
                basis=_(
                    "Garantie commerciale de l'atelier : %(covers)s, pour la même panne, %(days)s jours à compter "
                    "de la remise de l'appareil le %(d)s"
                )
                % {"covers": covers, "days": days, "d": handed.strftime("%d/%m/%Y")},
                case_id=case.pk,
            )
        )


def appliance_coverages(appliances, on: datetime.date) -> dict[int, CoverageReport]:
    """Appliance id → its covers on `on` (appliances with `customer` loaded; a fixed number of queries)."""
    appliances = list(appliances)
    if not appliances:
        return {}
    data = _load(appliances)
    reports = {}
    for appliance in appliances:
        report = CoverageReport(on=on)
        cases = data.cases.get(appliance.pk, [])
        _legal(appliance, cases, data, report)
        _manufacturer(appliance, data, report)
        _contracts(appliance, data, report)
        _repairs(cases, data, report)
        report.coverages.sort(key=lambda c: (c.start, list(CoverKind.values).index(c.kind), c.case_id or 0))
        reports[appliance.pk] = report
    return reports


def coverage_for(appliance: Appliance, on: datetime.date | None = None) -> CoverageReport:
    """The covers of one appliance on `on` (today by default)."""
    return appliance_coverages([appliance], on or timezone.localdate())[appliance.pk]
