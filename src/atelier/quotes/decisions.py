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
from atelier.quotes import pricing, rules
from atelier.quotes.choices import AcceptanceContext, QuoteStatus
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
    *,
    quote: Quote,
    actor: User,
    signer_name: str,
    signature: str = "",
    context: str = AcceptanceContext.COMPTOIR,
    early_start: bool = False,
    urgent_home_repair: bool = False,
    at: datetime.datetime | None = None,
) -> Quote:
    """The customer accepts at the counter or at home: date, name, signature and where kept; at home the
    withdrawal period runs (L221-18) unless the customer asked for an urgent home repair (L221-28 8°), and
    their express request to start before it ends is recorded (L221-25). The dossier moves (case_accept_quote)."""
    require_step(actor, "quotes.decide", site=quote.case.site)
    require_site(actor, quote.case.site)
    if context not in (AcceptanceContext.COMPTOIR, AcceptanceContext.HORS_ETABLISSEMENT):
        raise AtelierError(_("Indiquez où le client accepte le devis."), field="context")
    return _accept(
        quote=quote,
        actor=actor,
        signer_name=signer_name,
        signature=signature,
        context=context,
        early_start=early_start,
        urgent=urgent_home_repair,
        at=at,
    )


@transaction.atomic
def quote_accept_online(
    *,
    quote: Quote,
    signer_name: str,
    signature: str,
    early_start: bool = False,
    at: datetime.datetime | None = None,
) -> Quote:
    """The customer accepts alone through the tracking link (no account: the link is the proof): a drawn
    signature is required; a contract at a distance, so the withdrawal period runs (L221-18) and the box the
    customer ticks to have the repair start before it ends is their express request (L221-25). The dossier's
    step is taken with no actor (workflow's customer_may)."""
    if not signature:
        raise AtelierError(_("Signez dans le cadre pour accepter le devis."), field="signature")
    if not signature.startswith(ONLINE_SIGNATURE_PREFIX):
        raise AtelierError(_("La signature doit être dessinée dans le cadre."), field="signature")
    return _accept(
        quote=quote,
        actor=None,
        signer_name=signer_name,
        signature=signature,
        context=AcceptanceContext.DISTANCE,
        early_start=early_start,
        urgent=False,
        at=at,
    )


def _accept(
    *,
    quote: Quote,
    actor: User | None,
    signer_name: str,
    signature: str,
    context: str,
    early_start: bool,
    urgent: bool,
    at,
) -> Quote:
    at = at or timezone.now()
    on = timezone.localtime(at).date()
    fresh = _decidable(quote, on, online=actor is None)
    if not signer_name.strip():
        raise AtelierError(_("Indiquez le nom de la personne qui signe."), field="signer_name")
    if signature and not signature.startswith(SIGNATURE_PREFIXES):
        raise AtelierError(_("La signature doit être une image PNG ou JPEG."), field="signature")
    if len(signature) > MAX_SIGNATURE_CHARS:
        raise AtelierError(_("L'image de la signature dépasse 1,5 Mo."), field="signature")
    if urgent and context != AcceptanceContext.HORS_ETABLISSEMENT:
        raise AtelierError(
            _(
                "Seule une réparation au domicile du client peut être marquée urgente (art. L221-28 8° du Code "
                "de la consommation)."
            ),
            field="urgent_home_repair",
        )
    fresh.status = QuoteStatus.ACCEPTE
    fresh.decided_at = at
    fresh.signer_name = signer_name.strip()
    fresh.signature = signature
    fresh.acceptance_context = context
    fresh.urgent_home_repair = urgent
    if context != AcceptanceContext.COMPTOIR and not urgent:  # off-premises or distance: L221-18
        fresh.withdrawal_days = rules.withdrawal_days(on)
        fresh.withdrawal_ends_on = rules.withdrawal_end(on, fresh.withdrawal_days)
        if early_start:
            fresh.early_start_at, fresh.early_start_by = at, actor
    fresh.full_clean()
    fresh.save()
    names = {"number": fresh.number, "name": fresh.signer_name}
    if actor is None:
        note = _("Devis %(number)s signé en ligne par %(name)s, depuis le lien de suivi.") % names
    elif context == AcceptanceContext.HORS_ETABLISSEMENT:
        note = _("Devis %(number)s signé au domicile du client par %(name)s.") % names
    else:
        note = _("Devis %(number)s signé par %(name)s.") % names
    note += " " + withdrawal_summary(fresh)
    case_services.case_accept_quote(case=fresh.case, actor=actor, note=note.strip(), at=at)
    copy_into_callers(fresh, quote)
    return fresh


def withdrawal_summary(quote: Quote) -> str:
    """One sentence on the quote's withdrawal right (dossier timeline, quote page)."""
    if quote.urgent_home_repair:
        return _(
            "Réparation urgente à domicile demandée par le client : pas de droit de rétractation (art. L221-28 8° "
            "du Code de la consommation)."
        )
    if not quote.has_withdrawal_right:
        return ""
    text = _("Délai de rétractation de %(days)s jours, jusqu'au %(date)s inclus (art. L221-18).") % {
        "days": quote.withdrawal_days,
        "date": quote.withdrawal_ends_on.strftime("%d/%m/%Y"),
    }
    if quote.early_start_at:
        text += " " + _(
            "Le client demande expressément que la réparation commence avant la fin du délai (art. L221-25)."
        )
    return text


@transaction.atomic
def quote_record_early_start(*, quote: Quote, actor: User, at: datetime.datetime | None = None) -> Quote:
    """The customer's express request, after signing, to have the repair start before the withdrawal period
    ends (L221-25: on paper or a durable medium, e.g. their e-mail or a signed note): who noted it and when."""
    require_step(actor, "quotes.decide", site=quote.case.site)
    require_site(actor, quote.case.site)
    at = at or timezone.now()
    fresh = lock(quote, related=("case", "case__site"))
    if fresh.status != QuoteStatus.ACCEPTE or not fresh.has_withdrawal_right:
        raise AtelierError(_("Ce devis n'ouvre pas de délai de rétractation."))
    if fresh.early_start_at is not None:
        raise AtelierError(_("La demande expresse du client est déjà notée."))
    if timezone.localtime(at).date() > fresh.withdrawal_ends_on:
        raise AtelierError(
            _("Le délai de rétractation a pris fin le %(date)s : la réparation peut commencer.")
            % {"date": fresh.withdrawal_ends_on.strftime("%d/%m/%Y")}
        )
    fresh.early_start_at, fresh.early_start_by = at, actor
    fresh.save(update_fields=["early_start_at", "early_start_by"])
    case_services.case_add_note(
        case=fresh.case,
        actor=actor,
        note=_(
            "Devis %(number)s : le client demande expressément que la réparation commence avant la fin du délai "
            "de rétractation (art. L221-25)."
        )
        % {"number": fresh.number},
    )
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
