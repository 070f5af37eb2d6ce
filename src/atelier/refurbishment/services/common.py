"""Shared by the services of the second life: the states a dossier waits for its owner in, numbering kinds,
money and date wording, the ledger line writer."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from atelier.core.errors import AtelierError
from atelier.core.models import Site, User
from atelier.refurbishment.models import (
    ApplianceMove,
    StockAppliance,
)
from atelier.repairs.choices import CaseStatus
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
