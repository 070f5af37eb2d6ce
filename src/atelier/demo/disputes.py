"""Demo disputes at Paris: the customer whose claim was refused wrote back to contest it; the shop maintains its
answer and proposes the mediator in writing (L616-2): the dispute is in mediation. And a contested invoice still
in instruction past its reply deadline (the list's « en retard » flag). Written through the product's services;
deterministic; the site's settings as data."""

import datetime

from django.utils import timezone

from atelier.aftersales.models import Claim
from atelier.billing.models import Invoice
from atelier.disputes import services
from atelier.disputes.models import Dispute, DisputeSettings


def load(*, sites, users, rng) -> dict[str, int]:
    site = sites["PAR1"]
    if Dispute.objects.filter(site=site).exists():
        return {}
    DisputeSettings.objects.get_or_create(site=site, defaults={"reply_days": 15, "mediation_after_days": 60})
    accueil, responsable = users["accueil"], users["responsable"]
    now = timezone.now()
    made = 0
    refused = Claim.objects.filter(site=site, outcome="refus").select_related("customer").first()
    if refused is not None:
        dispute = services.dispute_open(
            actor=accueil,
            source="reclamation",
            claim=refused,
            channel="courrier",
            summary="Je conteste le refus : la carrosserie était déjà enfoncée à la livraison, pas après la "
            "réparation. Je demande la prise en charge.",
            at=now,
        )
        services.dispute_instruct(
            dispute=dispute,
            actor=responsable,
            cause="garantie",
            assigned_to=responsable,
            cause_detail="Désaccord sur l'origine du choc (avant ou après la réparation).",
        )
        services.dispute_refer_mediation(
            dispute=dispute,
            actor=responsable,
            text="Nous maintenons notre position et vous indiquons le médiateur dont nous relevons.",
        )
        services.dispute_decide(
            dispute=dispute,
            actor=responsable,
            outcome="mediation",
            reason="Le client a saisi le médiateur de la consommation ; nous avons transmis le dossier de preuves.",
        )
        made += 1
    # the oldest invoice of Paris, contested 20 days ago (or the day after it was issued): past its reply deadline
    invoice = Invoice.objects.filter(site=site, kind="facture").order_by("issued_at", "pk").first()
    if invoice is not None:
        received = max(
            timezone.localdate(now) - datetime.timedelta(days=20),
            timezone.localdate(invoice.issued_at) + datetime.timedelta(days=1),
        )
        received = min(received, timezone.localdate(now))
        dispute = services.dispute_open(
            actor=accueil,
            source="facture",
            invoice=invoice,
            channel="email",
            summary="Le temps de main-d'œuvre facturé me paraît excessif pour ce qui a été fait.",
            received_on=received,
            at=now,
        )
        services.dispute_instruct(dispute=dispute, actor=accueil, cause="prix", assigned_to=responsable)
        made += 1
    return {"litiges": made}
