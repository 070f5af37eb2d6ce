"""`load_demo`: sites, users, customers, appliances and dossiers for a demonstration or a training session.

Everything is written through the product's own services (customer_create, appliance_create, case_open,
the transition services, and the quotes services for the quote steps: solutions, quotes, decisions, repair
orders, over a small parts catalogue from demo.parts), in one transaction: a failure leaves the database as
it was, and a second run finds the demo customers and only refreshes the logins, so running it twice never
duplicates anything.
"""

import datetime
import importlib
import random
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from atelier.customers.models import Appliance, Customer
from atelier.customers.services import appliance_create, customer_create
from atelier.demo.clock import WorkClock
from atelier.demo.dossiers import CasePlan, plan_site, replay
from atelier.demo.organisation import DEMO_PASSWORD, ensure_sites, ensure_users, logins_table
from atelier.demo.parts import ensure_bonus_label, ensure_parts
from atelier.demo.paths import STAFF
from atelier.demo.people import CustomerSpec, catchment, customer_spec, purchase_date
from atelier.demo.queue import ensure_counters, ensure_queue_today
from atelier.repairs import extensions
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

# Demo data of the later apps, loaded after the dossiers, in this order. Each is "module:function", called as
# function(sites=..., users=..., rng=random.Random) inside the demo's transaction; it must be idempotent (create
# only what is missing) and returns {label: count created} for the report.
EXTRAS: tuple[str, ...] = (
    "atelier.demo.stock:load",
    "atelier.demo.showcase:learn",
    "atelier.demo.diagnostics:load",
    "atelier.demo.fieldwork:load",
    "atelier.demo.planning:load",
    "atelier.demo.billing:load",
    "atelier.demo.procedures:load",
    "atelier.demo.showcase:documents",
    "atelier.demo.showcase:complaints",
    "atelier.demo.showcase:hand_backs",
    "atelier.demo.aftersales:load",
    "atelier.demo.disputes:load",
    "atelier.demo.photos:load",
    "atelier.demo.refurbishment:load",
    "atelier.demo.refurbishment_procedures:load",
    "atelier.demo.certification:load",
    "atelier.demo.certification_preparation:load",
    "atelier.demo.payers:load",
    "atelier.demo.messages:load",
    "atelier.demo.improvement:load",
    "atelier.indicators.demo:load",  # a year of history for the indicators (issue 21)
)

FULL_CUSTOMERS = 200
MIN_CUSTOMERS = 4  # at least one per site after the Paris/Lyon split
PARIS_SHARE = 0.75


@dataclass
class DemoSummary:
    """What a run did: counts created (all zero but users on a second run) and the dossiers per state."""

    already_present: bool = False
    sites_created: int = 0
    users_created: int = 0
    customers_created: int = 0
    appliances_created: int = 0
    cases_created: int = 0
    tickets_created: int = 0
    parts_created: int = 0
    labels_created: int = 0
    cases_by_status: dict[str, dict[str, int]] = field(default_factory=dict)  # site code → status → count
    extras: dict[str, int] = field(default_factory=dict)  # label → count created by EXTRAS
    seconds: float = 0.0


def load_demo(*, stdout=None, seed: int = 2026, customers: int = FULL_CUSTOMERS) -> DemoSummary:
    """Create the demo data (or refresh the logins when it is already there) and print what was done.

    `customers` shrinks the demo for tests; the dossiers scale with it, keeping at least five per state in
    Paris. The same seed gives the same people, appliances and stories (dates follow the day of the run).
    """
    if customers < MIN_CUSTOMERS:
        raise ValueError(f"Il faut au moins {MIN_CUSTOMERS} clients de démonstration.")
    started = time.perf_counter()
    summary = DemoSummary()
    with _unlogged_queries(), transaction.atomic():
        sites, summary.sites_created = ensure_sites()
        users, summary.users_created = ensure_users(sites)
        ensure_counters(sites)
        summary.parts_created = ensure_parts()
        summary.labels_created = ensure_bonus_label(sites["PAR1"])
        summary.tickets_created = ensure_queue_today(sites["PAR1"], users["accueil"])
        if Customer.objects.filter(site__in=sites.values()).exists():
            summary.already_present = True
        else:
            _generate(summary, sites, users, seed, customers)
        for extra in EXTRAS:
            module, function = extra.split(":")
            loader = getattr(importlib.import_module(module), function)
            summary.extras.update(loader(sites=sites, users=users, rng=random.Random(f"{seed}:{extra}")))
    summary.cases_by_status = _cases_by_status(sites)
    summary.seconds = time.perf_counter() - started
    if stdout is not None:
        stdout.write(report(summary) + "\n")
    return summary


@contextmanager
def _unlogged_queries():
    """Stop Django logging every SQL query while loading, even under ATELIER_DEBUG=1 (as `make demo` runs).

    With DEBUG on, Django keeps each query's text and, on SQLite, runs a second query to quote its
    parameters: that doubles the load time for a log nobody reads here.
    """
    with override_settings(DEBUG=False):
        yield


def _generate(summary: DemoSummary, sites, users, seed: int, customers: int) -> None:
    """People first, from their own random stream, so they do not depend on the day or hour of the run;
    then the dossiers, whose dates do."""
    people_rng, cases_rng = random.Random(f"{seed}:clients"), random.Random(f"{seed}:dossiers")
    quotes_rng = random.Random(f"{seed}:devis")
    now = timezone.now()
    clock = WorkClock(now)
    counts = {"PAR1": round(customers * PARIS_SHARE)}
    counts["LYO1"] = customers - counts["PAR1"]
    specs: dict[str, list[CustomerSpec]] = {}
    for code, count in counts.items():
        communes, weights = catchment(code)
        specs[code] = [customer_spec(people_rng, code, communes, weights) for _ in range(count)]
    plans: list[CasePlan] = []
    for code, site_specs in specs.items():
        plans += plan_site(code, site_specs, customers / FULL_CUSTOMERS, clock, cases_rng)
    records = _create_customers(specs, plans, sites, users, now, cases_rng)
    summary.customers_created = sum(len(v) for v in specs.values())
    summary.appliances_created = sum(len(c.appliances) for v in specs.values() for c in v)
    # Replayed in order of intake, so dossier numbers follow the dates they were opened. These stories happened
    # before the site's invoices, safety checks and loans were kept in Atelier: recorded as history, the other
    # apps' step conditions are not asked (their demo data is added afterwards, by EXTRAS).
    with extensions.recording_history():
        for plan in sorted(plans, key=lambda p: p.opened_at):
            customer, appliances = records[plan.site_code][plan.customer]
            replay(plan, customer, appliances[plan.appliance], users, quotes_rng)
    summary.cases_created = len(plans)


Records = dict[str, list[tuple[Customer, list[Appliance]]]]  # site code → (customer, its appliances)


def _create_customers(specs, plans, sites, users, now, rng) -> Records:
    """Customers and appliances through the customers services, then dated before their first dossier.

    The services date a new record "now"; the demo needs files opened before their dossiers, so the creation
    and consent dates are set back afterwards in two bulk updates (demo data only).
    """
    first_case: dict[tuple, datetime.datetime] = {}
    for plan in plans:
        for key in ((plan.site_code, plan.customer), (plan.site_code, plan.customer, plan.appliance)):
            first_case[key] = min(first_case.get(key, plan.opened_at), plan.opened_at)
    today = timezone.localdate(now)
    records: Records = {}
    customers_dated, appliances_dated = [], []
    for code, site_specs in specs.items():
        actor = users[STAFF[code]["accueil"][0]]
        records[code] = []
        for index, spec in enumerate(site_specs):
            customer = customer_create(actor=actor, site=sites[code], **spec.fields)
            opened = first_case.get((code, index))
            customer.created_at = _customer_since(opened, now, rng)
            customer.consent_at = customer.created_at if customer.consent_contact else None
            customers_dated.append(customer)
            owned = []
            for number, appliance_spec in enumerate(spec.appliances):
                fields = dict(appliance_spec.fields)
                first = first_case.get((code, index, number))
                fields["purchase_date"] = purchase_date(
                    fields.pop("purchase_age_days"), today, timezone.localdate(first) if first else None
                )
                appliance = appliance_create(actor=actor, customer=customer, **fields)
                appliance.created_at = _appliance_since(
                    appliance.purchase_date, customer.created_at, first, now, rng
                )
                appliances_dated.append(appliance)
                owned.append(appliance)
            records[code].append((customer, owned))
    Customer.objects.bulk_update(customers_dated, ["created_at", "consent_at"], batch_size=500)
    Appliance.objects.bulk_update(appliances_dated, ["created_at"], batch_size=500)
    return records


def _at_work(day: datetime.date, rng) -> datetime.datetime:
    """A time in opening hours on a day (for records whose exact minute does not matter)."""
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(9, 18), rng.randint(0, 59)))
    return timezone.make_aware(moment)


def _customer_since(first_case: datetime.datetime | None, now, rng) -> datetime.datetime:
    """Half the customers are new (file opened at their first dossier), the others came in the past years."""
    if first_case is not None and rng.random() < 0.5:
        return first_case - datetime.timedelta(minutes=rng.randint(5, 15))
    since = _at_work(timezone.localdate(now) - datetime.timedelta(days=rng.randint(100, 1100)), rng)
    return min(since, first_case - datetime.timedelta(minutes=5)) if first_case else since


def _appliance_since(bought: datetime.date, customer_since, first_case, now, rng) -> datetime.datetime:
    """Recorded at its first dossier, or else some time after it was bought and the customer file opened."""
    if first_case is not None:
        return max(customer_since, first_case - datetime.timedelta(minutes=rng.randint(1, 4)))
    after_purchase = _at_work(bought + datetime.timedelta(days=rng.randint(1, 30)), rng)
    return min(
        max(customer_since + datetime.timedelta(minutes=2), after_purchase), now - datetime.timedelta(hours=1)
    )


def _cases_by_status(sites) -> dict[str, dict[str, int]]:
    counts = Counter(RepairCase.objects.filter(site__in=sites.values()).values_list("site__code", "status"))
    return {code: {status: counts[(code, status)] for status in CaseStatus.values} for code in sites}


def _count(n: int, noun: str) -> str:
    """« 1 site », « 2 sites », « 0 utilisateur » (French: 0 and 1 singular)."""
    return f"{n} {noun}{'s' if n > 1 else ''}"


def report(summary: DemoSummary) -> str:
    """The French text printed at the end of every run: what was done, the dossiers per state, the logins."""
    lines = []
    if summary.already_present:
        lines.append(
            "Les données de démonstration étaient déjà là : rien n'a été ajouté, les comptes de "
            f"démonstration ont été remis à jour (mot de passe « {DEMO_PASSWORD} »)."
        )
    else:
        seconds = f"{summary.seconds:.1f}".replace(".", ",")
        lines.append(
            f"Données de démonstration créées en {seconds} s : {_count(summary.sites_created, 'site')}, "
            f"{_count(summary.users_created, 'utilisateur')}, {summary.customers_created} clients, "
            f"{summary.appliances_created} appareils, {summary.cases_created} dossiers."
        )
    if created := [f"{count} {label}" for label, count in summary.extras.items() if count]:
        lines.append("Ajoutés aussi : " + ", ".join(created) + ".")
    labels = dict(CaseStatus.choices)
    codes = list(summary.cases_by_status)
    lines += ["", "Dossiers par état : " + " / ".join(codes)]
    for status in CaseStatus.values:
        counts = " / ".join(str(summary.cases_by_status[code][status]) for code in codes)
        lines.append(f"  {str(labels[status]):<24} {counts}")
    lines += ["", "Comptes de démonstration :", logins_table()]
    from atelier.demo.billing import tracking_hint

    if hint := tracking_hint():
        lines += ["", hint]
    return "\n".join(lines)
