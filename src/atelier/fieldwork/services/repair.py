"""The repair record (C1.7–C1.9): what was done, software versions, parts fitted (which leave the stock)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.errors import AtelierError
from atelier.core.models import User
from atelier.fieldwork.choices import (
    RepairLevel,
)
from atelier.fieldwork.models import (
    RepairRecord,
    RepairRecordPart,
)
from atelier.fieldwork.services.common import _case_for_work
from atelier.repairs.models import RepairCase
from atelier.stock import services as stock_services
from atelier.stock.models import Part
from atelier.stock.selectors import consumed_on_case


def _quantity(value) -> Decimal:
    try:
        quantity = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        raise AtelierError(_("« %(v)s » n'est pas une quantité.") % {"v": value}, field="parts") from None
    if not quantity.is_finite() or quantity <= 0 or quantity > 1000:
        raise AtelierError(_("La quantité d'une pièce doit être comprise entre 0 et 1000."), field="parts")
    return quantity


@transaction.atomic
def repair_record_create(
    *,
    actor: User,
    case: RepairCase,
    level: int,
    work_done: str,
    software_updated: bool = False,
    software_name: str = "",
    version_before: str = "",
    version_after: str = "",
    parts: list[dict] | None = None,
    at: datetime.datetime | None = None,
) -> RepairRecord:
    """What was done. parts: [{"reference", "designation", "quantity"}]; a reference of the catalogue is linked."""
    _case_for_work(case, actor)
    work_done = (work_done or "").strip()
    if not work_done:
        raise AtelierError(_("Décrivez les travaux effectués."), field="work_done")
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in RepairLevel.values:
        raise AtelierError(_("Choisissez le niveau d'intervention (1 ou 2)."), field="level")
    version_before, version_after = (version_before or "").strip(), (version_after or "").strip()
    software_name = (software_name or "").strip()
    if software_updated:
        if not version_before or not version_after:
            raise AtelierError(
                _("Une mise à jour logicielle se note avec la version avant et la version après."),
                field="version_after",
            )
        if version_before == version_after:
            raise AtelierError(
                _("Les versions avant et après sont identiques : la mise à jour n'a pas été faite."),
                field="version_after",
            )
    else:
        software_name = version_before = version_after = ""
    lines = []
    for row in parts or []:
        reference = (row.get("reference") or "").strip()
        if not reference:
            continue
        lines.append((reference, (row.get("designation") or "").strip(), _quantity(row.get("quantity") or 1)))
    record = RepairRecord.objects.create(
        case=case,
        technician=actor,
        recorded_at=at or timezone.now(),
        level=level,
        work_done=work_done,
        software_updated=bool(software_updated),
        software_name=software_name,
        version_before=version_before,
        version_after=version_after,
    )
    catalogue = {p.reference: p for p in Part.objects.filter(reference__in=[r for r, _d, _q in lines])}
    for reference, designation, quantity in lines:
        part = catalogue.get(reference)
        RepairRecordPart.objects.create(
            record=record,
            part=part,
            reference=reference,
            designation=designation or (part.designation if part else ""),
            quantity=quantity,
        )
    _consume_fitted_parts(actor, case, {catalogue[r] for r, _d, _q in lines if r in catalogue}, at)
    return record


def _consume_fitted_parts(actor: User, case: RepairCase, parts: set[Part], at) -> None:
    """Catalogue parts noted as fitted leave the stock (reservation, van or workshop): what the dossier's
    records list minus what was already consumed on it, so a part consumed from the stock screen or noted on
    an earlier visit is not counted twice."""
    consumed = consumed_on_case(case)
    for part in sorted(parts, key=lambda p: p.reference):
        fitted = RepairRecordPart.objects.filter(record__case=case, part=part).aggregate(n=Sum("quantity"))[
            "n"
        ]
        missing = fitted - consumed.get(part.pk, Decimal(0))
        if missing > 0:
            stock_services.consume_for_case(actor=actor, case=case, part=part, quantity=missing, at=at)
