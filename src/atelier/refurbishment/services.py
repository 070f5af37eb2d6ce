"""Writes of the second life of appliances: the notice period and the letters of abandoned dossiers, lots,
intakes, moves of location, triage, reservation, sale, scrapping and inventory counts. One transaction each;
every check before the first write; an appliance is re-read under its row lock before it changes (a sale and
a reservation at the same instant cannot both succeed)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock, lock_many
from atelier.core.models import Site, User
from atelier.core.services import sequence_next
from atelier.customers.choices import ProductFamily
from atelier.customers.models import Customer
from atelier.refurbishment import selectors
from atelier.refurbishment.choices import (
    IN_STOCK_STATES,
    ApplianceState,
    LetterMethod,
    LotKind,
    MoveKind,
    Origin,
    TriageOutcome,
)
from atelier.refurbishment.models import (
    AbandonLetter,
    AbandonNoticeRule,
    ApplianceCount,
    ApplianceCountLine,
    ApplianceMove,
    CollectionLot,
    StockAppliance,
    Triage,
    TriageResult,
)
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase
from atelier.repairs.services import case_system_note
from atelier.stock.models import StockLocation

# A dossier whose appliance waits at the shop for its owner: the letter can be sent, the appliance taken in.
WAITING_FOR_OWNER = [CaseStatus.REFUSE, CaseStatus.REPARE, CaseStatus.PRET, CaseStatus.NON_REPARABLE]
APPLIANCE_NUMBER, LOT_NUMBER = "appareil_seconde_vie", "lot_collecte"
CENT = Decimal("0.01")


def _day(value: datetime.date) -> str:
    return date_format(value, "d/m/Y")


def _now(at: datetime.datetime | None) -> datetime.datetime:
    return at or timezone.now()


def _money(value, field: str, label: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise AtelierError(
            _("%(label)s : « %(v)s » n'est pas un montant.") % {"label": label, "v": value}, field=field
        ) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT) or amount >= Decimal("1e8"):
        raise AtelierError(
            _("%(label)s : un montant positif, au centime près (ex. 149,00).") % {"label": label}, field=field
        )
    return amount


def _write_move(appliance: StockAppliance, *, kind: str, actor: User, before: str, at=None, **fields):
    return ApplianceMove.objects.create(
        appliance=appliance,
        kind=kind,
        actor=actor,
        at=_now(at),
        state_before=before,
        state_after=appliance.state,
        **fields,
    )


def _check_location(location: StockLocation | None, site: Site) -> None:
    if location is not None and (location.site_id != site.pk or not location.is_active):
        raise AtelierError(_("Cet emplacement n'est pas un emplacement actif du site."), field="location")


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
        case_system_note(
            case=case,
            label=_("Appareil abandonné"),
            note=_("Délai d'abandon écoulé : l'appareil entre dans le stock du magasin sous le n° %(n)s.")
            % {"n": number},
        )
    return appliance


# ---------------------------------------------------------------- moves of one appliance


def _locked(appliance: StockAppliance, code: str, actor: User) -> StockAppliance:
    require_step(actor, code, site=appliance.site_id)
    return lock(appliance, related=["site"])


def _refuse_out_of_stock(appliance: StockAppliance) -> None:
    if appliance.state == ApplianceState.VENDU:
        raise TransitionRefused(_("L'appareil %(n)s est déjà vendu.") % {"n": appliance.number})
    if appliance.state not in IN_STOCK_STATES:
        raise TransitionRefused(
            _("L'appareil %(n)s n'est plus en stock (%(s)s).")
            % {"n": appliance.number, "s": appliance.get_state_display()}
        )


def _refuse_unless_saleable(appliance: StockAppliance) -> None:
    """Only an appliance sorted « fonctionnement validé » is reserved or sold (until its refurbishment is
    recorded by the procedures: docs/refurbishment.md, « laissé »)."""
    _refuse_out_of_stock(appliance)
    if appliance.state == ApplianceState.A_TRIER:
        raise TransitionRefused(
            _(
                "L'appareil %(n)s est encore à trier : un appareil ne se vend ni ne se réserve avant son tri "
                "(fonctionnement validé)."
            )
            % {"n": appliance.number}
        )
    if appliance.state == ApplianceState.A_DEMONTER:
        raise TransitionRefused(
            _("L'appareil %(n)s est non réparable : il part au démontage, pas à la vente.")
            % {"n": appliance.number}
        )
    if appliance.triage_outcome != TriageOutcome.VALIDE:
        raise TransitionRefused(
            _("L'appareil %(n)s est à réparer : il ne se vend qu'une fois son fonctionnement validé.")
            % {"n": appliance.number}
        )


def _reservation_holds(appliance: StockAppliance) -> bool:
    until = appliance.reserved_until
    return appliance.reserved_for_id is not None and until is not None and until >= timezone.localdate()


@transaction.atomic
def appliance_relocate(
    *, actor: User, appliance: StockAppliance, location: StockLocation, reason: str = ""
) -> StockAppliance:
    """Put an appliance in stock somewhere else on its site."""
    appliance = _locked(appliance, "refurbishment.intake", actor)
    _refuse_out_of_stock(appliance)
    if location is None:
        raise AtelierError(_("Choisissez le nouvel emplacement."), field="location")
    _check_location(location, appliance.site)
    if location.pk == appliance.location_id:
        raise AtelierError(_("L'appareil est déjà à cet emplacement."), field="location")
    before, appliance.location = appliance.location, location
    appliance.save(update_fields=["location"])
    _write_move(
        appliance,
        kind=MoveKind.EMPLACEMENT,
        actor=actor,
        before=appliance.state,
        from_location=before,
        to_location=location,
        reason=(reason or "").strip(),
    )
    return appliance


@transaction.atomic
def appliance_triage(
    *,
    actor: User,
    appliance: StockAppliance,
    results: Mapping[str, tuple[bool, str]],
    outcome: str,
    notes: str = "",
) -> Triage:
    """Sort an appliance against its family's checklist (C1.14): every active check answered, then one of the
    three outcomes. « Fonctionnement validé » needs every check passed; « à réparer » and « non réparable » a
    failed check naming the fault. Non réparable → à démonter; the others → à reconditionner."""
    appliance = _locked(appliance, "refurbishment.triage", actor)
    if appliance.state != ApplianceState.A_TRIER:
        raise TransitionRefused(
            _("L'appareil %(n)s n'est pas à trier (%(s)s).")
            % {"n": appliance.number, "s": appliance.get_state_display()}
        )
    if outcome not in TriageOutcome.values:
        raise AtelierError(_("Choisissez le résultat du tri."), field="outcome")
    checks = list(selectors.checklist(appliance.family))
    if not checks:
        raise AtelierError(_("Aucun contrôle de tri n'est défini pour cette famille."))
    unknown = set(results) - {c.code for c in checks}
    if unknown:
        raise AtelierError(
            _("Contrôle inconnu pour cette famille : %(c)s.") % {"c": ", ".join(sorted(unknown))}
        )
    rows = []
    for check in checks:
        if check.code not in results or results[check.code][0] is None:
            raise AtelierError(
                _("Le contrôle « %(c)s » n'est pas renseigné.") % {"c": check.label},
                field=f"check_{check.code}",
            )
        passed, note = results[check.code]
        note = (note or "").strip()[:255]
        if not passed and not note:
            raise AtelierError(
                _("Décrivez le défaut constaté au contrôle « %(c)s ».") % {"c": check.label},
                field=f"note_{check.code}",
            )
        rows.append((check, bool(passed), note))
    failed = [check.label for check, passed, _note in rows if not passed]
    if outcome == TriageOutcome.VALIDE and failed:
        raise AtelierError(
            _("Fonctionnement validé impossible : le contrôle « %(c)s » a échoué.") % {"c": failed[0]},
            field="outcome",
        )
    if outcome != TriageOutcome.VALIDE and not failed:
        raise AtelierError(
            _(
                "Tous les contrôles sont conformes : choisissez « fonctionnement validé », ou marquez le contrôle qui "
                "révèle le défaut."
            ),
            field="outcome",
        )
    triage = Triage.objects.create(
        appliance=appliance, outcome=outcome, notes=(notes or "").strip(), done_by=actor
    )
    TriageResult.objects.bulk_create(
        TriageResult(triage=triage, check_item=check, label=check.label, passed=passed, note=note)
        for check, passed, note in rows
    )
    before = appliance.state
    appliance.triage_outcome = outcome
    appliance.state = (
        ApplianceState.A_DEMONTER
        if outcome == TriageOutcome.NON_REPARABLE
        else ApplianceState.A_RECONDITIONNER
    )
    appliance.save(update_fields=["triage_outcome", "state"])
    _write_move(appliance, kind=MoveKind.TRI, actor=actor, before=before, reason=triage.get_outcome_display())
    return triage


@transaction.atomic
def appliance_reserve(
    *, actor: User, appliance: StockAppliance, customer: Customer, until: datetime.date
) -> StockAppliance:
    """Hold an appliance for a customer until a day (row lock: two counters cannot reserve it at once)."""
    appliance = _locked(appliance, "refurbishment.sell", actor)
    _refuse_unless_saleable(appliance)
    if customer is None or customer.site_id != appliance.site_id:
        raise AtelierError(_("Choisissez un client du site."), field="customer")
    if _reservation_holds(appliance):
        raise TransitionRefused(
            _("L'appareil %(n)s est déjà réservé pour %(c)s jusqu'au %(d)s.")
            % {
                "n": appliance.number,
                "c": appliance.reserved_for,
                "d": _day(appliance.reserved_until or timezone.localdate()),
            }
        )
    today = timezone.localdate()
    if until < today or until > today + datetime.timedelta(days=90):
        raise AtelierError(_("Une réservation dure de aujourd'hui à 90 jours au plus."), field="until")
    appliance.reserved_for, appliance.reserved_until = customer, until
    appliance.save(update_fields=["reserved_for", "reserved_until"])
    _write_move(
        appliance,
        kind=MoveKind.RESERVATION,
        actor=actor,
        before=appliance.state,
        customer=customer,
        reason=_("jusqu'au %(d)s") % {"d": _day(until)},
    )
    return appliance


@transaction.atomic
def appliance_reservation_cancel(
    *, actor: User, appliance: StockAppliance, reason: str = ""
) -> StockAppliance:
    appliance = _locked(appliance, "refurbishment.sell", actor)
    if appliance.reserved_for_id is None:
        raise TransitionRefused(_("L'appareil %(n)s n'est pas réservé.") % {"n": appliance.number})
    customer = appliance.reserved_for
    appliance.reserved_for = appliance.reserved_until = None
    appliance.save(update_fields=["reserved_for", "reserved_until"])
    _write_move(
        appliance,
        kind=MoveKind.FIN_RESERVATION,
        actor=actor,
        before=appliance.state,
        customer=customer,
        reason=(reason or "").strip(),
    )
    return appliance


@transaction.atomic
def appliance_sell(
    *, actor: User, appliance: StockAppliance, price, customer: Customer | None = None, at=None
) -> StockAppliance:
    """An appliance leaves stock sold (−1 in its ledger). Re-read under its row lock: the same appliance sold
    twice at once gives one sale and one « déjà vendu ». A reservation still running keeps it for its customer."""
    appliance = _locked(appliance, "refurbishment.sell", actor)
    _refuse_unless_saleable(appliance)
    price = _money(price, "price", _("Prix de vente"))
    if price == 0:
        raise AtelierError(
            _("Prix de vente : un montant positif, au centime près (ex. 149,00)."), field="price"
        )
    if customer is not None and customer.site_id != appliance.site_id:
        raise AtelierError(_("Choisissez un client du site."), field="customer")
    if _reservation_holds(appliance) and (customer is None or customer.pk != appliance.reserved_for_id):
        raise TransitionRefused(
            _(
                "L'appareil %(n)s est réservé pour %(c)s jusqu'au %(d)s : vendez-le à ce client ou annulez "
                "la réservation."
            )
            % {
                "n": appliance.number,
                "c": appliance.reserved_for,
                "d": _day(appliance.reserved_until or timezone.localdate()),
            }
        )
    before, location = appliance.state, appliance.location
    appliance.state, appliance.sale_price, appliance.sold_to = ApplianceState.VENDU, price, customer
    appliance.reserved_for = appliance.reserved_until = None
    appliance.location = None
    appliance.save(
        update_fields=["state", "sale_price", "sold_to", "reserved_for", "reserved_until", "location"]
    )
    _write_move(
        appliance,
        kind=MoveKind.VENTE,
        quantity=-1,
        actor=actor,
        before=before,
        at=at,
        from_location=location,
        customer=customer,
        price=price,
        reason=_("vendu d'occasion"),
    )
    return appliance


@transaction.atomic
def appliance_scrap(*, actor: User, appliance: StockAppliance, reason: str) -> StockAppliance:
    """An appliance leaves stock scrapped (−1), with its reason; a reserved one is released first by hand."""
    appliance = _locked(appliance, "refurbishment.scrap", actor)
    _refuse_out_of_stock(appliance)
    reason = (reason or "").strip()
    if not reason:
        raise AtelierError(_("Le motif de la mise au rebut est obligatoire."), field="reason")
    if appliance.reserved_for_id is not None:
        raise TransitionRefused(
            _("L'appareil %(n)s est réservé pour %(c)s : annulez d'abord la réservation.")
            % {"n": appliance.number, "c": appliance.reserved_for}
        )
    before, location = appliance.state, appliance.location
    appliance.state, appliance.location = ApplianceState.REBUT, None
    appliance.save(update_fields=["state", "location"])
    _write_move(
        appliance,
        kind=MoveKind.REBUT,
        quantity=-1,
        actor=actor,
        before=before,
        from_location=location,
        reason=reason,
    )
    return appliance


# ---------------------------------------------------------------- inventory count


def _numbers(text: str) -> list[str]:
    return [n for n in (part.strip().upper() for part in (text or "").replace(",", " ").split()) if n]


@transaction.atomic
def appliance_count_record(
    *,
    actor: User,
    site: Site,
    location: StockLocation | None,
    present: Iterable[int],
    extra_numbers: str = "",
) -> ApplianceCount:
    """Record a count: every appliance expected (in stock on the site, or at the location) is found or not;
    numbers found outside the list are the site's appliances seen here. Not found → « introuvable » (−1);
    found elsewhere → moved here; an « introuvable » found again → back in stock (+1) in its former state."""
    require_step(actor, "refurbishment.count", site=site)
    _check_location(location, site)
    expected_qs = StockAppliance.objects.filter(site=site, state__in=IN_STOCK_STATES)
    if location is not None:
        expected_qs = expected_qs.filter(location=location)
    present = {int(pk) for pk in present}
    expected_ids = set(expected_qs.values_list("pk", flat=True))
    if present - expected_ids:
        raise AtelierError(_("Un appareil coché n'est pas dans la liste de ce comptage : rechargez la page."))
    numbers = _numbers(extra_numbers)
    extras = {a.number: a for a in StockAppliance.objects.filter(site=site, number__in=numbers)}
    unknown = [n for n in numbers if n not in extras]
    if unknown:
        raise AtelierError(
            _("Numéro inconnu sur ce site : %(n)s.") % {"n": ", ".join(unknown)}, field="extra_numbers"
        )
    for appliance in extras.values():
        if appliance.state in (ApplianceState.VENDU, ApplianceState.REBUT):
            raise AtelierError(
                _("L'appareil %(n)s est sorti du stock (%(s)s) : il ne peut pas être trouvé ici.")
                % {"n": appliance.number, "s": appliance.get_state_display()},
                field="extra_numbers",
            )
    extra_ids = {a.pk for a in extras.values()} - expected_ids
    rows = {a.pk: a for a in lock_many(StockAppliance, expected_ids | extra_ids)}
    if any(rows[pk].state not in IN_STOCK_STATES for pk in expected_ids):
        raise AtelierError(_("Le stock a changé pendant le comptage : rechargez la page."))
    count = ApplianceCount.objects.create(
        site=site,
        location=location,
        counted_by=actor,
        expected=len(expected_ids),
        found=len(present),
        missing=len(expected_ids - present),
        extra=len(extra_ids),
    )
    lines = []
    for pk in sorted(expected_ids | extra_ids):
        appliance = rows[pk]
        before = appliance.state
        if pk in expected_ids and pk not in present:
            appliance.state, appliance.location = ApplianceState.INTROUVABLE, None
            appliance.reserved_for = appliance.reserved_until = None
            appliance.save(update_fields=["state", "location", "reserved_for", "reserved_until"])
            _write_move(
                appliance,
                kind=MoveKind.INVENTAIRE,
                quantity=-1,
                actor=actor,
                before=before,
                reason=_("introuvable à l'inventaire"),
            )
        elif pk in extra_ids:
            quantity, origin = 0, appliance.location
            if appliance.state == ApplianceState.INTROUVABLE:
                quantity = 1
                last = (
                    appliance.moves.filter(state_after=ApplianceState.INTROUVABLE)
                    .order_by("-at", "-pk")
                    .first()
                )
                appliance.state = last.state_before if last and last.state_before else ApplianceState.A_TRIER
            appliance.location = location if location is not None else appliance.location
            appliance.save(update_fields=["state", "location"])
            _write_move(
                appliance,
                kind=MoveKind.INVENTAIRE,
                quantity=quantity,
                actor=actor,
                before=before,
                from_location=origin,
                to_location=appliance.location,
                reason=_("trouvé à l'inventaire hors de son emplacement"),
            )
        lines.append(
            ApplianceCountLine(
                count=count,
                appliance=appliance,
                expected=pk in expected_ids,
                found=pk in present or pk in extra_ids,
            )
        )
    ApplianceCountLine.objects.bulk_create(lines)
    return count
