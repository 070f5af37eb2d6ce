"""The billing section of the dossier page and the home panels (registered in BillingConfig.ready)."""

from django.db.models import Case, Count, DecimalField, F, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from atelier.billing import forms, handover, selectors, services
from atelier.billing.choices import DocumentKind, NotificationPurpose
from atelier.billing.models import AdviceSheet, HandBack, Invoice, Payment, UnpaidBalance
from atelier.billing.selectors import ZERO
from atelier.core.access import may
from atelier.core.money import fr_amount
from atelier.quotes.choices import QuoteStatus
from atelier.repairs.choices import OPEN_STATUSES, CaseStatus
from atelier.repairs.models import RepairCase

HANDED_BACK_FROM = (CaseStatus.PRET, CaseStatus.REFUSE, CaseStatus.NON_REPARABLE)


def _can(user, step: str, case) -> bool:
    return may(user, step, case.site_id)


def dossier_section(request, case, *, failed: str = "", failed_form=None):
    if case.status == CaseStatus.ANNULE and not case.payments.exists():
        return None
    user = request.user

    def form(name, factory):
        return failed_form if failed == name else factory()

    invoice = selectors.current_invoice(case)
    # before the repair is done only deposits are taken here; the draft invoice shows from then on
    draft = selectors.invoice_draft(case) if invoice is None and case.status in services.INVOICEABLE else None
    cashier = _can(user, "billing.payment", case)
    is_open = case.status not in (CaseStatus.CLOTURE, CaseStatus.ANNULE)
    hand_back = HandBack.objects.filter(case=case).first()
    due = selectors.balance_due(case)
    return {
        "template": "billing/_dossier_section.html",
        "case": case,
        "invoice": invoice,
        "documents": list(case.invoices.order_by("issued_at", "pk")),
        "draft": draft,
        "can_issue": _can(user, "billing.invoice", case) and draft is not None,
        "payments": list(case.payments.select_related("received_by")),
        "anomalies": list(case.payment_anomalies.all()),
        "owed": selectors.amount_owed(case),
        "paid": selectors.paid_total(case),
        "due": due,
        "unpaid": UnpaidBalance.objects.filter(case=case).select_related("assigned_to").first(),
        "can_pay": cashier and is_open,
        "can_deposit": cashier and is_open and invoice is None,
        "refund_due": max(-due, ZERO),
        "can_refund": _can(user, "billing.refund", case) and due < 0,
        "refund_form": form(
            "refund",
            lambda: forms.RefundForm(auto_id="id_refund_%s", initial={"amount": fr_amount(-due)}),
        ),
        "can_remind": _can(user, "billing.reminder", case) and invoice is not None and due > 0,
        "reminders": [n for n in case.notifications.all() if n.purpose == NotificationPurpose.RELANCE],
        "can_record_unpaid": _can(user, "billing.unpaid", case) and due > 0 and is_open,
        "payment_form": form("pay", lambda: forms.PaymentForm(auto_id="id_pay_%s")),
        "anomaly_form": form("anomaly", lambda: forms.AnomalyForm(auto_id="id_anomaly_%s")),
        "unpaid_form": form("unpaid", lambda: forms.UnpaidForm(auto_id="id_unpaid_%s", case=case)),
        "hand_back": hand_back,
        "can_hand_back": case.status in HANDED_BACK_FROM and hand_back is None,
        "hand_back_form": form(
            "handback",
            lambda: forms.HandBackForm(
                auto_id="id_handback_%s", initial={"signer_name": case.customer.display_name}
            ),
        ),
        "incidents": list(case.incidents.all()),
        "incident_form": form("incident", lambda: forms.IncidentForm(auto_id="id_incident_%s")),
        "can_incident": _can(user, "billing.incident", case),
        "offers": list(case.offers.all()),
        "suggestions": handover.suggestions_for(case) if is_open and invoice is None else [],
        "advice": AdviceSheet.objects.filter(family=case.appliance.family).first(),
        # the messages of the counter's buttons with their real state (the whole thread: messaging's section)
        "notifications": list(
            case.messages.filter(purpose__in=handover.MESSAGE_PURPOSES.values()).order_by(
                "-created_at", "-pk"
            )[:5]
        ),
        "can_notify": case.status in HANDED_BACK_FROM,
        "tracking": case.tracking_links.first(),
        "can_send_tracking": is_open and _can(user, "billing.counter", case),
        "quote_online": case.quotes.filter(status=QuoteStatus.ENVOYE).order_by("-version").first()
        if case.status == CaseStatus.DEVIS_ENVOYE
        else None,
    }


PANEL_SIZE = 10


def home_panels(user):
    """Accounting: dossiers handed back whose invoice is not issued or not paid; unpaid balances followed."""
    panels = []
    if may(user, "billing.read"):
        links = [
            {
                "url": reverse("billing:accounting"),
                "text": _("Factures, avoirs, clôtures et journal"),
                "badge": "",
            }
        ]
        if may(user, "billing.incidents_report"):
            links.append(
                {"url": reverse("billing:incidents"), "text": _("Remontées aux fabricants"), "badge": ""}
            )
        if may(user, "loans.manage"):
            links.append({"url": reverse("loans:pool"), "text": _("Appareils de prêt"), "badge": ""})
        panels.append(
            {
                "key": "billing_links",
                "title": _("Facturation"),
                "links": links,
                "count": len(links),
                "empty": "",
            }
        )
    if may(user, "billing.unpaid"):
        latest = UnpaidBalance.objects.filter(case=OuterRef("case")).order_by("-at", "-pk").values("pk")[:1]
        unpaid = list(
            UnpaidBalance.objects.visible_to(user)
            .filter(pk=Subquery(latest))  # append-only rows: the dossier's latest record is the current one
            .select_related("case", "assigned_to")
            .order_by("at")[:PANEL_SIZE]
        )
        panels.append(
            {
                "key": "unpaid_balances",
                "title": _("Restes dus à suivre"),
                "links": [
                    {
                        "url": reverse("repairs:detail", args=[u.case_id]),
                        "text": f"{u.case.number} · {u.assigned_to}",
                        "badge": f"{fr_amount(u.amount)} €",
                    }
                    for u in unpaid
                ],
                "count": len(unpaid),
                "empty": _("Aucun reste dû."),
            }
        )
    return panels


def _with_due(cases):
    money = DecimalField(max_digits=12, decimal_places=2)
    signed = Case(
        When(kind=DocumentKind.AVOIR, then=F("bonus_amount") - F("total_ttc")),
        default=F("total_ttc") - F("bonus_amount"),
        output_field=money,
    )
    owed = (
        Invoice.objects.filter(case=OuterRef("pk"), main_invoice__isnull=True)
        .order_by()
        .values("case")
        .annotate(s=Sum(signed))
    )
    paid = Payment.objects.filter(case=OuterRef("pk")).order_by().values("case").annotate(s=Sum("amount"))
    return (
        cases.filter(status__in=OPEN_STATUSES)
        .annotate(
            owed=Subquery(owed.values("s"), output_field=money),
            paid=Coalesce(Subquery(paid.values("s"), output_field=money), Value(ZERO), output_field=money),
        )
        .annotate(due=F("owed") - F("paid"))
        .filter(due__gt=0)
    )


def unpaid_cases(qs, user):
    """Dossier list filter « à encaisser » (registered in repairs.extensions.case_filters)."""
    return qs.filter(pk__in=_with_due(RepairCase.objects.visible_to(user)).values("pk"))


def cash_to_collect(user) -> dict:
    """Open dossiers of the user's sites whose invoices (net of the repair bonus, less credit notes) exceed what
    was paid: how many and how much, in one query (open dossiers only, through the `site, status` index)."""
    money = DecimalField(max_digits=12, decimal_places=2)
    row = _with_due(RepairCase.objects.visible_to(user)).aggregate(
        n=Count("pk"), total=Sum("due", output_field=money)
    )
    return {"count": row["n"], "total": row["total"] or ZERO}


def home_actions(user) -> list[dict]:
    """Cash to collect: dossiers whose invoice is not (fully) paid, and the amount, for the cashiers and the
    accountant."""
    from atelier.repairs.extensions import TODAY
    from atelier.repairs.home import cases_url

    if not may(user, "billing.read"):
        return []
    due = cash_to_collect(user)
    amount = f"{fr_amount(due['total'], grouped=True)} €"
    url = cases_url(status="ouverts", unpaid=1)
    return [
        {
            "key": "cash_to_collect",
            "label": _("Dossiers facturés à encaisser"),
            "count": due["count"],
            "amount": amount,
            "urgency": TODAY,
            "url": url,
        },
        {
            "figure": True,
            "key": "cash_to_collect",
            "label": _("À encaisser"),
            "value": amount,
            "order": 40,
            "url": url,
        },
    ]
