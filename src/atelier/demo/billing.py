"""Demo billing and loans: invoices and payments of the dossiers already handed back or closed, a few
incidents for manufacturers, Paris closed up to yesterday (days and months), a loan pool per site with loans
(one overdue).

The demo dossiers were handed back and closed before billing ran in Atelier: each site bills in Atelier from
today (ClosingRulesStart), and their invoices are recorded as history (`for_history`), at the hand-back time,
in date order so numbers follow dates. Idempotent: a second run finds the invoices and adds nothing.
"""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from atelier.billing import closures, payments, services
from atelier.billing.handover import incident_record, tracking_link_create
from atelier.billing.models import ClosingRulesStart, Incident, Invoice, TrackingLink
from atelier.billing.refunds import refund_make
from atelier.billing.selectors import accepted_quote, balance_due
from atelier.billing.services_rules import billing_start_set
from atelier.core.errors import AtelierError
from atelier.loans.models import Loan, LoanAppliance
from atelier.loans.services import loan_create, loan_return
from atelier.repairs.models import CaseEvent, RepairCase

DESK = {"PAR1": "accueil", "LYO1": "accueil.lyon"}
TECH = {"PAR1": "technicien", "LYO1": "technicien.lyon"}
MANAGERS = {"PAR1": "responsable", "LYO1": "reseau"}  # who sets the billing start date
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
        if not ClosingRulesStart.objects.filter(site=site).exists():  # idempotent: set once, journalled
            billing_start_set(site=site, since=today, actor=users[MANAGERS[site.code]])
    counts = {"factures": 0, "paiements": 0, "appareils de prêt": 0, "prêts": 0, "remontées fabricants": 0}
    counts["appareils de prêt"] = _pool(sites)
    counts["liens de suivi"] = _tracking_link(sites["PAR1"])
    if Invoice.objects.filter(site__in=sites.values()).exists():
        return counts
    handed = _handed_back(sites)
    # Invoices and deposit invoices share one chronological sequence: issued in date order.
    documents = sorted(
        [(at, "facture", case) for case, at in handed] + _deposits(sites, rng), key=lambda d: d[0]
    )
    counts["factures d'acompte"] = 0
    for at, kind, case in documents:
        desk = users[DESK[case.site.code]]
        if kind == "acompte":
            counts["factures d'acompte"] += _deposit(case, desk, at)
            continue
        try:
            invoice = services.invoice_issue(case=case, actor=desk, at=at, for_history=True)
        except AtelierError:
            continue  # nothing to invoice (refused quote without fee, no quote)
        counts["factures"] += 1
        counts["paiements"] += _pay(case, invoice, desk, at, rng)
    counts["avoirs remboursés"] = _goodwill(sites["PAR1"], users)
    counts["remontées fabricants"] = _incidents(handed, users, rng)
    counts["prêts"] = _loans(sites, users, today)
    _closures(sites, users, today)
    return counts


def _tracking_link(site) -> int:
    """A customer's tracking link on a dossier whose quote awaits their decision (printed by the demo)."""
    if TrackingLink.objects.filter(case__site=site).exists():
        return 0
    case = RepairCase.objects.filter(site=site, status="devis_envoye").order_by("received_at").first()
    if case is None:
        return 0
    tracking_link_create(case=case)
    return 1


def tracking_hint() -> str:
    """The line the demo prints: where a customer accepts a quote online."""
    link = (
        TrackingLink.objects.filter(case__status="devis_envoye", expires_at__gt=timezone.now())
        .select_related("case")
        .order_by("created_at")
        .first()
    )
    if link is None:
        return ""
    return (
        f"Espace client (sans compte) : http://127.0.0.1:8000{reverse('billing_public:tracking', args=[link.token])}"
        f" — dossier {link.case.number}, devis à accepter en ligne."
    )


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


def _deposits(sites, rng) -> list[tuple[datetime.datetime, str, RepairCase]]:
    """About one accepted quote in four: the customer left a deposit when accepting it (card, a few minutes
    after the signature), as counters do when parts must be ordered."""
    accepted = (
        CaseEvent.objects.filter(case__site__in=sites.values(), to_status="accepte")
        .exclude(case__status__in=["annule", "refuse"])
        .select_related("case", "case__site")
        .order_by("at", "pk")
    )
    return [
        (event.at + datetime.timedelta(minutes=4), "acompte", event.case)
        for event in accepted
        if rng.random() < 0.25
    ]


def _deposit(case, desk, at) -> int:
    quote = accepted_quote(case)
    if quote is None or quote.net_to_pay < Decimal("60"):
        return 0
    amount = max(Decimal("30"), (quote.net_to_pay * Decimal("0.3") / 10).to_integral_value() * 10)
    payments.payment_take(
        case=case, actor=desk, parts=[("carte", str(amount))], deposit=True, at=at, for_history=True
    )
    return 1


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
    done = payments.payment_take(
        case=case, actor=desk, parts=parts, cash_tendered=tendered, at=when, for_history=True
    )
    return len(done)


def _goodwill(site, users) -> int:
    """A commercial gesture on the last dossier of the site paid in full by card before today: a 20 € credit
    note at the hand-back, refunded to the card a few minutes later."""
    today = timezone.localdate()
    for invoice in (
        Invoice.objects.filter(
            site=site, kind="facture", case__status="cloture", total_ttc__gte=Decimal("40")
        )
        .select_related("case")
        .order_by("-issued_at")
    ):
        card = invoice.payments.filter(method="carte").first()
        if timezone.localdate(invoice.issued_at) >= today or card is None or card.amount < Decimal("20"):
            continue
        if balance_due(invoice.case) != 0:
            continue
        at = card.at + datetime.timedelta(minutes=5)
        services.credit_note_issue(
            invoice=invoice,
            actor=users["responsable"],
            amount_ttc="20",
            reason="Geste commercial : délai de réparation dépassé",
            at=at,
        )
        refund_make(
            case=invoice.case,
            actor=users[DESK["PAR1"]],
            method="carte",
            amount="20",
            at=at + datetime.timedelta(minutes=2),
        )
        return 1
    return 0


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
    """Paris (the accountant's site) closed up to yesterday: every day since its first invoice, each finished
    month after its last day, as the daily `atelier journal close-due` would have done. Idempotent."""
    closures.closures_close_due(
        site=sites["PAR1"], actor=users["comptable"], until=today - datetime.timedelta(days=1)
    )
