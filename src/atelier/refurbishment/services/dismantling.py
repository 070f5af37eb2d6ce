"""Dismantling a non-repairable appliance (issue 20 point 4, C1.14).

1. `part_recover` (technician): one sub-assembly of the family's list, tested. Passed → a used part of the stock
   catalogue, created through the stock's own `part_create` (internal code from the site's codification rule,
   « à valider »), grade, weight, the appliance it came from; failed → noted, it stays with the remains.
2. `recovered_part_stock` (stock keeper): a second person validates the reference (the stock's `part_validate`,
   never its author) and the part enters the parts ledger as « Démontage » (+1) at a shelf; from then on it is
   « en stock » and offered as the used alternative of the new part it replaces on every quote.
3. `weee_departure_record`: once every sub-assembly of the list is answered, the remains leave as WEEE with the
   eco-organism's take-back record; the appliance leaves stock (−1, « démonté »).

One transaction each, every check before the first write, the appliance re-read under its row lock."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock
from atelier.core.models import User
from atelier.refurbishment.choices import ApplianceState, MoveKind
from atelier.refurbishment.dismantling import RecoveredPart, SubAssembly, WeeeDeparture
from atelier.refurbishment.models import StockAppliance
from atelier.refurbishment.services.common import _day, _money, _write_move
from atelier.stock import services as stock
from atelier.stock.choices import Availability, LocationKind, PartCondition, PartStatus, UsedGrade
from atelier.stock.choices import MoveKind as PartMove
from atelier.stock.models import Part, StockLocation

MAX_WEIGHT = Decimal("1000")


def sub_assemblies(family: str):
    return SubAssembly.objects.filter(family=family, is_active=True).order_by("order", "pk")


def _weight(value, field: str) -> Decimal:
    try:
        weight = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        weight = Decimal("-1")
    if (
        not weight.is_finite()
        or not Decimal("0") < weight < MAX_WEIGHT
        or weight != weight.quantize(Decimal("0.01"))
    ):
        raise AtelierError(_("Le poids se donne en kilogrammes, entre 0,01 et 999,99."), field=field)
    return weight


def _in_dismantling(appliance: StockAppliance) -> None:
    """Parts are taken only from an appliance sorted « non réparable » and still in stock (« à démonter »)."""
    if appliance.state != ApplianceState.A_DEMONTER:
        raise TransitionRefused(
            _(
                "L'appareil %(n)s n'est pas au démontage (%(s)s) : on ne récupère des pièces que sur un appareil "
                "trié « non réparable »."
            )
            % {"n": appliance.number, "s": appliance.get_state_display()}
        )


@transaction.atomic
def part_recover(
    *,
    actor: User,
    appliance: StockAppliance,
    sub_assembly: SubAssembly,
    reusable: bool,
    test_record: str,
    reference: str = "",
    designation: str = "",
    grade: str = "",
    price_ht=None,
    weight_kg=None,
    equivalent_of: Part | None = None,
) -> RecoveredPart:
    """One sub-assembly taken off and tested. Reusable → a used part « à valider » in the stock catalogue, coded by
    the site's rule; its reference is the one read on it (or the new part's) followed by the appliance's number."""
    require_step(actor, "refurbishment.dismantle", site=appliance.site_id)
    appliance = lock(appliance, related=["site"])
    _in_dismantling(appliance)
    if sub_assembly.family != appliance.family or not sub_assembly.is_active:
        raise AtelierError(_("Ce sous-ensemble n'est pas dans la liste de la famille de l'appareil."))
    if RecoveredPart.objects.filter(appliance=appliance, sub_assembly=sub_assembly).exists():
        raise TransitionRefused(
            _("Le sous-ensemble « %(s)s » de l'appareil %(n)s est déjà traité.")
            % {"s": sub_assembly.label, "n": appliance.number}
        )
    test_record = (test_record or "").strip()
    if not test_record:
        raise AtelierError(
            _("Notez l'essai fait et son résultat (attendu : %(t)s).") % {"t": sub_assembly.test},
            field="test_record",
        )
    row = RecoveredPart(
        appliance=appliance,
        sub_assembly=sub_assembly,
        label=sub_assembly.label,
        reusable=bool(reusable),
        test_record=test_record,
        done_by=actor,
    )
    if not reusable:
        row.save()
        return row
    if grade not in UsedGrade.values:
        raise AtelierError(_("Choisissez le grade de la pièce (A, B ou C)."), field="grade")
    if price_ht is None or str(price_ht).strip() == "":
        raise AtelierError(_("Indiquez le prix de vente HT de la pièce d'occasion."), field="price_ht")
    price = _money(price_ht, "price_ht", _("Prix de vente HT"))
    if weight_kg is None or str(weight_kg).strip() == "":
        raise AtelierError(
            _("Pesez la pièce : son poids compte dans ce que la seconde vie évite de jeter."),
            field="weight_kg",
        )
    weight = _weight(weight_kg, "weight_kg")
    if equivalent_of is not None and (
        equivalent_of.condition != PartCondition.NEUF or not equivalent_of.is_usable
    ):
        raise AtelierError(_("Choisissez une pièce neuve validée du catalogue."), field="equivalent_of")
    base = (reference or "").strip().upper() or (equivalent_of.reference if equivalent_of else "")
    if not base:
        raise AtelierError(
            _("Indiquez la référence lue sur la pièce, ou la pièce neuve qu'elle remplace."),
            field="reference",
        )
    part = stock.part_create(
        actor=actor,
        site=appliance.site,
        step="refurbishment.dismantle",
        reference=f"{base[:38]}-{appliance.number}",
        designation=(designation or "").strip()
        or f"{sub_assembly.label} ({appliance.brand} {appliance.model_ref})".strip(),
        price_ht=price,
        kind=sub_assembly.part_kind,
        condition=PartCondition.OCCASION,
        grade=grade,
        family=appliance.family,
        brand=appliance.brand,
        compatible_brands=appliance.brand,
        compatible_models=appliance.model_ref,
        equivalent_of=equivalent_of,
    )
    # not offered on any quote before it is validated and in stock (recovered_part_stock makes it « en stock »)
    part.availability, part.supplier = (
        Availability.INDISPONIBLE,
        _("Démontage %(n)s") % {"n": appliance.number},
    )
    part.save(update_fields=["availability", "supplier"])
    row.part, row.grade, row.weight_kg = part, grade, weight
    row.save()
    return row


@transaction.atomic
def recovered_part_stock(
    *, actor: User, recovered: RecoveredPart, location: StockLocation | None, at=None
) -> RecoveredPart:
    """The second person's check of the recovered part's reference (stock.part_validate: never its author), then
    its entry in the parts ledger, « Démontage » +1 at a shelf of the appliance's site. Already validated from the
    stock's own page → only the entry."""
    site = recovered.appliance.site
    require_step(actor, "stock.manage", site=site)
    recovered = lock(recovered, related=["appliance", "part"])
    part = recovered.part
    if part is None:
        raise TransitionRefused(_("Ce sous-ensemble n'a pas été récupéré : il est parti avec les restes."))
    if recovered.stock_move_id is not None:
        raise TransitionRefused(_("La pièce %(c)s est déjà entrée en stock.") % {"c": part.internal_code})
    if (
        location is None
        or location.site_id != site.pk
        or not location.is_active
        or location.kind != LocationKind.ETAGERE
    ):
        raise AtelierError(_("Choisissez un rayon actif du site de l'appareil."), field="location")
    if part.status == PartStatus.REFUSEE:
        raise TransitionRefused(
            _("La référence %(r)s a été refusée : elle n'entre pas en stock.") % {"r": part.reference}
        )
    if part.status == PartStatus.A_VALIDER:
        part = stock.part_validate(part=part, actor=actor, accept=True, at=at)
    move = stock.move_record(
        actor=actor,
        part=part,
        location=location,
        kind=PartMove.DEMONTAGE,
        quantity=1,
        reason=_("Démontage de l'appareil %(n)s : %(s)s")
        % {"n": recovered.appliance.number, "s": recovered.label},
        at=at,
    )
    part.availability, part.lead_time_days = Availability.EN_STOCK, 0
    part.save(update_fields=["availability", "lead_time_days"])
    recovered.stock_move = move
    recovered.save(update_fields=["stock_move"])
    return recovered


@transaction.atomic
def weee_departure_record(
    *,
    actor: User,
    appliance: StockAppliance,
    eco_organism: str,
    bordereau: str,
    handed_on: datetime.date,
    weight_kg,
    at=None,
) -> WeeeDeparture:
    """The remains leave as WEEE (DEEE) with the take-back record; every sub-assembly of the list answered first."""
    require_step(actor, "refurbishment.dismantle", site=appliance.site_id)
    appliance = lock(appliance, related=["site"])
    _in_dismantling(appliance)
    done = set(RecoveredPart.objects.filter(appliance=appliance).values_list("sub_assembly_id", flat=True))
    missing = [s.label for s in sub_assemblies(appliance.family) if s.pk not in done]
    if missing:
        raise TransitionRefused(
            _("Démontage inachevé : le sous-ensemble « %(s)s » n'est pas encore traité (récupéré ou non).")
            % {"s": missing[0]}
        )
    eco_organism, bordereau = (eco_organism or "").strip(), (bordereau or "").strip()
    if not eco_organism:
        raise AtelierError(_("Nommez l'éco-organisme qui reprend le DEEE."), field="eco_organism")
    if not bordereau:
        raise AtelierError(_("Le n° du bordereau de reprise est obligatoire."), field="bordereau")
    if handed_on is None or handed_on > timezone.localdate():
        raise AtelierError(_("La date de remise ne peut pas être dans le futur."), field="handed_on")
    if handed_on < timezone.localtime(appliance.entered_at).date():
        raise AtelierError(_("La date de remise précède l'entrée de l'appareil en stock."), field="handed_on")
    weight = _weight(weight_kg, "weight_kg")
    departure = WeeeDeparture.objects.create(
        appliance=appliance,
        eco_organism=eco_organism,
        bordereau=bordereau,
        handed_on=handed_on,
        weight_kg=weight,
        recorded_by=actor,
    )
    before, location = appliance.state, appliance.location
    appliance.state, appliance.location = ApplianceState.DEMONTE, None
    appliance.reserved_for = appliance.reserved_until = None
    appliance.save(update_fields=["state", "location", "reserved_for", "reserved_until"])
    _write_move(
        appliance,
        kind=MoveKind.DEEE,
        quantity=-1,
        actor=actor,
        before=before,
        at=at,
        from_location=location,
        reason=_("Bordereau %(b)s · %(e)s · %(w)s kg remis le %(d)s")
        % {"b": bordereau, "e": eco_organism, "w": str(weight).replace(".", ","), "d": _day(handed_on)},
    )
    return departure
