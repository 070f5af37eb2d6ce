"""Demo after-sales: a manufacturer's warranty, an insurance and a maintenance contract, the Paris mediator, and
claims in every state (a « retour SAV » still open, one in analysis, a refusal sent, a repair answered and
closed). Written through the product's services; deterministic (the latest handed-back dossiers of Paris)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from atelier.aftersales import services
from atelier.aftersales.choices import ClaimChannel, ClaimOutcome, ContractKind
from atelier.aftersales.models import (
    AftersalesSettings,
    Claim,
    ClaimType,
    ManufacturerWarranty,
    RefusalReason,
    RepairGuaranteeTerm,
)
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

WARRANTIES = [
    ("Bosch", "", 24, "pièces et main-d'œuvre", "Démo : garantie constructeur Bosch 2 ans"),
    ("Samsung", "lave_linge", 120, "moteur Digital Inverter (pièce seule)", "Démo : moteur garanti 10 ans"),
]


def _answers(claim_type: ClaimType, since: datetime.date, same_fault: str) -> dict:
    values = {
        "meme_panne": same_fault,
        "depuis": since.isoformat(),
        "preuve_achat": "oui",
        "constat": "Le client constate que la panne est revenue (fuite sous la porte).",
        "usage": "domestique, 4 lavages par semaine",
        "entretien": "filtre nettoyé le mois dernier",
        "reformulation": "Fuite revenue après la réparation, à vérifier sous garantie.",
        "objet": "Délai de réparation",
        "contrat": "",
    }
    return {q.code: values.get(q.code, "") for q in claim_type.questions.all()}


def load(*, sites, users, rng) -> dict[str, int]:
    site = sites["PAR1"]
    if Claim.objects.filter(site=site).exists():
        return {}
    today = timezone.localdate()
    for brand, family, months, covers, label in WARRANTIES:
        ManufacturerWarranty.objects.get_or_create(
            brand=brand,
            family=family,
            valid_from=datetime.date(2015, 1, 1),
            defaults={"months": months, "covers": covers, "label": label},
        )
    # the repair guarantee of Paris as its own data (the figure its invoices print: 90 days)
    RepairGuaranteeTerm.objects.get_or_create(
        site=site, valid_from=datetime.date(2020, 1, 1), defaults={"days": 90}
    )
    AftersalesSettings.objects.get_or_create(
        site=site,
        defaults={
            "mediator_name": "Médiateur de démonstration",
            "mediator_website": "https://example.org/mediation",
        },
    )
    accueil, responsable = users["accueil"], users["responsable"]
    handed = list(
        RepairCase.objects.filter(site=site, status__in=(CaseStatus.RENDU, CaseStatus.CLOTURE))
        .select_related("appliance__customer__site")
        .order_by("-status_changed_at", "-pk")[:4]
    )
    if not handed:
        return {}
    first = handed[0].appliance
    services.appliance_contract_add(
        actor=accueil,
        appliance=first,
        kind=ContractKind.ASSURANCE,
        insurer="Assurance Démo",
        contract_number="AD-2026-0042",
        cover="panne, casse et oxydation",
        excess=Decimal("49.00"),
        claim_procedure="Déclaration en ligne sous 5 jours ouvrés, facture d'achat jointe",
        start=today - datetime.timedelta(days=200),
        end=today + datetime.timedelta(days=530),
    )
    services.maintenance_contract_add(
        actor=accueil,
        appliance=first,
        number="CE-DEMO-001",
        visits_per_year=2,  # the second visit of the year comes due in about three weeks: on the home page
        includes="détartrage, contrôle des joints et des raccordements",
        price_ttc=Decimal("79.00"),
        start=today - datetime.timedelta(days=160),
        end=today + datetime.timedelta(days=205),
        renews_automatically=True,
    )
    back = ClaimType.objects.get(code="retour_reparation")
    made = []
    # (channel, same fault?, words): a « retour SAV » left open, one in analysis, one refused, one repaired
    stories = [
        (ClaimChannel.GUICHET, "oui", "La panne réparée est revenue."),
        (ClaimChannel.TELEPHONE, "non", "Un autre bruit à l'essorage."),
        (ClaimChannel.GUICHET, "non", "La carrosserie est enfoncée depuis la livraison."),
        (ClaimChannel.TELEPHONE, "oui", "Même fuite qu'avant la réparation."),
    ]
    for case, (channel, same_fault, words) in zip(handed, stories, strict=False):
        made.append(
            services.claim_open(
                actor=accueil,
                appliance=case.appliance,
                claim_type=back,
                channel=channel,
                description=words,
                answers=_answers(back, today - datetime.timedelta(days=2), same_fault),
                earlier_case=case,
            )
        )
    if len(made) > 1:
        services.claim_analyse(claim=made[1], actor=accueil)
    if len(made) > 2:
        services.claim_answer(
            claim=made[2],
            actor=responsable,
            outcome=ClaimOutcome.REFUS,
            answer_text="L'examen montre un choc sur la carcasse, sans lien avec la réparation.",
            refusal_reason=RefusalReason.objects.get(code="choc_casse"),
        )
    if len(made) > 3:
        claim = services.claim_answer(
            claim=made[3],
            actor=accueil,
            outcome=ClaimOutcome.REPARATION,
            answer_text="Nous reprenons l'appareil pour contrôle.",
        )
        services.claim_close(claim=claim, actor=accueil)
    return {"réclamations": len(made)}
