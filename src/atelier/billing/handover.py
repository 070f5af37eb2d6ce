"""Writes around giving the appliance back: the signed hand-back, incidents for the manufacturer, telling the
customer it is ready (e-mail, SMS, tracking link), advice sheets and complementary offers."""

import datetime
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.billing.choices import (
    DocumentKind,
    IncidentKind,
    NotificationChannel,
    NotificationPurpose,
    OfferKind,
)
from atelier.billing.models import (
    AdviceSheet,
    HandBack,
    Incident,
    Notification,
    Offer,
    Suggestion,
    TrackingLink,
)
from atelier.core.access import require_step
from atelier.core.choices import VatKind
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock
from atelier.core.models import VatRate
from atelier.core.money import fr_amount
from atelier.core.permissions import require_site
from atelier.messaging.choices import Channel, Purpose, State
from atelier.messaging.models import Message
from atelier.messaging.services import channels_for, message_enqueue
from atelier.quotes.choices import QuoteStatus
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase
from atelier.repairs.services import case_hand_back

TRACKING_DAYS = 60


@transaction.atomic
def hand_back_record(
    *, case: RepairCase, actor, signer_name: str, signature: str, note: str = "", at=None
) -> HandBack:
    """The customer signs for their appliance; the dossier then moves to « Rendu » in the same transaction."""
    require_site(actor, case.site)
    if not signer_name.strip():
        raise AtelierError(_("Indiquez le nom de la personne qui reprend l'appareil."), field="signer_name")
    if not signature:
        raise AtelierError(
            _("La signature du client est nécessaire : faites-le signer dans le cadre."), field="signature"
        )
    if HandBack.objects.filter(case=case).exists():
        raise TransitionRefused(_("L'appareil du dossier %(n)s a déjà été rendu.") % {"n": case.number})
    at = at or timezone.now()
    record = HandBack.objects.create(
        case=case,
        signer_name=signer_name.strip(),
        signature=signature,
        at=at,
        by=actor,
        advice_sheet=AdviceSheet.objects.filter(family=case.appliance.family).first(),
    )
    note = note.strip() or _("Remis à %(name)s, contre signature.") % {"name": record.signer_name}
    case_hand_back(case=case, actor=actor, note=note, at=at)
    return record


@transaction.atomic
def incident_record(
    *, case: RepairCase, actor, kind: str, description: str, part_reference: str = ""
) -> Incident:
    require_step(actor, "billing.incident", site=case.site)
    require_site(actor, case.site)
    if kind not in IncidentKind.values:
        raise AtelierError(_("Type de remontée inconnu."), field="kind")
    if not description.strip():
        raise AtelierError(_("Décrivez le constat pour le fabricant."), field="description")
    return Incident.objects.create(
        case=case,
        brand=case.appliance.brand.strip().upper(),
        kind=kind,
        description=description.strip(),
        part_reference=part_reference.strip(),
        recorded_by=actor,
    )


@transaction.atomic
def tracking_link_create(*, case: RepairCase, days: int = TRACKING_DAYS, at=None) -> TrackingLink:
    """A new unguessable link (256 bits) to the dossier's public page, valid `days` days.

    It replaces the dossier's previous links: they stop working now (their expiry is brought back to this
    moment), so a link forwarded or left in an old message no longer opens the dossier. The dossier's row
    lock makes two links sent at once leave exactly one working."""
    at = at or timezone.now()
    lock(case)
    TrackingLink.objects.filter(case=case, expires_at__gt=at).update(expires_at=at)
    return TrackingLink.objects.create(
        case=case,
        token=secrets.token_urlsafe(32),
        created_at=at,
        expires_at=at + datetime.timedelta(days=days),
    )


def tracking_url(base_url: str, link: TrackingLink) -> str:
    return base_url.rstrip("/") + reverse("billing_public:tracking", args=[link.token])


@transaction.atomic
def notify_ready(*, case: RepairCase, actor, base_url: str) -> list[Message]:
    """Tell the customer their appliance is ready: e-mail and SMS, each with the tracking link, queued in the
    outbox (sent after commit by the worker)."""
    require_step(actor, "billing.counter", site=case.site)
    require_site(actor, case.site)
    if case.status not in (CaseStatus.PRET, CaseStatus.REFUSE, CaseStatus.NON_REPARABLE):
        raise TransitionRefused(
            _("Le dossier %(n)s est à l'état « %(s)s » : l'appareil n'est pas prêt à être rendu.")
            % {"n": case.number, "s": case.get_status_display()}
        )
    site = case.site

    def compose(url):
        text = _("%(site)s : votre appareil (dossier %(n)s) est prêt. Horaires et suivi : %(url)s") % {
            "site": site.name,
            "n": case.number,
            "url": url,
        }
        body = _(
            "Bonjour,\n\nVotre appareil %(app)s (dossier %(n)s) est prêt à être récupéré à %(site)s, %(addr)s, "
            "%(pc)s %(city)s.\n\nSuivi de votre dossier : %(url)s\n\nCordialement,\n%(site)s"
        ) % {
            "app": case.appliance,
            "n": case.number,
            "site": site.name,
            "addr": site.address,
            "pc": site.postcode,
            "city": site.city,
            "url": url,
        }
        return _("Votre appareil est prêt – dossier %(n)s") % {"n": case.number}, body, text

    return _send_tracking_link(
        case=case, actor=actor, base_url=base_url, compose=compose, purpose=NotificationPurpose.PRET
    )


@transaction.atomic
def tracking_link_send(*, case: RepairCase, actor, base_url: str) -> list[Message]:
    """Send the customer a new tracking link by e-mail and SMS; when a quote awaits their decision, the text
    says they can read it and accept it online (billing.views.tracking_accept)."""
    require_step(actor, "billing.counter", site=case.site)
    require_site(actor, case.site)
    if case.status in (CaseStatus.CLOTURE, CaseStatus.ANNULE):
        raise TransitionRefused(_("Le dossier %(n)s est fermé.") % {"n": case.number})
    site = case.site
    quote = (
        case.quotes.filter(status=QuoteStatus.ENVOYE, valid_until__gte=timezone.localdate())
        .order_by("-version")
        .first()
    )

    def compose(url):
        names = {"site": site.name, "n": case.number, "url": url, "app": case.appliance}
        if quote is not None:
            names.update(q=quote.number, date=quote.valid_until.strftime("%d/%m/%Y"))
            text = (
                _("%(site)s : votre devis %(q)s (dossier %(n)s) est à lire et à accepter en ligne : %(url)s")
                % names
            )
            body = (
                _(
                    "Bonjour,\n\nLe devis %(q)s pour la réparation de votre appareil %(app)s (dossier %(n)s) est "
                    "prêt. Vous pouvez le lire et l'accepter en ligne, en le signant, jusqu'au %(date)s :\n%(url)s"
                    "\n\nCordialement,\n%(site)s"
                )
                % names
            )
            subject = _("Votre devis %(q)s à accepter en ligne – dossier %(n)s") % names
        else:
            text = _("%(site)s : suivez votre dossier %(n)s en ligne : %(url)s") % names
            body = (
                _(
                    "Bonjour,\n\nSuivez en ligne le dossier %(n)s de votre appareil %(app)s :\n%(url)s"
                    "\n\nCordialement,\n%(site)s"
                )
                % names
            )
            subject = _("Suivi de votre dossier %(n)s") % names
        return subject, body, text

    return _send_tracking_link(
        case=case, actor=actor, base_url=base_url, compose=compose, purpose=NotificationPurpose.SUIVI
    )


REMINDER_GAP_DAYS = 7  # a courteous reminder, not harassment


@transaction.atomic
def payment_reminder_send(*, case: RepairCase, actor, base_url: str, at=None) -> list[Message]:
    """Remind the customer of the balance still due on the invoice (e-mail and SMS, with the tracking link
    where the invoice can be downloaded); one reminder a week at most, recorded on the dossier."""
    from atelier.billing import selectors

    require_step(actor, "billing.reminder", site=case.site)
    require_site(actor, case.site)
    locked = lock(case)  # two clicks make one reminder
    invoice = selectors.current_invoice(locked)
    due = selectors.balance_due(locked)
    if invoice is None or due <= 0:
        raise AtelierError(_("Le dossier %(n)s ne doit rien : pas de relance.") % {"n": locked.number})
    at = at or timezone.now()
    last = locked.notifications.filter(purpose=NotificationPurpose.RELANCE).order_by("-at").first()
    if last is not None and last.at > at - datetime.timedelta(days=REMINDER_GAP_DAYS):
        raise AtelierError(
            _("Le client a déjà été relancé le %(d)s : attendez au moins %(n)s jours entre deux relances.")
            % {"d": timezone.localtime(last.at).strftime("%d/%m/%Y"), "n": REMINDER_GAP_DAYS}
        )
    site = case.site

    def compose(url):
        names = {
            "site": site.name,
            "n": locked.number,
            "inv": invoice.number,
            "due": fr_amount(due),
            "date": timezone.localdate(invoice.issued_at).strftime("%d/%m/%Y"),
            "url": url,
            "phone": site.phone,
        }
        text = (
            _(
                "%(site)s : rappel, il reste %(due)s € à régler sur la facture %(inv)s (dossier %(n)s) : %(url)s"
            )
            % names
        )
        body = (
            _(
                "Bonjour,\n\nSauf erreur de notre part, il reste %(due)s € à régler sur la facture %(inv)s du "
                "%(date)s (dossier %(n)s). Vous pouvez la consulter et la télécharger ici :\n%(url)s\n\nVous "
                "pouvez régler au magasin (carte, espèces, chèque) ou par virement. Une question ? Appelez-nous au "
                "%(phone)s.\n\nSi vous avez réglé entre-temps, merci de ne pas tenir compte de ce message.\n\n"
                "Cordialement,\n%(site)s"
            )
            % names
        )
        return _("Rappel : facture %(inv)s – dossier %(n)s") % names, body, text

    return _send_tracking_link(
        case=locked,
        actor=actor,
        base_url=base_url,
        compose=compose,
        purpose=NotificationPurpose.RELANCE,
        at=at,
    )


# the outbox's purpose of each kind of notification the dossier keeps
MESSAGE_PURPOSES = {
    NotificationPurpose.PRET: Purpose.READY,
    NotificationPurpose.SUIVI: Purpose.TRACKING,
    NotificationPurpose.RELANCE: Purpose.PAYMENT_REMINDER,
    NotificationPurpose.CONSEILS: Purpose.ADVICE,
}


def _send_tracking_link(
    *, case: RepairCase, actor, base_url: str, compose, purpose: str, at=None
) -> list[Message]:
    """A new tracking link, by e-mail and SMS: compose(url) gives (subject, e-mail body, SMS text).

    Both messages are queued in the outbox in the caller's transaction and sent by the worker after commit; a
    channel the customer lacks is recorded « non envoyé » with the reason. The dossier's Notification (which
    spaces reminders) is written for each message queued."""
    customer, site = case.customer, case.site
    if not channels_for(customer):
        raise AtelierError(_("Le client n'a ni e-mail ni mobile : appelez-le ou écrivez-lui."))
    subject, body, text = compose(tracking_url(base_url, tracking_link_create(case=case)))
    at = at or timezone.now()
    messages = [
        message_enqueue(
            site=site,
            customer=customer,
            case=case,
            channel=channel,
            subject=subject if channel == Channel.EMAIL else "",
            body=body if channel == Channel.EMAIL else text,
            purpose=MESSAGE_PURPOSES[purpose],
            actor=actor,
        )
        for channel in (Channel.EMAIL, Channel.SMS)
    ]
    for message in messages:
        if message.state == State.QUEUED:
            Notification.objects.create(
                case=case,
                channel=message.channel,
                recipient=message.recipient,
                body=message.body,
                by=actor,
                purpose=purpose,
                at=at,
            )
    return messages


def suggestions_for(case: RepairCase) -> list[Suggestion]:
    """Active suggestions of the appliance's family not yet offered on this dossier."""
    offered = case.offers.values_list("suggestion_id", flat=True)
    return list(
        Suggestion.objects.filter(family=case.appliance.family, is_active=True).exclude(pk__in=offered)
    )


@transaction.atomic
def offer_record(*, case: RepairCase, actor, suggestion: Suggestion, accepted: bool, quantity=1) -> Offer:
    """Record the customer's answer to a suggestion: an offer is made once, accepted or declined freely."""
    require_step(actor, "billing.counter", site=case.site)
    require_site(actor, case.site)
    if case.status in (CaseStatus.CLOTURE, CaseStatus.ANNULE):
        raise TransitionRefused(_("Le dossier %(n)s est fermé.") % {"n": case.number})
    if suggestion.family != case.appliance.family or not suggestion.is_active:
        raise AtelierError(_("Cette suggestion ne concerne pas cet appareil."), field="suggestion")
    if case.offers.filter(suggestion=suggestion).exists():
        raise AtelierError(_("Cette suggestion a déjà été proposée sur ce dossier."), field="suggestion")
    if accepted and case.invoices.filter(kind=DocumentKind.FACTURE).exists():  # a deposit invoice is no bar
        raise AtelierError(_("La facture est déjà émise : la vente complémentaire ne peut plus y figurer."))
    return Offer.objects.create(
        case=case,
        suggestion=suggestion,
        designation=suggestion.designation,
        quantity=quantity,
        unit_price_ht=suggestion.unit_price_ht,
        vat_rate=VatRate.in_force(suggestion.vat_kind or VatKind.NORMAL, timezone.localdate()),
        is_goods=suggestion.kind == OfferKind.PRODUIT,
        accepted=accepted,
        by=actor,
    )


@transaction.atomic
def advice_email(*, case: RepairCase, actor) -> HandBack | None:
    """E-mail the family's advice sheet (PDF) to the customer: queued in the outbox with the PDF rendered here
    (rendering it on the worker is a later improvement)."""
    from atelier.billing.documents import advice_pdf

    require_step(actor, "billing.counter", site=case.site)
    require_site(actor, case.site)
    sheet = AdviceSheet.objects.filter(family=case.appliance.family).first()
    if sheet is None:
        raise AtelierError(_("Aucune fiche conseils pour cette famille d'appareils."))
    if not case.customer.email:
        raise AtelierError(_("Le client n'a pas d'adresse e-mail : imprimez la fiche."))
    body = _(
        "Bonjour,\n\nVoici nos conseils pour faire durer votre appareil %(app)s.\n\nCordialement,\n%(site)s"
    ) % {"app": case.appliance, "site": case.site.name}
    message_enqueue(
        site=case.site,
        customer=case.customer,
        case=case,
        channel=Channel.EMAIL,
        subject=sheet.title,
        body=body,
        purpose=Purpose.ADVICE,
        actor=actor,
        attachments=[(f"conseils-{case.number}.pdf", advice_pdf(sheet, case), "application/pdf")],
    )
    # the signed hand-back is never rewritten: the sending is a notification of its own
    Notification.objects.create(
        case=case,
        channel=NotificationChannel.EMAIL,
        purpose=NotificationPurpose.CONSEILS,
        recipient=case.customer.email,
        body=body,
        by=actor,
        at=timezone.now(),
    )
    return HandBack.objects.filter(case=case).first()
