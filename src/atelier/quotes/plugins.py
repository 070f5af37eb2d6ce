"""The quotes section of the dossier page (registered in QuotesConfig.ready through repairs.extensions)."""

import datetime

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import may
from atelier.core.choices import Role
from atelier.quotes.choices import QuoteStatus
from atelier.quotes.models import Quote, RepairOrder
from atelier.quotes.selectors import case_solutions
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

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
    CaseStatus.ABANDONNE,
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


# A quote sent this many days ago without an answer: the counter calls the customer back.
ANSWER_DAYS = 7


def late_cases(qs, user):
    """Dossier list filter « en retard » (registered in repairs.extensions.case_filters)."""
    from atelier.repairs.home import BEFORE_READY

    late = RepairOrder.objects.filter(case=OuterRef("pk"), promised_on__lt=timezone.localdate())
    return qs.filter(Exists(late), status__in=BEFORE_READY)


def home_actions(user) -> list[dict]:
    """Late dossiers (promise broken) for the counter, the manager and each technician; quotes left too long
    without the customer's answer for the counter and the manager."""
    from atelier.repairs.extensions import URGENT, WAITING
    from atelier.repairs.home import BEFORE_READY, cases_url, per_open_state

    items = []
    counter = may(user, "quotes.decide")
    if counter or user.has_role(Role.TECHNICIEN):
        cases = RepairCase.objects.visible_to(user)
        params: dict = {"late": 1}
        if not counter:  # a technician: their own dossiers
            cases, params["technician"] = cases.filter(technician=user), user.pk
        # one count per open state (repairs.home.per_open_state): as one « status IN » SQLite walked every
        # dossier of the technician, judging the open states as common as the closed one (issue 16); only the
        # states before « prêt » can be late (late_cases)
        late = sum(row["n"] for row in per_open_state(late_cases(cases, user), BEFORE_READY, n=Count("pk")))
        items.append(
            {
                "key": "late",
                "label": _("Dossiers en retard : délai promis dépassé"),
                "count": late,
                "urgency": URGENT,
                "url": cases_url(sort="received_at", **params),
            }
        )
        items.append(
            {
                "figure": True,
                "key": "late",
                "label": _("En retard"),
                "value": late,
                "order": 30,
                "url": cases_url(**params),
            }
        )
    if counter:
        since = timezone.localdate() - datetime.timedelta(days=ANSWER_DAYS - 1)
        start = datetime.datetime.combine(since, datetime.time.min, tzinfo=timezone.get_current_timezone())
        waiting = Quote.objects.visible_to(user).filter(status=QuoteStatus.ENVOYE, sent_at__lt=start).count()
        items.append(
            {
                "key": "quotes_unanswered",
                "label": _("Devis sans réponse depuis %(n)d jours : relancer le client") % {"n": ANSWER_DAYS},
                "count": waiting,
                "urgency": WAITING,
                "url": cases_url(
                    status=CaseStatus.DEVIS_ENVOYE, changed_before=since.isoformat(), sort="status_changed_at"
                ),
            }
        )
    return items
