"""The quotes section of the dossier page (registered in QuotesConfig.ready through repairs.extensions)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from atelier.core.access import may
from atelier.quotes.choices import QuoteStatus
from atelier.quotes.models import Quote, RepairOrder
from atelier.quotes.selectors import case_solutions
from atelier.repairs.choices import CaseStatus

SHOWN_FROM = {
    CaseStatus.PREDIAGNOSTIQUE,
    CaseStatus.DEVIS_ENVOYE,
    CaseStatus.ACCEPTE,
    CaseStatus.REFUSE,
    CaseStatus.PLANIFIE,
    CaseStatus.EN_ATELIER,
    CaseStatus.ATTENTE_PIECES,
    CaseStatus.EN_REPARATION,
    CaseStatus.REPARE,
    CaseStatus.PRET,
    CaseStatus.RENDU,
    CaseStatus.CLOTURE,
    CaseStatus.NON_REPARABLE,
    CaseStatus.ANNULE,
}


def dossier_section(request, case):
    if case.status not in SHOWN_FROM:
        return None
    quotes = list(case.quotes.select_related("solution").order_by("-version"))
    if case.status != CaseStatus.PREDIAGNOSTIQUE and not quotes and not case.solutions.exists():
        return None
    return {
        "template": "quotes/_dossier_section.html",
        "case": case,
        "solutions": case_solutions(case),
        "quotes": quotes,
        "orders": list(RepairOrder.objects.filter(case=case)),
        "can_quote": case.status in (CaseStatus.PREDIAGNOSTIQUE, CaseStatus.DEVIS_ENVOYE)
        and not any(q.status == QuoteStatus.ACCEPTE for q in quotes),
    }


PANEL_SIZE = 10


def home_panel(user):
    """Counter and manager: quotes sent and awaiting the customer's answer, the soonest to expire first."""
    if not may(user, "quotes.decide"):
        return []
    qs = Quote.objects.visible_to(user).filter(status=QuoteStatus.ENVOYE)
    quotes = list(qs.select_related("case", "case__customer").order_by("valid_until", "pk")[:PANEL_SIZE])
    return [
        {
            "key": "quotes_waiting",
            "title": _("Devis en attente de réponse"),
            "links": [
                {
                    "url": reverse("quotes:detail", args=[q.pk]),
                    "text": f"{q.number} · {q.case.customer.display_name}",
                    "badge": _("jusqu'au %(date)s") % {"date": q.valid_until.strftime("%d/%m/%Y")},
                }
                for q in quotes
            ],
            "count": qs.count(),  # always counted: the same queries whatever the data (query-count guard)
            "empty": _("Aucun devis en attente."),
        }
    ]


def customer_section(request, customer):
    """The customer's quotes on their file and at the counter when taking charge: open ones first."""
    quotes = list(
        Quote.objects.visible_to(request.user)  # a customer may have dossiers in other shops
        .filter(case__customer=customer)
        .exclude(status=QuoteStatus.REMPLACE)
        .select_related("case")
        .order_by("-issued_on", "-pk")[:20]
    )
    if not quotes:
        return None
    open_quotes = [q for q in quotes if q.status in (QuoteStatus.BROUILLON, QuoteStatus.ENVOYE)]
    return {
        "template": "quotes/_customer_quotes.html",
        "quotes": sorted(quotes, key=lambda q: q not in open_quotes),
        "open_count": len(open_quotes),
    }
