"""Realistic data in bulk for the page benchmark: a template of dossiers written with bulk_create, grown by copies.

    template = build_template(dossiers=10_000, sites=[...])   # Python objects, bulk_create, ~10-20 s
    grow(template, dossiers=1_000_000)                        # set-based SQL copies of the template

What the template holds for D dossiers, each row with an explicit id in one contiguous range per table:
- D / 2 customers (French names from demo.names, real postcodes and communes from core.geo, unique phones
  +336…, e-mails) with one appliance each (serial numbers « SN » + 10 digits); dossier i belongs to customer i // 2;
  each customer with its search_name and its name words (customers.NameWord, written by index_name_words as
  Customer.save() does; SQLite's name search reads them), which the copies copy with the customer ids offset;
- D dossiers over the last ten years (oldest first, so ids follow dates as in real life), most closed: the last
  3 % are recent and in every state (mostly open); older ones are clôturé (96 %) or annulé (4 %);
- 4 timeline events per dossier (opening, assignment, two changes of state);
- for 3 dossiers in 5: a solution and its quote (2 lines); for 2 in 5 a repair order; a home visit to plan for
  each repair order of a dossier « à domicile » (1 in 10);
- an invoice (2 lines) and its payment for every closed dossier whose index is a multiple of 3 (≈ 31 %), each
  journalled in its site's chain;
- stock: 500 parts, and for every invoiced dossier two moves of the part it used (a supplier reception and the
  consumption on the dossier: they cancel, so the stored balances stay right).

Growing copies the template (the last copy only a prefix of it) with INSERT … SELECT per table: ids offset by
round × template size, foreign keys offset the same way, numbers, phones, e-mails and serials rebuilt from the
new id, dates moved back by 1 to 365 days (a copy never lands today), and open dossiers of a copy closed (a
shop's open work does not grow with its history). Works on PostgreSQL and SQLite (a few vendor expressions).

The journal stays valid (the billing page verifies it on every load): every generated invoice and payment gets
its entry appended to its site's chain after the demo's own entries, built like billing.journal.journal_append
(document content from billing.integrity, hash link, Ed25519 signature) but in Python in bulk. For the copies the
content is the template's with the changed fields substituted, so no row is read back. Entries are appended in
generation order: a copied invoice dated earlier than the template's follows it in the chain (the chain checks
order and links, not dates). Billing rows are written inside `rewrite_allowed()`, as billing.guards asks of
bulk writers; the triggers only refuse UPDATE and DELETE, which this module never does. On PostgreSQL the copies
also run with `session_replication_role = replica`: no foreign-key trigger fires per copied row.
"""

import base64
import bisect
import datetime
import hashlib
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from atelier.billing import integrity, signing
from atelier.billing.choices import DocumentKind, JournalKind, LineKind, PaymentKind, PaymentMethod
from atelier.billing.guards import rewrite_allowed
from atelier.billing.journal import GENESIS, canonical_text, payload_digest
from atelier.billing.models import Invoice, InvoiceLine, JournalEntry, JournalHead, Payment
from atelier.billing.services import _buyer, _seller
from atelier.core import geo
from atelier.core.choices import Role
from atelier.core.models import Site, User, UserRole
from atelier.customers.cleaning import search_key
from atelier.customers.models import Appliance, Customer, NameWord, index_name_words
from atelier.demo.identifiers import siren_from, siret_from, vat_from
from atelier.demo.names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES
from atelier.planning.models import Visit
from atelier.quotes.choices import LineKind as QuoteLineKind
from atelier.quotes.choices import QuoteStatus
from atelier.quotes.models import Quote, QuoteLine, RepairOrder, Solution
from atelier.repairs.choices import OPEN_STATUSES, CaseStatus, Channel, EventKind, WorkLocation
from atelier.repairs.models import CaseEvent, RepairCase
from atelier.stock.choices import MoveKind
from atelier.stock.models import Part, StockLocation, StockMove

YEARS = 10
PARTS = 500
RECENT_SHARE = 0.03
FAMILIES = [
    ("lave_linge", ["Bosch", "Whirlpool", "Samsung", "LG", "Miele"]),
    ("lave_vaisselle", ["Bosch", "Siemens", "Beko", "Electrolux"]),
    ("seche_linge", ["Bosch", "Electrolux", "Candy"]),
    ("cuisson", ["De Dietrich", "Rosières", "Sauter", "Whirlpool"]),
    ("froid", ["Liebherr", "Samsung", "LG", "Haier"]),
    ("televiseur", ["Samsung", "LG", "Sony", "Philips"]),
    ("petit_electromenager", ["Seb", "Moulinex", "Rowenta", "Dyson"]),
]
WORDS = [
    "Ne vidange plus, code E18 affiché",
    "Ne chauffe plus depuis une semaine",
    "Bruit fort à l'essorage",
    "Fuite d'eau sous la porte",
    "Ne s'allume plus du tout",
    "Image qui saute, son correct",
    "Le congélateur ne descend plus en température",
    "Disjoncte au démarrage du programme",
]
OLD_CLOSED = [CaseStatus.CLOTURE] * 24 + [CaseStatus.ANNULE]  # non réparable is still open: no old one
# the recent dossiers walk through every state, most of them still open
RECENT = [*OPEN_STATUSES, CaseStatus.CLOTURE, CaseStatus.CLOTURE, CaseStatus.ANNULE]
VAT = Decimal("20.00")
# After a bulk write, what a live database does on its own: statistics, and on PostgreSQL the visibility map that
# lets an index-only scan stop at a LIMIT (autovacuum does it in production; it may be off on a bench server,
# and without it the planner builds a bitmap of every match, e.g. 100,000 rows for a count capped at 10,001).
MAINTAIN = {"postgresql": "VACUUM ANALYZE", "sqlite": "ANALYZE"}


@dataclass
class Template:
    """Where the template's rows are (first id and count per table) and what the copies need to journal."""

    dossiers: int
    first: dict[str, int] = field(default_factory=dict)  # db_table → first id of the template
    count: dict[str, int] = field(default_factory=dict)  # db_table → rows in the template (ids contiguous)
    invoice_contents: list[dict] = field(default_factory=list)  # document content of each template invoice
    payment_contents: list[dict] = field(default_factory=list)
    case_numbers: dict[int, str] = field(default_factory=dict)  # template dossier id → number
    case_index: dict[str, list[int]] = field(default_factory=dict)  # db_table → template dossier of each row
    rounds: int = 0  # copies made so far

    def note(self, model, case_indexes: list[int]) -> None:
        """Record a table of the template: its rows in id order, each with the index of its dossier."""
        table = model._meta.db_table
        self.count[table] = len(case_indexes)
        self.case_index[table] = case_indexes

    def prefix(self, model, dossiers: int) -> int:
        """How many of the table's template rows belong to the first `dossiers` dossiers."""
        return bisect.bisect_left(self.case_index[model._meta.db_table], dossiers)


def bench_sites(count: int = 2) -> list[Site]:
    """`count` extra sites of the chain (Marseille, Lille…), created when missing, with an accueil user each."""
    places = [("MRS1", "Marseille Prado", "13008", "Marseille"), ("LIL1", "Lille Centre", "59000", "Lille")]
    places += [(f"BEN{i}", f"Atelier {i}", "75011", "Paris") for i in range(3, count + 1)]
    sites = []
    hashed = None
    for n, (code, name, postcode, city) in enumerate(places[:count]):
        siren = siren_from(f"9{n:07d}")
        site, created = Site.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "legal_name": f"{name} SAS",
                "legal_form": "SAS",
                "siren": siren,
                "siret": siret_from(siren, "0001"),
                "vat_number": vat_from(siren),
                "address": "1 place de la Gare",
                "postcode": postcode,
                "city": city,
            },
        )
        if created:
            hashed = hashed or make_password(None)
            user = User.objects.create(username=f"accueil.{code.lower()}", password=hashed)
            user.sites.add(site)
            UserRole.objects.create(user=user, role=Role.ACCUEIL)
        sites.append(site)
    return sites


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _staff(site: Site) -> list[User]:
    users = list(User.objects.filter(sites=site).order_by("pk"))
    return users or list(User.objects.order_by("pk")[:1])


def _at(i: int, dossiers: int, now: datetime.datetime) -> datetime.datetime:
    """Dossier i of the template: spread over ten years, the last one now (whole seconds, like the copies)."""
    span = datetime.timedelta(days=365 * YEARS)
    return (now - span * (dossiers - 1 - i) / max(dossiers - 1, 1)).replace(microsecond=0)


def _status(i: int, dossiers: int) -> str:
    recent_from = dossiers - max(1, int(dossiers * RECENT_SHARE))
    if i >= recent_from:
        return RECENT[i % len(RECENT)]
    return OLD_CLOSED[(i * 7) % len(OLD_CLOSED)]


@transaction.atomic
def build_template(*, dossiers: int, sites: list[Site], weights: list[int] | None = None, seed: int = 7):
    """Write the template (see the module's docstring) over `sites`; returns the Template for grow()."""
    rng = random.Random(seed)
    now = timezone.now().astimezone(datetime.UTC)
    weights = weights or [1] * len(sites)
    site_cycle = [s for s, w in zip(sites, weights, strict=True) for _ in range(w)]
    staff = {s.pk: _staff(s) for s in sites}
    postcodes = [p for p in geo.all_postcodes() if p[:2] in {"75", "92", "93", "94", "69", "13", "59", "33"}]
    tpl = Template(dossiers=dossiers)

    def first(model) -> int:
        tpl.first[model._meta.db_table] = _next_id(model)
        return tpl.first[model._meta.db_table]

    # customers and their appliances, the sites in turn by weight; dossier i belongs to customer i // 2
    n_customers = (dossiers + 1) // 2
    c0, a0 = first(Customer), first(Appliance)
    customers, appliances = [], []
    for c in range(n_customers):
        site = site_cycle[c % len(site_cycle)]
        female = rng.random() < 0.5
        first_name = rng.choice(FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES)
        last_name = rng.choice(LAST_NAMES)
        postcode = rng.choice(postcodes)
        commune = geo.communes(postcode)[0]
        customers.append(
            Customer(
                id=c0 + c,
                site=site,
                civility="Mme" if female else "M.",
                first_name=first_name,
                last_name=last_name,
                phone=f"+336{(c0 + c) % 10**8:08d}",
                email=f"client{c0 + c}@example.fr",
                address=f"{rng.randint(1, 120)} rue de la République",
                postcode=postcode,
                city=commune.label,
                search_name=search_key(f"{last_name} {first_name}"),
                created_at=_at(2 * c, dossiers, now),
            )
        )
        family, brands = FAMILIES[c % len(FAMILIES)]
        appliances.append(
            Appliance(
                id=a0 + c,
                customer_id=c0 + c,
                family=family,
                brand=brands[c % len(brands)],
                model_ref=f"M{rng.randint(100, 999)}-{rng.choice('ABCDEFGH')}",
                serial_number=f"SN{(a0 + c) % 10**10:010d}",
            )
        )
    Customer.objects.bulk_create(customers, batch_size=2000)
    Appliance.objects.bulk_create(appliances, batch_size=2000)
    # the words of the names, as Customer.save() keeps them (SQLite's name search reads them; written on both
    # databases, as the app does): the customers' own helper, then where its rows landed for the copies
    index_name_words(customers)
    words = list(NameWord.objects.filter(customer_id__gte=c0).order_by("pk").values_list("pk", "customer_id"))
    assert words[-1][0] - words[0][0] + 1 == len(words), "name words not contiguous: the copies need them so"
    tpl.first[NameWord._meta.db_table] = words[0][0]

    # dossiers and their timelines
    k0, e0 = first(RepairCase), first(CaseEvent)
    cases, events = [], []
    for i in range(dossiers):
        customer = customers[i // 2]
        site = customer.site
        people = staff[site.pk]
        at = _at(i, dossiers, now)
        status = _status(i, dossiers)
        closed = status in (CaseStatus.CLOTURE, CaseStatus.ANNULE)
        case = RepairCase(
            id=k0 + i,
            site=site,
            number=f"{site.code}-{at.year}-{k0 + i:07d}",
            customer_id=customer.id,
            appliance_id=a0 + i // 2,
            status=status,
            channel=(Channel.COMPTOIR, Channel.COMPTOIR, Channel.TELEPHONE, Channel.WEB)[i % 4],
            location=WorkLocation.DOMICILE if i % 10 == 0 else WorkLocation.ATELIER,
            customer_words=WORDS[i % len(WORDS)],
            received_at=at,
            received_by=people[i % len(people)],
            technician=people[(i + 1) % len(people)],
            status_changed_at=at + datetime.timedelta(days=7) if closed else at,
            closed_at=at + datetime.timedelta(days=7) if closed else None,
        )
        cases.append(case)
        steps = [
            (EventKind.OPENED, "", CaseStatus.RECU, "Dossier ouvert"),
            (EventKind.ASSIGNMENT, "", "", "Technicien affecté"),
            (EventKind.TRANSITION, CaseStatus.RECU, CaseStatus.PREDIAGNOSTIQUE, "Pré-diagnostic fait"),
            (EventKind.TRANSITION, CaseStatus.PREDIAGNOSTIQUE, status, "Changement d'état"),
        ]
        for n, (kind, before, after, label) in enumerate(steps):
            events.append(
                CaseEvent(
                    id=e0 + 4 * i + n,
                    case_id=case.id,
                    at=min(at + datetime.timedelta(days=2 * n), now) if n else at,
                    actor=people[(i + n) % len(people)],
                    kind=kind,
                    from_status=before,
                    to_status=after,
                    label=label,
                )
            )
    RepairCase.objects.bulk_create(cases, batch_size=2000)
    CaseEvent.objects.bulk_create(events, batch_size=5000)
    tpl.case_numbers = {c.id: c.number for c in cases}

    _quotes(tpl, cases, first, now)
    _stock_and_billing(tpl, cases, customers, first, rng)
    tpl.note(Customer, [2 * c for c in range(n_customers)])
    tpl.note(Appliance, [2 * c for c in range(n_customers)])
    tpl.note(NameWord, [2 * (customer_id - c0) for _pk, customer_id in words])
    tpl.note(RepairCase, list(range(dossiers)))
    tpl.note(CaseEvent, [i for i in range(dossiers) for _ in range(4)])
    reset_sequences()
    return tpl


def _quotes(tpl: Template, cases: list[RepairCase], first, now) -> None:
    s0, q0, l0, o0, v0 = first(Solution), first(Quote), first(QuoteLine), first(RepairOrder), first(Visit)
    solutions, quotes, lines, orders, visits = [], [], [], [], []
    for i, case in enumerate(cases):
        if i % 5 >= 3:
            continue
        n = len(quotes)
        day = case.received_at.date() + datetime.timedelta(days=1)
        solutions.append(
            Solution(
                id=s0 + n,
                case_id=case.id,
                title="Remplacement de la pièce en défaut",
                work_description="Dépose, remplacement, essais.",
                labour_hours=Decimal("1.50"),
                created_by=case.technician,
                created_at=case.received_at,
            )
        )
        accepted = i % 5 < 2
        quotes.append(
            Quote(
                id=q0 + n,
                case_id=case.id,
                version=1,
                number=f"D-{case.number}-1",
                status=QuoteStatus.ACCEPTE if accepted else QuoteStatus.REFUSE,
                solution_id=s0 + n,
                nature_of_work="Remplacement de la pièce en défaut et essais",
                place_of_work="À domicile" if case.location == WorkLocation.DOMICILE else "En atelier",
                issued_on=day,
                valid_until=day + datetime.timedelta(days=30),
                total_ht=Decimal("150.00"),
                total_vat=Decimal("30.00"),
                total_ttc=Decimal("180.00"),
                created_by=case.technician,
                created_at=case.received_at,
                sent_at=case.received_at,
                decided_at=case.received_at,
            )
        )
        for p, (kind, text, amount) in enumerate(
            [
                (QuoteLineKind.MAIN_OEUVRE, "Main-d'œuvre 1,5 h", "93.00"),
                (QuoteLineKind.PIECE, "Pièce", "57.00"),
            ]
        ):
            lines.append(
                QuoteLine(
                    id=l0 + 2 * n + p,
                    quote_id=q0 + n,
                    position=p + 1,
                    kind=kind,
                    designation=text,
                    quantity=Decimal("1"),
                    unit_price_ht=Decimal(amount),
                    vat_kind="normal",
                    vat_rate=VAT,
                    total_ht=Decimal(amount),
                    vat=(Decimal(amount) * VAT / 100).quantize(Decimal("0.01")),
                )
            )
        if accepted:
            orders.append(
                RepairOrder(
                    id=o0 + len(orders),
                    quote_id=q0 + n,
                    case_id=case.id,
                    number=f"OR-{case.number}",
                    work_to_do="Remplacement de la pièce en défaut",
                    location=case.location,
                    promised_on=day + datetime.timedelta(days=10),
                    technician=case.technician,
                    created_by=case.technician,
                    created_at=case.received_at,
                )
            )
            if case.location == WorkLocation.DOMICILE:
                visits.append(
                    Visit(
                        id=v0 + len(visits),
                        order_id=orders[-1].id,
                        site_id=case.site_id,
                        family="lave_linge",
                        duration_minutes=60,
                        created_at=case.received_at,
                    )
                )
    Solution.objects.bulk_create(solutions, batch_size=2000)
    Quote.objects.bulk_create(quotes, batch_size=2000)
    QuoteLine.objects.bulk_create(lines, batch_size=2000)
    RepairOrder.objects.bulk_create(orders, batch_size=2000)
    Visit.objects.bulk_create(visits, batch_size=2000)
    k0 = tpl.first[RepairCase._meta.db_table]
    quote_case = {q.id: q.case_id - k0 for q in quotes}
    tpl.note(Solution, [s.case_id - k0 for s in solutions])
    tpl.note(Quote, [q.case_id - k0 for q in quotes])
    tpl.note(QuoteLine, [quote_case[line.quote_id] for line in lines])
    tpl.note(RepairOrder, [o.case_id - k0 for o in orders])
    order_case = {o.id: o.case_id - k0 for o in orders}
    tpl.note(Visit, [order_case[v.order_id] for v in visits])


def _stock_and_billing(tpl: Template, cases, customers, first, rng) -> None:
    p0 = _next_id(Part)
    Part.objects.bulk_create(
        [
            Part(
                id=p0 + n,
                reference=f"BN{p0 + n:06d}",
                designation=f"{rng.choice(['Pompe de vidange', 'Résistance', 'Courroie', 'Carte'])} {n}",
                brand=FAMILIES[n % len(FAMILIES)][1][0],
                price_ht=Decimal("20.00") + n % 80,
            )
            for n in range(PARTS)
        ],
        batch_size=2000,
    )
    locations = {}
    for site_id in {c.site_id for c in cases}:
        locations[site_id], _ = StockLocation.objects.get_or_create(
            site_id=site_id, code="BENCH", defaults={"name": "Réserve (banc d'essai)"}
        )
    m0, i0, n0, y0 = first(StockMove), first(Invoice), first(InvoiceLine), first(Payment)
    sites = {s.pk: s for s in Site.objects.filter(pk__in=locations)}
    moves, invoices, lines, payments = [], [], [], []
    for i, case in enumerate(cases):
        if i % 3 or case.status != CaseStatus.CLOTURE:
            continue
        part_id = p0 + i % PARTS
        for kind, qty in ((MoveKind.RECEPTION, 1), (MoveKind.CONSOMMATION, -1)):
            moves.append(
                StockMove(
                    id=m0 + len(moves),
                    part_id=part_id,
                    location=locations[case.site_id],
                    site_id=case.site_id,
                    kind=kind,
                    quantity=qty,
                    actor=case.technician,
                    at=case.received_at + datetime.timedelta(days=3),
                    case_id=case.id if kind == MoveKind.CONSOMMATION else None,
                )
            )
        issued = case.closed_at
        labour, part = Decimal(60 + i % 90), Decimal(20 + i % 60)
        ht = labour + part
        vat = (ht * VAT / 100).quantize(Decimal("0.01"))
        invoice = Invoice(
            id=i0 + len(invoices),
            site_id=case.site_id,
            case_id=case.id,
            kind=DocumentKind.FACTURE,
            number=f"F-{case.site.code}-{issued.year}-{i0 + len(invoices):07d}",
            issued_at=issued,
            seller=_seller(sites[case.site_id]),
            buyer=_buyer(customers[i // 2]),
            total_ht=ht,
            total_vat=vat,
            total_ttc=ht + vat,
            due_on=issued.date(),
            mentions={
                "operations": "Nature des opérations : livraisons de biens et prestations de services."
            },
            issued_by=case.received_by,
        )
        invoices.append(invoice)
        for p, (text, amount, goods) in enumerate([("Main-d'œuvre", labour, False), ("Pièce", part, True)]):
            lines.append(
                InvoiceLine(
                    id=n0 + len(lines),
                    invoice_id=invoice.id,
                    position=p + 1,
                    kind=LineKind.DEVIS,
                    designation=text,
                    quantity=Decimal("1.00"),
                    unit_price_ht=amount,
                    vat_rate=VAT,
                    total_ht=amount,
                    vat=(amount * VAT / 100).quantize(Decimal("0.01")),
                    is_goods=goods,
                )
            )
        payments.append(
            Payment(
                id=y0 + len(payments),
                site_id=case.site_id,
                case_id=case.id,
                invoice_id=invoice.id,
                kind=PaymentKind.REGLEMENT,
                method=(
                    PaymentMethod.CARTE,
                    PaymentMethod.CARTE,
                    PaymentMethod.CHEQUE,
                    PaymentMethod.ESPECES,
                )[i % 4],
                amount=ht + vat,
                payer_resident=True,
                at=issued,
                received_by=case.received_by,
            )
        )
    StockMove.objects.bulk_create(moves, batch_size=5000)
    with rewrite_allowed():  # bulk writer of billing rows (inserts only)
        Invoice.objects.bulk_create(invoices, batch_size=2000)
        InvoiceLine.objects.bulk_create(lines, batch_size=5000)
        Payment.objects.bulk_create(payments, batch_size=2000)
    k0 = tpl.first[RepairCase._meta.db_table]
    invoice_case = {inv.id: inv.case_id - k0 for inv in invoices}
    tpl.note(StockMove, [invoice_case[inv.id] for inv in invoices for _ in range(2)])
    tpl.note(Invoice, list(invoice_case.values()))
    tpl.note(InvoiceLine, [invoice_case[line.invoice_id] for line in lines])
    tpl.note(Payment, [invoice_case[p.invoice_id] for p in payments])
    # read back, so the journalled content is exactly what the verification will rebuild
    saved = Invoice.objects.filter(pk__gte=i0).prefetch_related("lines").order_by("pk")
    tpl.invoice_contents = [integrity.document_content(inv) for inv in saved]
    tpl.payment_contents = [
        integrity.document_content(p) for p in Payment.objects.filter(pk__gte=y0).order_by("pk")
    ]
    _journal(tpl.invoice_contents, tpl.payment_contents, tpl.case_numbers)


def _journal(invoice_contents: list[dict], payment_contents: list[dict], case_numbers: dict[int, str]) -> int:
    """Append one entry per invoice and per payment to their sites' chains; returns how many."""
    key_id = signing.current_key_id()
    private = signing.private_key()
    ops = connection.ops
    heads = {}
    rows = []
    items = [(JournalKind.FACTURE, c) for c in invoice_contents] + [
        (JournalKind.PAIEMENT, c) for c in payment_contents
    ]
    for kind, content in items:
        site_id = content["site_id"]
        if site_id not in heads:
            heads[site_id], _ = JournalHead.objects.get_or_create(site_id=site_id)
        head = heads[site_id]
        if kind == JournalKind.FACTURE:
            reference, amount, at_text = content["number"], content["total_ttc"], content["issued_at"]
        else:
            reference = f"{case_numbers[content['case_id']]}/P{content['id']}"
            amount, at_text = content["amount"], content["at"]
        text = integrity.canonical(content)
        at = datetime.datetime.fromisoformat(at_text)
        seq, prev = head.last_seq + 1, head.last_hash or GENESIS
        digest = payload_digest(text)
        link = canonical_text(
            site_id=site_id,
            seq=seq,
            at=at,
            kind=kind,
            reference=reference,
            document_id=content["id"],
            amount=amount,
            digest=digest,
            prev_hash=prev,
            key_id=key_id,
        )
        entry_hash = hashlib.sha256(link).hexdigest()
        signature = base64.b64encode(private.sign(entry_hash.encode())).decode()
        rows.append(
            (
                seq,
                ops.adapt_datetimefield_value(at),
                site_id,
                kind,
                reference,
                content["id"],
                ops.adapt_decimalfield_value(Decimal(amount), 12, 2),
                text,
                digest,
                prev,
                entry_hash,
                key_id,
                signature,
            )
        )
        head.last_seq, head.last_hash = seq, entry_hash
    # plain executemany: the ORM's bulk_create spent more time preparing these rows than signing them
    columns = (
        "seq, at, site_id, kind, reference, document_id, amount, payload, digest, prev_hash, hash, key_id, "
    )
    columns += "signature"
    sql = f'INSERT INTO "{JournalEntry._meta.db_table}" ({columns}) VALUES ({", ".join(["%s"] * 13)})'
    with rewrite_allowed(), connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])
    for head in heads.values():
        head.save(update_fields=["last_seq", "last_hash"])
    return len(rows)


def reset_sequences() -> None:
    """PostgreSQL: move each table's id sequence past the explicit ids written here (no-op on SQLite)."""
    models = [
        Customer, NameWord, Appliance, RepairCase, CaseEvent, Solution, Quote, QuoteLine, RepairOrder, Visit,
        Part, StockMove, Invoice, InvoiceLine, Payment, JournalEntry,
    ]  # fmt: skip
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


# ---------------------------------------------------------------------------------------------------------------
# Growing by copies


def _pad(expr: str, width: int) -> str:
    if connection.vendor == "postgresql":
        return f"lpad(({expr})::text, {width}, '0')"
    return f"substr('{'0' * width}' || ({expr}), -{width}, {width})"


def _minus_days(column: str, days: int, *, date: bool = False) -> str:
    if connection.vendor == "postgresql":
        return f"({column} - {days})" if date else f"({column} - interval '{days} days')"
    return f"{'date' if date else 'datetime'}({column}, '-{days} days')"


def _renumber(column: str, new_id: str) -> str:
    """« PAR1-2024-0001234 » → the same prefix with the new id in its last 7 digits."""
    return f"substr({column}, 1, length({column}) - 7) || {_pad(new_id, 7)}"


def _copy(model, tpl: Template, rows: int, round_: int, overrides: dict[str, str]) -> int:
    """INSERT … SELECT the first `rows` template rows of a table, with the given column expressions."""
    if rows <= 0:
        return 0
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields]
    offset = round_ * tpl.count[table]
    exprs = {"id": f"id + {offset}", **overrides}
    select = ", ".join(exprs.get(c, f'"{c}"') for c in columns)
    first = tpl.first[table]
    names = ", ".join(f'"{c}"' for c in columns)
    sql = (
        f'INSERT INTO "{table}" ({names}) '
        f'SELECT {select} FROM "{table}" WHERE id BETWEEN {first} AND {first + rows - 1}'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
    return rows


def _shift_iso(text: str | None, days: int) -> str | None:
    if text is None:
        return None
    if "T" in text:
        return (datetime.datetime.fromisoformat(text) - datetime.timedelta(days=days)).isoformat()
    return (datetime.date.fromisoformat(text) - datetime.timedelta(days=days)).isoformat()


def _copy_round(tpl: Template, round_: int, dossiers: int) -> int:
    """One copy of the first `dossiers` dossiers of the template with everything hanging on them."""
    days = 1 + (round_ * 37) % 365
    off = {
        m: round_ * tpl.count[m._meta.db_table] for m in (Customer, Appliance, RepairCase, Solution, Quote)
    }
    off.update({m: round_ * tpl.count[m._meta.db_table] for m in (RepairOrder, Invoice)})
    n = {m: tpl.prefix(m, dossiers) for m in tpl_models()}
    open_list = ", ".join(f"'{s}'" for s in OPEN_STATUSES)
    case_id = f"case_id + {off[RepairCase]}"
    shift = lambda col, **kw: _minus_days(f'"{col}"', days, **kw)  # noqa: E731
    _copy(Customer, tpl, n[Customer], round_, {
        "phone": f"'+336' || {_pad(f'(id + {off[Customer]}) % 100000000', 8)}",
        "email": f"'client' || (id + {off[Customer]}) || '@example.fr'",
        "created_at": shift("created_at"),
    })  # fmt: skip
    # the copy keeps its template's names: the same words, pointing at the copied customer
    _copy(NameWord, tpl, n[NameWord], round_, {"customer_id": f"customer_id + {off[Customer]}"})
    _copy(Appliance, tpl, n[Appliance], round_, {
        "customer_id": f"customer_id + {off[Customer]}",
        "serial_number": f"'SN' || {_pad(f'(id + {off[Appliance]}) % 10000000000', 10)}",
    })  # fmt: skip
    _copy(RepairCase, tpl, n[RepairCase], round_, {
        "customer_id": f"customer_id + {off[Customer]}",
        "appliance_id": f"appliance_id + {off[Appliance]}",
        "number": _renumber("number", f"id + {off[RepairCase]}"),
        "status": f"CASE WHEN status IN ({open_list}) THEN '{CaseStatus.CLOTURE}' ELSE status END",
        "received_at": shift("received_at"),
        "status_changed_at": shift("status_changed_at"),
        "planned_for": shift("planned_for"),
        "closed_at": f"COALESCE({shift('closed_at')}, {shift('received_at')})",
    })  # fmt: skip
    _copy(CaseEvent, tpl, n[CaseEvent], round_, {"case_id": case_id, "at": shift("at")})
    _copy(Solution, tpl, n[Solution], round_, {"case_id": case_id, "created_at": shift("created_at")})
    _copy(Quote, tpl, n[Quote], round_, {
        "case_id": case_id,
        "solution_id": f"solution_id + {off[Solution]}",
        "number": f"'D-' || {_pad(f'id + {off[Quote]}', 8)}",
        "issued_on": shift("issued_on", date=True),
        "valid_until": shift("valid_until", date=True),
        "created_at": shift("created_at"),
        "sent_at": shift("sent_at"),
        "decided_at": shift("decided_at"),
    })  # fmt: skip
    _copy(QuoteLine, tpl, n[QuoteLine], round_, {"quote_id": f"quote_id + {off[Quote]}"})
    _copy(RepairOrder, tpl, n[RepairOrder], round_, {
        "quote_id": f"quote_id + {off[Quote]}",
        "case_id": case_id,
        "number": f"'OR-' || {_pad(f'id + {off[RepairOrder]}', 8)}",
        "promised_on": shift("promised_on", date=True),
        "planned_for": shift("planned_for"),
        "created_at": shift("created_at"),
    })  # fmt: skip
    _copy(Visit, tpl, n[Visit], round_, {
        "order_id": f"order_id + {off[RepairOrder]}", "created_at": shift("created_at")
    })  # fmt: skip
    _copy(StockMove, tpl, n[StockMove], round_, {
        "case_id": case_id, "repair_order_id": f"repair_order_id + {off[RepairOrder]}", "at": shift("at")
    })  # fmt: skip
    _copy(Invoice, tpl, n[Invoice], round_, {
        "case_id": case_id,
        "number": _renumber("number", f"id + {off[Invoice]}"),
        "quote_id": f"quote_id + {off[Quote]}",
        "credited_id": f"credited_id + {off[Invoice]}",
        "issued_at": shift("issued_at"),
        "due_on": shift("due_on", date=True),
    })  # fmt: skip
    _copy(InvoiceLine, tpl, n[InvoiceLine], round_, {
        "invoice_id": f"invoice_id + {off[Invoice]}", "deposit_id": f"deposit_id + {off[Invoice]}"
    })  # fmt: skip
    _copy(Payment, tpl, n[Payment], round_, {
        "case_id": case_id, "invoice_id": f"invoice_id + {off[Invoice]}", "at": shift("at")
    })  # fmt: skip
    # the journal: the template's contents with what the copy changed
    invoices = []
    for content in tpl.invoice_contents[: n[Invoice]]:
        new_id = content["id"] + off[Invoice]
        invoices.append(
            {
                **content,
                "id": new_id,
                "case_id": content["case_id"] + off[RepairCase],
                "number": f"{content['number'][:-7]}{new_id:07d}",
                "quote_id": None if content["quote_id"] is None else content["quote_id"] + off[Quote],
                "credited_id": None
                if content["credited_id"] is None
                else content["credited_id"] + off[Invoice],
                "issued_at": _shift_iso(content["issued_at"], days),
                "due_on": _shift_iso(content["due_on"], days),
            }
        )
    payments, numbers = [], {}
    for content in tpl.payment_contents[: n[Payment]]:
        case = content["case_id"] + off[RepairCase]
        numbers[case] = f"{tpl.case_numbers[content['case_id']][:-7]}{case:07d}"
        payments.append(
            {
                **content,
                "id": content["id"] + round_ * tpl.count[Payment._meta.db_table],
                "case_id": case,
                "invoice_id": content["invoice_id"] + off[Invoice],
                "at": _shift_iso(content["at"], days),
            }
        )
    _journal(invoices, payments, numbers)
    return n[RepairCase]


def tpl_models() -> list:
    return [
        Customer, NameWord, Appliance, RepairCase, CaseEvent, Solution, Quote, QuoteLine, RepairOrder, Visit,
        StockMove, Invoice, InvoiceLine, Payment,
    ]  # fmt: skip


def grow(tpl: Template, *, dossiers: int, progress=None) -> int:
    """Copy the template until `dossiers` generated dossiers exist (template included); returns copies made.

    Each copy is one transaction; `progress(done, total)` is called after each."""
    total = dossiers - tpl.dossiers * (1 + tpl.rounds)
    while total > 0:
        tpl.rounds += 1
        with rewrite_allowed():  # one transaction per copy; billing rows are only inserted
            if connection.vendor == "postgresql":
                # no foreign-key trigger per copied row (they took most of a copy's time): the copies point
                # at rows of the same copy or of the template by construction, and the test checks it
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            total -= _copy_round(tpl, tpl.rounds, min(total, tpl.dossiers))
        if progress:
            progress(dossiers - max(total, 0), dossiers)
    reset_sequences()
    with connection.cursor() as cursor:
        # VACUUM cannot run in a transaction block (a test's): statistics alone there
        cursor.execute("ANALYZE" if connection.in_atomic_block else MAINTAIN[connection.vendor])
    return tpl.rounds


def generated_counts(tpl: Template) -> dict[str, int]:
    """Rows of each generated table (template and copies), by model name, counted in the database."""
    counts = {}
    for model in tpl_models():
        first = tpl.first[model._meta.db_table]
        counts[model.__name__] = model.objects.filter(pk__gte=first).count()
    return counts
