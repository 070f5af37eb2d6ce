"""Demo billing and loans: invoices and payments of the dossiers already handed back or closed, a few
incidents for manufacturers, daily closures of the past week, a loan pool per site with loans (one overdue).

The demo dossiers were handed back and closed before billing ran in Atelier: each site bills in Atelier from
today (ClosingRulesStart), and their invoices are recorded as history (`for_history`), at the hand-back time,
in date order so numbers follow dates. Idempotent: a second run finds the invoices and adds nothing.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from atelier.billing import services
from atelier.billing.handover import incident_record
from atelier.billing.models import ClosingRulesStart, Closure, Incident, Invoice
from atelier.billing.selectors import balance_due
from atelier.core.errors import AtelierError
from atelier.loans.models import Loan, LoanAppliance
from atelier.loans.services import loan_create, loan_return
from atelier.repairs.models import CaseEvent, RepairCase

DESK = {"PAR1": "accueil", "LYO1": "accueil.lyon"}
TECH = {"PAR1": "technicien", "LYO1": "technicien.lyon"}
# 1×1 transparent PNG: the demo's "signature" (a real one is drawn on the screen's pad)
SIGNATURE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
    "AAAABJRU5ErkJggg=="
)
POOL = {
    "PAR1": [
        ("PRET-LL-01", "lave_linge", "Beko WTV7712XW", "Réserve, allée B"),
        ("PRET-LL-02", "lave_linge", "Indesit BWE71452", "Réserve, allée B"),
        ("PRET-FR-01", "froid", "Liebherr CTele 2131 (table top)", "Réserve, allée C"),
        ("PRET-MO-01", "cuisson", "Micro-ondes Samsung MS23K3513", "Comptoir, étagère 2"),
    ],
    "LYO1": [
        ("PRET-LL-01", "lave_linge", "Candy CS 1482DE", "Atelier, fond"),
        ("PRET-FR-01", "froid", "Réfrigérateur top Beko TSE1424", "Atelier, fond"),
    ],
}
INCIDENTS = [
    ("montage", "Durite de vidange mal clipsée en usine, fuite au premier essorage."),
    ("piece_inadaptee", "Pompe livrée sous la référence d'origine mais connecteur différent."),
    ("conception", "Carte de puissance exposée à la condensation : troisième cas ce trimestre."),
]


def load(*, sites, users, rng) -> dict[str, int]:
    today = timezone.localdate()
    for site in sites.values():
        ClosingRulesStart.objects.get_or_create(site=site, defaults={"since": today})
    counts = {"factures": 0, "paiements": 0, "appareils de prêt": 0, "prêts": 0, "remontées fabricants": 0}
    counts["appareils de prêt"] = _pool(sites)
    if Invoice.objects.filter(site__in=sites.values()).exists():
        return counts
    handed = _handed_back(sites)
    for case, at in handed:
        code = case.site.code
        try:
            invoice = services.invoice_issue(case=case, actor=users[DESK[code]], at=at, for_history=True)
        except AtelierError:
            continue  # nothing to invoice (refused quote without fee, no quote)
        counts["factures"] += 1
        counts["paiements"] += _pay(case, invoice, users[DESK[code]], at, rng)
    counts["remontées fabricants"] = _incidents(handed, users, rng)
    counts["prêts"] = _loans(sites, users, today)
    _closures(sites, users, today)
    return counts


def _pool(sites) -> int:
    created = 0
    for code, rows in POOL.items():
        for inventory, family, label, location in rows:
            _obj, new = LoanAppliance.objects.get_or_create(
                site=sites[code],
                code=inventory,
                defaults={"family": family, "label": label, "location": location},
            )
            created += new
    return created


def _handed_back(sites) -> list[tuple[RepairCase, datetime.datetime]]:
    """Dossiers handed back (rendu, clôturé) with the time of the hand-back, oldest first."""
    events = (
        CaseEvent.objects.filter(
            case__site__in=sites.values(), to_status="rendu", case__status__in=["rendu", "cloture"]
        )
        .select_related("case", "case__site", "case__customer")
        .order_by("at", "pk")
    )
    return [(e.case, e.at) for e in events]


def _pay(case, invoice, desk, at, rng) -> int:
    due = balance_due(case)
    if due <= 0:
        return 0
    roll = rng.random()
    if case.status == "rendu" and roll < 0.3:
        return 0  # to be paid when collected: shows on the dossier and blocks its closing
    when = at + datetime.timedelta(minutes=2)
    if roll < 0.55:
        parts = [("carte", str(due))]
    elif roll < 0.75 and due <= Decimal("300"):
        parts = [("especes", str(due))]
    elif roll < 0.9:
        parts = [("cheque", str(due))]
    else:
        card = (due / 2).quantize(Decimal("0.01"))
        parts = [("carte", str(card)), ("especes", str(due - card))]
    cash = sum((Decimal(a) for m, a in parts if m == "especes"), Decimal("0"))
    tendered = str((cash / 10).to_integral_value(rounding="ROUND_CEILING") * 10) if cash else None
    done = services.payment_take(
        case=case, actor=desk, parts=parts, cash_tendered=tendered, at=when, for_history=True
    )
    return len(done)


def _incidents(handed, users, rng) -> int:
    if Incident.objects.exists() or not handed:
        return 0
    created = 0
    for case, _at in rng.sample(handed, min(5, len(handed))):
        kind, text = rng.choice(INCIDENTS)
        incident_record(case=case, actor=users[TECH[case.site.code]], kind=kind, description=text)
        created += 1
    return created


def _loans(sites, users, today) -> int:
    if Loan.objects.filter(appliance__site__in=sites.values()).exists():
        return 0
    created = 0
    for code, site in sites.items():
        open_cases = list(
            RepairCase.objects.filter(site=site, status__in=["en_atelier", "attente_pieces", "en_reparation"])
            .select_related("customer", "appliance")
            .order_by("received_at")[:3]
        )
        spares = list(LoanAppliance.objects.filter(site=site).order_by("code"))
        for index, (case, spare) in enumerate(zip(open_cases, spares, strict=False)):
            lent = max(case.received_at, timezone.now() - datetime.timedelta(days=12))
            due = timezone.localdate(lent) + datetime.timedelta(days=7 if index == 0 else 21)
            loan = loan_create(
                case=case,
                actor=users[DESK[code]],
                appliance=spare,
                due_on=max(due, timezone.localdate(lent)),
                signer_name=case.customer.display_name,
                signature=SIGNATURE,
                deposit="150.00" if spare.family == "lave_linge" else "0",
                at=lent,
            )
            created += 1
            if index == 2:
                loan_return(loan=loan, actor=users[DESK[code]], condition="bon")
    return created


def _closures(sites, users, today) -> None:
    """Daily closures of the past week (Paris: the accountant's site)."""
    site = sites["PAR1"]
    for days in range(7, 0, -1):
        day = today - datetime.timedelta(days=days)
        if not Closure.objects.filter(site=site, period="jour", start=day).exists():
            services.closure_run(site=site, actor=users["comptable"], period="jour", start=day)
