"""A customer's footprint in the other apps, for the personal-data features (retention, export, erasure).

The customers app sits below the dossier, quotes, billing… in the dependency order, so it reaches their models
by label (`apps.get_model`) and never imports them at load time. Each piece is a provider registered in
customers.extensions (apps.py), so an app added later (the outbox's messages) contributes its own:

- contact sources: the dates that count as a contact with the customer (docs/personal-data.md, « dernier
  contact »);
- erasure blockers: what forbids anonymising now (an open dossier, money owed, a loan not returned);
- scrubbers: free text of other apps that may hold personal data, replaced when the file is anonymised;
- export sections: what the customer's data export (right of access, portability) contains.

Issued accounting documents (invoices, credit notes, payments, journal, hand-back receipts) are never written:
the database triggers of billing.guards would refuse it anyway, and the law keeps them 10 years as issued.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.apps import apps
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

CLOSED_STATUSES = ("cloture", "annule", "abandonne")  # repairs.choices: a dossier that no longer moves
ANONYMISED_TEXT = "[anonymisé]"
HOME_ANONYMISED = "Au domicile du client : [adresse anonymisée]"


def _model(label: str):
    return apps.get_model(label)


def _as_date(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


# --- contact sources: (customer ids) -> iterable of (customer id, date) ---

# model label, path to the customer, date fields that are a contact, optional filter
CONTACT_DATES: list[tuple[str, str, tuple[str, ...], Q | None]] = [
    ("customers.Customer", "pk", ("created_at", "updated_at"), None),
    ("customers.Appliance", "customer", ("created_at",), None),
    ("customers.ConsentChange", "customer", ("at",), ~Q(source="anonymisation")),
    ("customers.PrivacyAction", "customer", ("at",), Q(kind="export")),
    ("repairs.RepairCase", "customer", ("received_at", "status_changed_at", "closed_at"), None),
    ("repairs.CaseEvent", "case__customer", ("at",), None),
    ("quotes.Quote", "case__customer", ("issued_on",), None),
    ("planning.Visit", "order__case__customer", ("created_at",), None),
    ("planning.DropOff", "customer", ("booked_at", "day"), None),
    ("billing.Invoice", "case__customer", ("issued_at",), None),
    ("billing.Payment", "case__customer", ("at",), None),
    ("billing.Notification", "case__customer", ("at",), None),
    ("loans.Loan", "case__customer", ("lent_at", "returned_at"), None),
    ("reception.Ticket", "customer", ("arrived_at",), None),
    ("reception.Complaint", "customer", ("created_at", "handled_at"), None),
    ("reception.Complaint", "case__customer", ("created_at", "handled_at"), None),
]


def related_contact_dates(customer_ids) -> Iterable[tuple[int, datetime.date]]:
    """The latest date of each table above, per customer: one grouped query per table."""
    for label, path, fields, condition in CONTACT_DATES:
        rows = _model(label).objects.filter(**{f"{path}__in": customer_ids})
        if condition is not None:
            rows = rows.filter(condition)
        aggregates = {f"m{i}": Max(name) for i, name in enumerate(fields)}
        for row in rows.values(path).annotate(**aggregates).values(path, *aggregates):
            dates = [d for d in (_as_date(row[k]) for k in aggregates) if d is not None]
            if dates:
                yield row[path], max(dates)


# --- erasure blockers: (customer ids) -> {customer id: [French reasons]} ---


def open_cases(customer_ids) -> dict[int, list[str]]:
    found = defaultdict(list)
    rows = (
        _model("repairs.RepairCase")
        .objects.filter(customer__in=customer_ids)
        .exclude(status__in=CLOSED_STATUSES)
        .order_by("received_at", "pk")
        .values_list("customer_id", "number")
    )
    for customer_id, number in rows:
        found[customer_id].append(_("le dossier %(number)s est en cours") % {"number": number})
    return found


def money_owed(customer_ids) -> dict[int, list[str]]:
    """Dossiers whose invoices (less credit notes, net of the repair bonus) exceed the payments received:
    the same sum as billing.selectors.amount_owed, for many customers in two queries."""
    owed: dict[tuple[int, int, str], Decimal] = defaultdict(Decimal)
    invoices = (
        _model("billing.Invoice")
        .objects.filter(case__customer__in=customer_ids)
        .values_list("case__customer_id", "case_id", "case__number", "kind", "total_ttc", "bonus_amount")
    )
    for customer_id, case_id, number, kind, total, bonus in invoices:
        sign = -1 if kind == "avoir" else 1
        owed[customer_id, case_id, number] += sign * (total - bonus)
    if not owed:
        return {}
    paid = dict(
        _model("billing.Payment")
        .objects.filter(case_id__in={case_id for _, case_id, _ in owed})
        .values("case_id")
        .annotate(s=Sum("amount"))
        .values_list("case_id", "s")
    )
    found = defaultdict(list)
    for (customer_id, case_id, number), amount in sorted(owed.items()):
        if amount - (paid.get(case_id) or Decimal("0")) > 0:
            found[customer_id].append(
                _("la facture du dossier %(number)s n'est pas réglée") % {"number": number}
            )
    return found


def loans_out(customer_ids) -> dict[int, list[str]]:
    found = defaultdict(list)
    rows = (
        _model("loans.Loan")
        .objects.filter(case__customer__in=customer_ids, returned_at__isnull=True)
        .values_list("case__customer_id", "case__number")
    )
    for customer_id, number in rows:
        found[customer_id].append(
            _("un appareil prêté (dossier %(number)s) n'est pas rendu") % {"number": number}
        )
    return found


# --- scrubbers: (customer) -> {label: rows changed}; free text of other apps replaced ---


def scrub_dossiers(customer) -> dict[str, int]:
    """The customer's words and the staff's comments may name people, addresses, phone numbers: replaced.
    Kept: states, dates, appliance, technical findings (diagnosis, parts), needed for statistics and the
    repairability index; quotes keep their work and prices, only the place (the home address) goes."""
    cases = _model("repairs.RepairCase").objects.filter(customer=customer)
    return {
        "dossiers": cases.update(customer_words=ANONYMISED_TEXT),
        "événements": _model("repairs.CaseEvent")
        .objects.filter(case__customer=customer)
        .exclude(note="")
        .update(note=""),
        "devis": _model("quotes.Quote")
        .objects.filter(case__customer=customer, case__location="domicile")
        .update(place_of_work=HOME_ANONYMISED),
        "avis": _model("billing.Notification")
        .objects.filter(case__customer=customer)
        .update(recipient=ANONYMISED_TEXT, body=ANONYMISED_TEXT),
        "liens de suivi": _model("billing.TrackingLink")
        .objects.filter(case__customer=customer, expires_at__gt=timezone.now())
        .update(expires_at=timezone.now()),
        "prêts": _model("loans.Loan")
        .objects.filter(case__customer=customer)
        .update(signer_name=ANONYMISED_TEXT, signature=""),
    }


def scrub_reception(customer) -> dict[str, int]:
    complaints = _model("reception.Complaint").objects.filter(
        Q(customer=customer) | Q(case__customer=customer)
    )
    return {
        "réclamations": complaints.update(said=ANONYMISED_TEXT, action_taken="", handling_note=""),
        "tickets": _model("reception.Ticket")
        .objects.filter(customer=customer)
        .update(caller_number="", note=""),
        "rendez-vous de dépôt": _model("planning.DropOff").objects.filter(customer=customer).update(note=""),
    }


# --- export sections: (customer) -> (key, JSON-safe data) ---


def _iso(value):
    return value.isoformat() if value is not None else None


def export_dossiers(customer):
    cases = (
        _model("repairs.RepairCase")
        .objects.filter(customer=customer)
        .select_related("appliance")
        .prefetch_related("events", "quotes")
        .order_by("received_at", "pk")
    )
    return "dossiers", [
        {
            "numero": case.number,
            "etat": case.get_status_display(),
            "appareil": str(case.appliance),
            "recu_le": _iso(case.received_at),
            "cloture_le": _iso(case.closed_at),
            "paroles_du_client": case.customer_words,
            "accessoires": case.accessories,
            "etat_visuel": case.visible_condition,
            "evenements": [
                {"le": _iso(e.at), "action": e.label, "commentaire": e.note}
                for e in sorted(case.events.all(), key=lambda e: (e.at, e.pk))
            ],
            "devis": [
                {
                    "numero": q.number,
                    "version": q.version,
                    "etat": q.get_status_display(),
                    "date": _iso(q.issued_on),
                    "travaux": q.nature_of_work,
                }
                for q in sorted(case.quotes.all(), key=lambda q: q.version)
            ],
        }
        for case in cases
    ]


def export_invoices(customer):
    """References only: the documents themselves are given as issued, on request, by the accounting."""
    invoices = (
        _model("billing.Invoice")
        .objects.filter(case__customer=customer)
        .select_related("case")
        .order_by("issued_at", "pk")
    )
    return "factures", [
        {
            "numero": i.number,
            "type": i.get_kind_display(),
            "emise_le": _iso(i.issued_at),
            "dossier": i.case.number,
            "total_ttc": f"{i.total_ttc:.2f}",
        }
        for i in invoices
    ]


def export_messages(customer):
    rows = (
        _model("billing.Notification")
        .objects.filter(case__customer=customer)
        .select_related("case")
        .order_by("at", "pk")
    )
    return "messages", [
        {
            "le": _iso(n.at),
            "dossier": n.case.number,
            "canal": n.get_channel_display(),
            "destinataire": n.recipient,
            "message": n.body,
        }
        for n in rows
    ]


def export_complaints(customer):
    rows = (
        _model("reception.Complaint")
        .objects.filter(Q(customer=customer) | Q(case__customer=customer))
        .order_by("created_at", "pk")
    )
    return "reclamations", [
        {
            "le": _iso(c.created_at),
            "ce_qui_a_ete_dit": c.said,
            "ce_qui_a_ete_fait": c.action_taken,
            "suite_donnee": c.handling_note,
        }
        for c in rows
    ]


def export_loans(customer):
    rows = (
        _model("loans.Loan")
        .objects.filter(case__customer=customer)
        .select_related("case", "appliance")
        .order_by("lent_at", "pk")
    )
    return "prets", [
        {
            "dossier": loan.case.number,
            "appareil_prete": str(loan.appliance),
            "prete_le": _iso(loan.lent_at),
            "a_rendre_le": _iso(loan.due_on),
            "rendu_le": _iso(loan.returned_at),
        }
        for loan in rows
    ]
