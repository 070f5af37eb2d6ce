"""Abandoned dossiers (notice period, letters), lots and intake of appliances."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock
from atelier.core.models import Site, User
from atelier.core.services import sequence_next
from atelier.customers.choices import ProductFamily
from atelier.refurbishment import selectors
from atelier.refurbishment.choices import (
    LetterMethod,
    LotKind,
    MoveKind,
    Origin,
)
from atelier.refurbishment.models import (
    AbandonLetter,
    AbandonNoticeRule,
    CollectionLot,
    StockAppliance,
)

# A dossier whose appliance waits at the shop for its owner: the letter can be sent, the appliance taken in.
from atelier.refurbishment.services.common import (
    APPLIANCE_NUMBER,
    LOT_NUMBER,
    WAITING_FOR_OWNER,
    _check_location,
    _day,
    _money,
    _now,
    _write_move,
)
from atelier.repairs.models import RepairCase
from atelier.repairs.services import case_abandon, case_system_note
from atelier.stock.models import StockLocation

# ---------------------------------------------------------------- abandoned dossiers


@transaction.atomic
def notice_rule_set(
    *, actor: User, site: Site, days: int, valid_from: datetime.date, legal_basis: str
) -> AbandonNoticeRule:
    """The site's own notice period from a date (a new row: the earlier one stays for the earlier letters)."""
    require_step(actor, "refurbishment.settings", site=site)
    if not isinstance(days, int) or not 1 <= days <= 3650:
        raise AtelierError(_("Le délai se compte en jours, entre 1 et 3 650."), field="days")
    legal_basis = (legal_basis or "").strip()
    if not legal_basis:
        raise AtelierError(
            _("Indiquez le fondement du délai (vos conditions générales, la loi…)."), field="legal_basis"
        )
    rule, _created = AbandonNoticeRule.objects.update_or_create(
        site=site, valid_from=valid_from, defaults={"days": days, "legal_basis": legal_basis, "set_by": actor}
    )
    return rule


@transaction.atomic
def abandon_letter_record(
    *, actor: User, case: RepairCase, sent_on: datetime.date, method: str, reference: str = ""
) -> AbandonLetter:
    """Record the letter telling the customer to collect their appliance; the notice period of the day it was
    sent is copied on it (a later change of the site's period does not move its end)."""
    require_step(actor, "refurbishment.abandon", site=case.site_id)
    case = lock(case)
    if case.status not in WAITING_FOR_OWNER:
        raise TransitionRefused(
            _(
                "Le dossier %(n)s est « %(s)s » : une lettre de mise en demeure ne concerne qu'un appareil qui attend "
                "son propriétaire (refusé, réparé, prêt ou non réparable)."
            )
            % {"n": case.number, "s": case.get_status_display()}
        )
    if AbandonLetter.objects.filter(case=case).exists():
        raise TransitionRefused(_("La lettre du dossier %(n)s est déjà enregistrée.") % {"n": case.number})
    if method not in LetterMethod.values:
        raise AtelierError(_("Choisissez le mode d'envoi de la lettre."), field="method")
    today = timezone.localdate()
    if sent_on > today:
        raise AtelierError(_("La lettre ne peut pas être envoyée dans le futur."), field="sent_on")
    if sent_on < case.received_at.date():
        raise AtelierError(_("La lettre ne peut pas précéder la réception du dossier."), field="sent_on")
    reference = (reference or "").strip()
    if method == LetterMethod.RECOMMANDE and not reference:
        raise AtelierError(_("Indiquez le n° du recommandé."), field="reference")
    rule = selectors.notice_rule(case.site, sent_on)
    if rule is None:
        raise AtelierError(_("Aucun délai d'abandon n'est fixé pour ce site à cette date."), field="sent_on")
    letter = AbandonLetter.objects.create(
        case=case,
        sent_on=sent_on,
        method=method,
        reference=reference,
        notice_days=rule.days,
        legal_basis=rule.legal_basis,
        recorded_by=actor,
    )
    case_system_note(
        case=case,
        label=_("Lettre de mise en demeure"),
        note=_(
            "Lettre envoyée le %(d)s (%(m)s) : l'appareil pourra entrer dans le stock du magasin à partir du %(due)s."
        )
        % {"d": _day(sent_on), "m": letter.get_method_display(), "due": _day(letter.due_on)},
    )
    return letter


# ---------------------------------------------------------------- lots and intake


@transaction.atomic
def lot_create(
    *,
    actor: User,
    site: Site,
    kind: str,
    partner: str,
    delivery_note: str,
    received_on: datetime.date,
    notes: str = "",
) -> CollectionLot:
    """A lot received from an eco-organism or a partner, under its delivery note."""
    require_step(actor, "refurbishment.intake", site=site)
    if kind not in LotKind.values:
        raise AtelierError(_("Choisissez la provenance du lot."), field="kind")
    partner, delivery_note = (partner or "").strip(), (delivery_note or "").strip()
    if not partner:
        raise AtelierError(_("Nommez l'éco-organisme ou le partenaire."), field="partner")
    if not delivery_note:
        raise AtelierError(_("Le n° du bon de livraison est obligatoire pour un lot."), field="delivery_note")
    if received_on > timezone.localdate():
        raise AtelierError(_("Un lot ne peut pas être reçu dans le futur."), field="received_on")
    if CollectionLot.objects.filter(
        site=site, partner__iexact=partner, delivery_note__iexact=delivery_note
    ).exists():
        raise AtelierError(
            _("Le bon de livraison %(n)s de %(p)s est déjà enregistré.") % {"n": delivery_note, "p": partner},
            field="delivery_note",
        )
    year = received_on.year
    number = f"LOT-{site.code}-{year}-{sequence_next(site=site, kind=LOT_NUMBER, year=year):04d}"
    return CollectionLot.objects.create(
        site=site,
        number=number,
        kind=kind,
        partner=partner,
        delivery_note=delivery_note,
        received_on=received_on,
        notes=(notes or "").strip(),
        created_by=actor,
    )


def _check_abandon(case: RepairCase | None, site: Site, on: datetime.date) -> None:
    if case is None:
        raise AtelierError(_("Choisissez le dossier dont l'appareil n'a pas été retiré."), field="case")
    if case.site_id != site.pk:
        raise AtelierError(_("Ce dossier n'est pas de ce site."), field="case")
    if case.status not in WAITING_FOR_OWNER:
        raise TransitionRefused(
            _("Le dossier %(n)s est « %(s)s » : son appareil n'attend pas son propriétaire au magasin.")
            % {"n": case.number, "s": case.get_status_display()}
        )
    letter = AbandonLetter.objects.filter(case=case).first()
    if letter is None:
        raise TransitionRefused(
            _(
                "Aucune lettre de mise en demeure n'est enregistrée pour le dossier %(n)s : envoyez-la d'abord, le "
                "délai d'abandon court à partir d'elle."
            )
            % {"n": case.number}
        )
    if on < letter.due_on:
        raise TransitionRefused(
            _(
                "Le délai d'abandon du dossier %(n)s n'est pas écoulé : lettre du %(sent)s, %(days)s jours "
                "(%(basis)s) ; l'appareil pourra entrer en stock à partir du %(due)s."
            )
            % {
                "n": case.number,
                "sent": _day(letter.sent_on),
                "days": letter.notice_days,
                "basis": letter.legal_basis,
                "due": _day(letter.due_on),
            }
        )
    if StockAppliance.objects.filter(case=case).exists():
        raise TransitionRefused(
            _("L'appareil du dossier %(n)s est déjà entré en stock.") % {"n": case.number}
        )


@transaction.atomic
def appliance_intake(
    *,
    actor: User,
    site: Site,
    origin: str,
    family: str = "",
    brand: str = "",
    model_ref: str = "",
    serial_number: str = "",
    location: StockLocation | None = None,
    weight_kg: Decimal | None = None,
    lot: CollectionLot | None = None,
    case: RepairCase | None = None,
    origin_note: str = "",
    trade_in_value: Decimal | None = None,
    at: datetime.datetime | None = None,
) -> StockAppliance:
    """An appliance enters the shop's own stock, « à trier », with its first ledger line (+1).

    abandon: the dossier's appliance (identity copied), once its notice period after the letter is over;
    collecte: inside a lot of the same site; reprise: against which purchase and for how much; don: from whom."""
    require_step(actor, "refurbishment.intake", site=site)
    at = _now(at)
    origin_note = (origin_note or "").strip()
    if origin not in Origin.values:
        raise AtelierError(_("Choisissez l'origine de l'appareil."), field="origin")
    if origin == Origin.ABANDON:
        if case is not None:
            case = lock(case, related=["appliance"])
        _check_abandon(case, site, timezone.localtime(at).date())
        assert case is not None  # _check_abandon refused a missing dossier
        family, brand = case.appliance.family, case.appliance.brand
        model_ref, serial_number = case.appliance.model_ref, case.appliance.serial_number
        origin_note = origin_note or _("Dossier %(n)s non retiré") % {"n": case.number}
    else:
        case = None
    if origin == Origin.COLLECTE:
        if lot is None:
            raise AtelierError(_("Un appareil de collecte entre dans un lot : choisissez-le."), field="lot")
        if lot.site_id != site.pk:
            raise AtelierError(_("Ce lot n'est pas de ce site."), field="lot")
    elif lot is not None:
        raise AtelierError(_("Seul un appareil de collecte entre dans un lot."), field="lot")
    if origin == Origin.REPRISE:
        if not origin_note:
            raise AtelierError(
                _("Précisez l'achat contre lequel l'appareil est repris."), field="origin_note"
            )
        if trade_in_value is None:
            raise AtelierError(_("Indiquez la valeur de reprise (0 si aucune)."), field="trade_in_value")
        trade_in_value = _money(trade_in_value, "trade_in_value", _("Valeur de reprise"))
    elif trade_in_value is not None:
        raise AtelierError(_("Une valeur de reprise ne concerne qu'une reprise."), field="trade_in_value")
    if origin == Origin.DON and not origin_note:
        raise AtelierError(_("Précisez le donateur."), field="origin_note")
    if family not in ProductFamily.values:
        raise AtelierError(_("Choisissez la famille de l'appareil."), field="family")
    brand = (brand or "").strip()
    if not brand:
        raise AtelierError(_("La marque est obligatoire."), field="brand")
    if weight_kg is not None and not (Decimal("0") < Decimal(str(weight_kg)) < Decimal("1000")):
        raise AtelierError(_("Le poids se donne en kilogrammes, entre 0,1 et 999,9."), field="weight_kg")
    _check_location(location, site)
    year = timezone.localtime(at).year
    number = f"AP-{site.code}-{year}-{sequence_next(site=site, kind=APPLIANCE_NUMBER, year=year):05d}"
    appliance = StockAppliance(
        site=site,
        number=number,
        family=family,
        brand=brand,
        model_ref=(model_ref or "").strip(),
        serial_number=(serial_number or "").strip(),
        origin=origin,
        lot=lot,
        case=case,
        origin_note=origin_note,
        trade_in_value=trade_in_value,
        weight_kg=weight_kg,
        location=location,
        entered_at=at,
        entered_by=actor,
    )
    appliance.full_clean()
    appliance.save()
    _write_move(
        appliance,
        kind=MoveKind.ENTREE,
        quantity=1,
        actor=actor,
        at=at,
        before="",
        to_location=location,
        reason=appliance.get_origin_display(),
    )
    if case is not None:
        # the dossier ends « abandonné » (repairs workflow step taken only here), its timeline saying why
        case_abandon(
            case=case,
            actor=actor,
            at=at,
            note=_("Délai d'abandon écoulé : l'appareil entre dans le stock du magasin sous le n° %(n)s.")
            % {"n": number},
        )
    return appliance
