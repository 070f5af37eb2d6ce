"""The demo's year of history (issue 21): dossiers handed back over the last 12 months at Paris and Lyon, with
varied families, brands, technicians, home visits, returns under the repair guarantee, quotes accepted and
refused, unrepairable verdicts with their reasons and parts (some reconditioned), so every chart shows a trend:
volumes grow, first-time fix improves. Set-based (indicators.history.build: a few bulk inserts), deterministic
for a seed (the dates follow the day of the run), idempotent; the nights are then stored as the job would."""

import datetime

from django.utils import timezone

from atelier.customers.models import Appliance, Customer
from atelier.indicators import aggregate
from atelier.indicators.history import Story, build
from atelier.repairs.choices import CaseStatus as S
from atelier.repairs.models import RepairCase

PREFIX = "H"  # the history's dossiers: PAR1-H-000001…, apart from the demo's live numbering
MONTHS = 12
PER_MONTH = {"PAR1": (36, 3), "LYO1": (14, 1)}  # dossiers handed back in the first month, growth per month
FAMILIES = (
    ("lave_linge", ("Bosch", "Whirlpool", "Samsung", "LG"), 30),
    ("lave_vaisselle", ("Bosch", "Siemens", "Beko"), 18),
    ("froid", ("Samsung", "Liebherr", "LG"), 14),
    ("cuisson", ("De Dietrich", "Sauter", "Rosières"), 12),
    ("seche_linge", ("Whirlpool", "Electrolux"), 10),
    ("televiseur", ("Samsung", "LG", "Philips"), 9),
    ("petit_electromenager", ("Seb", "Moulinex", "Dyson"), 7),
)
REASONS = (
    ("Pièce plus fabriquée par le constructeur", 5),
    ("Réparation plus chère qu'un appareil neuf", 4),
    ("Carte électronique brûlée, non disponible", 3),
    ("Cuve percée", 2),
    ("Appareil oxydé, risque électrique", 1),
)
TECHS = {"PAR1": ("technicien", "technicien2"), "LYO1": ("technicien.lyon",)}
# Only the full demo (`atelier demo`: 200 customers) gets the history. The tests' small demos (a few dozen
# customers) keep the demo's own invariants — one quote per quoted dossier, numbering in order of intake,
# timelines through the workflow's services — which these set-based stories do not follow.
MIN_CUSTOMERS = 100


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[-1] for p in pairs])[0]


def load(*, sites, users, rng) -> dict[str, int]:
    from atelier.knowledge.models import Cause
    from atelier.stock.models import Part

    if RepairCase.objects.filter(number__startswith="PAR1-H-").exists():
        return {}
    if Customer.objects.filter(site__in=list(sites.values())).count() < MIN_CUSTOMERS:
        return {}
    today = timezone.localdate()
    parts = list(Part.objects.order_by("pk")[:30])
    causes = list(Cause.objects.order_by("pk")[:10])
    made = 0
    for code, (start, growth) in PER_MONTH.items():
        site = sites.get(code)
        if site is None:
            continue
        customers = list(Customer.objects.filter(site=site).order_by("pk").values_list("pk", flat=True))
        if not customers:
            continue
        techs = [users[u] for u in TECHS[code] if u in users]
        actor = users.get("accueil" if code == "PAR1" else "accueil.lyon") or next(iter(users.values()))
        plans = []
        for month in range(MONTHS):  # month 0 is 12 months ago
            for _i in range(start + growth * month):
                plans.append((month, _weighted(rng, FAMILIES)))
        appliances = []
        for n, (_month, family) in enumerate(plans):
            brands = next(b for f, b, _w in FAMILIES if f == family)
            appliances.append(
                Appliance(
                    customer_id=customers[n % len(customers)],
                    family=family,
                    brand=rng.choice(brands),
                    model_ref=f"H{rng.randint(100, 999)}",
                    serial_number=f"H{code}{n:05d}",
                )
            )
        Appliance.objects.bulk_create(appliances, batch_size=1000)
        stories = []
        for (month, _family), appliance in zip(plans, appliances, strict=True):
            back_day = today - datetime.timedelta(days=(MONTHS - month) * 30 - rng.randint(0, 29) + 1)
            if back_day >= today:
                back_day = today - datetime.timedelta(days=1)
            stories.append(_story(rng, site, appliance, back_day, month, techs, actor, parts, causes))
        # returns under the repair guarantee: fewer as the months go by (first-time fix improves)
        returns = []
        for story in stories:
            repaired = any(s == S.REPARE for s, _a, _n in story.steps)
            back = story.steps[-1][1] if story.steps else None
            month = (back.date() - (today - datetime.timedelta(days=MONTHS * 30))).days // 30 if back else 0
            if repaired and back and rng.random() < 0.14 - 0.009 * month:
                came = back + datetime.timedelta(days=rng.randint(5, 60))
                if came.date() < today - datetime.timedelta(days=2):
                    returns.append(
                        _story(
                            rng,
                            site,
                            story.appliance,
                            came.date() + datetime.timedelta(days=rng.randint(3, 12)),
                            month,
                            techs,
                            actor,
                            parts,
                            causes,
                            received=came,
                        )
                    )
        returns = [r for r in returns if r.steps[-1][1].date() < today]
        made += len(build(stories + returns, number_prefix=PREFIX))
        aggregate.refresh_range(
            site.pk,
            today - datetime.timedelta(days=aggregate.FIRST_RUN_DAYS),
            today - datetime.timedelta(days=1),
        )
    aggregate.rebuild_network()  # what the job `indicators_network` does after the nightly figures
    return {"dossiers d'historique (12 mois)": made}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _story(rng, site, appliance, back_day, month, techs, actor, parts, causes, received=None) -> Story:
    """One finished dossier handed back on `back_day` (and closed two days later when that is in the past)."""
    home = appliance.family in ("froid", "cuisson", "lave_vaisselle") and rng.random() < 0.45
    days = rng.choice((2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 21)) if not home else rng.choice((1, 2, 3, 4, 6, 8))
    received_at = received or _at(back_day - datetime.timedelta(days=days), 9)
    if received_at.date() >= back_day:
        back_day = received_at.date() + datetime.timedelta(days=1)
    span = (back_day - received_at.date()).days

    def t(
        frac: float, hour: int = 10
    ) -> datetime.datetime:  # a moment at this fraction of the dossier's span
        return _at(received_at.date() + datetime.timedelta(days=int(span * frac)), hour)

    roll = rng.random()
    quote, steps, parts_used, promised, unsolved, cause = "", [], [], None, False, None
    if roll < 0.07:  # unrepairable
        steps = [(S.PREDIAGNOSTIQUE, t(0.2), ""), (S.NON_REPARABLE, t(0.6), _weighted(rng, REASONS))]
    elif roll < 0.19:  # quote refused
        quote = "refuse"
        steps = [(S.DEVIS_ENVOYE, t(0.2), ""), (S.REFUSE, t(0.5), "")]
        unsolved = rng.random() < 0.2
    else:  # repaired
        quote = "accepte"
        steps = [(S.ACCEPTE, t(0.2), "")]
        if rng.random() < 0.3:
            steps += [(S.ATTENTE_PIECES, t(0.3), ""), (S.EN_REPARATION, t(0.7), "")]
        steps += [(S.REPARE, t(0.8, 14), "Réparé"), (S.PRET, t(0.9, 16), "Essais conformes")]
        parts_used = [
            (p, "reconditionne" if rng.random() < 0.1 + 0.02 * month else "neuf", 1)
            for p in rng.sample(parts, min(len(parts), rng.randint(0, 2)))
        ]
        parts_used = [(p, c if p.condition == "neuf" else p.condition, q) for p, c, q in parts_used]
        promised = (received_at + datetime.timedelta(days=days + rng.choice((-1, 0, 0, 1, 2)))).date()
        cause = rng.choice(causes) if causes and rng.random() < 0.8 else None
        unsolved = rng.random() < 0.04
    steps.append((S.RENDU, _at(back_day, 17), ""))
    if back_day + datetime.timedelta(days=2) < timezone.localdate():
        steps.append((S.CLOTURE, _at(back_day + datetime.timedelta(days=2), 11), "Dossier soldé"))
    return Story(
        site,
        appliance,
        received_at,
        steps,
        actor,
        rng.choice(techs) if techs else None,
        "domicile" if home else "atelier",
        quote=quote,
        parts=parts_used,
        promised_on=promised,
        unsolved=unsolved,
        cause=cause,
    )
