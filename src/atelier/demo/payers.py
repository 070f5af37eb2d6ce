"""Demo third-party payers (issue 18 point 3): a manufacturer, an insurer, an extended warranty without SIREN
(its invoice is refused, to show the message) and the shop's goodwill; in Paris, a manufacturer-paid repair
(zero-euro customer invoice, its claim accepted then paid) and an insurer with the customer's excess (its claim
sent, then returned for correction). Written through the product's services; deterministic (the first Paris
dossiers ready to invoice without a repair bonus, which a covered repair cannot take)."""

import datetime

from atelier.aftersales.choices import ClaimFileItem, PayerKind
from atelier.aftersales.models import CaseCover
from atelier.aftersales.models_payers import Payer, PayerClaim, PayerDeadline
from atelier.aftersales.services import case_cover_record
from atelier.aftersales.services_payers import case_split_set, payer_claim_transition, payer_claim_update
from atelier.billing import services as billing_services
from atelier.billing.selectors import current_invoice, invoice_draft
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

SINCE = datetime.date(2020, 1, 1)
PAYERS = [
    # kind, name, SIREN, VAT number, address, postcode, city, days to file, file required
    (
        PayerKind.FABRICANT,
        "Fabricant Démo Électroménager",
        "552100554",
        "FR62552100554",
        "12 avenue de l'Industrie",
        "69100",
        "Villeurbanne",
        30,
        [ClaimFileItem.SERIE, ClaimFileItem.PANNE, ClaimFileItem.SERIE_DEFECTUEUSE, ClaimFileItem.PHOTOS],
    ),
    (
        PayerKind.ASSUREUR,
        "Assurance Démo",
        "433221009",
        "",
        "8 rue des Assureurs",
        "75009",
        "Paris",
        60,
        [ClaimFileItem.PREUVE_ACHAT, ClaimFileItem.NUMERO_PAYEUR],
    ),
    (PayerKind.EXTENSION, "Extension sans SIREN (démo)", "", "", "", "", "", 45, []),
    (PayerKind.GESTE_ATELIER, "Geste commercial de l'atelier", "", "", "", "", "", None, []),
]


def _payers() -> dict[str, Payer]:
    made = {}
    for kind, name, siren, vat, address, postcode, city, days, requires in PAYERS:
        payer, _ = Payer.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "siren": siren,
                "vat_number": vat,
                "address": address,
                "postcode": postcode,
                "city": city,
                "requires": [str(code) for code in requires],
            },
        )
        if days:
            PayerDeadline.objects.get_or_create(payer=payer, valid_from=SINCE, defaults={"days": days})
        made[kind] = payer
    return made


def _ready_cases(site, wanted: int = 2) -> list[RepairCase]:
    """Dossiers ready to invoice, without a repair bonus (not for a repair paid by a warranty)."""
    found = []
    for case in RepairCase.objects.filter(
        site=site, status__in=(CaseStatus.REPARE, CaseStatus.PRET)
    ).order_by("pk"):
        if current_invoice(case) is not None or CaseCover.objects.filter(case=case).exists():
            continue
        draft = invoice_draft(case)
        # no deposit either: the first one is covered in full, a deposit would exceed the customer's share
        if not draft.refusals and not draft.bonus_amount and not draft.deductions and len(draft.lines) >= 2:
            found.append(case)
        if len(found) == wanted:
            break
    return found


def load(*, sites, users, rng) -> dict[str, int]:
    site = sites["PAR1"]
    payers = _payers()
    returns = _supplier_return(site, users["magasinier"]) if "magasinier" in users else 0
    if PayerClaim.objects.exists():
        return {"retours fournisseur": returns} if returns else {}
    accueil, responsable, comptable = users["accueil"], users["responsable"], users["comptable"]
    cases = _ready_cases(site)
    claims = 0
    # the insurer's dossier, with who records it at the counter and who answers for the manager
    insured = None
    if len(cases) > 1:
        insured = (cases[1], accueil, responsable)
    elif (
        "LYO1" in sites
        and {"accueil.lyon", "reseau"} <= users.keys()
        and (lyon := _ready_cases(sites["LYO1"], 1))
    ):
        insured = (lyon[0], users["accueil.lyon"], users["reseau"])
    if cases:  # a manufacturer-paid repair: everything covered, a zero-euro customer invoice
        case = cases[0]
        maker = payers[PayerKind.FABRICANT]
        case_cover_record(actor=accueil, case=case, basis="garantie_fabricant")
        lines = invoice_draft(case).lines
        case_split_set(
            case=case,
            actor=accueil,
            shares=[
                {"position": i, "payer": maker.pk, "mode": "pourcentage", "value": "100"}
                for i in range(1, len(lines) + 1)
            ],
        )
        billing_services.invoice_issue(case=case, actor=accueil)
        claim = PayerClaim.objects.get(case=case)
        payer_claim_update(
            claim=claim,
            actor=accueil,
            faulty_serials="PCB-DEMO-0001",
            replacement_serials="PCB-DEMO-0002",
            photos_attached=True,
        )
        if not case.appliance.serial_number:
            case.appliance.serial_number = "DEMO-SN-0001"
            case.appliance.save(update_fields=["serial_number"])
        payer_claim_transition(claim=claim, actor=accueil, action="send")
        payer_claim_transition(claim=claim, actor=responsable, action="accept")
        payer_claim_transition(claim=claim, actor=comptable, action="pay")
        claims += 1
    if insured:  # an insurer with the customer's excess; the travel fee stays with the customer
        case, accueil, responsable = insured
        insurer = payers[PayerKind.ASSUREUR]
        case_cover_record(actor=accueil, case=case, basis="extension_assurance")
        lines = invoice_draft(case).lines
        covered = [
            i for i, line in enumerate(lines, start=1) if "déplacement" not in line.designation.lower()
        ]
        case_split_set(
            case=case,
            actor=accueil,
            shares=[
                {"position": i, "payer": insurer.pk, "mode": "pourcentage", "value": "100"} for i in covered
            ],
            excess="49,00",
            excess_payer=insurer.pk,
        )
        billing_services.invoice_issue(case=case, actor=accueil)
        claim = PayerClaim.objects.get(case=case)
        payer_claim_update(claim=claim, actor=accueil, payer_reference="SIN-2026-55871")
        payer_claim_transition(claim=claim, actor=accueil, action="send")
        payer_claim_transition(
            claim=claim, actor=responsable, action="correct", note="Joindre la facture d'achat lisible."
        )
        claims += 1
    return {"payeurs tiers": len(payers), "demandes aux payeurs": claims, "retours fournisseur": returns}


def _supplier_return(site, storekeeper) -> int:
    """A defective new part sent back to its supplier, its credit awaited (Stock → Retours fournisseur)."""
    from atelier.stock.models import PartSupplier, SupplierReturn
    from atelier.stock.services.returns import supplier_return_open, supplier_return_transition

    if SupplierReturn.objects.filter(site=site).exists():
        return 0
    offer = (
        PartSupplier.objects.select_related("part", "supplier")
        .filter(supplier__is_active=True)
        .order_by("pk")
    )
    offer = offer.first()
    if offer is None:
        return 0
    returned = supplier_return_open(
        actor=storekeeper,
        site=site,
        supplier=offer.supplier,
        part=offer.part,
        serials="DEMO-PCS-0042",
        fault="Pièce neuve hors service à la mise en service (aucun signe de vie).",
        expected_credit=str(offer.part.price_ht),
    )
    supplier_return_transition(returned=returned, actor=storekeeper, action="send", reference="RMA-DEMO-0042")
    return 1
