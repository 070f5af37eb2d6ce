"""What the second life brings a site over a period (issue 20 point 6): reads only, from the ledgers.

Definitions (also printed on the page, docs/refurbishment.md):
- entrés: ledger lines « Entrée en stock » of the period; triés: triages done in the period (by outcome);
- reconditionnés: appliances that became ready for sale in the period — their first refurbishment finished
  « conforme », or for one never refurbished its triage « fonctionnement validé »;
- vendus: ledger lines « Vente » of the period, their prices TTC summed;
- mis au rebut: ledger lines « Mise au rebut »; démontés: ledger lines « Départ en DEEE »;
- pièces récupérées: sub-assemblies recovered (test passed) in the period, valued at their sale price HT;
- pièces réemployées: parts ledger « Consommation sur dossier » of recovered parts on the site in the period, less
  their « Retour », valued at the part's sale price HT;
- kg détournés des déchets: weight of the appliances sold + weight of the parts recovered in the period
  (the remains handed over as WEEE are shown apart: recycled, not reused);
- durée moyenne de reconditionnement: from an appliance's first triage to its becoming ready for sale, in days,
  over the appliances ready in the period;
- marge moyenne: over the appliances sold in the period, sale price TTC − trade-in value − costs from COST_SOURCES
  (the parts used in refurbishing it, at their purchase price), in euros TTC.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Min, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from atelier.core.models import Site
from atelier.refurbishment.choices import MoveKind, TriageOutcome
from atelier.refurbishment.dismantling import RecoveredPart, WeeeDeparture
from atelier.refurbishment.models import ApplianceMove, StockAppliance, Triage
from atelier.stock.choices import MoveKind as PartMove
from atelier.stock.models import StockMove

ZERO = Decimal("0")
CENT, TENTH = Decimal("0.01"), Decimal("0.1")

# Ledger kinds that make an appliance ready for sale, besides a triage « fonctionnement validé » (the
# refurbishment procedures append the kind of their completion line).
READY_MOVE_KINDS: list[str] = []
# Costs of an appliance sold besides its trade-in value: callables(appliance ids) → {id: Decimal TTC}.
COST_SOURCES: list[Callable[[list[int]], dict[int, Decimal]]] = []
# Parts bought at the standard rate: their cost TTC, to compare with sale prices TTC.
PURCHASE_VAT = Decimal("1.20")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: Decimal | int | None  # None: nothing to average over
    unit: str


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return low, high


def ready_moments(site: Site, appliance_ids: Iterable[int] | None = None) -> dict[int, datetime.datetime]:
    """When each appliance of the site became ready for sale: its first refurbishment finished « conforme »; for
    one never refurbished, its triage « fonctionnement validé » (or a ledger line of READY_MOVE_KINDS)."""
    from atelier.refurbishment.choices_procedures import FunctionalVerdict, RefurbishmentStatus
    from atelier.refurbishment.models import Refurbishment

    refurbished = Refurbishment.objects.filter(
        appliance__site=site, status=RefurbishmentStatus.TERMINE, verdict=FunctionalVerdict.CONFORME
    )
    triages = Triage.objects.filter(appliance__site=site, outcome=TriageOutcome.VALIDE)
    moves = ApplianceMove.objects.filter(appliance__site=site, kind__in=READY_MOVE_KINDS)
    if appliance_ids is not None:
        ids = list(appliance_ids)
        refurbished = refurbished.filter(appliance_id__in=ids)
        triages, moves = triages.filter(appliance_id__in=ids), moves.filter(appliance_id__in=ids)
    ready: dict[int, datetime.datetime] = {}
    for row in refurbished.values("appliance_id").annotate(first=Min("finished_at")):
        ready[row["appliance_id"]] = row["first"]
    others: dict[int, datetime.datetime] = {}
    for qs, field in ((triages, "done_at"), (moves, "at")):
        for row in qs.values("appliance_id").annotate(first=Min(field)):
            pk, at = row["appliance_id"], row["first"]
            others[pk] = min(others.get(pk, at), at)
    return {**others, **ready}


def refurbishment_parts_cost(appliance_ids: list[int]) -> dict[int, Decimal]:
    """What the parts used in refurbishing each appliance cost: quantity × the part's purchase price HT, × 1.2
    to compare with sale prices TTC (a part with no purchase price counts zero)."""
    from atelier.refurbishment.models import RefurbishmentPart

    cost: dict[int, Decimal] = {}
    rows = RefurbishmentPart.objects.filter(refurbishment__appliance_id__in=appliance_ids).values_list(
        "refurbishment__appliance_id", "quantity", "part__purchase_price_ht"
    )
    for pk, quantity, price in rows:
        cost[pk] = cost.get(pk, ZERO) + quantity * (price or ZERO) * PURCHASE_VAT
    return {pk: value.quantize(CENT, rounding=ROUND_HALF_UP) for pk, value in cost.items()}


COST_SOURCES.append(refurbishment_parts_cost)


def _mean(values: list[Decimal], quantum: Decimal) -> Decimal | None:
    if not values:
        return None
    return (sum(values, ZERO) / len(values)).quantize(quantum, rounding=ROUND_HALF_UP)


def site_value(*, site: Site, start: datetime.date, end: datetime.date) -> list[Figure]:
    """The figures of the page, in its order."""
    low, high = _bounds(start, end)
    moves = ApplianceMove.objects.filter(appliance__site=site, at__gte=low, at__lt=high)
    by_kind = dict(moves.values_list("kind").annotate(n=Count("pk")).order_by())
    triages = Triage.objects.filter(appliance__site=site, done_at__gte=low, done_at__lt=high)
    by_outcome = dict(triages.values_list("outcome").annotate(n=Count("pk")).order_by())

    ready = {pk: at for pk, at in ready_moments(site).items() if low <= at < high}
    first_triage = dict(
        Triage.objects.filter(appliance_id__in=list(ready))
        .values_list("appliance_id")
        .annotate(first=Min("done_at"))
        .order_by()
    )
    durations = [
        Decimal((ready[pk] - first_triage[pk]).total_seconds()) / Decimal(86400)
        for pk in ready
        if pk in first_triage
    ]

    sales = list(moves.filter(kind=MoveKind.VENTE).values_list("appliance_id", "price"))
    sold_ids = [pk for pk, _price in sales]
    sold = {
        a.pk: a
        for a in StockAppliance.objects.filter(pk__in=sold_ids).only("pk", "trade_in_value", "weight_kg")
    }
    extra: dict[int, Decimal] = {}
    for source in COST_SOURCES:
        for pk, cost in source(sold_ids).items():
            extra[pk] = extra.get(pk, ZERO) + cost
    margins = [
        (price or ZERO) - (sold[pk].trade_in_value or ZERO) - extra.get(pk, ZERO) for pk, price in sales
    ]
    revenue = sum((price or ZERO for _pk, price in sales), ZERO)
    sold_kg = sum((sold[pk].weight_kg or ZERO for pk in sold_ids), ZERO)

    recovered = RecoveredPart.objects.filter(
        appliance__site=site, reusable=True, done_at__gte=low, done_at__lt=high
    ).aggregate(n=Count("pk"), value=Sum("part__price_ht"), kg=Sum("weight_kg"))
    reused = StockMove.objects.filter(
        site=site,
        at__gte=low,
        at__lt=high,
        case__isnull=False,
        part__recovered_from__isnull=False,
        kind__in=[PartMove.CONSOMMATION, PartMove.RETOUR],
    ).aggregate(
        n=Sum(-F("quantity")),
        value=Sum(-F("quantity") * F("part__price_ht")),
    )
    weee = WeeeDeparture.objects.filter(
        appliance__site=site, handed_on__gte=start, handed_on__lte=end
    ).aggregate(kg=Sum("weight_kg"))
    recovered_kg = recovered["kg"] or ZERO
    n_reused = reused["n"] or ZERO
    return [
        Figure("entres", _("Appareils entrés en stock"), by_kind.get(MoveKind.ENTREE, 0), _("appareils")),
        Figure("tries", _("Appareils triés"), sum(by_outcome.values()), _("appareils")),
        Figure(
            "tries_valides",
            _("… dont fonctionnement validé"),
            by_outcome.get(TriageOutcome.VALIDE, 0),
            _("appareils"),
        ),
        Figure(
            "tries_a_reparer",
            _("… dont à réparer"),
            by_outcome.get(TriageOutcome.A_REPARER, 0),
            _("appareils"),
        ),
        Figure(
            "tries_non_reparables",
            _("… dont non réparables"),
            by_outcome.get(TriageOutcome.NON_REPARABLE, 0),
            _("appareils"),
        ),
        Figure(
            "reconditionnes", _("Appareils reconditionnés (prêts à la vente)"), len(ready), _("appareils")
        ),
        Figure("vendus", _("Appareils vendus"), len(sales), _("appareils")),
        Figure("ventes_ttc", _("Ventes d'appareils"), revenue.quantize(CENT), _("€ TTC")),
        Figure("rebut", _("Appareils mis au rebut"), by_kind.get(MoveKind.REBUT, 0), _("appareils")),
        Figure(
            "demontes",
            _("Appareils démontés (restes en DEEE)"),
            by_kind.get(MoveKind.DEEE, 0),
            _("appareils"),
        ),
        Figure("pieces_recuperees", _("Pièces récupérées au démontage"), recovered["n"], _("pièces")),
        Figure(
            "pieces_recuperees_valeur",
            _("Valeur des pièces récupérées"),
            (recovered["value"] or ZERO).quantize(CENT),
            _("€ HT"),
        ),
        Figure(
            "pieces_reemployees",
            _("Pièces récupérées posées en réparation"),
            int(n_reused) if n_reused == n_reused.to_integral() else n_reused,
            _("pièces"),
        ),
        Figure(
            "pieces_reemployees_valeur",
            _("Valeur des pièces posées en réparation"),
            (reused["value"] or ZERO).quantize(CENT),
            _("€ HT"),
        ),
        Figure(
            "kg_detournes",
            _("Poids détourné des déchets (réemploi)"),
            (sold_kg + recovered_kg).quantize(TENTH, rounding=ROUND_HALF_UP),
            _("kg"),
        ),
        Figure(
            "kg_deee",
            _("Poids remis en DEEE (recyclage)"),
            (weee["kg"] or ZERO).quantize(TENTH, rounding=ROUND_HALF_UP),
            _("kg"),
        ),
        Figure("duree_moyenne", _("Durée moyenne de reconditionnement"), _mean(durations, TENTH), _("jours")),
        Figure("marge_moyenne", _("Marge moyenne par appareil vendu"), _mean(margins, CENT), _("€ TTC")),
    ]


def _cell(value) -> str | int:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return value


def csv_rows(*, site: Site, start: datetime.date, end: datetime.date, figures: list[Figure]) -> list[list]:
    """The export: the site and the period, then one row per figure (decimal comma, as a French Excel reads)."""
    rows: list[list] = [
        [_("Indicateur"), _("Valeur"), _("Unité")],
        [_("Site"), site.code, ""],
        [_("Du"), date_format(start, "d/m/Y"), ""],
        [_("Au"), date_format(end, "d/m/Y"), ""],
    ]
    rows += [[f.label, _cell(f.value), f.unit] for f in figures]
    return rows


__all__ = ["COST_SOURCES", "READY_MOVE_KINDS", "Figure", "csv_rows", "ready_moments", "site_value"]
