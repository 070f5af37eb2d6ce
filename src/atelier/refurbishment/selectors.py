"""Reads of the second life of appliances, scoped to the user's sites."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet, Sum

from atelier.core.params import as_id
from atelier.core.scoping import visible_or_404
from atelier.customers.choices import ProductFamily
from atelier.refurbishment.choices import IN_STOCK_STATES, ApplianceState
from atelier.refurbishment.models import (
    AbandonLetter,
    AbandonNoticeRule,
    ApplianceCount,
    ApplianceMove,
    CollectionLot,
    StockAppliance,
    TriageCheck,
)

MAX_QUERY = 100


def notice_rule(site, on: datetime.date) -> AbandonNoticeRule | None:
    """The notice period in force on a day: the site's own, else the default of every site."""
    rules = AbandonNoticeRule.objects.filter(valid_from__lte=on).order_by("-valid_from")
    return rules.filter(site=site).first() or rules.filter(site__isnull=True).first()


def checklist(family: str) -> QuerySet[TriageCheck]:
    return TriageCheck.objects.filter(family=family, is_active=True).order_by("order", "pk")


def appliance_list(*, user, site="", state="", family="", q="", lot="") -> QuerySet[StockAppliance]:
    qs = StockAppliance.objects.visible_to(user).select_related("site", "location", "reserved_for", "lot")
    if (site_id := as_id(site)) is not None:
        qs = qs.filter(site_id=site_id)
    if state == "en_stock":
        qs = qs.filter(state__in=IN_STOCK_STATES)
    elif state in ApplianceState.values:
        qs = qs.filter(state=state)
    if family in ProductFamily.values:
        qs = qs.filter(family=family)
    if (lot_id := as_id(lot)) is not None:
        qs = qs.filter(lot_id=lot_id)
    q = (q or "").strip()[:MAX_QUERY]
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(brand__icontains=q)
            | Q(model_ref__icontains=q)
            | Q(serial_number__icontains=q)
        )
    return qs


def appliance_get(*, user, pk) -> StockAppliance:
    return visible_or_404(
        StockAppliance.objects.select_related(
            "site", "location", "reserved_for", "sold_to", "lot", "case", "entered_by"
        ),
        user,
        pk=pk,
    )


def stock_summary(*, user, site="") -> list[dict]:
    """Appliances by site, family and state (one GROUP BY: always the rows as they are), with how many of them
    are reserved; only the states that hold stock and those that left it."""
    qs = StockAppliance.objects.visible_to(user)
    if (site_id := as_id(site)) is not None:
        qs = qs.filter(site_id=site_id)
    rows = (
        qs.values("site__code", "family", "state")
        .annotate(count=Count("pk"), reserved=Count("pk", filter=Q(reserved_for__isnull=False)))
        .order_by("site__code", "family", "state")
    )
    families, states = dict(ProductFamily.choices), dict(ApplianceState.choices)
    return [
        {
            "site": r["site__code"],
            "family": r["family"],
            "family_label": str(families.get(r["family"], r["family"])),
            "state": r["state"],
            "state_label": str(states.get(r["state"], r["state"])),
            "count": r["count"],
            "reserved": r["reserved"],
        }
        for r in rows
    ]


def stock_table(*, user, site="") -> dict:
    """The same figures as a table: one row per (site, family), one column per state in stock, and totals."""
    table: dict[tuple[str, str], dict] = {}
    for r in stock_summary(user=user, site=site):
        if r["state"] not in IN_STOCK_STATES:
            continue
        row = table.setdefault(
            (r["site"], r["family"]),
            {
                "site": r["site"],
                "family": r["family_label"],
                "counts": dict.fromkeys(IN_STOCK_STATES, 0),
                "reserved": 0,
                "total": 0,
            },
        )
        row["counts"][r["state"]] += r["count"]
        row["reserved"] += r["reserved"]
        row["total"] += r["count"]
    rows = list(table.values())
    for row in rows:
        row["cells"] = [row["counts"][s] for s in IN_STOCK_STATES]
    totals = [sum(row["counts"][s] for row in rows) for s in IN_STOCK_STATES]
    return {
        "states": [ApplianceState(s).label for s in IN_STOCK_STATES],
        "rows": rows,
        "totals": totals,
        "reserved": sum(r["reserved"] for r in rows),
        "total": sum(totals),
    }


def ledger_balance(*, site) -> int:
    """The stock of a site as the sum of its ledger lines (equal to the appliances in stock)."""
    return ApplianceMove.objects.filter(appliance__site=site).aggregate(n=Sum("quantity"))["n"] or 0


def move_list(*, user, site="", kind="") -> QuerySet[ApplianceMove]:
    qs = ApplianceMove.objects.visible_to(user).select_related(
        "appliance", "actor", "from_location", "to_location", "customer"
    )
    if (site_id := as_id(site)) is not None:
        qs = qs.filter(appliance__site_id=site_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def lot_list(*, user) -> QuerySet:
    return (
        CollectionLot.objects.visible_to(user)
        .select_related("site")
        .annotate(n=Count("appliances"))
        .order_by("-received_on", "-pk")
    )


def lot_get(*, user, pk) -> CollectionLot:
    return visible_or_404(CollectionLot.objects.select_related("site", "created_by"), user, pk=pk)


def letter_list(*, user) -> QuerySet[AbandonLetter]:
    return AbandonLetter.objects.visible_to(user).select_related(
        "case", "case__site", "case__customer", "case__appliance", "case__abandoned_appliance", "recorded_by"
    )


def count_list(*, user) -> QuerySet[ApplianceCount]:
    return ApplianceCount.objects.visible_to(user).select_related("site", "location", "counted_by")


def count_get(*, user, pk) -> ApplianceCount:
    return visible_or_404(
        ApplianceCount.objects.select_related("site", "location", "counted_by"), user, pk=pk
    )
