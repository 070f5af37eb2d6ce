"""Demo dossiers: how many in each state per site, on which appliance, told step by step, then replayed.

Planning is pure (random generator and clock only); replaying goes through repairs.services.case_open and
the transition services, and the quote steps through the quotes services (demo.quoting), so the demo
timelines are exactly what the product writes for real work.
"""

import datetime
from dataclasses import dataclass, field

from atelier.demo import faults as texts
from atelier.demo import quoting
from atelier.demo.catalogue import ACCESSORIES, VISIBLE_CONDITIONS
from atelier.demo.clock import WorkClock
from atelier.demo.faults import FAULTS, Fault
from atelier.demo.paths import STAFF, actor_for, path_to
from atelier.demo.people import CustomerSpec
from atelier.demo.planning import PROFILES
from atelier.demo.timeline import appointment_of, moments, planned_visit, positions
from atelier.repairs.choices import CaseStatus as S
from atelier.repairs.choices import Channel, WorkLocation
from atelier.repairs.services import SERVICES, case_open

# Dossiers per state for the full demo (150 customers in Paris, 50 in Lyon): most files are closed, every
# state has enough rows for its list and filters to be worth looking at (at least 5 in Paris).
QUOTAS = {
    #                    PAR1 LYO1
    S.RECU: (12, 5),
    S.PREDIAGNOSTIQUE: (10, 4),
    S.DEVIS_ENVOYE: (10, 4),
    S.ACCEPTE: (8, 3),
    S.REFUSE: (7, 3),
    S.PLANIFIE: (14, 5),
    S.EN_ATELIER: (10, 4),
    S.ATTENTE_PIECES: (12, 5),
    S.EN_REPARATION: (10, 4),
    S.REPARE: (7, 3),
    S.PRET: (10, 4),
    S.RENDU: (8, 3),
    S.CLOTURE: (75, 30),
    S.NON_REPARABLE: (7, 3),
    S.ANNULE: (10, 4),
}
MIN_PER_STATE_PARIS = 5
TODAY_SHARE = 0.4  # of the dossiers "reçus", opened today


def quotas(site_code: str, scale: float) -> dict[str, int]:
    """Dossiers per state for a site, scaled down for small test runs but never under the minimum in Paris."""
    column = 0 if site_code == "PAR1" else 1
    floor = MIN_PER_STATE_PARIS if site_code == "PAR1" else 1
    return {status: max(floor, round(counts[column] * scale)) for status, counts in QUOTAS.items()}


@dataclass
class StepPlan:
    name: str
    actor: str
    at: datetime.datetime
    note: str = ""
    technician: str = ""  # plan_visit only
    planned_for: datetime.datetime | None = None  # plan_visit only


@dataclass
class CasePlan:
    site_code: str
    target: str
    customer: int  # index in the site's customer specs
    appliance: int  # index in that customer's appliances
    location: str
    channel: str
    opener: str
    opened_at: datetime.datetime
    words: str
    accessories: str = ""
    visible_condition: str = ""
    steps: list[StepPlan] = field(default_factory=list)


class AppliancePool:
    """The appliances of a site's customers, handed out once each while any is left (then reused)."""

    def __init__(self, specs: list[CustomerSpec], rng):
        self.free = [(c, a) for c, spec in enumerate(specs) for a in range(len(spec.appliances))]
        rng.shuffle(self.free)
        self.every = list(self.free)
        self.specs = specs

    def _share(self, ref) -> float:
        return self.specs[ref[0]].appliances[ref[1]].home_share

    def take(self, location: str | None, rng) -> tuple[int, int, str]:
        """An appliance fit for the place of work asked (or any), and the place its repair happens."""

        def fits(ref) -> bool:
            if location == WorkLocation.DOMICILE:
                return self._share(ref) >= 0.5
            return location is None or self._share(ref) <= 0.5

        ref = next((r for r in self.free if fits(r)), None)
        if ref is not None:
            self.free.remove(ref)
        else:
            ref = rng.choice([r for r in self.every if fits(r)] or self.every)
        if location is None:
            location = WorkLocation.DOMICILE if rng.random() < self._share(ref) else WorkLocation.ATELIER
        return ref[0], ref[1], location


def plan_site(
    site_code: str, specs: list[CustomerSpec], scale: float, clock: WorkClock, rng
) -> list[CasePlan]:
    """Every dossier of a site, targets needing a given place of work first so they get fitting appliances."""
    pool = AppliancePool(specs, rng)
    wanted = [status for status, count in quotas(site_code, scale).items() for _ in range(count)]
    forced = {S.PLANIFIE: WorkLocation.DOMICILE, S.EN_ATELIER: WorkLocation.ATELIER}
    wanted.sort(key=lambda status: status not in forced)
    plans, received = [], 0
    for target in wanted:
        customer, appliance, location = pool.take(forced.get(target), rng)
        family = specs[customer].appliances[appliance].fields["family"]
        today = target == S.RECU and received < max(2, round(TODAY_SHARE * wanted.count(S.RECU)))
        received += target == S.RECU
        plans.append(_plan_case(site_code, target, customer, appliance, location, family, clock, rng, today))
    return plans


def _able(technician: str, site_code: str, family: str) -> str:
    """The technician drawn, or the first of the site whose profile covers the family: a visit pinned to a
    technician without the skill would be left out of the demo's validated plans."""

    def covers(name: str) -> bool:
        return family in PROFILES.get(name, {}).get("families", (family,))

    return next((t for t in (technician, *STAFF[site_code]["tech"]) if covers(t)), technician)


def _plan_case(site_code, target, customer, appliance, location, family, clock, rng, today) -> CasePlan:
    fault: Fault = rng.choice(FAULTS[family])
    path = path_to(target, location, rng)
    technician = _able(rng.choice(STAFF[site_code]["tech"]), site_code, family)
    points = positions(path, location, target, clock, rng, today=today)
    times = moments(points, clock, rng)
    channel = _channel(location, rng)
    if today and not path and clock.minutes_today() <= 5:
        # Shop not open yet today: the dossier came in overnight through the web form.
        channel, times = Channel.WEB, [_overnight(clock, rng)]
    plan = CasePlan(
        site_code=site_code,
        target=target,
        customer=customer,
        appliance=appliance,
        location=location,
        channel=channel,
        opener=rng.choice(STAFF[site_code]["accueil"]),
        opened_at=times[0],
        words=fault.words,
    )
    if location == WorkLocation.ATELIER:
        plan.accessories = rng.choice(ACCESSORIES.get(family, ("",)))
        plan.visible_condition = rng.choice(VISIBLE_CONDITIONS)
    for index, (name, at) in enumerate(zip(path, times[1:], strict=True)):
        step = StepPlan(
            name,
            actor_for(name, site_code, location, technician, rng),
            at,
            _note(name, path[:index], family, fault, rng),
        )
        if name == "plan_visit":
            step.technician = technician
            following = times[index + 2] if index + 2 < len(times) else None
            step.planned_for = appointment_of(following) if following else planned_visit(at, clock, rng)
        plan.steps.append(step)
    return plan


def _channel(location: str, rng) -> str:
    if location == WorkLocation.DOMICILE:
        return rng.choices((Channel.TELEPHONE, Channel.WEB, Channel.COMPTOIR), (70, 20, 10))[0]
    return rng.choices((Channel.COMPTOIR, Channel.TELEPHONE, Channel.WEB), (80, 12, 8))[0]


def _overnight(clock: WorkClock, rng) -> datetime.datetime:
    midnight = clock.now.replace(hour=0, minute=0, second=0, microsecond=0)
    elapsed = int((clock.now - midnight).total_seconds() // 60)
    return clock.now - datetime.timedelta(minutes=rng.randint(1, max(1, min(elapsed - 1, 480))))


def _note(name: str, before: list[str], family: str, fault: Fault, rng) -> str:
    """What the person taking the step writes, following the dossier's fault."""
    if name == "prediagnose":
        return fault.finding
    if name == "send_quote":
        amount = f"{rng.randint(6, 42) * 10 - 1},00"
        return rng.choice(texts.QUOTE_NOTES).format(ref=f"D{rng.randint(1000, 9999)}", amount=amount)
    if name == "accept_quote":
        return rng.choice(texts.ACCEPT_NOTES)
    if name == "refuse_quote":
        return rng.choice(texts.REFUSAL_REASONS)
    if name == "plan_visit":
        if "wait_for_parts" in before:
            return f"Retour chez le client avec la pièce : {fault.part}."
        return rng.choice(texts.VISIT_INSTRUCTIONS)
    if name == "receive_in_workshop":
        return rng.choice(("Appareil étiqueté et rangé en zone d'attente.", ""))
    if name == "wait_for_parts":
        return rng.choice(texts.PART_NOTES).format(part=fault.part)
    if name == "start_repair":
        return "Pièce reçue, intervention commencée." if before[-1:] == ["wait_for_parts"] else ""
    if name == "mark_repaired":
        return fault.work
    if name == "commission":
        return texts.CONTROL_TESTS[family]
    if name == "hand_back":
        if before[-1:] == ["commission"] and "plan_visit" in before:
            return rng.choice(texts.HOME_HANDBACK_NOTES)
        return rng.choice(texts.HANDBACK_NOTES)
    if name == "close":
        return rng.choice(texts.CLOSE_NOTES)
    if name == "declare_unrepairable":
        return rng.choice(texts.UNREPAIRABLE_REASONS)
    return rng.choice(texts.CANCEL_REASONS)


def replay(plan: CasePlan, customer, appliance, users: dict, rng) -> None:
    """Open the dossier and take its steps through the services, each at its planned time.

    The quote steps go through the quotes services (demo.quoting), which move the dossier themselves; `rng`
    (its own stream) picks the parts, hours and choices of the quotes.
    """
    case = case_open(
        actor=users[plan.opener],
        customer=customer,
        appliance=appliance,
        customer_words=plan.words,
        channel=plan.channel,
        location=plan.location,
        accessories=plan.accessories,
        visible_condition=plan.visible_condition,
        at=plan.opened_at,
    )
    case.site = customer.site
    story, finding = None, ""
    for index, step in enumerate(plan.steps):
        if step.name == "prediagnose":
            finding = step.note
        if step.name == "send_quote":
            later = [s.name for s in plan.steps[index + 1 :]]
            story = quoting.send(case, step, users, finding, later, rng)
            case = _reread(case)
            continue
        if step.name in ("accept_quote", "refuse_quote"):
            (quoting.accept if step.name == "accept_quote" else quoting.refuse)(story, step, users, customer)
            quoting.set_dates(
                story, plan.steps[index - 1].at - datetime.timedelta(minutes=rng.randint(5, 30))
            )
            case = _reread(case)
            continue
        after_accept = index > 0 and plan.steps[index - 1].name == "accept_quote"
        if step.name == "plan_visit" and after_accept and quoting.orders_visit(story, case, step, rng):
            case = quoting.order_visit(story, case, step, users, STAFF[plan.site_code]["resp"])
            continue
        extra = {}
        if step.name == "plan_visit":
            extra = {"technician": users[step.technician], "planned_for": step.planned_for}
        case = SERVICES[step.name](case=case, actor=users[step.actor], note=step.note, at=step.at, **extra)
        case.site = customer.site  # the services return a fresh row; keep its site cached (one query a step)
    if story is not None and story.quote.decided_at is None:  # still awaiting the customer's answer
        sent = plan.steps[[s.name for s in plan.steps].index("send_quote")].at
        written = sent - datetime.timedelta(minutes=rng.randint(5, 30))
        quoting.set_dates(story, written, awaiting=plan.target == S.DEVIS_ENVOYE)
    if case.status != plan.target:  # the services decide; a mismatch is a bug in the demo's paths
        raise RuntimeError(
            f"Dossier {case.number} : état {case.status}, attendu {plan.target} "
            f"({', '.join(s.name for s in plan.steps)})."
        )


def _reread(case):
    """The quote services move the dossier on their own row: read it again (keeping its site cached)."""
    fresh = type(case).objects.select_related("appliance", "customer").get(pk=case.pk)
    fresh.site = case.site
    return fresh
