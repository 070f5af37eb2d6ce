"""The customer's decision on a sent quote: accepted or refused at the counter (name, signature, reason,
diagnosis fee) or alone online through the tracking link. Each locks the quote, re-checks it can still be
decided (sent, not replaced, not expired) and moves the dossier through repairs.services."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock, lock_rows
from atelier.core.models import User
from atelier.core.money import fr_amount
from atelier.core.permissions import require_site
from atelier.quotes import pricing
from atelier.quotes.choices import QuoteStatus
from atelier.quotes.models import Quote
from atelier.quotes.services import copy_into_callers
from atelier.repairs import services as case_services

SIGNATURE_PREFIXES = ("data:image/png;base64,", "data:image/jpeg;base64,")  # drawn on screen, or a scan
ONLINE_SIGNATURE_PREFIX = "data:image/png;base64,"  # online, only the pad's drawing (core.signature)
MAX_SIGNATURE_CHARS = 2_000_000  # about 1.5 MB once decoded, under Django's 2.5 MB request limit


def _decidable(quote: Quote, on: datetime.date, *, online: bool = False) -> Quote:
    fresh = lock(quote, related=("case", "case__site"))
    if fresh.status == QuoteStatus.REFUSE:
        raise AtelierError(_("Le devis %(number)s a déjà été refusé.") % {"number": fresh.number})
    if fresh.status == QuoteStatus.ACCEPTE:
        raise AtelierError(_("Le devis %(number)s a déjà été accepté.") % {"number": fresh.number})
    if fresh.status == QuoteStatus.REMPLACE:
        raise AtelierError(
            _("Le devis %(number)s a été remplacé par une nouvelle version.") % {"number": fresh.number}
        )
    if fresh.status != QuoteStatus.ENVOYE and fresh.status != QuoteStatus.EXPIRE:
        raise AtelierError(_("Le devis n'a pas encore été envoyé au client."))
    if fresh.valid_until < on or fresh.status == QuoteStatus.EXPIRE:
        expired = {"number": fresh.number, "date": fresh.valid_until.strftime("%d/%m/%Y")}
        if online:  # the customer reads it
            raise AtelierError(
                _("Le devis %(number)s a expiré le %(date)s : appelez-nous pour un nouveau devis.") % expired
            )
        raise AtelierError(
            _("Le devis %(number)s a expiré le %(date)s : établissez une nouvelle version.") % expired
        )
    return fresh


@transaction.atomic
def quote_accept(
    *, quote: Quote, actor: User, signer_name: str, signature: str = "", at: datetime.datetime | None = None
) -> Quote:
    """The customer accepts at the counter: date, name and signature kept; the dossier moves (case_accept_quote)."""
    require_step(actor, "quotes.decide", site=quote.case.site)
    require_site(actor, quote.case.site)
    return _accept(quote=quote, actor=actor, signer_name=signer_name, signature=signature, at=at)


@transaction.atomic
def quote_accept_online(
    *, quote: Quote, signer_name: str, signature: str, at: datetime.datetime | None = None
) -> Quote:
    """The customer accepts alone through the tracking link (no account: the link is the proof): a drawn
    signature is required; the dossier's step is taken with no actor (workflow's customer_may)."""
    if not signature:
        raise AtelierError(_("Signez dans le cadre pour accepter le devis."), field="signature")
    if not signature.startswith(ONLINE_SIGNATURE_PREFIX):
        raise AtelierError(_("La signature doit être dessinée dans le cadre."), field="signature")
    return _accept(quote=quote, actor=None, signer_name=signer_name, signature=signature, at=at)


def _accept(*, quote: Quote, actor: User | None, signer_name: str, signature: str, at) -> Quote:
    at = at or timezone.now()
    fresh = _decidable(quote, timezone.localtime(at).date(), online=actor is None)
    if not signer_name.strip():
        raise AtelierError(_("Indiquez le nom de la personne qui signe."), field="signer_name")
    if signature and not signature.startswith(SIGNATURE_PREFIXES):
        raise AtelierError(_("La signature doit être une image PNG ou JPEG."), field="signature")
    if len(signature) > MAX_SIGNATURE_CHARS:
        raise AtelierError(_("L'image de la signature dépasse 1,5 Mo."), field="signature")
    fresh.status = QuoteStatus.ACCEPTE
    fresh.decided_at = at
    fresh.signer_name = signer_name.strip()
    fresh.signature = signature
    fresh.full_clean()
    fresh.save()
    names = {"number": fresh.number, "name": fresh.signer_name}
    if actor is None:
        note = _("Devis %(number)s signé en ligne par %(name)s, depuis le lien de suivi.") % names
    else:
        note = _("Devis %(number)s signé par %(name)s.") % names
    case_services.case_accept_quote(case=fresh.case, actor=actor, note=note, at=at)
    copy_into_callers(fresh, quote)
    return fresh


@transaction.atomic
def quote_refuse(
    *,
    quote: Quote,
    actor: User,
    reason: str,
    signer_name: str = "",
    charge_diagnosis: bool = False,
    at: datetime.datetime | None = None,
) -> Quote:
    """The customer refuses: the reason is kept, the diagnosis fee charged if agreed (case_refuse_quote)."""
    require_step(actor, "quotes.decide", site=quote.case.site)
    require_site(actor, quote.case.site)
    return _refuse(
        quote=quote,
        actor=actor,
        reason=reason,
        signer_name=signer_name,
        charge_diagnosis=charge_diagnosis,
        at=at,
    )


@transaction.atomic
def quote_refuse_online(
    *, quote: Quote, reason: str, signer_name: str = "", at: datetime.datetime | None = None
) -> Quote:
    """The customer refuses alone through the tracking link, with a reason; no fee is charged from there
    (the counter agrees it with the customer)."""
    return _refuse(
        quote=quote, actor=None, reason=reason, signer_name=signer_name, charge_diagnosis=False, at=at
    )


def _refuse(
    *, quote: Quote, actor: User | None, reason: str, signer_name: str, charge_diagnosis: bool, at
) -> Quote:
    at = at or timezone.now()
    fresh = _decidable(quote, timezone.localtime(at).date(), online=actor is None)
    if not reason.strip():
        raise AtelierError(_("Notez le motif du refus."), field="reason")
    fee = Decimal("0.00")
    if charge_diagnosis:
        fee = pricing.tariff(fresh.case.site, "frais_diagnostic", fresh.issued_on)
    fresh.status = QuoteStatus.REFUSE
    fresh.decided_at = at
    fresh.signer_name = signer_name.strip()
    fresh.refusal_reason = reason.strip()
    fresh.diagnosis_fee_ht = fee
    fresh.full_clean()
    fresh.save()
    note = fresh.refusal_reason
    if actor is None:
        note = _("Refusé en ligne, depuis le lien de suivi. Motif : %(reason)s") % {"reason": note}
    if fee:
        note += "\n" + _("Forfait diagnostic facturé : %(fee)s € HT.") % {"fee": fr_amount(fee, grouped=True)}
    case_services.case_refuse_quote(case=fresh.case, actor=actor, note=note, at=at)
    copy_into_callers(fresh, quote)
    return fresh


@transaction.atomic
def quotes_expire(*, site, today: datetime.date, at: datetime.datetime | None = None) -> list[Quote]:
    """Sent quotes of the site still unanswered after their last valid day → « expiré », each with a line on its
    dossier's timeline (run daily by the scheduler: quotes.jobs). A second run finds none left."""
    at = at or timezone.now()
    due = Quote.objects.filter(case__site=site, status=QuoteStatus.ENVOYE, valid_until__lt=today)
    expired = []
    for quote in lock_rows(due, related=("case",)):
        quote.status = QuoteStatus.EXPIRE
        quote.save(update_fields=["status"])
        case_services.case_system_note(
            case=quote.case,
            label=_("Devis expiré"),
            note=_("Le devis %(number)s, valable jusqu'au %(date)s, n'a pas reçu de réponse : il a expiré.")
            % {"number": quote.number, "date": quote.valid_until.strftime("%d/%m/%Y")},
            at=at,
        )
        expired.append(quote)
    return expired
