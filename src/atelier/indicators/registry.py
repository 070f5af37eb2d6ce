"""Every indicator in one place: its code, French name, the definition shown on the page, and how it is
computed. Most read the period's figures (`Data`: the sums of indicators.aggregate, total and per place of
work); a few read live what is not a flow of the period (open dossiers, the technicians' routes, the queue,
the survey answers). Each `compute` returns a `Result`: the value, its text, and a small table.

The formulas on plain numbers (rates, percentiles of a histogram, NPS, CSAT) are functions of their own, tested
alone."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.money import fr_amount
from atelier.indicators.aggregate import Scope
from atelier.indicators.facts import Figures
from atelier.repairs.choices import WorkLocation

NBSP = "\u00a0"


@dataclass
class Data:
    """What a figure-based indicator reads: the period's totals, and per place of work (atelier / "
    "domicile)."""

    total: Figures
    by_location: dict[str, Figures]
    scope: Scope
    date_from: datetime.date
    date_to: datetime.date


@dataclass
class Result:
    value: float | Decimal | None  # None: nothing to measure in the period
    text: str
    table: list[tuple[str, str]] = field(default_factory=list)  # (label, value) rows shown under the figure
    higher_is_better: bool = True


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    definition: str
    compute: Callable[[Data], Result]
    top: bool = False  # shown on the manager's home page


# ---- formulas on plain numbers ----


def rate(part: int | float, whole: int | float) -> float | None:
    """part / whole in percent, None when there is nothing to divide."""
    return None if not whole else part * 100 / whole


def percentile_of_histogram(histogram: dict[int, int], q: float) -> int | None:
    """The q-th percentile (nearest rank, 0 < q ≤ 100) of values given as {value: how many}: the smallest value
    such that at least q % of the values are at or below it."""
    n = sum(histogram.values())
    if n == 0:
        return None
    rank = max(1, -(-n * q // 100))  # ceil(n × q / 100)
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)


def nps(recommendations: list[int]) -> float | None:
    """Net Promoter Score: % of 9–10 minus % of 0–6, among the answers (−100 to +100)."""
    if not recommendations:
        return None
    promoters = sum(1 for r in recommendations if r >= 9)
    detractors = sum(1 for r in recommendations if r <= 6)
    return (promoters - detractors) * 100 / len(recommendations)


def csat(satisfactions: list[int]) -> float | None:
    """Customer satisfaction: % of answers 4 or 5 on the 1–5 scale."""
    if not satisfactions:
        return None
    return sum(1 for s in satisfactions if s >= 4) * 100 / len(satisfactions)


def fr_number(value: float | Decimal | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-decimals)
    text = f"{Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP):,}"
    return text.replace(",", NBSP).replace(".", ",")


def fr_percent(value: float | None) -> str:
    return "—" if value is None else f"{fr_number(value)}{NBSP}%"


def fr_days(value: float | None) -> str:
    return "—" if value is None else f"{fr_number(value)}{NBSP}j"


def fr_euros(value: Decimal | None) -> str:
    return "—" if value is None else f"{fr_amount(value, grouped=True)}{NBSP}€"


def _places(data: Data) -> list[tuple[str, Figures]]:
    return [(str(label), data.by_location.get(value) or Figures()) for value, label in WorkLocation.choices]


# ---- the indicators ----


def _ftf(data: Data) -> Result:
    def one(f: Figures) -> float | None:
        return rate(f.counts["ftf_eligible"] - f.counts["ftf_returned"], f.counts["ftf_eligible"])

    c = data.total.counts
    table = [(label, fr_percent(one(f))) for label, f in _places(data)]
    table.append(
        (str(_("Réparations rendues / revenues sous garantie")), f"{c['ftf_eligible']} / {c['ftf_returned']}")
    )
    value = one(data.total)
    return Result(value, fr_percent(value), table)


def _repeat(data: Data) -> Result:
    c = data.total.counts
    value = rate(c["repeats"], c["received"])
    return Result(
        value,
        fr_percent(value),
        [(str(_("Dossiers reçus / dont retours")), f"{c['received']} / {c['repeats']}")],
        False,
    )


def _turnaround(data: Data) -> Result:
    table = []
    for label, f in _places(data):
        median = percentile_of_histogram(f.turnaround, 50)
        p90 = percentile_of_histogram(f.turnaround, 90)
        table.append((label, f"{fr_days(median)} · 90 % en {fr_days(p90)}" if median is not None else "—"))
    median = percentile_of_histogram(data.total.turnaround, 50)
    p90 = percentile_of_histogram(data.total.turnaround, 90)
    table.append((str(_("90ᵉ centile, tous lieux")), fr_days(p90)))
    return Result(median, fr_days(median), table, False)


def _promised(data: Data) -> Result:
    c = data.total.counts
    value = rate(c["promised_kept"], c["promised"])
    return Result(
        value,
        fr_percent(value),
        [(str(_("Délais promis / tenus")), f"{c['promised']} / {c['promised_kept']}")],
    )


def _quotes(data: Data) -> Result:
    c = data.total.counts
    value = rate(c["quotes_accepted"], c["quotes_accepted"] + c["quotes_refused"])
    return Result(
        value,
        fr_percent(value),
        [(str(_("Acceptés / refusés")), f"{c['quotes_accepted']} / {c['quotes_refused']}")],
    )


def _repair_rate(data: Data) -> Result:
    c = data.total.counts
    value = rate(c["repaired"], c["repaired"] + c["unrepairable"])
    table = [(str(_("Réparés / non réparables")), f"{c['repaired']} / {c['unrepairable']}")]
    for reason, n in sorted(data.total.reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:5]:
        table.append((reason, str(n)))
    return Result(value, fr_percent(value), table)


def _no_fault(data: Data) -> Result:
    c = data.total.counts
    value = rate(c["no_fault"], c["finished"])
    return Result(
        value,
        fr_percent(value),
        [(str(_("Dossiers rendus / panne non constatée")), f"{c['finished']} / {c['no_fault']}")],
        False,
    )


def _used_parts(data: Data) -> Result:
    c = data.total.counts
    value = rate(c["used_parts"], c["parts"])
    return Result(
        value,
        fr_percent(value),
        [(str(_("Pièces posées / de réemploi")), f"{c['parts']} / {c['used_parts']}")],
    )


def _parts_wait(data: Data) -> Result:
    c = data.total.counts
    value = c["parts_wait_hours"] / 24 / c["parts_waits"] if c["parts_waits"] else None
    share = rate(c["parts_waits"], c["finished"])
    return Result(
        value,
        fr_days(value),
        [(str(_("Dossiers ayant attendu des pièces")), f"{c['parts_waits']} ({fr_percent(share)})")],
        False,
    )


def _claims(data: Data) -> Result:
    c = data.total.counts
    value = rate(c["claims"], c["finished"])
    disputes = rate(c["disputes"], c["finished"])
    return Result(
        value,
        fr_number(value),
        [
            (str(_("Réclamations")), str(c["claims"])),
            (str(_("Litiges pour 100 dossiers")), fr_number(disputes)),
            (str(_("Litiges")), str(c["disputes"])),
        ],
        False,
    )


def _revenue(data: Data) -> Result:
    c, a = data.total.counts, data.total.amounts
    if not c["finished"]:
        return Result(None, "—", [])
    per = (a["revenue_ht"] / c["finished"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    margin = ((a["revenue_ht"] - a["cost_ht"]) / c["finished"]).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return Result(
        per,
        fr_euros(per),
        [
            (str(_("Marge par dossier (CA HT − pièces au prix d'achat)")), fr_euros(margin)),
            (str(_("Chiffre d'affaires HT de la période")), fr_euros(a["revenue_ht"])),
            (str(_("Coût des pièces HT")), fr_euros(a["cost_ht"])),
        ],
    )


def open_states(scope: Scope):
    """(state, since when) of every open dossier of the scope, one part per open state, each sought in the
    (site, state) index: « state IN (13 states) » for several sites made SQLite read the whole table (its
    statistics average the states, closed dossiers being nearly all), and the model's order had it walk every
    dossier of the site newest first (issue 16; repairs/tests/test_query_plans.py)."""
    from atelier.repairs.choices import OPEN_STATUSES
    from atelier.repairs.models import RepairCase

    qs = RepairCase.objects.filter(site_id__in=scope.site_ids)
    if scope.technician_id is not None:
        qs = qs.filter(technician_id=scope.technician_id)
    if scope.family:
        qs = qs.filter(appliance__family=scope.family)
    if scope.brand:
        qs = qs.filter(appliance__brand__iexact=scope.brand)
    if scope.location:
        qs = qs.filter(location=scope.location)
    parts = [
        qs.filter(status=state).order_by().values_list("status", "status_changed_at")
        for state in OPEN_STATUSES
    ]
    return parts[0].union(*parts[1:], all=True)


def _states(data: Data) -> Result:
    """Live: the open dossiers now, by state, with how long they have been in it."""
    from atelier.repairs.choices import CaseStatus

    now = timezone.now()
    ages: dict[str, list[float]] = {}
    for status, since in open_states(data.scope):
        ages.setdefault(status, []).append((now - since).total_seconds() / 86400)
    labels = dict(CaseStatus.choices)
    table = []
    for status in CaseStatus.values:
        if status in ages:
            days = sorted(ages[status])
            median = days[(len(days) - 1) // 2]
            table.append(
                (
                    str(labels[status]),
                    f"{len(days)} · médiane {fr_days(median)} · le plus ancien {fr_days(days[-1])}",
                )
            )
    count = sum(len(v) for v in ages.values())
    return Result(count, str(count), table, False)


def _utilisation(data: Data) -> Result:
    """Live: the validated routes of the period (planning), time at customers over time out."""
    from atelier.planning.models import PlanRoute, PlanStop

    routes = PlanRoute.objects.filter(
        plan__site_id__in=data.scope.site_ids,
        validated=True,
        plan__day__gte=data.date_from,
        plan__day__lte=data.date_to,
    )
    if data.scope.technician_id is not None:
        routes = routes.filter(technician_id=data.scope.technician_id)
    out_s = at_work_s = travel_s = distance_m = 0
    for leave_at, back_at, break_min, travel, distance in routes.values_list(
        "leave_at", "back_at", "break_minutes", "travel_s", "distance_m"
    ):
        out_s += max(0, (back_at - leave_at).total_seconds() - break_min * 60)
        travel_s += travel
        distance_m += distance
    for start, end in PlanStop.objects.filter(route__in=routes).values_list("start", "end"):
        at_work_s += (end - start).total_seconds()
    value = rate(at_work_s, out_s)
    return Result(
        value,
        fr_percent(value),
        [
            (str(_("Temps chez les clients")), fr_number(at_work_s / 3600) + f"{NBSP}h"),
            (str(_("Temps de trajet")), fr_number(travel_s / 3600) + f"{NBSP}h"),
            (str(_("Distance parcourue")), fr_number(distance_m / 1000) + f"{NBSP}km"),
        ],
    )


def _queue(data: Data) -> Result:
    """Live: the counter's tickets of the period, the queue page's figures (reception.selectors.site_measures:
    every ticket counted, waits of the counter's called tickets), read for all the sites in one query."""
    from collections import defaultdict

    from atelier.core.models import Site
    from atelier.reception.choices import Channel
    from atelier.reception.models import Ticket
    from atelier.reception.queueing import percentile

    totals: dict[int, int] = defaultdict(int)
    waits: dict[int, list[float]] = defaultdict(list)
    for site_id, channel, wait_seconds in Ticket.objects.filter(
        site_id__in=data.scope.site_ids, day__gte=data.date_from, day__lte=data.date_to
    ).values_list("site_id", "channel", "wait_seconds"):
        totals[site_id] += 1
        if wait_seconds is not None and channel == Channel.COMPTOIR:
            waits[site_id].append(wait_seconds / 60)
    medians, table = [], []
    for site_id, code in (
        Site.objects.filter(pk__in=data.scope.site_ids).order_by("code").values_list("pk", "code")
    ):
        median, p90 = percentile(waits[site_id], 50), percentile(waits[site_id], 90)
        if median is not None:
            medians.append(median)
        table.append(
            (
                code,
                f"{totals[site_id]} tickets · médiane {fr_number(median)} min · 90 % en {fr_number(p90)} min",
            )
        )
    value = percentile(medians, 50) if len(medians) > 1 else (medians[0] if medians else None)
    return Result(value, "—" if value is None else f"{fr_number(value)}{NBSP}min", table, False)


def survey_model():
    """The survey answers' model of atelier.improvement, or None while that app is not installed."""
    if not apps.is_installed("atelier.improvement"):
        return None
    try:
        return apps.get_model("improvement", "SurveyAnswer")
    except LookupError:
        return None


def _satisfaction(data: Data) -> Result:
    model = survey_model()
    if model is None:
        return Result(None, "—", [(str(_("Enquête de satisfaction")), str(_("pas encore en service")))])
    answers = model.objects.filter(
        site_id__in=data.scope.site_ids,
        answered_at__gte=_start(data.date_from),
        answered_at__lt=_start(data.date_to + datetime.timedelta(days=1)),
    )
    if data.scope.technician_id is not None:
        answers = answers.filter(case__technician_id=data.scope.technician_id)
    if data.scope.family:
        answers = answers.filter(case__appliance__family=data.scope.family)
    if data.scope.brand:
        answers = answers.filter(case__appliance__brand__iexact=data.scope.brand)
    if data.scope.location:
        answers = answers.filter(case__location=data.scope.location)
    rows = list(answers.values_list("recommendation", "satisfaction"))
    score = nps([r for r, _s in rows if r is not None])
    happy = csat([s for _r, s in rows if s is not None])
    return Result(
        score,
        "—" if score is None else f"{fr_number(score, 0)}",
        [(str(_("CSAT (4 ou 5 sur 5)")), fr_percent(happy)), (str(_("Réponses")), str(len(rows)))],
    )


def _start(day: datetime.date) -> datetime.datetime:
    from atelier.core.days import day_start

    return day_start(day)


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "premier_coup",
        _("Réparation du premier coup"),
        _(
            "Part des dossiers réparés et rendus dans la période qui ne sont pas revenus pour une nouvelle "
            "réparation "
            "dans la garantie de réparation du site (même marque et même n° de série, nouveau dossier reçu "
            "dans le délai "
            "de garantie après la remise). Atelier et domicile séparés. Un retour reçu plus tard baisse ce "
            "taux a posteriori."
        ),
        _ftf,
        top=True,
    ),
    Indicator(
        "retours",
        _("Taux de retours (réparations répétées)"),
        _(
            "Part des dossiers reçus dans la période qui sont un retour : un dossier antérieur sur un "
            "appareil de même "
            "marque et même n° de série a été réparé et rendu moins de la durée de garantie de réparation "
            "avant."
        ),
        _repeat,
    ),
    Indicator(
        "etats",
        _("Dossiers ouverts par état"),
        _(
            "Maintenant, quelle que soit la période : nombre de dossiers ouverts dans chaque état, depuis "
            "combien de "
            "jours ils y sont (médiane, le plus ancien)."
        ),
        _states,
        top=True,
    ),
    Indicator(
        "delai",
        _("Délai de réparation (reçu → rendu)"),
        _(
            "Jours calendaires entre la réception et la remise au client des dossiers rendus dans la période : "
            "médiane (la moitié des dossiers en moins) et 90ᵉ centile (neuf dossiers sur dix en moins), en atelier "
            "et à domicile."
        ),
        _turnaround,
        top=True,
    ),
    Indicator(
        "delais_tenus",
        _("Délais promis tenus"),
        _(
            "Part des dossiers rendus dans la période, ayant un ordre de réparation avec un délai promis, "
            "dont l'appareil "
            "a été prêt (mis en service) au plus tard le jour promis."
        ),
        _promised,
    ),
    Indicator(
        "devis_acceptes",
        _("Taux d'acceptation des devis"),
        _(
            "Parmi les dossiers rendus dans la période dont le dernier devis a reçu une réponse : part des "
            "devis acceptés "
            "(acceptés ÷ (acceptés + refusés))."
        ),
        _quotes,
        top=True,
    ),
    Indicator(
        "reparabilite",
        _("Taux de réparation (réparés ÷ réparés + non réparables)"),
        _(
            "Parmi les dossiers rendus dans la période, ceux passés par « Réparé » rapportés à ceux-ci plus "
            "ceux déclarés "
            "« Non réparable » ; les raisons écrites au verdict, les plus fréquentes d'abord."
        ),
        _repair_rate,
    ),
    Indicator(
        "panne_non_constatee",
        _("Panne non constatée"),
        _(
            "Part des dossiers rendus dans la période dont le diagnostic est marqué « panne non résolue » "
            "(la cause n'a "
            "pas été trouvée)."
        ),
        _no_fault,
    ),
    Indicator(
        "pieces_reemploi",
        _("Part des pièces de réemploi"),
        _(
            "Parmi les pièces des devis acceptés des dossiers rendus dans la période, part des pièces "
            "reconditionnées "
            "ou d'occasion (en quantité)."
        ),
        _used_parts,
    ),
    Indicator(
        "attente_pieces",
        _("Attente des pièces"),
        _(
            "Durée moyenne passée « En attente de pièces » (tous les passages additionnés) par les dossiers "
            "rendus dans "
            "la période qui ont attendu des pièces, en jours."
        ),
        _parts_wait,
    ),
    Indicator(
        "occupation",
        _("Occupation des techniciens et trajets"),
        _(
            "Tournées validées de la période : temps passé chez les clients ÷ temps hors de l'atelier "
            "(départ → retour, "
            "pause déduite) ; temps de trajet et distance des tournées."
        ),
        _utilisation,
    ),
    Indicator(
        "attente_accueil",
        _("Attente à l'accueil"),
        _(
            "Tickets de la file d'attente au comptoir de la période : attente médiane et 90ᵉ centile par "
            "site (les "
            "mêmes chiffres que la page « File d'attente »)."
        ),
        _queue,
    ),
    Indicator(
        "reclamations",
        _("Réclamations pour 100 dossiers"),
        _(
            "Réclamations ouvertes dans la période pour 100 dossiers rendus dans la période ; de même pour "
            "les litiges."
        ),
        _claims,
    ),
    Indicator(
        "chiffre_affaires",
        _("Chiffre d'affaires et marge par dossier"),
        _(
            "Factures moins avoirs (HT) des dossiers rendus dans la période, divisés par leur nombre ; la "
            "marge retire le "
            "prix d'achat HT des pièces des devis acceptés."
        ),
        _revenue,
        top=True,
    ),
    Indicator(
        "satisfaction",
        _("Satisfaction des clients (NPS, CSAT)"),
        _(
            "Réponses à l'enquête reçues dans la période. NPS : part des notes de recommandation 9–10 moins part "
            "des notes 0–6, en points (de −100 à +100). CSAT : part des notes de satisfaction 4 ou 5 sur 5."
        ),
        _satisfaction,
        top=True,
    ),
)
BY_CODE = {i.code: i for i in INDICATORS}
