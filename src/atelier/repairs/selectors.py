"""Reads of dossiers, always scoped to the sites the user may see."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import may
from atelier.core.models import User
from atelier.core.scoping import visible_or_404
from atelier.core.search import search_text
from atelier.repairs.choices import OPEN_STATUSES, CaseStatus, WorkLocation
from atelier.repairs.models import RepairCase


def case_visible(user: User) -> QuerySet[RepairCase]:
    return RepairCase.objects.visible_to(user)


def case_list(
    *,
    user: User,
    status: str = "",
    family: str = "",
    technician: User | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    query: str = "",
) -> QuerySet[RepairCase]:
    """Dossiers of the user's sites, filtered; joins what the list shows so it stays at a fixed query count."""
    qs = case_visible(user).select_related("site", "customer", "appliance", "technician")
    if status == "ouverts":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if family:
        qs = qs.filter(appliance__family=family)
    if technician is not None:
        qs = qs.filter(technician=technician)
    if date_from:
        qs = qs.filter(received_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(received_at__date__lte=date_to)
    query = search_text(query)
    if query:
        qs = qs.filter(
            Q(number__icontains=query)
            | Q(customer__last_name__icontains=query)
            | Q(customer__company_name__icontains=query)
            | Q(appliance__brand__icontains=query)
            | Q(appliance__model_ref__icontains=query)
            | Q(appliance__serial_number__icontains=query)
        )
    return qs.order_by("-received_at", "-pk")


def case_get(*, user: User, pk: int) -> RepairCase:
    """A dossier of the user's sites, or 404 (never 403: another site's dossier does not exist for them)."""
    qs = RepairCase.objects.select_related("site", "customer", "appliance", "technician", "received_by")
    return visible_or_404(qs, user, pk=pk)


def case_timeline(case: RepairCase):
    return case.events.select_related("actor").order_by("at", "pk")


def status_counts(user: User) -> list[dict]:
    """Number of dossiers in each state, in workflow order (one query)."""
    rows = case_visible(user).values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in rows}
    return [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in CaseStatus.choices
    ]


def home_panels(user: User) -> list[dict]:
    """What awaits this user today, one panel per concern of each of their roles (home page)."""
    today = timezone.localdate()
    visible = case_list(user=user)
    panels: list[dict] = []

    def panel(key: str, title: str, qs: QuerySet, empty: str) -> None:
        if any(p["key"] == key for p in panels):
            return
        panels.append(
            {"key": key, "title": title, "cases": list(qs[:10]), "count": qs.count(), "empty": empty}
        )

    if may(user, "reception.queue"):
        panel(
            "received_today",
            _("Dossiers reçus aujourd'hui"),
            visible.filter(received_at__date=today),
            _("Aucun dossier reçu aujourd'hui."),
        )
        panel(
            "to_quote",
            _("Devis à envoyer"),
            visible.filter(status=CaseStatus.PREDIAGNOSTIQUE),
            _("Aucun devis à envoyer."),
        )
        panel(
            "awaiting_answer",
            _("Devis en attente de réponse"),
            visible.filter(status=CaseStatus.DEVIS_ENVOYE),
            _("Aucun devis en attente."),
        )
        panel(
            "to_hand_back",
            _("Appareils à rendre"),
            visible.filter(status__in=[CaseStatus.PRET, CaseStatus.REFUSE, CaseStatus.NON_REPARABLE]),
            _("Aucun appareil à rendre."),
        )
    if may(user, "planning.my_day"):
        mine = visible.filter(technician=user)
        panel(
            "my_visits_today",
            _("Mes interventions du jour"),
            mine.filter(status=CaseStatus.PLANIFIE, planned_for__date=today).order_by("planned_for"),
            _("Aucune intervention planifiée aujourd'hui."),
        )
        panel(
            "my_bench",
            _("Mes réparations en cours"),
            mine.filter(status__in=[CaseStatus.EN_ATELIER, CaseStatus.EN_REPARATION, CaseStatus.REPARE]),
            _("Aucune réparation en cours."),
        )
        panel(
            "to_take",
            _("Dossiers acceptés à prendre en charge"),
            visible.filter(status=CaseStatus.ACCEPTE, technician__isnull=True),
            _("Rien à prendre en charge."),
        )
    if may(user, "repairs.supervise"):
        panel(
            "to_plan",
            _("Interventions à domicile à planifier"),
            visible.filter(status=CaseStatus.ACCEPTE, location=WorkLocation.DOMICILE),
            _("Rien à planifier."),
        )
        panel(
            "to_close",
            _("Dossiers rendus à clôturer"),
            visible.filter(status=CaseStatus.RENDU),
            _("Aucun dossier à clôturer."),
        )
    if may(user, "stock.consume"):
        panel(
            "waiting_parts",
            _("Dossiers en attente de pièces"),
            visible.filter(status=CaseStatus.ATTENTE_PIECES),
            _("Aucun dossier en attente de pièces."),
        )
    if may(user, "billing.closure"):
        panel(
            "handed_back",
            _("Appareils rendus (à facturer et clôturer)"),
            visible.filter(status=CaseStatus.RENDU),
            _("Aucun dossier rendu en attente."),
        )
        panel(
            "closed_recently",
            _("Dossiers clôturés ces 7 derniers jours"),
            visible.filter(
                status=CaseStatus.CLOTURE, closed_at__date__gte=today - datetime.timedelta(days=7)
            ),
            _("Aucun dossier clôturé cette semaine."),
        )
    if may(user, "repairs.case_studies"):
        panel(
            "case_studies",
            _("Derniers dossiers clôturés (cas d'étude)"),
            visible.filter(status=CaseStatus.CLOTURE),
            _("Aucun dossier clôturé."),
        )
    return panels
