"""What the stock adds to other screens (registered in StockConfig.ready through repairs.extensions):
home panels, the parts section of the dossier page, reservations released when a dossier stops."""

from django.urls import reverse
from django.utils.translation import gettext as _

from atelier.core.access import may
from atelier.core.models import Site
from atelier.stock import repair_orders, selectors
from atelier.stock.choices import LocationKind
from atelier.stock.models import Part, StockLocation

PANEL_SIZE = 10


def home_panels(user) -> list[dict]:
    panels = []
    if may(user, "stock.view") and (may(user, "reception.queue") or may(user, "stock.manage")):
        cases = _ready_to_resume(user)
        panels.append(
            {
                "key": "stock_parts_arrived",
                "title": _("Pièces arrivées : dossiers à relancer"),
                "cases": cases[:PANEL_SIZE],
                "count": len(cases),
                "empty": _("Aucun dossier en attente dont les pièces sont arrivées."),
            }
        )
    if may(user, "stock.manage"):
        links = []
        to_validate = _to_validate(user)
        if to_validate:
            links.append(
                {
                    "url": reverse("stock:parts") + "?status=a_valider",
                    "text": _("Références à valider"),
                    "badge": str(to_validate),
                }
            )
        anomalies = selectors.anomaly_list(user).count()
        if anomalies:
            links.append(
                {"url": reverse("stock:parts"), "text": _("Anomalies signalées"), "badge": str(anomalies)}
            )
        for site in Site.objects.visible_to(user)[:5]:
            missing = len(selectors.parts_to_order(site))
            if missing:
                links.append(
                    {
                        "url": reverse("stock:to_order") + f"?site={site.pk}",
                        "text": _("Pièces à commander · %(s)s") % {"s": site.code},
                        "badge": str(missing),
                    }
                )
        links += [
            {"url": reverse("stock:index"), "text": _("Stock par emplacement"), "badge": ""},
            {"url": reverse("stock:orders"), "text": _("Commandes fournisseur"), "badge": ""},
        ]
        panels.append(
            {
                "key": "stock_todo",
                "title": _("Magasin"),
                "links": links,
                "count": len(links) - 2,
                "empty": _("Rien à traiter au magasin."),
            }
        )
    if may(user, "stock.consume") and not may(user, "stock.manage"):
        vans = StockLocation.objects.visible_to(user).filter(
            technician=user, kind=LocationKind.VEHICULE, is_active=True
        )
        links = [
            {"url": reverse("stock:index") + f"?location={van.pk}", "text": str(van), "badge": ""}
            for van in vans
        ]
        links.append(
            {"url": reverse("stock:move_create"), "text": _("Enregistrer un mouvement"), "badge": ""}
        )
        panels.append(
            {"key": "stock_van", "title": _("Mon stock"), "links": links, "count": len(vans), "empty": ""}
        )
    return panels


def dossier_section(request, case):
    """The parts of the dossier's repair orders: reserved, consumed, missing; links to the pick list."""
    orders = list(repair_orders.orders_of_case(case))
    if not orders:
        return None
    rows = []
    for order in orders:
        ready, reason = selectors.order_parts_ready(order)
        rows.append({"order": order, "ready": ready, "reason": reason})
    return {
        "template": "stock/_dossier_section.html",
        "rows": rows,
        "consumed": _consumed_rows(case),
    }


def _consumed_rows(case):
    consumed = selectors.consumed_on_case(case)
    parts = Part.objects.in_bulk(list(consumed))
    return [{"part": parts[pk], "quantity": qty} for pk, qty in consumed.items() if pk in parts]


def release_on_stop(case, step_name, actor, at) -> None:
    """A dossier cancelled or declared not repairable gives its reserved parts back to the shelf."""
    if step_name not in ("cancel", "declare_unrepairable"):
        return
    from atelier.stock.services import release_case

    release_case(case=case, actor=actor, at=at)


def _ready_to_resume(user):
    from atelier.repairs.extensions import per_request

    return per_request(user, "stock.ready_to_resume", lambda: selectors.cases_ready_to_resume(user))


def home_actions(user) -> list[dict]:
    """Parts arrived for dossiers waiting for them (to move on today); references to validate."""
    from atelier.repairs.extensions import ROUTINE, TODAY
    from atelier.repairs.home import cases_url

    items = []
    if may(user, "reception.queue") or may(user, "stock.manage"):
        items.append(
            {
                "key": "stock_parts_arrived",
                "label": _("Pièces arrivées : dossiers en attente à relancer"),
                "count": len(_ready_to_resume(user)),
                "urgency": TODAY,
                "url": cases_url(status="attente_pieces"),
            }
        )
    if may(user, "stock.manage"):
        items.append(
            {
                "key": "stock_to_validate",
                "label": _("Références du catalogue à valider"),
                "count": _to_validate(user),
                "urgency": ROUTINE,
                "url": reverse("stock:parts") + "?status=a_valider",
            }
        )
    return items


def _to_validate(user) -> int:
    from atelier.repairs.extensions import per_request

    return per_request(user, "stock.to_validate", lambda: selectors.parts_to_validate(user).count())
