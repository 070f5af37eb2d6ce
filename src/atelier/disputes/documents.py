"""The letters of a dispute (reply, proposal, mediator referral) as French PDFs (WeasyPrint, like the claim
letter of aftersales) and the e-mail that carries them. The referral names the site's consumer mediator with his
website and says why now (C. consom. L612-1, L616-1, L616-2)."""

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from atelier.core.money import fr_amount
from atelier.core.pdf import render_document, render_pdf
from atelier.disputes.choices import DisputeOutcome, LetterKind
from atelier.disputes.models import Dispute
from atelier.disputes.selectors import mediator_of


def subject(dispute: Dispute, kind: str) -> str:
    texts = {
        LetterKind.REPONSE: _("Votre réclamation %(n)s : notre réponse"),
        LetterKind.PROPOSITION: _("Votre réclamation %(n)s : notre proposition"),
        LetterKind.MEDIATION: _("Votre réclamation %(n)s : recours au médiateur de la consommation"),
    }
    return texts[LetterKind(kind)] % {"n": dispute.number}


def outcome_sentence(dispute: Dispute) -> str:
    """What the outcome means for the customer, in their words (the reply letter's « la suite »)."""
    amount = fr_amount(dispute.amount) + " €" if dispute.amount is not None else ""
    texts = {
        DisputeOutcome.ACCORD: _(
            "Nous avons trouvé un accord : nous le mettons en œuvre comme convenu ci-dessus."
        ),
        DisputeOutcome.GESTE: _(
            "À titre commercial, sans reconnaissance de responsabilité, nous vous accordons %(amount)s TTC par "
            "l'avoir n° %(note)s sur la facture n° %(invoice)s, joint à votre dossier."
        ),
        DisputeOutcome.REMBOURSEMENT: _(
            "Nous vous remboursons %(amount)s TTC par le moyen de paiement utilisé, au plus tard sous 14 jours."
        ),
        DisputeOutcome.REMPLACEMENT: _(
            "Nous remplaçons votre appareil ; nous vous contactons pour convenir de l'échange. L'appareil remis "
            "bénéficie de la garantie légale de conformité."
        ),
        DisputeOutcome.REFUS: _(
            "Nous ne pouvons pas donner une suite favorable à votre demande, pour la raison exposée ci-dessus."
        ),
    }
    text = texts.get(DisputeOutcome(dispute.outcome)) if dispute.outcome else None
    if text is None:
        return ""
    return text % {
        "amount": amount,
        "note": dispute.credit_note.number if dispute.credit_note else "",
        "invoice": dispute.credit_note.credited.number if dispute.credit_note else "",
    }


def mediation_sentence(mediator) -> str:
    """The L616-2 referral: the mediator's name and website, free of charge (L612-1)."""
    if mediator is None:
        return ""
    return _(
        "Votre réclamation écrite n'a pas pu être réglée avec nos services. Conformément aux articles L612-1 et "
        "L616-2 du Code de la consommation, vous pouvez recourir gratuitement au médiateur de la consommation "
        "dont nous relevons : %(name)s, %(website)s."
    ) % {"name": mediator.mediator_name, "website": mediator.mediator_website}


def _context(dispute: Dispute, kind: str, text: str, at) -> dict:
    mediator = mediator_of(dispute.site_id)
    with_mediator = kind == LetterKind.MEDIATION or dispute.outcome == DisputeOutcome.REFUS
    return {
        "dispute": dispute,
        "site": dispute.site,
        "customer": dispute.customer,
        "kind": kind,
        "title": subject(dispute, kind),
        "text": text,
        "on": timezone.localdate(at),
        "outcome": dispute.get_outcome_display() if kind == LetterKind.REPONSE and dispute.outcome else "",
        "outcome_sentence": outcome_sentence(dispute) if kind == LetterKind.REPONSE else "",
        "mediation_sentence": mediation_sentence(mediator) if with_mediator else "",
        "mediator": mediator,
        "LetterKind": LetterKind,
    }


def letter_html(dispute: Dispute, *, kind: str, text: str, at) -> str:
    return render_document("disputes/pdf/letter.html", _context(dispute, kind, text, at))


def letter_pdf(dispute: Dispute, *, kind: str, text: str, at) -> bytes:
    return render_pdf(letter_html(dispute, kind=kind, text=text, at=at))


def letter_email_body(dispute: Dispute, *, kind: str, text: str, at) -> str:
    with translation.override("fr"):
        return render_to_string("disputes/letter_email.txt", _context(dispute, kind, text, at)).strip()
