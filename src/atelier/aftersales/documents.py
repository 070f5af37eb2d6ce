"""The written answer to a claim: a French PDF letter (WeasyPrint) and the e-mail that carries it. The letter
explains the follow-up of each answer and, on a refusal, the consumer mediator the customer may turn to."""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from atelier.aftersales.choices import ClaimOutcome
from atelier.aftersales.models import AftersalesSettings, Claim
from atelier.core.pdf import render_document, render_pdf


def mediator_of(site) -> AftersalesSettings:
    """The site's after-sales settings (an unsaved empty one when the site has none yet)."""
    return AftersalesSettings.objects.filter(site=site).first() or AftersalesSettings(site=site)


def follow_up(claim: Claim) -> str:
    """What happens next, in the customer's words (C2.16: the follow-up explained)."""
    texts = {
        ClaimOutcome.REPARATION: _(
            "Nous prenons votre appareil en charge sous le dossier %(case)s. Nous vous contactons pour convenir "
            "du dépôt ou de la visite ; vous suivez l'avancement sur votre page de suivi."
        ),
        ClaimOutcome.REMPLACEMENT: _(
            "Nous remplaçons votre appareil. Nous vous contactons pour convenir de l'échange ; l'appareil remis "
            "bénéficie de la garantie légale de conformité."
        ),
        ClaimOutcome.REMBOURSEMENT: _(
            "Nous vous remboursons %(amount)s TTC par le moyen de paiement utilisé, au plus tard sous 14 jours."
        ),
        ClaimOutcome.GESTE: _(
            "À titre commercial, nous vous accordons %(amount)s TTC, sans reconnaissance de responsabilité. Ce "
            "montant est déduit de votre prochaine facture ou vous est remboursé à votre demande."
        ),
        ClaimOutcome.REFUS: _(
            "Si vous n'êtes pas d'accord avec cette réponse, vous pouvez nous écrire en joignant tout élément "
            "utile : nous réexaminerons votre demande."
        ),
    }
    amount = f"{claim.amount:.2f} €".replace(".", ",") if claim.amount is not None else ""
    return texts[claim.outcome] % {"case": claim.new_case.number if claim.new_case else "", "amount": amount}


def _fr(iso: str | None) -> str:
    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def _context(claim: Claim) -> dict:
    return {
        "claim": claim,
        "site": claim.site,
        "customer": claim.customer,
        "appliance": claim.appliance,
        "on": timezone.localdate(claim.answered_at) if claim.answered_at else timezone.localdate(),
        "active_covers": [
            {**c, "start": _fr(c["start"]), "end": _fr(c["end"])} for c in claim.covers if c["active"]
        ],
        "follow_up": follow_up(claim),
        "refused": claim.outcome == ClaimOutcome.REFUS,
        "settings": mediator_of(claim.site),
    }


def claim_letter_html(claim: Claim) -> str:
    return render_document("aftersales/pdf/claim_letter.html", _context(claim))


def claim_letter_pdf(claim: Claim) -> bytes:
    return render_pdf(claim_letter_html(claim))


def claim_email_body(claim: Claim) -> str:
    with translation.override("fr"):
        return render_to_string("aftersales/claim_email.txt", _context(claim)).strip()


def payer_claim_file_pdf(claim) -> bytes:
    """The claim file a payer requires, as one PDF: the appliance and its serial, the proof of purchase, the
    fault, the faulty and replacement parts' serials, the parts and labour of the payer's invoice, the photos
    joined, the payer's claim number, and the items the payer requires that are still missing."""
    from atelier.aftersales.services_payers import missing_items

    invoice = claim.invoice
    lines = list(invoice.lines.all())
    return render_pdf(
        render_document(
            "aftersales/pdf/payer_claim_file.html",
            {
                "claim": claim,
                "site": claim.site,
                "case": claim.case,
                "customer": claim.case.customer,
                "appliance": claim.case.appliance,
                "invoice": invoice,
                "parts": [line for line in lines if line.is_goods],
                "labour": [line for line in lines if not line.is_goods],
                "missing": missing_items(claim),
                "on": timezone.localdate(),
            },
        )
    )
