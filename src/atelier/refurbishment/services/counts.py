"""Inventory counts of appliances."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock_many
from atelier.core.models import Site, User
from atelier.refurbishment.choices import (
    IN_STOCK_STATES,
    ApplianceState,
    MoveKind,
)
from atelier.refurbishment.models import (
    ApplianceCount,
    ApplianceCountLine,
    StockAppliance,
)

# A dossier whose appliance waits at the shop for its owner: the letter can be sent, the appliance taken in.
from atelier.refurbishment.services.common import (
    _check_location,
    _write_move,
)
from atelier.stock.models import StockLocation

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
