"""Moves of one appliance: location, triage (C1.14), reservation, sale, scrapping — each under its row lock."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock
from atelier.core.models import User
from atelier.customers.models import Customer
from atelier.refurbishment import selectors
from atelier.refurbishment.choices import (
    IN_STOCK_STATES,
    ApplianceState,
    MoveKind,
    TriageOutcome,
)
from atelier.refurbishment.models import (
    StockAppliance,
    Triage,
    TriageResult,
)

# A dossier whose appliance waits at the shop for its owner: the letter can be sent, the appliance taken in.
from atelier.refurbishment.services.common import (
    _check_location,
    _day,
    _money,
    _write_move,
)
from atelier.stock.models import StockLocation

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
    """Only an appliance sorted « fonctionnement validé », or whose last refurbishment ended « conforme », is
    reserved or sold."""
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
    # its refurbishments (services/procedures.py): one in progress holds it; the last one finished decides
    last = appliance.refurbishments.order_by("-started_at", "-pk").first()
    if last is not None and last.status == "en_cours":
        raise TransitionRefused(
            _(
                "L'appareil %(n)s est en cours de reconditionnement : terminez-le avant de le vendre ou de le réserver."
            )
            % {"n": appliance.number}
        )
    if last is not None and last.verdict == "non_conforme":
        raise TransitionRefused(
            _(
                "Le dernier reconditionnement de l'appareil %(n)s est non conforme : il ne se vend pas en l'état."
            )
            % {"n": appliance.number}
        )
    if appliance.triage_outcome != TriageOutcome.VALIDE and last is None:
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
    *,
    actor: User,
    appliance: StockAppliance,
    price,
    customer: Customer | None = None,
    at=None,
    reason: str = "",
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
        reason=reason or _("vendu d'occasion"),
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
