"""Features the dossiers' story alone left unseen in the demo (issue 15): what the closed repairs taught the
pre-diagnosis suggester, technical documents in the knowledge base, a few complaints, and the signed hand-back
of the appliances given back.

`learn` runs before atelier.demo.diagnostics (so the pre-diagnoses of the open dossiers carry learned
suggestions), the others after atelier.demo.billing. Idempotent, as every EXTRAS loader: what exists is kept.
"""

import base64
import datetime
import math
import struct
import zlib

from django.db import transaction

from atelier.billing.models import HandBack
from atelier.customers.choices import ProductFamily as F
from atelier.demo.faults import FAULTS
from atelier.knowledge.choices import DocumentKind
from atelier.knowledge.models import ConfirmedCause, TechnicalDocument
from atelier.knowledge.services import knowledge_reindex
from atelier.knowledge.suggest import suggest
from atelier.knowledge.text import search_key
from atelier.reception.choices import ComplaintCause
from atelier.reception.models import Complaint
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import CaseEvent, RepairCase

REPAIRED_AND_GONE = (CaseStatus.RENDU, CaseStatus.CLOTURE)


# ---------------------------------------------------------------- learning from the closed repairs


def _fault_cause(family: str, fault) -> tuple[object | None, str]:
    """The knowledge base's cause of a demo fault (its findings and the work done say which), else its part."""
    ranked = suggest(family=family, text=f"{fault.finding}\n{fault.part}\n{fault.work}", limit=1)
    if ranked and ranked[0].cause is not None:
        return ranked[0].cause, ranked[0].label
    return None, fault.part[:1].upper() + fault.part[1:]


@transaction.atomic
def learn(*, sites, users, rng) -> dict[str, int]:
    """Each repaired dossier given back teaches its confirmed cause, as the closing step does (knowledge_learn),
    written in bulk and indexed once per family (knowledge_reindex gives the same index)."""
    learned = set(ConfirmedCause.objects.exclude(source="").values_list("source", flat=True))
    repaired = set(CaseEvent.objects.filter(to_status=CaseStatus.REPARE).values_list("case_id", flat=True))
    cases = (
        RepairCase.objects.filter(site__in=sites.values(), status__in=REPAIRED_AND_GONE, pk__in=repaired)
        .exclude(number__in=learned)
        .select_related("appliance")
        .order_by("pk")
    )
    faults = {(family, f.words): f for family, items in FAULTS.items() for f in items}
    causes: dict = {}
    rows = []
    for case in cases:
        appliance = case.appliance
        fault = faults.get((appliance.family, case.customer_words))
        if fault is None:
            continue
        key = (appliance.family, fault.words)
        if key not in causes:
            causes[key] = _fault_cause(appliance.family, fault)
        cause, label = causes[key]
        rows.append(
            ConfirmedCause(
                family=appliance.family,
                brand=appliance.brand,
                model_ref=appliance.model_ref,
                text="\n".join((case.customer_words, fault.finding, fault.work)),
                cause=cause,
                cause_label=label,
                source=case.number,
                learned_at=case.status_changed_at,
            )
        )
    ConfirmedCause.objects.bulk_create(rows, batch_size=500)
    for family in sorted({row.family for row in rows}):
        knowledge_reindex(family=family)
    return {"causes apprises des dossiers clos": len(rows)} if rows else {}


# ---------------------------------------------------------------- technical documents

DOCUMENTS = (
    (
        F.LAVE_LINGE,
        "",
        DocumentKind.PROCEDURE,
        "Guides de réparation lave-linge (iFixit)",
        "https://www.ifixit.com/Device/Washing_Machine",
    ),
    (
        F.LAVE_VAISSELLE,
        "",
        DocumentKind.PROCEDURE,
        "Guides de réparation lave-vaisselle (iFixit)",
        "https://www.ifixit.com/Device/Dishwasher",
    ),
    (
        F.SECHE_LINGE,
        "",
        DocumentKind.PROCEDURE,
        "Guides de réparation sèche-linge (iFixit)",
        "https://www.ifixit.com/Device/Clothes_Dryer",
    ),
    (
        F.FROID,
        "",
        DocumentKind.PROCEDURE,
        "Guides de réparation réfrigérateur (iFixit)",
        "https://www.ifixit.com/Device/Refrigerator",
    ),
    (
        F.CUISSON,
        "",
        DocumentKind.PROCEDURE,
        "Guides de réparation four (iFixit)",
        "https://www.ifixit.com/Device/Oven",
    ),
    (
        F.TELEVISEUR,
        "",
        DocumentKind.PROCEDURE,
        "Guides de réparation téléviseur (iFixit)",
        "https://www.ifixit.com/Device/Television",
    ),
    (
        F.PETIT_ELECTROMENAGER,
        "",
        DocumentKind.PROCEDURE,
        "Guides de réparation cafetière (iFixit)",
        "https://www.ifixit.com/Device/Coffee_Maker",
    ),
)


@transaction.atomic
def documents(*, sites, users, rng) -> dict[str, int]:
    """Links the technicians open from a dossier (the knowledge base shows the family's documents)."""
    author = users["responsable"]
    made = 0
    for family, brand, kind, title, url in DOCUMENTS:
        _doc, created = TechnicalDocument.objects.get_or_create(
            family=family,
            title=title,
            defaults={
                "brand": brand,
                "kind": kind,
                "url": url,
                "added_by": author,
                "search_text": search_key(title, brand, "", kind.label),
            },
        )
        made += created
    return {"documents techniques": made} if made else {}


# ---------------------------------------------------------------- complaints

COMPLAINTS = (
    (
        CaseStatus.ATTENTE_PIECES,
        ComplaintCause.DELAI,
        "Ça fait trois semaines, on m'avait dit une semaine !",
        "Commande fournisseur relancée devant le client, date de livraison annoncée.",
        True,
    ),
    (
        CaseStatus.DEVIS_ENVOYE,
        ComplaintCause.PRIX,
        "Le devis est presque le prix d'une machine neuve.",
        "Option avec pièce d'occasion et bonus réparation expliqués.",
        False,
    ),
    (
        CaseStatus.CLOTURE,
        ComplaintCause.QUALITE,
        "La machine refait le même bruit qu'avant la réparation.",
        "Rendez-vous de contrôle sous garantie de réparation proposé.",
        True,
    ),
    (
        CaseStatus.RENDU,
        ComplaintCause.ACCUEIL,
        "J'ai attendu quarante minutes au comptoir sans qu'on me dise rien.",
        "Excuses présentées, ticket prioritaire pour la prochaine visite.",
        False,
    ),
)


@transaction.atomic
def complaints(*, sites, users, rng) -> dict[str, int]:
    """A few complaints on Paris dossiers: handled ones and open ones (the manager's home shows those)."""
    site = sites["PAR1"]
    if Complaint.objects.filter(site=site).exists():
        return {}
    made = 0
    for status, cause, said, action, handled in COMPLAINTS:
        case = (
            RepairCase.objects.filter(site=site, status=status)
            .select_related("customer")
            .order_by("-pk")
            .first()
        )
        if case is None:
            continue
        at = case.status_changed_at + datetime.timedelta(hours=1)
        Complaint.objects.create(
            site=site,
            customer=case.customer,
            case=case,
            said=said,
            cause=cause,
            action_taken=action,
            manager_called=handled,
            created_at=at,
            created_by=users["accueil"],
            handled_at=at + datetime.timedelta(days=1) if handled else None,
            handled_by=users["responsable"] if handled else None,
            handling_note="Client rappelé, satisfait de la suite donnée." if handled else "",
        )
        made += 1
    return {"mécontentements": made} if made else {}


# ---------------------------------------------------------------- signed hand-backs


def signature_png(seed: int, width: int = 300, height: int = 100) -> str:
    """A handwriting-like stroke drawn into a small grey PNG (data URL), different for each seed."""
    pixels = [bytearray(b"\xff" * width) for _ in range(height)]
    a, b = 1 + seed % 5, 2 + seed % 3
    for step in range(width * 4):
        t = step / (width * 4)
        x = int(20 + t * (width - 40) + 8 * math.sin(t * 40 + seed))
        y = int(height / 2 + 22 * math.sin(t * a * 6.3) * math.cos(t * b * 4.1 + seed))
        for dx in (0, 1):
            for dy in (0, 1):
                if 0 <= x + dx < width and 0 <= y + dy < height:
                    pixels[y + dy][x + dx] = 0x20
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode()


@transaction.atomic
def hand_backs(*, sites, users, rng) -> dict[str, int]:
    """The customer's signature on each appliance given back (the hand-back step of the story)."""
    events = (
        CaseEvent.objects.filter(
            case__site__in=sites.values(), to_status=CaseStatus.RENDU, case__hand_back_record__isnull=True
        )
        .select_related("case__customer")
        .order_by("case_id", "-at")
    )
    seen, rows = set(), []
    for event in events:
        if event.case_id in seen:
            continue
        seen.add(event.case_id)
        rows.append(
            HandBack(
                case=event.case,
                signer_name=str(event.case.customer.display_name)[:150],
                signature=signature_png(event.case_id),
                at=event.at,
                by=event.actor or users["accueil"],
            )
        )
    HandBack.objects.bulk_create(rows, batch_size=200)
    return {"remises signées": len(rows)} if rows else {}
